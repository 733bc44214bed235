"""Admin of the unit tree, roles and councils. Roles are granted and revoked only through the services, so the
unit-role groups and their guardian permissions never drift from the memberships."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdminMixin
from audit.services import chain_for, event_record
from organisation.models import ClusterMember, Council, CouncilMember, Delegation, Membership, Unit
from organisation.policy import scoped_permission_q
from organisation.services import delegation_grant, delegation_revoke, membership_grant, membership_revoke

User = get_user_model()

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
        membership, created = membership_grant(
            user=obj.user, unit=obj.unit, role=obj.role, granted_by=request.user
        )
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


class CouncilMemberInline(admin.TabularInline):
    """The council's seats: who sits in it, in which position, from when to when (each change audited). A member
    who leaves gets an end date rather than a deletion, so past meetings keep their attendance."""

    model = CouncilMember
    fields = ["user", "position", "title", "valid_from", "valid_to"]
    autocomplete_fields = ["user"]
    extra = 0


class DelegationGrantForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = [
            "unit",
            "role",
            "delegator",
            "delegator_title",
            "delegate",
            "delegate_title",
            "valid_from",
            "valid_to",
            "reason",
        ]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """Ủy quyền: recorded through `delegation_grant` (checks and audit), ended early through `delegation_revoke`;
    a delegation is never edited or deleted."""

    list_display = ["delegate", "role", "unit", "delegator", "valid_from", "valid_to", "revoked_at"]
    list_filter = ["role", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["delegate__username", "delegator__username", "unit__code", "unit__name"]
    autocomplete_fields = ["unit", "delegator", "delegate"]
    list_select_related = ["unit", "delegator", "delegate"]
    actions = ["revoke_selected"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = DelegationGrantForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*DelegationGrantForm.Meta.fields, "created_by", "created_at", "revoked_at", "revoked_by"]
        return []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        fields = {name: getattr(obj, name) for name in DelegationGrantForm.Meta.fields}
        try:
            delegation = delegation_grant(actor=request.user, **fields)
        except ValidationError as exc:  # checked again in the service; shown rather than a 500
            messages.error(request, " ".join(exc.messages))
            return
        obj.pk, obj.created_at, obj.created_by = delegation.pk, delegation.created_at, delegation.created_by
        obj._state.adding = False

    @admin.action(description=_("Chấm dứt các ủy quyền đã chọn"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        for delegation in queryset.filter(revoked_at__isnull=True):
            delegation_revoke(actor=request.user, delegation=delegation)
        messages.success(request, _("Đã chấm dứt các ủy quyền đã chọn."))


@admin.register(ClusterMember)
class ClusterMemberAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The units seated in each emulation cluster (cụm, khối thi đua), as the province's yearly decision sets them."""

    list_display = ["cluster", "unit", "valid_from", "valid_to", "is_head"]
    list_filter = ["cluster"]
    autocomplete_fields = ["cluster", "unit"]


@admin.register(Council)
class CouncilAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "unit",
        "kind",
        "term",
        "members_configured",
        "valid_from",
        "valid_to",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "unit__code", "unit__name"]
    autocomplete_fields = ["unit"]
    inlines = [CouncilMemberInline]

    @admin.display(description=_("Số thành viên hiện có"))
    def members_configured(self, obj):
        return obj.size_on()


class MembershipInline(admin.TabularInline):
    """A user's roles, shown on the user page; granted and revoked in the Membership admin only."""

    model = Membership
    fk_name = "user"
    fields = ["role", "unit", "granted_at", "granted_by", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _unscoped_permissions():
    return Permission.objects.exclude(scoped_permission_q()).select_related("content_type")


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PolicyUserAdmin(AuditedAdminMixin, UserAdmin):
    """Django's user admin without the two back doors around the policy: unit-role groups (roles are memberships)
    and global grants of scoped permissions are not offered; every change is audited."""

    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Thông tin cá nhân"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Quyền hệ thống"), {"fields": ["is_active", "is_staff", "is_superuser", "user_permissions"]}),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined"]}),
    ]
    list_filter = ["is_staff", "is_superuser", "is_active"]

    def user_change_password(self, request, id, form_url=""):
        """The password form bypasses save_model: record that it changed (never the value), same transaction."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                event_record(
                    action="admin.password_change",
                    actor=request.user,
                    obj=User.objects.get(pk=id),
                    chain=chain_for(user_id=int(id)),
                )
        return response

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "user_permissions":
            kwargs["queryset"] = _unscoped_permissions()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PolicyGroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "permissions"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        if name.startswith("unit:"):
            raise ValidationError(_("Tên nhóm bắt đầu bằng “unit:” dành cho phân quyền theo đơn vị."))
        return name


@admin.register(Group)
class PolicyGroupAdmin(AuditedAdminMixin, GroupAdmin):
    """Only groups outside the policy: the unit-role groups ("unit:<code>:<role>") are managed by memberships."""

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(name__startswith="unit:")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "permissions":
            kwargs["queryset"] = _unscoped_permissions()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    form = PolicyGroupForm
