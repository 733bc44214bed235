from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import ReadOnlyAdminMixin
from audit.models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail is append-only: shown, never added, changed or deleted through the admin."""

    list_display = [
        "at",
        "action",
        "actor_name",
        "role",
        "unit_code",
        "object_type",
        "object_id",
        "nomination_id",
        "channel",
    ]
    list_filter = ["channel", "action"]
    search_fields = ["action", "actor_name", "unit_code", "object_id", "chain"]
    date_hierarchy = "at"
    ordering = ["-id"]
    show_full_result_count = False  # COUNT(*) over millions of events on every page is wasted work
    readonly_fields = [field.name for field in Event._meta.fields]
    actions = None

    @admin.display(description=_("chuỗi"))
    def chain_position(self, obj):
        return f"{obj.chain}#{obj.seq}"
