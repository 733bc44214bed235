"""The tờ trình and its danh sách trích ngang as PDF (WeasyPrint) and .docx (python-docx), from one
`SubmissionText`; the signed scan the head uploads instead; opening them for a download, recorded as a read.

Drafts are rendered on demand (a list of a few dozen rows renders in well under a second) and never stored: the
submission's nominations are the source, and the signed scan is the document of record once uploaded.
"""

import io

from django.http import Http404
from django.utils.text import slugify

from approvals.documents import CONTENT_TYPES, Download, _fonts, _pdf
from approvals.submission_text import submission_text
from audit.services import read_record
from nominations.selectors import get_submission_for_user, submission_nominations


def submission_context(submission):
    return {"text": submission_text(submission, submission_nominations(submission)), "fonts": _fonts()}


def submission_pdf_bytes(submission):
    return _pdf("documents/submission.html", submission_context(submission))


def submission_docx_bytes(submission):
    """The same paragraphs as the PDF on A4 with NĐ 30/2020 margins, Times New Roman 14 pt; the list follows on a
    landscape section."""
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    text = submission_context(submission)["text"]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    style.paragraph_format.space_after = Pt(6)
    center = WD_ALIGN_PARAGRAPH.CENTER

    def para(container, value, *, bold=False, italic=False, align=None, size=None, indent=False):
        paragraph = container.add_paragraph() if container is not None else doc.add_paragraph()
        run = paragraph.add_run(value)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Mm(10)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        return paragraph

    def two_cells():
        table = doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left._tc.remove(left.paragraphs[0]._p)
        right._tc.remove(right.paragraphs[0]._p)
        return left, right

    left, right = two_cells()
    if text.parent_line:
        para(left, text.parent_line, align=center, size=13)
    para(left, text.issuer_line, bold=True, align=center, size=13)
    para(left, text.number_line, align=center, size=13)
    para(right, text.nation, bold=True, align=center, size=13)
    para(right, text.motto, bold=True, align=center, size=14)
    para(right, text.place_date, italic=True, align=center, size=14)
    para(None, text.kind, bold=True, align=center)
    para(None, text.title, bold=True, align=center)
    para(None, text.addressee, align=center)
    for line in text.bases:
        para(None, line, italic=True, indent=True)
    for line in [*text.body, text.closing]:
        para(None, line, indent=True)
    left, right = two_cells()
    para(left, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in text.recipients:
        para(left, line, size=11)
    for line in text.signer_lines:
        para(right, line, bold=True, align=center)
    para(right, text.signer_name, bold=True, align=center).paragraph_format.space_before = Pt(60)
    annex = doc.add_section(WD_SECTION.NEW_PAGE)
    annex.orientation = WD_ORIENT.LANDSCAPE
    annex.page_width, annex.page_height = Mm(297), Mm(210)
    annex.left_margin = annex.right_margin = annex.top_margin = annex.bottom_margin = Mm(20)
    para(None, text.list_title, bold=True, align=center)
    para(None, text.list_note, italic=True, align=center)
    table = doc.add_table(rows=1, cols=len(text.list_header))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, text.list_header, strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    for row in text.list_rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


RENDERERS = {"pdf": submission_pdf_bytes, "docx": submission_docx_bytes}


def submission_document_download(*, actor, submission_id, kind):
    """Open the tờ trình as `kind`: "pdf" or "docx" (drafted from the list) or "scan" (the signed copy), for whoever
    sees one of its nominations, and record the read. Anything else answers 404."""
    submission = get_submission_for_user(actor, submission_id)
    name = slugify(f"to-trinh-{submission.number or submission.pk}") or f"to-trinh-{submission.pk}"
    if kind == "scan":
        if not submission.scan:
            raise Http404
        try:
            handle = submission.scan.open("rb")
        except FileNotFoundError:
            raise Http404
        read_record(actor, submission, None, "download", data={"kind": kind, "file": submission.scan.name})
        extension = submission.scan_name.rsplit(".", 1)[-1].lower() if "." in submission.scan_name else "pdf"
        return Download(
            handle=handle,
            filename=f"{name}-ban-ky.{extension}",
            content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        )
    if kind not in RENDERERS:
        raise Http404
    data = RENDERERS[kind](submission)
    read_record(actor, submission, None, "download", data={"kind": kind})
    return Download(handle=io.BytesIO(data), filename=f"{name}.{kind}", content_type=CONTENT_TYPES[kind])
