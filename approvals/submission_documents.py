"""The tờ trình and its danh sách trích ngang as PDF (WeasyPrint) and .docx (python-docx), from one
`SubmissionText`; the signed scan the head uploads instead; opening them for a download, recorded as a read.

Drafts are rendered on demand (a list of a few dozen rows renders in well under a second) and never stored: the
submission's nominations are the source, and the signed scan is the document of record once uploaded.
"""

import io

from django.http import Http404
from django.utils.text import slugify

from approvals.documents import CONTENT_TYPES, Download, Nd30Docx, _fonts, _pdf
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
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    text = submission_context(submission)["text"]
    out = Nd30Docx()
    para, center = out.para, out.center
    out.heading(text)
    para(None, text.kind, bold=True, align=center)
    para(None, text.title, bold=True, align=center)
    para(None, text.addressee, align=center)
    for line in text.bases:
        para(None, line, italic=True, indent=True)
    for line in [*text.body, text.closing]:
        para(None, line, indent=True)
    out.signature(text)
    annex = out.doc.add_section(WD_SECTION.NEW_PAGE)
    annex.orientation = WD_ORIENT.LANDSCAPE
    annex.page_width, annex.page_height = Mm(297), Mm(210)
    annex.left_margin = annex.right_margin = annex.top_margin = annex.bottom_margin = Mm(20)
    para(None, text.list_title, bold=True, align=center)
    para(None, text.list_note, italic=True, align=center)
    out.grid(text.list_header, text.list_rows)
    return out.bytes()


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
