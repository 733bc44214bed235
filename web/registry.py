"""The registry pages: a person's page (history with sources, discipline), back-filling history one entry at a
time or from an Excel file (template, preview, load), and the province reviewer's possible duplicates."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nominations.history import (
    XLSX,
    award_codes,
    history_add,
    history_import_load,
    history_import_preview,
    history_import_units,
    history_revoke,
    template_workbook,
)
from nominations.registry import discipline_record, duplicate_dismiss, person_merge
from nominations.selectors import (
    can_edit_registry_record,
    duplicate_flags_for,
    get_person_for_user,
    person_history,
)
from nominations.uploads import HELD_IMPORTS
from organisation.policy import scope_of
from web import forms

PENDING_KEY = "history_import_pending"


@login_required
def person_detail(request, pk):
    person = get_person_for_user(request.user, pk)
    editable = can_edit_registry_record(request.user, person)
    posted = request.POST.get("form") if request.method == "POST" else None
    entry_form = forms.HistoryEntryForm(
        request.POST if posted == "history" else None, award_codes=award_codes()
    )
    discipline_form = forms.DisciplineForm(request.POST if posted == "discipline" else None)
    revoke_form = forms.HistoryRevokeForm(request.POST if posted == "revoke" else None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = {"history": entry_form, "discipline": discipline_form, "revoke": revoke_form}.get(posted)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if form is entry_form:
                    history_add(actor=request.user, person=person, **data)
                elif form is discipline_form:
                    discipline_record(actor=request.user, person=person, **data)
                else:
                    entry = get_object_or_404(person_history(person), pk=data["entry"])
                    history_revoke(actor=request.user, entry=entry, reason=data["reason"])
            except ValidationError as exc:
                forms.errors_from_service(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận."))
                return redirect("registry:person", pk=person.pk)
    context = {
        "person": person,
        "names": person.names.all(),
        "history": person_history(person),
        "discipline": person.discipline.all() if editable else None,
        "editable": editable,
        "entry_form": entry_form,
        "discipline_form": discipline_form,
        "revoke_form": revoke_form,
    }
    return render(
        request, "registry/person_detail.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def history_template(request):
    if not history_import_units(request.user):
        raise PermissionDenied
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-lich-su-khen-thuong.xlsx"'
    return response


@login_required
def history_import(request):
    """Upload → preview (every row's errors, nothing written) → load all, or only the valid rows if accepted."""
    units = history_import_units(request.user)
    if not units:
        raise PermissionDenied
    form = forms.HistoryImportForm(request.POST or None, request.FILES or None, units=units)
    preview = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            preview, sha256, name = history_import_preview(
                actor=request.user, unit=form.cleaned_data["unit"], uploaded=uploaded
            )
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            uploaded.seek(0)
            path = default_storage.save(f"{HELD_IMPORTS[0]}/{sha256}.xlsx", ContentFile(uploaded.read()))
            request.session[PENDING_KEY] = {
                "path": path,
                "sha256": sha256,
                "name": name,
                "unit": form.cleaned_data["unit"].pk,
            }
    return render(request, "registry/history_import.html", {"form": form, "preview": preview})


@login_required
@require_POST
def history_import_confirm(request):
    pending = request.session.get(PENDING_KEY)
    if not pending:
        raise Http404
    unit = get_object_or_404(history_import_units(request.user), pk=pending["unit"])
    with default_storage.open(pending["path"], "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != pending["sha256"]:
        raise Http404
    uploaded = ContentFile(content, name=pending["name"])
    try:
        batch = history_import_load(
            actor=request.user,
            unit=unit,
            uploaded=uploaded,
            valid_rows_only=request.POST.get("valid_rows_only") == "1",
        )
    except ValidationError as exc:
        forms.messages_from_service(request, exc)
        return redirect("registry:history_import")
    request.session.pop(PENDING_KEY, None)
    default_storage.delete(pending["path"])
    messages.success(
        request,
        _("Đã nhập %(loaded)s/%(total)s dòng lịch sử khen thưởng.")
        % {"loaded": batch.rows_loaded, "total": batch.rows_total},
    )
    return redirect("registry:history_import")


@login_required
def duplicate_list(request):
    flags = duplicate_flags_for(request.user)
    if not scope_of(request.user).units("appraise_nomination"):
        raise PermissionDenied
    return render(request, "registry/duplicate_list.html", {"flags": flags})


@login_required
@require_POST
def duplicate_resolve(request, pk):
    flag = get_object_or_404(duplicate_flags_for(request.user), pk=pk)
    form = forms.DuplicateResolveForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["action"] == "merge":
                person_merge(actor=request.user, flag=flag, keep=flag.candidate)
            else:
                duplicate_dismiss(actor=request.user, flag=flag)
        except ValidationError as exc:
            forms.messages_from_service(request, exc)
        else:
            messages.success(request, _("Đã xử lý trường hợp nghi trùng."))
    return redirect("registry:duplicates")
