"""The documents of a signed decision: the decision PDF with its annex, one certificate PDF per awardee, and the
decision as .docx; and opening them for a download (who may: `approvals.selectors`), recorded as a read.

Rendering is slow, so a worker does it after the signature commits (`workflows.tasks.decision_documents_render`).
It is idempotent: each file is rendered only while its field is empty, written under a fixed name through a
temporary file (a killed worker leaves no half-written document behind), and the field is set under a row lock
together with its audit event, so a redelivered task never stores or records a document twice.

The fonts ship with the project (static/fonts, DejaVu, Bitstream Vera licence) and are referenced by @font-face
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

from approvals.models import Certificate, Decision
from approvals.selectors import can_download_certificate, can_download_decision
from audit.services import event_record, read_record
from organisation.text import fold

logger = logging.getLogger(__name__)

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


# ----------------------------------------------------------------------------------------------- formatting
def money(amount):
    """2340000 -> '2.340.000' (Vietnamese thousands separator)."""
    return f"{int(amount or 0):,}".replace(",", ".")


def long_date(day):
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def verification_url(certificate):
    """Return the public verification page printed as a QR code on the certificate."""
    path = reverse("public:verify", args=[certificate.verification_code])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def qr_data_uri(text):
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _fonts():
    return {
        "regular": (FONT_DIR / "DejaVuSerif.ttf").as_uri(),
        "bold": (FONT_DIR / "DejaVuSerif-Bold.ttf").as_uri(),
        "italic": (FONT_DIR / "DejaVuSerif-Italic.ttf").as_uri(),
        "bold_italic": (FONT_DIR / "DejaVuSerif-BoldItalic.ttf").as_uri(),
    }


def _place(issuer):
    """The place name on the date line: the province's name without 'Tỉnh'."""
    name = issuer.province.name
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name.split(" (")[0]


def _plain_name(issuer):
    return issuer.name.split(" (")[0].upper()


def _issuer_heading(issuer):
    if issuer.issuer_symbol == "UBND" or not issuer.issuer_symbol:
        return f"ỦY BAN NHÂN DÂN {_plain_name(issuer)}"
    return _plain_name(issuer)


def _authority(issuer):
    if issuer.issuer_symbol == "UBND" or not issuer.issuer_symbol:
        return f"CHỦ TỊCH ỦY BAN NHÂN DÂN {_plain_name(issuer)}"
    return f"GIÁM ĐỐC {_plain_name(issuer)}"


def _signer_title(decision):
    if decision.signer_title:
        return decision.signer_title.upper()
    issuer = decision.issuer
    return "CHỦ TỊCH" if issuer.issuer_symbol == "UBND" or not issuer.issuer_symbol else "GIÁM ĐỐC"


def decision_context(decision):
    certificates = list(
        decision.certificates.select_related(
            "nomination__nominee", "nomination__unit", "nomination__award_type"
        ).order_by("serial")
    )
    rows = []
    for index, cert in enumerate(certificates, start=1):
        nomination = cert.nomination
        rows.append(
            {
                "index": index,
                "name": nomination.nominee.full_name,
                "kind": nomination.nominee.get_kind_display(),
                "position": nomination.nominee.position,
                "unit": nomination.unit.name,
                "award": nomination.award_type.name,
                "amount": money(cert.amount),
                "serial": cert.serial,
            }
        )
    awards = sorted({cert.nomination.award_type.name for cert in certificates})
    signer = decision.signer
    return {
        "decision": decision,
        "issuer": decision.issuer,
        "issuer_heading": _issuer_heading(decision.issuer),
        "authority": _authority(decision.issuer),
        "place": _place(decision.issuer),
        "date_line": long_date(decision.signed_on),
        "signed_on": decision.signed_on.strftime("%d/%m/%Y"),
        "rows": rows,
        "count": len(rows),
        "awards": awards,
        "total": money(decision.total_amount),
        "legal_basis": decision.legal_basis,
        "signer_name": signer.get_full_name() or signer.username,
        "signer_title": _signer_title(decision),
        "fonts": _fonts(),
    }


# ----------------------------------------------------------------------------------------------- rendering
def _pdf(template, context):
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()


def decision_pdf_bytes(decision):
    return _pdf("documents/decision.html", decision_context(decision))


def certificate_pdf_bytes(certificate):
    nomination = certificate.nomination
    decision = certificate.decision
    url = verification_url(certificate)
    context = {
        "certificate": certificate,
        "decision": decision,
        "nominee": nomination.nominee,
        "award": nomination.award_type.name,
        "unit": nomination.unit.name,
        "issuer": decision.issuer,
        "issuer_heading": _issuer_heading(decision.issuer),
        "place": _place(decision.issuer),
        "date_line": long_date(decision.signed_on),
        "amount": money(certificate.amount),
        "achievements": nomination.achievements,
        "period_year": nomination.period_year,
        "verify_url": url,
        "qr": qr_data_uri(url),
        "fonts": _fonts(),
        "signer_name": decision.signer.get_full_name() or decision.signer.username,
        "signer_title": _signer_title(decision),
    }
    return _pdf("documents/certificate.html", context)


def decision_docx_bytes(decision):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    context = decision_context(decision)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run(context["issuer_heading"]).bold = True
    left.add_paragraph(f"Số: {decision.number}")
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    right.add_paragraph().add_run("Độc lập - Tự do - Hạnh phúc").bold = True
    right.add_paragraph().add_run(f"{context['place']}, {context['date_line']}").italic = True

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("QUYẾT ĐỊNH").bold = True
    subtitle = doc.add_paragraph(decision.title)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    authority = doc.add_paragraph()
    authority.alignment = WD_ALIGN_PARAGRAPH.CENTER
    authority.add_run(context["authority"]).bold = True
    doc.add_paragraph("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;").runs[0].italic = True
    if decision.legal_basis:
        doc.add_paragraph(f"Căn cứ {decision.legal_basis.code} {decision.legal_basis.title};").runs[
            0
        ].italic = True
    doc.add_paragraph("Theo đề nghị của Trưởng ban Thi đua – Khen thưởng.").runs[0].italic = True
    decides = doc.add_paragraph()
    decides.alignment = WD_ALIGN_PARAGRAPH.CENTER
    decides.add_run("QUYẾT ĐỊNH:").bold = True
    doc.add_paragraph(
        f"Điều 1. Tặng {', '.join(context['awards'])} cho {context['count']} cá nhân, tập thể "
        f"(có danh sách kèm theo) đã có thành tích xuất sắc."
    )
    doc.add_paragraph(
        f"Điều 2. Tổng số tiền thưởng: {context['total']} đồng, chi từ Quỹ thi đua, khen thưởng."
    )
    doc.add_paragraph(
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Các cơ quan, đơn vị và cá nhân có tên tại "
        "Điều 1 chịu trách nhiệm thi hành Quyết định này."
    )
    signature = doc.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run(context["signer_title"]).bold = True
    signature.add_run("\n\n\n" + context["signer_name"]).bold = True

    doc.add_page_break()
    annex = doc.add_paragraph()
    annex.alignment = WD_ALIGN_PARAGRAPH.CENTER
    annex.add_run("DANH SÁCH KHEN THƯỞNG").bold = True
    note = doc.add_paragraph(f"(Kèm theo Quyết định số {decision.number} {context['date_line']})")
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells,
        ["STT", "Họ tên / Tên tập thể", "Đơn vị", "Hình thức", "Số tiền (đồng)", "Số hiệu"],
        strict=True,
    ):
        cell.paragraphs[0].add_run(label).bold = True
    for row in context["rows"]:
        cells = table.add_row().cells
        values = [str(row["index"]), row["name"], row["unit"], row["award"], row["amount"], row["serial"]]
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    total = table.add_row().cells
    total[1].paragraphs[0].add_run("Tổng cộng").bold = True
    total[4].paragraphs[0].add_run(context["total"]).bold = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


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


def _attach(model, pk, field, name, data, audit):
    """Store the file and set the field once; return True if this call stored it."""
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=pk)
        if getattr(row, field):
            return False  # another delivery stored it first
        stored = _store(name, data)
        model.objects.filter(pk=pk).update(**{field: stored})
        event_record(
            action="document.generate", data={"field": field, "file": stored, "bytes": len(data)}, **audit
        )
    return True


def _decision_name(decision, ext):
    return f"decisions/{decision.year}/quyet-dinh-{decision.pk}-{slugify(fold(decision.number))}.{ext}"


def _certificate_name(certificate):
    return f"certificates/{certificate.decision.year}/{slugify(fold(certificate.serial))}.pdf"


def decision_documents_render(decision_id):
    """Render what is missing of a decision's documents; return the names of the files stored now."""
    decision = (
        Decision.objects.select_related("issuer", "signer", "legal_basis").filter(pk=decision_id).first()
    )
    if decision is None:
        return []
    missing_certs = list(
        decision.certificates.filter(pdf="").select_related(
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
        if _attach(Decision, decision.pk, "pdf", name, decision_pdf_bytes(decision), audit):
            stored.append(name)
    if not decision.docx:
        name = _decision_name(decision, "docx")
        if _attach(Decision, decision.pk, "docx", name, decision_docx_bytes(decision), audit):
            stored.append(name)
    for certificate in missing_certs:
        name = _certificate_name(certificate)
        cert_audit = {
            "obj": certificate,
            "chain": f"decision:{decision.pk}",
            "unit_code": decision.issuer.code,
            "nomination_id": certificate.nomination_id,
        }
        if _attach(Certificate, certificate.pk, "pdf", name, certificate_pdf_bytes(certificate), cert_audit):
            stored.append(name)
    return stored


def decisions_missing_documents(signed_before):
    """Ids of decisions signed before `signed_before` that still lack a document (a lost or failed render)."""
    return list(
        Decision.objects.filter(signed_at__lt=signed_before)
        .filter(Q(pdf="") | Q(docx="") | Q(certificates__pdf=""))
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


def _download(*, actor, obj, field_file, filename, kind, nomination_id=None):
    if not field_file:
        raise Http404("Tài liệu đang được tạo, vui lòng thử lại sau.")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:  # lost from storage: a 404 like any other missing file, not a server error
        raise Http404
    read_record(actor, obj, nomination_id, "download", data={"kind": kind, "file": field_file.name})
    return Download(handle=handle, filename=filename, content_type=CONTENT_TYPES[kind])


def statistical_form_pdf_bytes(context):
    """Render a statistical form (web.reports builds its rows) as an A4 landscape PDF with the project's fonts."""
    return _pdf("documents/statistical_form.html", {**context, "fonts": _fonts()})
