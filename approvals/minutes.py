"""The minutes of a council meeting (biên bản họp Hội đồng) as PDF and .docx, in the NĐ 30/2020 layout the decision
uses (its heading, place and date helpers are imported from `approvals.documents`, not copied).

The minutes list the members present and absent (and who sent a written opinion), and for every agenda item the
votes, the share of all members and the threshold it was held against, and the result. The chairman and the
secretary sign the printed minutes; the scan is uploaded (`approvals.meetings.minutes_signed_upload`) and is
required before any nomination passed at the meeting is signed.
"""

import io

from django.http import Http404
from django.utils.text import slugify

from approvals.decision_text import issuer_lines, place
from approvals.documents import CONTENT_TYPES, Download, _fonts, _pdf
from approvals.meetings import attendance_counts, can_run_meeting, seat_of, tally_of
from approvals.models import MeetingStatus
from audit.services import read_record
from organisation.models import CouncilPosition
from organisation.text import long_date

RESULT_PASSED, RESULT_FAILED = "Đạt", "Không đạt"


def _percent(share):
    return f"{share * 100:.0f}%"


def minutes_context(meeting):
    council = meeting.council
    unit = council.unit
    attendance = list(
        meeting.attendance.select_related("member__user").order_by("member__position", "member_id")
    )
    present, _written = attendance_counts(meeting)
    items = []
    for item in meeting.items.select_related(
        "nomination__nominee", "nomination__unit", "nomination__award_type"
    ):
        award = item.nomination.award_type
        tally = tally_of(
            award_type=award,
            members_total=meeting.members_total,
            members_present=present,
            votes_for=item.votes_for or 0,
            votes_against=item.votes_against or 0,
            written_for=item.written_for,
            written_against=item.written_against,
        )
        items.append(
            {
                "order": item.order,
                "name": item.nomination.nominee.full_name,
                "unit": item.nomination.unit.name,
                "award": award.name,
                "votes_for": item.votes_for or 0,
                "votes_against": item.votes_against or 0,
                "written_for": item.written_for,
                "written_against": item.written_against,
                "counted_for": tally.counted_for,
                "share": f"{tally.share_for}%".replace(".", ","),
                "threshold": _percent(award.vote_threshold),
                "basis": award.vote_basis,
                "quorum_met": tally.quorum_met,
                "result": RESULT_PASSED if tally.passed else RESULT_FAILED,
            }
        )
    seats = {row.member.position: row.member for row in attendance}
    chairman = seats.get(CouncilPosition.CHAIRMAN)
    secretary = seats.get(CouncilPosition.SECRETARY)
    return {
        "meeting": meeting,
        "council": council,
        "issuer_heading": issuer_lines(unit)[1],
        "council_heading": council.name.upper(),
        "place": place(unit),
        "date_line": long_date(meeting.held_on),
        "members_total": meeting.members_total,
        "present_count": present,
        "present": [row.member for row in attendance if row.is_present],
        "absent": [(row.member, row.sent_written_opinion) for row in attendance if not row.is_present],
        "items": items,
        "passed_count": sum(1 for row in items if row["result"] == RESULT_PASSED),
        "chairman": chairman.display_name if chairman else "",
        "secretary": secretary.display_name if secretary else "",
        "fonts": _fonts(),
    }


def minutes_pdf_bytes(meeting):
    return _pdf("documents/council_minutes.html", minutes_context(meeting))


def minutes_docx_bytes(meeting):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    context = minutes_context(meeting)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run(context["issuer_heading"]).bold = True
    left.add_paragraph().add_run(context["council_heading"]).bold = True
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    right.add_paragraph().add_run("Độc lập - Tự do - Hạnh phúc").bold = True
    right.add_paragraph().add_run(f"{context['place']}, {context['date_line']}").italic = True
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("BIÊN BẢN").bold = True
    subtitle = doc.add_paragraph(f"Họp {context['council'].name} xét khen thưởng")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(
        f"Thời gian: {context['date_line']}. Địa điểm: {meeting.place}. "
        f"Tổng số thành viên Hội đồng: {context['members_total']}; có mặt: {context['present_count']}."
    )
    doc.add_paragraph("I. THÀNH VIÊN CÓ MẶT").runs[0].bold = True
    for member in context["present"]:
        doc.add_paragraph(f"- {member.display_name}, {member.get_position_display()}")
    doc.add_paragraph("II. THÀNH VIÊN VẮNG MẶT").runs[0].bold = True
    for member, written in context["absent"]:
        note = " (có ý kiến bằng văn bản)" if written else ""
        doc.add_paragraph(f"- {member.display_name}, {member.get_position_display()}{note}")
    doc.add_paragraph("III. KẾT QUẢ BỎ PHIẾU KÍN").runs[0].bold = True
    labels = ["STT", "Tập thể, cá nhân", "Hình thức", "Đồng ý", "Không đồng ý", "Văn bản (đồng ý/không)", "Tỷ lệ",
              "Tỷ lệ yêu cầu", "Kết quả"]  # fmt: skip
    table = doc.add_table(rows=1, cols=len(labels))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    for row in context["items"]:
        values = [
            str(row["order"]),
            f"{row['name']} ({row['unit']})",
            row["award"],
            str(row["votes_for"]),
            str(row["votes_against"]),
            f"{row['written_for']}/{row['written_against']}",
            row["share"],
            row["threshold"],
            row["result"],
        ]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    doc.add_paragraph(
        f"Tỷ lệ tính trên tổng số {context['members_total']} thành viên Hội đồng. "
        f"Số đề nghị đạt: {context['passed_count']}/{len(context['items'])}."
    )
    signature = doc.add_table(rows=1, cols=2)
    for cell, role, name in zip(
        signature.rows[0].cells,
        ["THƯ KÝ HỘI ĐỒNG", "CHỦ TỊCH HỘI ĐỒNG"],
        [context["secretary"], context["chairman"]],
        strict=True,
    ):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(role).bold = True
        paragraph.add_run("\n\n\n\n" + name).bold = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def can_read_minutes(user, meeting):
    return can_run_meeting(user, meeting.council) or seat_of(user, meeting) is not None


def minutes_download(*, actor, meeting, kind):
    """Render the minutes of a closed meeting as `kind` ("pdf" or "docx") for its secretary or members; record the
    read. Anyone else, an unknown kind or an open meeting answer 404."""
    if (
        kind not in CONTENT_TYPES
        or meeting.status != MeetingStatus.CLOSED
        or not can_read_minutes(actor, meeting)
    ):
        raise Http404
    data = minutes_pdf_bytes(meeting) if kind == "pdf" else minutes_docx_bytes(meeting)
    read_record(actor, meeting, None, "download", data={"kind": f"minutes.{kind}"})
    return Download(
        handle=io.BytesIO(data),
        filename=f"bien-ban-hop-hoi-dong-{slugify(str(meeting.pk))}-{meeting.held_on:%Y%m%d}.{kind}",
        content_type=CONTENT_TYPES[kind],
    )
