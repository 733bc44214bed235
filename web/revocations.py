"""Pages for revoking a signed award: the inspector opens a revocation, the issuing unit's signer decides it.

Thin: the forms parse input, `approvals.revocations` holds every rule and permission check.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from approvals.models import Certificate, RevocationGround
from approvals.revocations import (
    can_decide_revocation,
    revocation_decide,
    revocation_open,
    revocations_visible_to,
)
from organisation.policy import scope_of
from web.forms import errors_from_service


class RevocationOpenForm(forms.Form):
    serial = forms.CharField(label=gettext_lazy("Số hiệu bằng"), max_length=40)
    ground = forms.ChoiceField(label=gettext_lazy("Căn cứ"), choices=RevocationGround.choices)
    statement = forms.CharField(label=gettext_lazy("Nội dung, kết luận"), widget=forms.Textarea)
    evidence = forms.FileField(label=gettext_lazy("Tài liệu chứng minh"), required=False)

    def clean_serial(self):
        serial = self.cleaned_data["serial"].strip()
        self.certificate = Certificate.objects.select_related("decision").filter(serial=serial).first()
        if self.certificate is None:
            raise ValidationError(
                _("Không tìm thấy bằng, giấy khen số hiệu “%(serial)s”.") % {"serial": serial}
            )
        return serial


class RevocationDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Quyết định"),
        choices=[
            ("approve", gettext_lazy("Hủy bỏ, thu hồi khen thưởng")),
            ("dismiss", gettext_lazy("Không chấp nhận")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Ý kiến"), widget=forms.Textarea, required=False)


def _inspector_or_signer(user):
    scope = scope_of(user)
    if not (scope.is_inspector or scope.units("sign_decision")):
        raise PermissionDenied


@login_required
def revocation_list(request):
    _inspector_or_signer(request.user)
    revocations = revocations_visible_to(request.user).order_by("-opened_at")
    return render(
        request,
        "audit/revocation_list.html",
        {"revocations": revocations, "can_open": scope_of(request.user).is_inspector},
    )


@login_required
@require_http_methods(["GET", "POST"])
def revocation_open_view(request):
    if not scope_of(request.user).is_inspector:
        raise PermissionDenied
    form = RevocationOpenForm(
        request.POST or None, request.FILES or None, initial={"serial": request.GET.get("serial", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            revocation = revocation_open(
                actor=request.user,
                certificate=form.certificate,
                ground=form.cleaned_data["ground"],
                statement=form.cleaned_data["statement"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except ValidationError as exc:
            errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã mở đề nghị hủy bỏ, thu hồi khen thưởng."))
            return redirect("audit:revocation_detail", pk=revocation.pk)
    return render(request, "audit/revocation_open.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def revocation_detail(request, pk):
    _inspector_or_signer(request.user)
    revocation = get_object_or_404(revocations_visible_to(request.user), pk=pk)
    can_decide = can_decide_revocation(request.user, revocation)
    form = RevocationDecideForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                revocation_decide(
                    actor=request.user,
                    revocation=revocation,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                errors_from_service(form, exc)
            else:
                messages.success(request, _("Đã ghi nhận quyết định."))
                return redirect("audit:revocation_detail", pk=revocation.pk)
    return render(
        request,
        "audit/revocation_detail.html",
        {"revocation": revocation, "form": form, "can_decide": can_decide},
        status=400 if form.errors else 200,
    )
