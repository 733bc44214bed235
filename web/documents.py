"""Downloads of a decision's documents: `approvals.documents` checks who may and records the read (as the API
does); anyone else gets 404, never a hint."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_GET

from approvals.documents import certificate_download, decision_document_download


def _attachment(download):
    return FileResponse(
        download.handle, as_attachment=True, filename=download.filename, content_type=download.content_type
    )


@login_required
@require_GET
def decision_pdf(request, pk):
    return _attachment(decision_document_download(actor=request.user, decision_id=pk, kind="pdf"))


@login_required
@require_GET
def decision_docx(request, pk):
    return _attachment(decision_document_download(actor=request.user, decision_id=pk, kind="docx"))


@login_required
@require_GET
def certificate_pdf(request, pk):
    return _attachment(certificate_download(actor=request.user, certificate_id=pk))
