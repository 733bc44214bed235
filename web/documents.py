"""Downloads of a decision's documents: `approvals.documents` checks who may and records the read (as the API
does); anyone else gets 404, never a hint."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from approvals.documents import (
    DocumentPending,
    certificate_download,
    certificate_print_download,
    decision_document_download,
)


def _attachment(download):
    return FileResponse(
        download.handle, as_attachment=True, filename=download.filename, content_type=download.content_type
    )


def _pending_page(view):
    """While the worker renders: a page saying so (202, refreshing itself) instead of a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DocumentPending:
            return render(request, "documents/pending.html", status=202)

    return wrapper


@login_required
@require_GET
@_pending_page
def decision_pdf(request, pk):
    return _attachment(decision_document_download(actor=request.user, decision_id=pk, kind="pdf"))


@login_required
@require_GET
@_pending_page
def decision_docx(request, pk):
    return _attachment(decision_document_download(actor=request.user, decision_id=pk, kind="docx"))


@login_required
@require_GET
@_pending_page
def certificate_pdf(request, pk):
    return _attachment(certificate_download(actor=request.user, certificate_id=pk))


@login_required
@require_GET
def certificate_print(request, pk):
    """The certificate's variable fields only, placed for printing on the official blank (phôi)."""
    response = HttpResponse(
        certificate_print_download(actor=request.user, certificate_id=pk), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="in-phoi-{pk}.pdf"'
    return response
