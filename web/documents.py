"""Downloads of a decision's documents, permission-checked and audited; anyone else gets 404, never a hint."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from approvals.documents import can_download_certificate, can_download_decision
from approvals.models import Certificate, Decision
from audit.services import event_record
from organisation.text import fold

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _send(request, *, field_file, filename, kind, obj, decision, nomination_id=None):
    if not field_file:
        raise Http404("Tài liệu đang được tạo, vui lòng thử lại sau.")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404
    event_record(
        action="document.download",
        actor=request.user,
        obj=obj,
        chain=f"decision:{decision.pk}",
        nomination_id=nomination_id,
        unit_code=decision.issuer.code,
        data={"kind": kind, "file": field_file.name},
    )
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[kind])


def _decision_for(request, pk):
    decision = Decision.objects.select_related("issuer").filter(pk=pk).first()
    if decision is None or not can_download_decision(request.user, decision):
        raise Http404
    return decision


@login_required
@require_GET
def decision_pdf(request, pk):
    decision = _decision_for(request, pk)
    return _send(
        request,
        field_file=decision.pdf,
        filename=f"quyet-dinh-{slugify(fold(decision.number))}.pdf",
        kind="pdf",
        obj=decision,
        decision=decision,
    )


@login_required
@require_GET
def decision_docx(request, pk):
    decision = _decision_for(request, pk)
    return _send(
        request,
        field_file=decision.docx,
        filename=f"quyet-dinh-{slugify(fold(decision.number))}.docx",
        kind="docx",
        obj=decision,
        decision=decision,
    )


@login_required
@require_GET
def certificate_pdf(request, pk):
    certificate = Certificate.objects.select_related("decision__issuer", "nomination").filter(pk=pk).first()
    if certificate is None or not can_download_certificate(request.user, certificate):
        raise Http404
    return _send(
        request,
        field_file=certificate.pdf,
        filename=f"bang-khen-{slugify(fold(certificate.serial))}.pdf",
        kind="pdf",
        obj=certificate,
        decision=certificate.decision,
        nomination_id=certificate.nomination_id,
    )
