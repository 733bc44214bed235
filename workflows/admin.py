from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdminMixin
from nominations.models import Route
from nominations.process import Step
from workflows.flows import task_steps
from workflows.models import CalendarException, DeadlineRule, SeparationRule


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
