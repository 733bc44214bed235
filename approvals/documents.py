"""The documents of a signed decision: the decision PDF with its annex, one certificate PDF per awardee, and the
decision as .docx; and opening them for a download (who may: `approvals.selectors`), recorded as a read.

Rendering is slow, so a worker does it after the signature commits (`workflows.tasks.decision_documents_render`).
It is idempotent: each file is rendered only while its field is empty, written under a fixed name through a
temporary file (a killed worker leaves no half-written document behind), and the field is set under a row lock
together with its audit event, so a redelivered task never stores or records a document twice.

The fonts ship with the project (static/fonts, Liberation Serif 2, SIL OFL) and are referenced by @font-face
under a family name no system font has, so Vietnamese diacritics render the same on every machine.
"""

import base64
import io
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import qrcode
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from pypdf import PdfReader, PdfWriter

from approvals import signing
from approvals.decision_text import (
    addressee,
    authority,
    award_heading,
    decision_text,
    long_date,
    place,
    plain,
    sentence,
)
from approvals.models import Certificate, Decision, PrintLayout, SignerPosition, signer_block
from approvals.selectors import can_download_certificate, can_download_decision
from approvals.services import signer_profile_for
from audit.services import event_record, read_record
from nominations.models import BaseSalary
from organisation.text import fold

logger = logging.getLogger(__name__)

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


# ----------------------------------------------------------------------------------------------- formatting
def verification_url(certificate):
    """Return the public verification page printed as a QR code on the certificate."""
    path = reverse("public:verify", args=[certificate.verification_code])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def qr_data_uri(text):
    """The QR code as a PNG of one pixel per module, which the templates scale to its printed size without smoothing
    (`image-rendering: pixelated`, no interpolation in the PDF): a sixth of the pixels WeasyPrint decodes and
    re-encodes per certificate at 6 pixels a module, ~10 ms less layout a certificate (bench/documents.py), and the
    same sharp squares at any zoom or printer resolution."""
    image = qrcode.make(text, box_size=1, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _fonts():
    """Liberation Serif 2 (SIL OFL, metric-compatible with Times New Roman, full Vietnamese) under a family name no
    system font has."""
    return {
        "regular": (FONT_DIR / "LiberationSerif-Regular.ttf").as_uri(),
        "bold": (FONT_DIR / "LiberationSerif-Bold.ttf").as_uri(),
        "italic": (FONT_DIR / "LiberationSerif-Italic.ttf").as_uri(),
        "bold_italic": (FONT_DIR / "LiberationSerif-BoldItalic.ttf").as_uri(),
    }


def _certificates_of(decision):
    return list(
        decision.certificates.select_related(
            "nomination__nominee",
            "nomination__unit",
            "nomination__award_type",
            "nomination__submission__unit",
        ).order_by("serial")
    )


def decision_context(decision, certificates=None, *, draft=False):
    certificates = _certificates_of(decision) if certificates is None else certificates
    text = decision_text(decision, certificates, draft=draft)
    return {
        "decision": decision,
        "text": text,
        "fonts": _fonts(),
        "annex": _annex_part(text.annex_rows, first=True, last=True),
    }


def _annex_part(rows, *, first, last, page_from=None):
    """What one PDF part of the decision shows: the body and the annex's title (first), its rows, the total (last),
    and the number of its first page when it continues another part."""
    return {"rows": rows, "first": first, "last": last, "page_from": page_from}


# ----------------------------------------------------------------------------------------------- rendering
def _document(template, context):
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(FONT_DIR)).render()


def _pdf(template, context):
    return _document(template, context).write_pdf()


# Annex rows laid out per WeasyPrint document: a layout's memory grows with its pages (a decision of 500 in one
# document peaked at ~205 MB of worker RSS, ~65 MB of it the annex's 43 pages). More than a page holds (~12).
ANNEX_ROWS_PER_PART = 100


def decision_pdf_bytes(decision, certificates=None, *, draft=False):
    """The decision PDF. A long annex is laid out at most ANNEX_ROWS_PER_PART rows at a time, each part written and
    dropped before the next, and the parts joined into one file (pypdf). A part keeps only its full pages: the rows
    of its last page start the next part, so the list runs on page after page as if laid out at once (rows never
    split across pages), its pages numbered on."""
    context = decision_context(decision, certificates, draft=draft)
    rows = context["text"].annex_rows
    if len(rows) <= ANNEX_ROWS_PER_PART:
        return _pdf("documents/decision.html", context)
    writer, start, pages = PdfWriter(), 0, 0
    while start < len(rows):
        last = start + ANNEX_ROWS_PER_PART >= len(rows)
        part = _annex_part(
            rows[start : start + ANNEX_ROWS_PER_PART],
            first=start == 0,
            last=last,
            page_from=pages + 1 if start else None,
        )
        document = _document("documents/decision.html", {**context, "annex": part})
        kept = document.pages if last else document.pages[:-1]
        laid = sum(_annex_rows_on(page) for page in kept)
        if not last and not laid:  # the part held no full page of rows: keep it whole rather than loop
            kept, laid = document.pages, len(part["rows"])
        reader = PdfReader(io.BytesIO(document.copy(kept).write_pdf()))
        if start == 0:
            writer.add_metadata(reader.metadata or {})
        writer.append(reader)
        start, pages = start + (len(part["rows"]) if last else laid), pages + len(kept)
        del document, kept, reader
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _annex_rows_on(page):
    """How many annex rows (the list's body rows, not its repeated header) a laid-out page holds."""
    from weasyprint.formatting_structure.boxes import TableBox, TableRowGroupBox

    def count(box, in_annex):
        if isinstance(box, TableBox):
            in_annex = "annex-list" in (box.element.get("class") or "").split()
        if isinstance(box, TableRowGroupBox):
            return len(box.children) if in_annex and not (box.is_header or box.is_footer) else 0
        return sum(count(child, in_annex) for child in getattr(box, "children", ()))

    return count(page._page_box, False)


def decision_draft_pdf(*, issuer, signer, rows, cash, number, title, signed_on):
    """The decision as it would be signed, watermarked DỰ THẢO; nothing is stored."""
    profile = signer_profile_for(user=signer, issuer=issuer)
    decision = Decision(
        issuer=issuer,
        year=signed_on.year,
        sequence=0,
        number=number,
        title=title,
        signed_on=signed_on,
        signer=signer,
        signer_position=profile.position if profile else SignerPosition.HEAD,
        total_amount=sum((cash[n.pk].amount for n in rows), 0),
        base_salary=BaseSalary.in_force_on(signed_on),
    )
    certificates = [
        Certificate(nomination=n, amount=cash[n.pk].amount, amount_basis=cash[n.pk].basis, serial=f"{i:04d}")
        for i, n in enumerate(rows, start=1)
    ]
    return decision_pdf_bytes(decision, certificates, draft=True)


def certificate_context(certificate):
    nomination = certificate.nomination
    decision = certificate.decision
    issuer = decision.issuer
    award_type = nomination.award_type
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "decision": decision,
        "nominee": nomination.nominee,
        "addressee": addressee(nomination.nominee),
        "award": (award_type.full_name or award_type.name),
        "award_heading": award_heading(award_type),
        "where": ", ".join(p for p in [nomination.nominee.position, plain(nomination.unit.name)] if p),
        "issuer_heading": authority(issuer),
        "place_date": f"{place(issuer)}, {long_date(decision.signed_on)}",
        "achievement": sentence(nomination.achievements),
        "decision_line": f"Quyết định số {decision.number} ngày {decision.signed_on:%d/%m/%Y}",
        "verify_url": url,
        "qr": qr_data_uri(url),
        "fonts": _fonts(),
        "signer_lines": signer_block(issuer, decision.signer_position or SignerPosition.HEAD),
        "signer_name": decision.signer.get_full_name() or decision.signer.username,
    }


def certificate_pdf_bytes(certificate):
    return _pdf("documents/certificate.html", certificate_context(certificate))


def print_layout_for(award_code):
    """The award type's layout on its pre-printed blank (the default positions until the office measures its own)."""
    return PrintLayout.objects.filter(award_code=award_code).first() or PrintLayout(award_code=award_code)


def _print_sheet(layout, values):
    sheet = []
    for name, spot in layout.fields.items():
        if name not in values:
            continue
        sheet.append({"name": name, "text": values[name], "label_y": max(spot["y"] - 3, 0), **spot})
    return sheet


def _print_values(context):
    return {
        "addressee": context["addressee"],
        "where": context["where"],
        "achievement": context["achievement"],
        "place_date": context["place_date"],
        "decision_line": context["decision_line"],
        "serial": context["certificate"].serial,
    }


def certificate_print_pdf(certificate):
    """Only the variable fields of a certificate, placed for printing on the award type's official blank."""
    layout = print_layout_for(certificate.nomination.award_type.code)
    sheet = _print_sheet(layout, _print_values(certificate_context(certificate)))
    return _pdf("documents/certificate_print.html", {"layout": layout, "sheets": [sheet], "fonts": _fonts()})


def print_test_pdf(award_code):
    """A test page for a blank: sample text in every field, with its box, name, position and a 10 mm grid."""
    layout = print_layout_for(award_code)
    sample = {
        "addressee": "Ông Nguyễn Văn Mẫu",
        "where": "Chủ tịch UBND xã Định Thủy",
        "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua năm 2025.",
        "place_date": "Bến Tre, ngày 05 tháng 01 năm 2026",
        "decision_line": "Quyết định số 01/QĐ-UBND ngày 05/01/2026",
        "serial": "BT-2026-0001-0001",
    }
    sheet = _print_sheet(layout, sample)
    return _pdf(
        "documents/certificate_print.html",
        {"layout": layout, "sheets": [sheet], "test": True, "fonts": _fonts()},
    )


def certificate_print_download(*, actor, certificate_id):
    """The print-on-blank PDF of a certificate for `actor` (same right as the certificate, 404 otherwise),
    recorded as a read."""
    certificate = (
        Certificate.objects.select_related(
            "decision__issuer",
            "decision__signer",
            "nomination__nominee",
            "nomination__unit",
            "nomination__award_type",
        )
        .filter(pk=certificate_id)
        .first()
    )
    if (
        certificate is None
        or not certificate.nomination.award_type.carries_certificate
        or not can_download_certificate(actor, certificate)
    ):
        raise Http404
    read_record(actor, certificate, certificate.nomination_id, "download", data={"kind": "print"})
    return certificate_print_pdf(certificate)


# Certificates laid out in one WeasyPrint document (fonts and styles loaded once), then split by page. 25 rather
# than 50: the same CPU a certificate, ~10 MB less worker RSS (bench/documents.py).
BATCH = 25


def certificates_pdf_bytes(certificates):
    """Return one PDF per certificate: laid out together (one pass, the fonts loaded once), then each page written
    as its own PDF carrying only its own font subset; rendered one by one if the batch does not come out as one
    page each.

    Splitting the batch's PDF with pypdf instead cost 12.6 ms a page and left every file with the whole batch's
    font subsets (102 KB against 21 KB a certificate: 13,000 certificates a year, 1.3 GB against 0.27 GB)."""
    contexts = [certificate_context(c) for c in certificates]
    batch = _document("documents/certificates.html", {"certificates": contexts, "fonts": _fonts()})
    if len(batch.pages) != len(certificates):
        logger.warning(
            "certificate batch gave %s pages for %s certificates", len(batch.pages), len(certificates)
        )
        return [certificate_pdf_bytes(c) for c in certificates]
    return [batch.copy([page]).write_pdf() for page in batch.pages]


class Nd30Docx:
    """A .docx in the NĐ 30/2020 layout the decision and the tờ trình share: A4 portrait, margins 20/20/30/15 mm, Times
    New Roman 14 pt; it writes paragraphs, the two-column heading and signature blocks, and grid tables."""

    def __init__(self):
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.orientation = WD_ORIENT.PORTRAIT
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        style = self.doc.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(14)
        style.paragraph_format.space_after = Pt(6)
        self.center, self.justify, self.mm, self.pt = (
            WD_ALIGN_PARAGRAPH.CENTER,
            WD_ALIGN_PARAGRAPH.JUSTIFY,
            Mm,
            Pt,
        )

    def para(self, container, value, *, bold=False, italic=False, align=None, size=None, indent=False):
        paragraph = container.add_paragraph() if container is not None else self.doc.add_paragraph()
        run = paragraph.add_run(value)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = self.pt(size)
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = self.mm(10)
            paragraph.alignment = self.justify
        return paragraph

    def two_cells(self):
        left, right = self.doc.add_table(rows=1, cols=2).rows[0].cells
        left._tc.remove(left.paragraphs[0]._p)
        right._tc.remove(right.paragraphs[0]._p)
        return left, right

    def heading(self, text):
        """Issuer (under its parent) and number | the national motto and the dated place line."""
        left, right = self.two_cells()
        if text.parent_line:
            self.para(left, text.parent_line, align=self.center, size=13)
        self.para(left, text.issuer_line, bold=True, align=self.center, size=13)
        self.para(left, text.number_line, align=self.center, size=13)
        self.para(right, text.nation, bold=True, align=self.center, size=13)
        self.para(right, text.motto, bold=True, align=self.center, size=14)
        self.para(right, text.place_date, italic=True, align=self.center, size=14)

    def signature(self, text):
        """Nơi nhận | the signer's capacity and name."""
        left, right = self.two_cells()
        self.para(left, "Nơi nhận:", bold=True, italic=True, size=12)
        for line in text.recipients:
            self.para(left, line, size=11)
        for line in text.signer_lines:
            self.para(right, line, bold=True, align=self.center)
        self.para(
            right, text.signer_name, bold=True, align=self.center
        ).paragraph_format.space_before = self.pt(60)

    def grid(self, header, rows):
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, header, strict=True):
            cell.paragraphs[0].add_run(label).bold = True
        for row in rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = value
        return table

    def bytes(self):
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def decision_docx_bytes(decision, certificates=None, *, draft=False):
    """The same paragraphs as the PDF (one `DecisionText`), on A4 with NĐ 30/2020 margins, Times New Roman 14 pt,
    the page number at the top centre from page 2."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    text = decision_context(decision, certificates, draft=draft)["text"]
    out = Nd30Docx()
    section = out.doc.sections[0]
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = out.center
    for kind, value in (("begin", None), ("instr", " PAGE "), ("end", None)):
        run = number.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = value
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
    para, center = out.para, out.center
    if text.is_draft:
        para(None, "DỰ THẢO", bold=True, align=center, size=16)
    out.heading(text)
    para(None, text.kind, bold=True, align=center)
    para(None, text.title, bold=True, align=center)
    para(None, text.authority, bold=True, align=center)
    for line in [*text.bases, text.proposal]:
        para(None, line, italic=True, indent=True)
    para(None, text.decides, bold=True, align=center)
    for article in text.articles:
        para(None, article, indent=True)
    out.signature(text)
    if text.annex_rows:
        out.doc.add_page_break()
        para(None, text.annex_title, bold=True, align=center)
        para(None, text.annex_note, italic=True, align=center)
        total = out.grid(text.annex_header, text.annex_rows).add_row().cells
        total[1].paragraphs[0].add_run("Tổng cộng").bold = True
        total[-1].paragraphs[0].add_run(text.annex_total).bold = True
    return out.bytes()


# ----------------------------------------------------------------------------------------------- storing
def _store(name, data):
    """Write `data` at exactly `name`: via a temp file and an atomic rename on the local filesystem."""
    storage = default_storage
    try:
        path = Path(storage.path(name))
    except NotImplementedError:  # remote storage: no partial objects to worry about, replace whole
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, ContentFile(data))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return name


def _attach(model, pk, field, name, data, audit, extra=None):
    """Store the file and set the field (and `extra` columns) once; return True if this call stored it."""
    extra = extra or {}
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=pk)
        if getattr(row, field):
            return False  # another delivery stored it first
        stored = _store(name, data)
        model.objects.filter(pk=pk).update(**{field: stored}, **extra)
        event_record(
            action="document.generate",
            data={"field": field, "file": stored, "bytes": len(data), **extra},
            **audit,
        )
    return True


def _signed_decision_pdf(decision):
    """The decision PDF, with the signer's PAdES signature when the signer has a certificate configured.
    A key that cannot be used leaves the document unsigned (logged) rather than not issued."""
    pdf = decision_pdf_bytes(decision)
    profile = signing.signer_profile_with_key(decision)
    if profile is None:
        return pdf, False
    try:
        return signing.pdf_sign(pdf, profile, location=place(decision.issuer)), True
    except Exception:
        logger.exception("decision %s: digital signature failed, stored unsigned", decision.pk)
        return pdf, False


def decision_signature_check(decision):
    """Validate the stored decision PDF's digital signature; None while the PDF is being rendered."""
    if not decision.pdf:
        return None
    try:
        with decision.pdf.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    return signing.pdf_signature_check(data)


def _decision_name(decision, ext):
    return f"decisions/{decision.year}/quyet-dinh-{decision.pk}-{slugify(fold(decision.number))}.{ext}"


def _certificate_name(certificate):
    return f"certificates/{certificate.decision.year}/{slugify(fold(certificate.serial))}.pdf"


def decision_documents_render(decision_id):
    """Render what is missing of a decision's documents; return the names of the files stored now."""
    decision = (
        Decision.objects.select_related("issuer__parent", "signer", "legal_basis")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        return []
    missing_certs = list(
        decision.certificates.filter(pdf="", nomination__award_type__carries_certificate=True).select_related(
            "nomination__nominee",
            "nomination__unit",
            "nomination__award_type",
            "decision__issuer",
            "decision__signer",
        )
    )
    if decision.pdf and decision.docx and not missing_certs:
        return []
    delay = getattr(settings, "DOCUMENTS_RENDER_DELAY", 0)
    if delay:  # tests only: widen the window in which a worker can be killed mid-task
        logger.warning(
            "DOCUMENTS_RENDER_DELAY: sleeping %s s before rendering decision %s", delay, decision_id
        )
        time.sleep(delay)
    audit = {"obj": decision, "chain": f"decision:{decision.pk}", "unit_code": decision.issuer.code}
    stored = []
    if not decision.pdf:
        name = _decision_name(decision, "pdf")
        pdf, is_signed = _signed_decision_pdf(decision)
        if _attach(Decision, decision.pk, "pdf", name, pdf, audit, {"is_digitally_signed": is_signed}):
            stored.append(name)
    if not decision.docx:
        name = _decision_name(decision, "docx")
        if _attach(Decision, decision.pk, "docx", name, decision_docx_bytes(decision), audit):
            stored.append(name)
    for start in range(0, len(missing_certs), BATCH):
        chunk = missing_certs[start : start + BATCH]
        for certificate, data in zip(chunk, certificates_pdf_bytes(chunk), strict=True):
            name = _certificate_name(certificate)
            cert_audit = {
                "obj": certificate,
                "chain": f"decision:{decision.pk}",
                "unit_code": decision.issuer.code,
                "nomination_id": certificate.nomination_id,
            }
            if _attach(Certificate, certificate.pk, "pdf", name, data, cert_audit):
                stored.append(name)
    return stored


def decisions_missing_documents(signed_before):
    """Ids of decisions signed before `signed_before` that still lack a document (a lost or failed render)."""
    return list(
        Decision.objects.filter(signed_at__lt=signed_before)
        .filter(
            Q(pdf="")
            | Q(docx="")
            | Q(certificates__pdf="", certificates__nomination__award_type__carries_certificate=True)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


# ----------------------------------------------------------------------------------------------- downloads
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Download:
    """An opened document, for the web and the API to stream as an attachment."""

    handle: object
    filename: str
    content_type: str


def decision_document_download(*, actor, decision_id, kind):
    """Open the decision's `kind` document ("pdf" or "docx") for `actor` and record the read, once.

    Who may not download it, an unknown decision or kind, and a document not rendered yet or lost from storage all
    answer 404, so a guessed id reveals nothing.
    """
    decision = Decision.objects.select_related("issuer").filter(pk=decision_id).first()
    if kind not in CONTENT_TYPES or decision is None or not can_download_decision(actor, decision):
        raise Http404
    return _download(
        actor=actor,
        obj=decision,
        field_file=getattr(decision, kind),
        filename=f"quyet-dinh-{slugify(fold(decision.number))}.{kind}",
        kind=kind,
    )


def certificate_download(*, actor, certificate_id):
    """Open a certificate's PDF for `actor` and record the read, once (404 as for the decision)."""
    certificate = (
        Certificate.objects.select_related("decision__issuer", "nomination").filter(pk=certificate_id).first()
    )
    if certificate is None or not can_download_certificate(actor, certificate):
        raise Http404
    return _download(
        actor=actor,
        obj=certificate,
        field_file=certificate.pdf,
        filename=f"bang-khen-{slugify(fold(certificate.serial))}.pdf",
        kind="pdf",
        nomination_id=certificate.nomination_id,
    )


class DocumentPending(Exception):
    """The document is allowed but the worker has not rendered it yet: 'đang tạo văn bản', not 404."""


def _download(*, actor, obj, field_file, filename, kind, nomination_id=None):
    if not field_file:
        raise DocumentPending
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:  # lost from storage: a 404 like any other missing file, not a server error
        raise Http404
    read_record(actor, obj, nomination_id, "download", data={"kind": kind, "file": field_file.name})
    return Download(handle=handle, filename=filename, content_type=CONTENT_TYPES[kind])


def statistical_form_pdf_bytes(context):
    """Render a statistical form (web.reports builds its rows) as an A4 landscape PDF with the project's fonts."""
    return _pdf("documents/statistical_form.html", {**context, "fonts": _fonts()})
