"""The words of a unit's tờ trình (cover submission) and its danh sách trích ngang, once, in the NĐ 30/2020 layout.

A `nominations.Submission` groups the nominations a unit's head submits together. The PDF
(`documents/submission.html`) and the .docx (`submission_documents.submission_docx_bytes`) both render this one
object paragraph by paragraph, as the decision does (`approvals.decision_text`), so the two files say the same thing.
It lives here, not in `nominations`, because it shares the decision's heading, place and authority helpers.
"""

from dataclasses import dataclass, field

from approvals.decision_text import _counted, _phrase, authority_phrase, is_committee, place, plain, sentence
from nominations.models import LegalBasis
from organisation.models import Tier
from organisation.text import long_date

LIST_HEADER = ["STT", "Họ và tên", "Chức vụ, đơn vị", "Hình thức đề nghị", "Thành tích tóm tắt"]


@dataclass
class _Row:
    """A nomination as the annex and Điều 1 count it (the shape `_counted` reads: `.nomination.nominee.kind`)."""

    nomination: object


@dataclass
class SubmissionText:
    parent_line: str
    issuer_line: str
    number_line: str
    nation: str
    motto: str
    place_date: str
    kind: str
    title: str
    addressee: str
    bases: list
    body: list
    closing: str
    recipients: list
    signer_lines: list
    signer_name: str
    list_title: str = ""
    list_note: str = ""
    list_header: list = field(default_factory=lambda: list(LIST_HEADER))
    list_rows: list = field(default_factory=list)

    def paragraphs(self):
        """Every paragraph in reading order (list cells excluded): what both outputs must contain."""
        head = [
            self.parent_line,
            self.issuer_line,
            self.number_line,
            self.nation,
            self.motto,
            self.place_date,
        ]
        body = [self.kind, self.title, self.addressee, *self.bases, *self.body, self.closing]
        tail = [
            "Nơi nhận:",
            *self.recipients,
            *self.signer_lines,
            self.signer_name,
            self.list_title,
            self.list_note,
        ]
        return [p for p in [*head, *body, *tail] if p]


def _heading(unit):
    """(parent line, unit line): a commune's committee under its province or district, an office under its parent."""
    name = plain(unit.name)
    if is_committee(unit):
        parent = unit.parent
        parent_line = (
            f"UBND {plain(parent.name).upper()}" if parent is not None and unit.tier != Tier.PROVINCE else ""
        )
        return parent_line, f"ỦY BAN NHÂN DÂN {name.upper()}"
    parent = unit.parent
    return (plain(parent.name).upper() if parent is not None else ""), name.upper()


def _symbol(unit):
    return unit.issuer_symbol or "UBND"


def _signer(unit):
    """The capacity lines of the head who signs for the unit (NĐ 30/2020 Điều 13)."""
    return ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] if is_committee(unit) else ["THỦ TRƯỞNG ĐƠN VỊ"]


def submission_number_line(submission):
    """'Số: 15/TTr-UBND' as entered, or the blank the văn thư fills in when the number is not yet given."""
    if submission.number:
        return f"Số: {submission.number}"
    return f"Số:      /TTr-{_symbol(submission.unit)}"


def submission_reference(submission):
    """'Tờ trình số 15/TTr-UBND ngày 20/12/2025 của Xã Định Thủy' (how the reviewers' page cites it)."""
    number = f" số {submission.number}" if submission.number else ""
    on = submission.submitted_at.date()
    return f"Tờ trình{number} ngày {on:%d/%m/%Y} của {plain(submission.unit.name)}"


def submission_text(submission, nominations):
    """Build the tờ trình and its list from `submission` and its `nominations` (nominee, unit, award type and
    deciding unit loaded), in list order."""
    unit = submission.unit
    day = submission.submitted_at.date()
    parent_line, issuer_line = _heading(unit)
    # Addressed to the highest authority the list goes to (the one nearest the province).
    deciding = min(
        (n.deciding_unit for n in nominations), key=lambda u: len(u.lineage()), default=unit.province
    )
    to_whom = authority_phrase(deciding)
    groups = {}
    for nomination in nominations:
        groups.setdefault(nomination.award_type.pk, []).append(_Row(nomination))
    years = sorted({n.period_year for n in nominations})
    year_text = f" năm {', '.join(str(y) for y in years)}" if years else ""
    awards = "; ".join(
        _phrase(group[0].nomination.award_type)[:1].lower() + _phrase(group[0].nomination.award_type)[1:]
        for group in groups.values()
    )
    body = [
        f"Căn cứ kết quả bình xét thi đua, khen thưởng{year_text} của {plain(unit.name)}, {plain(unit.name)} kính "
        f"trình {to_whom} xem xét, khen thưởng như sau:"
    ]
    for group in groups.values():
        award_type = group[0].nomination.award_type
        body.append(
            f"- {_phrase(award_type)} cho {_counted(group)} đã có thành tích xuất sắc{year_text} "
            f"(có danh sách trích ngang và báo cáo thành tích kèm theo)."
        )
    closing = f"{plain(unit.name)} kính trình {to_whom} xem xét, quyết định./."
    signer = submission.submitted_by
    text = SubmissionText(
        parent_line=parent_line,
        issuer_line=issuer_line,
        number_line=submission_number_line(submission),
        nation="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        motto="Độc lập - Tự do - Hạnh phúc",
        place_date=f"{place(unit)}, {long_date(day)}",
        kind="TỜ TRÌNH",
        title=f"Về việc đề nghị {awards}" if awards else "Về việc đề nghị khen thưởng",
        addressee=f"Kính gửi: {to_whom}.",
        bases=[basis.citation() for basis in LegalBasis.citations_on(day)],
        body=body,
        closing=closing,
        recipients=["- Như trên;", "- Lưu: VT."],
        signer_lines=_signer(unit),
        signer_name=signer.get_full_name() or signer.username,
        list_title="DANH SÁCH TRÍCH NGANG ĐỀ NGHỊ KHEN THƯỞNG",
        list_note=f"(Kèm theo {submission_reference(submission)})",
    )
    for index, nomination in enumerate(nominations, start=1):
        nominee = nomination.nominee
        where = ", ".join(part for part in [nominee.position, plain(nomination.unit.name)] if part)
        text.list_rows.append(
            [
                str(index),
                nominee.full_name,
                where,
                nomination.award_type.full_name or nomination.award_type.name,
                sentence(nomination.achievements),
            ]
        )
    return text
