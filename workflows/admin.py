import json

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdminMixin
from nominations.models import Route
from nominations.process import Step
from workflows.flows import task_steps
from workflows.models import CalendarException, DeadlineRule, Reorganisation, SeparationRule
from workflows.reorganisation import REPORT_LABELS, reorganisation_apply, reorganisation_preview


class DeadlineRuleForm(forms.ModelForm):
    """Refuse a rule for a step the route's flow does not have: it would never apply."""

    class Meta:
        model = DeadlineRule
        fields = ["route", "step", "working_days"]

    def clean(self):
        cleaned = super().clean()
        route, step = cleaned.get("route"), cleaned.get("step")
        if route and step and step not in task_steps(route):
            self.add_error(
                "step",
                _("Tuyến “%(route)s” không có bước “%(step)s”.")
                % {"route": Route(route).label, "step": Step(step).label},
            )
        return cleaned


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = DeadlineRuleForm
    list_display = ["route", "step", "working_days"]
    list_filter = ["route"]
    list_editable = ["working_days"]


@admin.register(CalendarException)
class CalendarExceptionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["day", "is_working_day", "note", "source"]
    list_filter = ["is_working_day"]
    search_fields = ["note", "source"]
    date_hierarchy = "day"


@admin.register(SeparationRule)
class SeparationRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The four-eyes pairs: untick a pair to let one person act at both of its steps."""

    list_display = ["first_step", "second_step", "is_enforced", "note"]
    list_filter = ["is_enforced", "first_step"]
    list_editable = ["is_enforced", "note"]


class ReorganisationPlanForm(forms.Form):
    plan = forms.CharField(label=_("Phương án (JSON)"), widget=forms.Textarea)

    def clean_plan(self):
        try:
            return json.loads(self.cleaned_data["plan"])
        except ValueError:
            raise ValidationError(_("Phương án không phải JSON hợp lệ.")) from None


@admin.register(Reorganisation)
class ReorganisationAdmin(admin.ModelAdmin):
    """The runs of reorganisation plans (read-only); new ones are previewed and applied on the preview page."""

    list_display = ["code", "effective_on", "status", "applied_by", "applied_at"]
    readonly_fields = [
        "code",
        "effective_on",
        "reason",
        "plan",
        "status",
        "report",
        "applied_by",
        "applied_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.preview_view)
        return [path("preview/", view, name="workflows_reorganisation_preview"), *super().get_urls()]

    def preview_view(self, request):
        """Preview a plan (nothing changes), then apply exactly what was listed."""
        if not (request.user.is_superuser or self.has_change_permission(request)):
            raise PermissionDenied
        form = ReorganisationPlanForm(request.POST or None)
        report, applied, errors = None, False, {}
        if request.method == "POST" and form.is_valid():
            try:
                if "apply" in request.POST:
                    report, applied = (
                        reorganisation_apply(plan=form.cleaned_data["plan"], actor=request.user),
                        True,
                    )
                else:
                    report = reorganisation_preview(plan=form.cleaned_data["plan"], actor=request.user)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"plan": exc.messages}
        sections = (
            [{"label": label, "rows": report[key]} for key, label in REPORT_LABELS.items()]
            if report
            else None
        )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "report": sections,
            "applied": applied,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/workflows/reorganisation/preview.html", context)
