"""Filing: create and edit a nomination, its dossier files, a list of nominations from a file, submitting a
unit's drafts."""

import hashlib
import os
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from approvals.submission_documents import submission_document_download
from audit.services import event_record
from nominations.lists import award_codes, list_check, template_workbook
from nominations.models import AwardType
from nominations.selectors import (
    get_dossier_file_for_user,
    get_nomination_for_user,
    get_submission_for_user,
    nominations_visible_to,
)
from nominations.services import (
    award_types_for,
    dossier_file_add,
    filing_dossier_kind,
    nomination_update,
    nominations_to_copy,
    pending_upload_attach,
    pending_upload_get,
    pending_upload_keep,
    submission_scan_attach,
)
from nominations.uploads import HELD_IMPORTS
from organisation.models import Unit
from organisation.policy import scope_of
from web import forms
from web.params import id_or_none, posted_ids
from web.review import detail_context
from workflows import batch
from workflows import services as workflow_services
from workflows.lists import nomination_list_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_PENDING_KEY = "nomination_list_pending"


def _filing_units(user):
    return Unit.objects.filter(pk__in=scope_of(user).units("file_nomination")).order_by("code")


@login_required
def nomination_create(request):
    units = _filing_units(request.user)
    if not units:
        raise PermissionDenied
    unit = units[0]
    chosen = request.POST.get("unit") or request.GET.get("unit")
    chosen = id_or_none(chosen)
    if chosen:
        unit = next((u for u in units if u.pk == chosen), unit)
    # The fast track (khen thưởng đột xuất) offers only the award types allowed on it; its dossier is the tờ trình.
    route = (
        "fast_track"
        if (request.POST.get("route") or request.GET.get("route")) == "fast_track"
        else "standard"
    )
    dossier_kind = filing_dossier_kind(route)
    initial = {"unit": unit.pk}
    # "Lưu và lập tiếp" comes back here with the award and the year of the one just saved.
    for name in ("award_type", "period_year"):
        if value := id_or_none(request.GET.get(name)):
            initial[name] = value
    form = forms.NominationForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        award_types=award_types_for(unit, fast_track=route == "fast_track"),
        dossier_kind=dossier_kind,
        initial=initial,
    )
    if route == "fast_track":
        # The service requires the day of the feat on this route; the form marks the field and says so first.
        form.fields["event_on"].required = True
        form.fields["event_on"].error_messages["required"] = _("Vui lòng nhập ngày lập thành tích đột xuất.")
        form.fields["unit"].widget.attrs["onchange"] = (
            "window.location.search = '?route=fast_track&unit=' + this.value"
        )
    # A file sent with an earlier, refused post of this form, held for this user (nominations.PendingUpload).
    pending = pending_upload_get(actor=request.user, token=request.POST.get("pending_file"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                nomination = workflow_services.nomination_file(
                    actor=request.user,
                    unit=data["unit"],
                    award_type=data["award_type"],
                    nominee_data=form.nominee_data(),
                    period_year=data["period_year"],
                    achievements=data["achievements"],
                    movement=data["movement"],
                    content_areas=list(data["content_areas"]),
                    route=route,
                    event_on=data.get("event_on"),
                    members=data["members"],
                )
                if data.get("file"):
                    dossier_file_add(
                        actor=request.user,
                        nomination=nomination,
                        kind=dossier_kind,
                        uploaded=data["file"],
                    )
                elif pending is not None:
                    pending_upload_attach(
                        actor=request.user, pending=pending, nomination=nomination, kind=dossier_kind
                    )
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã lập đề nghị #%(pk)s.") % {"pk": nomination.pk})
            if "save_and_new" in request.POST:
                query = urlencode(
                    {
                        "unit": nomination.unit_id,
                        "award_type": nomination.award_type_id,
                        "period_year": nomination.period_year,
                        **({"route": route} if route != "standard" else {}),
                    }
                )
                return redirect(f"{reverse('nominations:create')}?{query}")
            return redirect("nominations:detail", pk=nomination.pk)
    if request.method == "POST":
        # Refused: keep the file the user chose so the corrected post need not send it again.
        uploaded = form.cleaned_data.get("file") if hasattr(form, "cleaned_data") else None
        if uploaded:
            try:
                pending = pending_upload_keep(actor=request.user, uploaded=uploaded)
            except ValidationError:
                pending = None
    context = {"form": form, "unit": unit, "route": route, "pending": pending}
    if route == "standard":
        year = int(initial.get("period_year") or timezone.localdate().year)
        context["copy_year"] = year
        context["copy_count"] = len(nominations_to_copy(unit=unit, year=year))
    return render(request, "nominations/nomination_form.html", context)


@login_required
@require_POST
def nomination_copy_last_year(request):
    """Draft again this year the unit's regular nominations of last year (to be reviewed and updated)."""
    units = _filing_units(request.user)
    unit = next((u for u in units if u.pk == id_or_none(request.POST.get("unit"))), None)
    if unit is None:
        raise PermissionDenied
    year = id_or_none(request.POST.get("year")) or timezone.localdate().year
    created, skipped = workflow_services.nominations_copy_last_year(actor=request.user, unit=unit, year=year)
    messages.success(
        request,
        _("Đã chép %(n)s đề nghị của năm %(from)s thành dự thảo năm %(year)s; vui lòng cập nhật thành tích.")
        % {"n": len(created), "from": year - 1, "year": year},
    )
    for old, reasons in skipped:
        messages.warning(
            request,
            _("Không chép được đề nghị #%(pk)s (%(name)s): %(reasons)s")
            % {"pk": old.pk, "name": old.nominee.full_name, "reasons": " ".join(reasons)},
        )
    return redirect("nominations:home")


@login_required
def nomination_edit(request, pk):
    nomination = get_nomination_for_user(request.user, pk, "edit")
    nominee = nomination.nominee
    initial = {
        "full_name": nominee.full_name,
        "gender": nominee.gender,
        "birth_year": nominee.birth_year,
        "position": nominee.position,
        "period_year": nomination.period_year,
        "achievements": nomination.achievements,
    }
    form = forms.NominationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination_update(
                actor=request.user,
                nomination=nomination,
                achievements=data["achievements"],
                period_year=data["period_year"],
                nominee_data={k: data[k] for k in ("full_name", "gender", "birth_year", "position")},
            )
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("nominations:detail", pk=nomination.pk)
    return render(request, "nominations/nomination_edit.html", {"form": form, "nomination": nomination})


@login_required
@require_POST
def dossier_upload(request, pk):
    nomination = get_nomination_for_user(request.user, pk, "edit")
    form = forms.DossierUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            dossier_file_add(
                actor=request.user,
                nomination=nomination,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã tải lên tài liệu."))
            return redirect(reverse("nominations:detail", args=[pk]) + "#ho-so")
    return render(
        request,
        "nominations/nomination_detail.html",
        detail_context(request, nomination, {"upload": form}),
        status=400,
    )


@login_required
def dossier_download(request, pk, file_pk):
    """Serve a dossier file to whoever may read the nomination, and record the read."""
    dossier_file = get_dossier_file_for_user(request.user, file_pk)
    if dossier_file.nomination_id != pk:  # another nomination's file under this one's URL
        raise Http404
    nomination = dossier_file.nomination
    try:
        handle = dossier_file.file.open("rb")
    except FileNotFoundError:  # lost from storage: a 404 like any other missing file, not a server error
        raise Http404
    with transaction.atomic():
        event_record(
            action="dossier.download",
            actor=request.user,
            obj=dossier_file,
            nomination_id=nomination.pk,
            unit_code=nomination.unit.code,
            data={"name": dossier_file.original_name},
        )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=dossier_file.original_name,
        content_type=dossier_file.content_type,
    )


@login_required
@require_POST
def submit_selected(request):
    """The unit head submits the chosen drafts of one unit under one cover submission."""
    if not scope_of(request.user).units("submit_nomination"):
        raise PermissionDenied
    ids = posted_ids(request.POST.getlist("nomination"))
    chosen = list(
        nominations_visible_to(request.user).filter(pk__in=ids).select_related("unit", "award_type")
    )
    form = forms.SubmitSelectedForm(request.POST)
    if not chosen:
        messages.error(request, _("Chọn ít nhất một đề nghị để trình."))
        return redirect("nominations:home")
    units = {n.unit_id for n in chosen}
    if len(units) != 1:
        messages.error(request, _("Một tờ trình chỉ gồm đề nghị của cùng một đơn vị."))
        return redirect("nominations:home")
    number = form.cleaned_data["number"] if form.is_valid() else ""
    try:
        submission = batch.submission_create(
            actor=request.user, unit=chosen[0].unit, nominations=chosen, number=number
        )
    except ValidationError as exc:
        forms.messages_from_service(request, exc)
    else:
        messages.success(
            request,
            _("Đã trình %(n)s đề nghị (tờ trình %(number)s).")
            % {"n": len(chosen), "number": submission.number or f"#{submission.pk}"},
        )
    return redirect("nominations:home")


@login_required
def list_template(request):
    """The list template of one award type (Excel, with the drop-down lists)."""
    if not _filing_units(request.user):
        raise PermissionDenied
    form = forms.ListTemplateForm(request.GET, award_codes=award_codes())
    if not form.is_valid():
        raise Http404
    award_type = AwardType.version_on(form.cleaned_data["award"])
    response = HttpResponse(template_workbook(award_type), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="danh-sach-de-nghi-{award_type.code}.xlsx"'
    return response


@login_required
def list_import(request):
    """Upload → preview (every row checked, its errors by column, nothing filed) → file the list."""
    units = _filing_units(request.user)
    if not units:
        raise PermissionDenied
    form = forms.NominationListForm(request.POST or None, request.FILES or None, units=units)
    report = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            report = list_check(actor=request.user, unit=form.cleaned_data["unit"], uploaded=uploaded)
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            uploaded.seek(0)
            ext = os.path.splitext(report.name)[1].lower()
            path = default_storage.save(
                f"{HELD_IMPORTS[1]}/{report.sha256}{ext}", ContentFile(uploaded.read())
            )
            request.session[LIST_PENDING_KEY] = {
                "path": path,
                "sha256": report.sha256,
                "name": report.name,
                "unit": form.cleaned_data["unit"].pk,
            }
    context = {
        "form": form,
        "report": report,
        "template_form": forms.ListTemplateForm(award_codes=award_codes()),
    }
    return render(request, "nominations/list_import.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def list_import_confirm(request):
    pending = request.session.get(LIST_PENDING_KEY)
    if not pending:
        raise Http404
    unit = get_object_or_404(_filing_units(request.user), pk=pending["unit"])
    with default_storage.open(pending["path"], "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != pending["sha256"]:
        raise Http404
    try:
        batch, created = nomination_list_import(
            actor=request.user,
            unit=unit,
            uploaded=ContentFile(content, name=pending["name"]),
            valid_rows_only=request.POST.get("valid_rows_only") == "1",
        )
    except ValidationError as exc:
        forms.messages_from_service(request, exc)
        return redirect("nominations:list_import")
    request.session.pop(LIST_PENDING_KEY, None)
    default_storage.delete(pending["path"])
    if created:
        messages.success(
            request,
            _("Đã lập %(loaded)s/%(total)s đề nghị dự thảo từ danh sách (tờ trình #%(submission)s).")
            % {"loaded": batch.rows_loaded, "total": batch.rows_total, "submission": batch.submission_id},
        )
    else:
        messages.info(
            request,
            _("Tệp này đã được nhập ngày %(day)s; không lập thêm đề nghị nào.")
            % {"day": timezone.localtime(batch.created_at).strftime("%d/%m/%Y")},
        )
    return redirect("nominations:home")


@login_required
@require_GET
def submission_document(request, pk, kind):
    """The tờ trình with its danh sách trích ngang, drafted as PDF or .docx, or the signed scan."""
    download = submission_document_download(actor=request.user, submission_id=pk, kind=kind)
    return FileResponse(
        download.handle, as_attachment=True, filename=download.filename, content_type=download.content_type
    )


@login_required
@require_POST
def submission_scan_upload(request, pk):
    """The unit's head uploads the signed tờ trình; back to the nomination the form was on."""
    submission = get_submission_for_user(request.user, pk, "edit")
    form = forms.SubmissionScanForm(request.POST, request.FILES)
    back = id_or_none(request.POST.get("nomination"))
    if form.is_valid():
        try:
            submission_scan_attach(
                actor=request.user, submission=submission, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            forms.messages_from_service(request, exc)
        else:
            messages.success(request, _("Đã tải lên bản ký của tờ trình."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    if back and submission.nominations.filter(pk=back).exists():
        return redirect(reverse("nominations:detail", args=[back]) + "#to-trinh")
    return redirect("nominations:home")
