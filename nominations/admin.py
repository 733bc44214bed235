"""Admin of the award catalogue (versioned award types, movements, legal bases, base salaries) and a read-only,
scoped view of nominations: nominations move only through the workflow services."""

from datetime import timedelta

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin, audit_admin_change, snapshot
from nominations.models import (
    AwardType,
    BaseSalary,
    CashRate,
    CashRounding,
    ContentArea,
    DossierRequirement,
    LegalBasis,
    Movement,
    Nomination,
)
from nominations.selectors import nominations_search, nominations_visible_to


class ContentAreaInline(admin.TabularInline):
    model = ContentArea
    fk_name = "movement"
    fields = ["code", "name", "parent", "order"]
    extra = 0


@admin.register(Movement)
class MovementAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "start_year", "end_year"]
    search_fields = ["code", "name"]
    inlines = [ContentAreaInline]


@admin.register(AwardType)
class AwardTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """One row per version. A version already used by nominations is frozen except its end date: to change the
    rules, use the action "Tạo phiên bản mới" (a copy in force from tomorrow; the old one closes today) and edit
    the copy. Nominations keep the version they were filed under."""

    list_display = ["code", "name", "kind", "deciding_tier", "effective_from", "effective_to", "legal_basis"]
    list_filter = ["kind", "deciding_tier"]
    search_fields = ["code", "name"]
    ordering = ["code", "-effective_from"]
    save_as = True
    actions = ["new_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pk and obj.nominations.exists():
            return [f.name for f in AwardType._meta.concrete_fields if f.name not in ("id", "effective_to")]
        return []

    @admin.action(description=_("Tạo phiên bản mới (hiệu lực từ ngày mai)"), permissions=["add"])
    def new_version(self, request, queryset):
        tomorrow = timezone.localdate() + timedelta(days=1)
        created = []
        with transaction.atomic():
            for old in queryset.select_for_update():
                if old.effective_from >= tomorrow or (old.effective_to and old.effective_to < tomorrow):
                    messages.error(
                        request,
                        _("“%(name)s” (từ %(day)s) không còn hiệu lực đến ngày mai.")
                        % {"name": old.name, "day": old.effective_from.strftime("%d/%m/%Y")},
                    )
                    continue
                before = snapshot(old)
                new = AwardType.objects.get(pk=old.pk)
                new.pk = None
                new.effective_from, new.effective_to = tomorrow, old.effective_to
                new.save()
                audit_admin_change(request=request, instance=new, before={}, action="admin.add")
                old.effective_to = tomorrow - timedelta(days=1)
                old.save(update_fields=["effective_to"])
                audit_admin_change(request=request, instance=old, before=before, action="admin.change")
                created.append(new)
        if created:
            messages.success(
                request,
                _("Đã tạo %(count)s phiên bản mới; hãy sửa nội dung phiên bản mới.")
                % {"count": len(created)},
            )

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.nominations.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(LegalBasis)
class LegalBasisAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "effective_from", "effective_to"]
    search_fields = ["code", "title"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["amount", "effective_from", "legal_basis"]


@admin.register(DossierRequirement)
class DossierRequirementAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The documents each award's dossier must hold; a change of law is a new row (close the old one with its end
    date) so dossiers received earlier are judged by the rows then in force."""

    list_display = [
        "kind",
        "award_code",
        "route",
        "form_name",
        "effective_from",
        "effective_to",
        "legal_basis",
    ]
    list_filter = ["kind", "route", "award_code"]
    search_fields = ["award_code", "legal_basis", "form_name"]


@admin.register(CashRate)
class CashRateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "award_code",
        "subject_type",
        "multiplier",
        "fixed_amount",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["subject_type", "award_code"]
    search_fields = ["award_code", "legal_basis"]


@admin.register(CashRounding)
class CashRoundingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["step", "effective_from", "legal_basis"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only and scoped: a non-superuser sees exactly `nominations_visible_to(user)`. The nominee's citizen ID
    and discipline status are not shown here (they have their own permission, see nominations.selectors)."""

    list_display = ["id", "nominee", "award_type", "unit", "status", "current_unit", "due_on", "created_at"]
    list_filter = ["status", "route"]
    search_fields = ["nominee__name_folded"]
    list_select_related = ["nominee", "award_type", "unit", "current_unit"]
    fields = [
        "route",
        "nominee",
        "unit",
        "award_type",
        "movement",
        "period_year",
        "achievements",
        "status",
        "deciding_unit",
        "current_unit",
        "current_step",
        "due_on",
        "received_on",
        "legal_basis",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request):
        return nominations_visible_to(request.user).select_related(*self.list_select_related)

    def get_search_results(self, request, queryset, search_term):
        return nominations_search(queryset, search_term), False

    def has_view_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return nominations_visible_to(request.user).filter(pk=obj.pk).exists()
        return super().has_view_permission(request, obj)

    @admin.display(description=_("đối tượng"))
    def nominee_name(self, obj):
        return obj.nominee.full_name
