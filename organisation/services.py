"""Writes about who holds which role where. Each records its audit event in its transaction."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from organisation.models import Delegation, Membership, Role, Unit
from organisation.policy import can_manage_delegation, forget_scope, group_for, membership_sync


@transaction.atomic
def membership_grant(*, user, unit, role, granted_by=None):
    """Give `user` the role at `unit` (idempotent) and put them in the unit-role group."""
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ: %(role)s") % {"role": role}})
    membership = Membership.objects.active().filter(user=user, unit=unit, role=role).first()
    if membership is not None:
        return membership, False
    membership = Membership.objects.create(user=user, unit=unit, role=role, granted_by=granted_by)
    with membership_sync():
        user.groups.add(group_for(unit, role))
    if role == Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    forget_scope(user)
    event_record(
        action="membership.grant",
        actor=granted_by,
        obj=membership,
        chain="permissions",
        unit_code=unit.code,
        data={"user": user.username, "role": role, "unit": unit.code},
    )
    return membership, True


@transaction.atomic
def membership_revoke(*, user, unit, role, revoked_by=None):
    """End the role at once: the membership is closed and the user leaves the unit-role group."""
    memberships = list(Membership.objects.active().filter(user=user, unit=unit, role=role))
    if not memberships:
        return 0
    now = timezone.now()
    for membership in memberships:
        membership.revoked_at = now
        membership.save(update_fields=["revoked_at"])
        event_record(
            action="membership.revoke",
            actor=revoked_by,
            obj=membership,
            chain="permissions",
            unit_code=unit.code,
            data={"user": user.username, "role": role, "unit": unit.code},
        )
    with membership_sync():
        user.groups.remove(group_for(unit, role))
    forget_scope(user)
    return len(memberships)


@transaction.atomic
def delegation_grant(
    *,
    actor,
    delegator,
    delegate,
    unit,
    role,
    valid_from,
    valid_to,
    reason,
    delegator_title="",
    delegate_title="",
):
    """Let `delegate` act as `delegator` in `role` at `unit` from `valid_from` to `valid_to` (both included).

    The substitute gets no group and no guardian row: the policy reads the delegation on the day it checks.
    """
    if not can_manage_delegation(actor, delegator=delegator, unit=unit):
        raise PermissionDenied
    errors = {}
    if role not in Role.values or role == Role.ADMIN:
        errors["role"] = _("Vai trò này không được ủy quyền.")
    elif not Membership.objects.active().filter(user=delegator, unit=unit, role=role).exists():
        errors["delegator"] = _("Người ủy quyền không giữ vai trò “%(role)s” tại %(unit)s.") % {
            "role": Role(role).label,
            "unit": unit.name,
        }
    if delegate is None or not delegate.is_active:
        errors["delegate"] = _("Người được ủy quyền không tồn tại hoặc đã bị khóa.")
    elif delegate.pk == delegator.pk:
        errors["delegate"] = _("Không thể tự ủy quyền cho chính mình.")
    if valid_from is None:
        errors["valid_from"] = _("Vui lòng nhập ngày bắt đầu.")
    if valid_to is None:
        errors["valid_to"] = _("Vui lòng nhập ngày kết thúc.")
    elif valid_from is not None and valid_to < valid_from:
        errors["valid_to"] = _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")
    elif valid_to < timezone.localdate():
        errors["valid_to"] = _("Ngày kết thúc đã qua.")
    if not (reason or "").strip():
        errors["reason"] = _("Vui lòng nêu lý do hoặc văn bản ủy quyền.")
    if not unit.is_active:
        errors["unit"] = _("Đơn vị đã ngừng hoạt động.")
    if errors:
        raise ValidationError(errors)
    delegation = Delegation.objects.create(
        unit=unit,
        role=role,
        delegator=delegator,
        delegate=delegate,
        delegator_title=delegator_title.strip(),
        delegate_title=delegate_title.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        reason=reason.strip(),
        created_by=actor,
    )
    forget_scope(delegate)
    event_record(
        action="delegation.grant",
        actor=actor,
        on_behalf_of=delegator if actor.pk != delegator.pk else None,
        obj=delegation,
        chain="permissions",
        unit_code=unit.code,
        reason=delegation.reason,
        data={
            "delegator": delegator.username,
            "delegate": delegate.username,
            "role": role,
            "unit": unit.code,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat(),
        },
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor, delegation):
    """End a delegation before its date (idempotent)."""
    delegation = (
        Delegation.objects.select_for_update()
        .select_related("unit", "delegator", "delegate")
        .get(pk=delegation.pk)
    )
    if not can_manage_delegation(actor, delegator=delegation.delegator, unit=delegation.unit):
        raise PermissionDenied
    if delegation.revoked_at is not None:
        return delegation
    delegation.revoked_at, delegation.revoked_by = timezone.now(), actor
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    forget_scope(delegation.delegate)
    event_record(
        action="delegation.revoke",
        actor=actor,
        obj=delegation,
        chain="permissions",
        unit_code=delegation.unit.code,
        data={"delegator": delegation.delegator.username, "delegate": delegation.delegate.username},
    )
    return delegation


def user_by_username(username):
    return get_user_model().objects.filter(username=username).first()


def unit_by_code(code):
    return Unit.objects.filter(code=code).first()
