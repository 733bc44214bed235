"""Admin of the unit tree, roles and councils. Roles are granted and revoked only through the services, so the
unit-role groups and their guardian permissions never drift from the memberships."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from approvals.models import Council, Membership, Unit
from approvals.services import membership_grant, membership_revoke
from audit.admin_mixins import AuditedAdminMixin

admin.site.site_header = _("Quản trị hệ thống Thi đua – Khen thưởng")
admin.site.site_title = _("Thi đua – Khen thưởng")
admin.site.index_title = _("Danh mục và phân quyền")


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "tier", "parent", "issuer_symbol", "valid_from", "valid_to"]
    list_filter = ["tier"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


class MembershipGrantForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "unit", "role"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Granting here calls `membership_grant`, revoking calls `membership_revoke` (both write their own audit
    event); a membership is never edited or deleted, so the history of who held which role stays."""

    list_display = ["user", "role", "unit", "granted_at", "granted_by", "revoked_at"]
    list_filter = ["role", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__last_name", "unit__code", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit", "granted_by"]
    actions = ["revoke_selected"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = MembershipGrantForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["user", "unit", "role", "granted_at", "granted_by", "revoked_at"]
        return []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "unit", "role"]
        return self.get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:  # nothing is editable on an existing membership
            return
        try:
            membership, created = membership_grant(
                user=obj.user, unit=obj.unit, role=obj.role, granted_by=request.user
            )
        except ValidationError as exc:
            raise ValidationError(exc.messages)
        obj.pk, obj.granted_at, obj.granted_by = membership.pk, membership.granted_at, membership.granted_by
        obj._state.adding = False
        if not created:
            messages.warning(request, _("Người dùng đã có vai trò này tại đơn vị; không cấp thêm."))

    @admin.action(description=_("Thu hồi các phân quyền đã chọn"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        count = 0
        for membership in queryset.active().select_related("user", "unit"):
            count += membership_revoke(
                user=membership.user, unit=membership.unit, role=membership.role, revoked_by=request.user
            )
        messages.success(request, _("Đã thu hồi %(count)s phân quyền.") % {"count": count})


@admin.register(Council)
class CouncilAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "members_total", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "unit__code", "unit__name"]
    autocomplete_fields = ["unit"]
