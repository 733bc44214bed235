from django.contrib import admin

from audit.admin_mixins import AuditedAdminMixin
from workflows.models import CalendarException, DeadlineRule


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["route", "step", "working_days"]
    list_filter = ["route"]
    list_editable = ["working_days"]


@admin.register(CalendarException)
class CalendarExceptionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["day", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"
