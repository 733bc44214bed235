"""The report of the movement's yearly review (báo cáo sơ kết / tổng kết), once, in the NĐ 30/2020 layout: the
PDF (`documents/movement_review.html`, WeasyPrint) and the .docx (`Nd30Docx`) render one `ReviewReportText`
section by section, as the decision and the tờ trình do. Drafts are rendered on demand and never stored: the
review's rows are the source.
"""

import io
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from approvals.decision_text import place, plain
from approvals.documents import CONTENT_TYPES, Download, Nd30Docx, _fonts, _pdf
from approvals.submission_text import _heading
from audit.services import read_record
from nominations import movement as movement_rules
from nominations.models import MovementReview, TargetKind
from organisation.text import long_date


@dataclass
class Section:
    title: str
    paragraphs: list = field(default_factory=list)
    header: list = field(default_factory=list)
    rows: list = field(default_factory=list)


@dataclass
class ReviewReportText:
    parent_line: str
    issuer_line: str
    number_line: str
    nation: str
    motto: str
    place_date: str
    kind: str
    title: str
    sections: list
    recipients: list
    signer_lines: list
    signer_name: str

    def paragraphs(self):
        """Every paragraph in reading order (table cells excluded): what both outputs must contain."""
        head = [
            self.parent_line,
            self.issuer_line,
            self.number_line,
            self.nation,
            self.motto,
            self.place_date,
        ]
        body = [self.kind, self.title]
        for section in self.sections:
            body += [section.title, *section.paragraphs]
        return [
            p
            for p in [*head, *body, "Nơi nhận:", *self.recipients, *self.signer_lines, self.signer_name]
            if p
        ]


def _value(value, kind):
    if kind == TargetKind.YES_NO or value is None:
        return ""
    text = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
    return f"{text}%" if kind == TargetKind.PERCENT else text


def _result(report, commitment):
    if report is None:
        return "Chưa báo cáo"
    mark = "đạt" if report.is_met else ("chưa đạt" if report.is_met is False else "")
    value = _value(report.value, commitment.kind)
    return ", ".join(part for part in [value, mark] if part)


def review_report_text(review, gathering=None):
    """Build the report of `review` from what the review gathers (`nominations.movement.review_gather`)."""
    gathering = gathering or movement_rules.review_gather(review)
    movement = review.movement
    issuer = movement.launched_by
    parent_line, issuer_line = _heading(issuer)
    year = review.year
    what = "TỔNG KẾT" if review.kind == "final" else "SƠ KẾT"
    today = timezone.localdate()
    registered = len(gathering.units)
    acknowledged = sum(1 for u in gathering.units if u.registration.status == "acknowledged")
    commitments = sum(len(u.commitments) for u in gathering.units)
    met = sum(u.met for u in gathering.units)
    sections = [
        Section(
            title="I. KẾT QUẢ ĐĂNG KÝ THI ĐUA",
            paragraphs=[
                f"Thực hiện {movement.launch_document or 'văn bản phát động'}, năm {year} có {registered} cơ quan, "
                f"đơn vị, địa phương, cụm, khối thi đua đăng ký thi đua với {commitments} nội dung, chỉ tiêu; "
                f"{acknowledged} bản đăng ký đã được cấp trên ghi nhận. Đã báo cáo đạt {met}/{commitments} chỉ tiêu."
            ],
            header=["STT", "Đơn vị", "Nội dung thi đua", "Chỉ tiêu đăng ký", "Kết quả"],
            rows=[
                [
                    str(index),
                    plain(summary.registration.unit.name),
                    commitment.content_area.name,
                    " ".join(
                        part
                        for part in [commitment.description, _value(commitment.value, commitment.kind)]
                        if part
                    ),
                    _result(report, commitment),
                ]
                for index, (summary, (commitment, report)) in enumerate(
                    ((s, row) for s in gathering.units for row in s.commitments), start=1
                )
            ],
        ),
        Section(
            title="II. ĐIỂN HÌNH TIÊN TIẾN",
            paragraphs=[
                f"Năm {year} có {len(gathering.exemplary)} mô hình, điển hình được ghi nhận để học tập, nhân rộng."
            ],
            header=["STT", "Nội dung thi đua", "Đơn vị", "Điển hình"],
            rows=[
                [
                    str(i),
                    model.content_area.name,
                    plain(model.unit.name),
                    f"{model.title}: {model.description}",
                ]
                for i, model in enumerate(gathering.exemplary, start=1)
            ],
        ),
        Section(
            title="III. KẾT QUẢ CHẤM ĐIỂM CỤM, KHỐI THI ĐUA",
            paragraphs=[
                (
                    f"{plain(cluster.name)}: {len(criteria)} tiêu chí; dẫn đầu là "
                    f"{plain(ranked[0].unit.name)} ({ranked[0].points} điểm)"
                    + (
                        f", được đề nghị tặng Cờ thi đua (đề nghị #{proposal.nomination_id})."
                        if proposal
                        else "."
                    )
                )
                for cluster, criteria, ranked, proposal in gathering.clusters
                if ranked
            ]
            or ["Chưa có cụm, khối thi đua chấm điểm."],
            header=["Cụm, khối", "Xếp hạng", "Đơn vị", "Điểm bình quân"],
            rows=[
                [plain(cluster.name), str(rank), plain(row.unit.name), str(row.points)]
                for cluster, _criteria, ranked, _proposal in gathering.clusters
                for rank, row in enumerate(ranked, start=1)
            ],
        ),
        Section(
            title="IV. KHEN THƯỞNG",
            paragraphs=[
                f"Các đề nghị khen thưởng năm {year} gắn với phong trào: {len(gathering.nominations)}."
                + (
                    f" Đợt xét danh hiệu Công dân Đồng Khởi năm {review.honour_round.year}: "
                    f"{len(gathering.honours)} đề nghị."
                    if review.honour_round_id
                    else ""
                )
            ],
            header=["STT", "Đối tượng", "Đơn vị đề nghị", "Hình thức", "Trạng thái"],
            rows=[
                [
                    str(i),
                    n.nominee.full_name,
                    plain(n.unit.name),
                    n.award_type.name,
                    str(n.get_status_display()),
                ]
                for i, n in enumerate([*gathering.nominations, *gathering.honours], start=1)
            ],
        ),
        Section(
            title=f"V. CHỈ TIÊU NĂM {year + 1}",
            paragraphs=([review.summary] if review.summary else [])
            + ([] if gathering.next_targets else [f"Chưa đặt chỉ tiêu năm {year + 1}."]),
            header=["STT", "Nội dung thi đua", "Chỉ tiêu", "Giá trị"],
            rows=[
                [
                    str(i),
                    target.content_area.name,
                    target.description,
                    " ".join(part for part in [_value(target.value, target.kind), target.unit_label] if part),
                ]
                for i, target in enumerate(gathering.next_targets, start=1)
            ],
        ),
    ]
    return ReviewReportText(
        parent_line=parent_line,
        issuer_line=issuer_line,
        number_line=f"Số:      /BC-{issuer.issuer_symbol or 'UBND'}",
        nation="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        motto="Độc lập - Tự do - Hạnh phúc",
        place_date=f"{place(issuer)}, {long_date(min(today, review.held_on))}",
        kind="BÁO CÁO",
        title=f"{what.capitalize()} năm {year} phong trào thi đua “{movement.name}”",
        sections=sections,
        recipients=["- Hội đồng Thi đua – Khen thưởng tỉnh;", "- Các cụm, khối thi đua;", "- Lưu: VT."],
        signer_lines=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        signer_name="",
    )


def review_report_pdf(review):
    return _pdf("documents/movement_review.html", {"text": review_report_text(review), "fonts": _fonts()})


def review_report_docx(review):
    text = review_report_text(review)
    out = Nd30Docx()
    para, center = out.para, out.center
    out.heading(text)
    para(None, text.kind, bold=True, align=center)
    para(None, text.title, bold=True, align=center)
    for section in text.sections:
        para(None, section.title, bold=True)
        for line in section.paragraphs:
            para(None, line, indent=True)
        if section.rows:
            out.grid(section.header, section.rows)
    out.signature(text)
    return out.bytes()


RENDERERS = {"pdf": review_report_pdf, "docx": review_report_docx}


def review_report_download(*, actor, review_id, kind):
    """Open the review's report as "pdf" or "docx" for who reads the review (the province's office, signers and
    inspectors), recording the read; anything else answers 404."""
    review = (
        MovementReview.objects.select_related("movement__launched_by", "honour_round")
        .filter(pk=review_id)
        .first()
    )
    if review is None or kind not in RENDERERS or not movement_rules.can_read_review(actor, review.movement):
        raise Http404
    data = RENDERERS[kind](review)
    read_record(actor, review, None, "download", data={"kind": kind})
    name = slugify(f"bao-cao-so-ket-{review.movement.code}-{review.year}") or f"bao-cao-{review.pk}"
    return Download(handle=io.BytesIO(data), filename=f"{name}.{kind}", content_type=CONTENT_TYPES[kind])
