"""Writes about who holds which role where. Each records its audit event in its transaction."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from organisation.models import Delegation, Membership, Role, Unit, UnitSuccession
from organisation.policy import can_manage_delegation, forget_scope, group_for, membership_sync
from organisation.signals import membership_revoked


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
    # The API ends the user's tokens here (api.receivers): a revoked role must not live on in a token.
    membership_revoked.send(sender=Membership, user=user, unit=unit, role=role, revoked_by=revoked_by)
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


# Units in a reorganisation (workflows.reorganisation drives these; each is idempotent and audited).


def unit_open(*, actor, code, name, tier, parent, valid_from, issuer_symbol="", short_name="", reason=""):
    """Open the unit `code` from `valid_from`, or return it unchanged if it is already open. Return (unit, opened)."""
    unit = Unit.objects.filter(code=code).first()
    if unit is not None:
        return unit, False
    unit = Unit.objects.create(
        code=code,
        name=name,
        tier=tier,
        parent=parent,
        valid_from=valid_from,
        issuer_symbol=issuer_symbol,
        short_name=short_name,
    )
    event_record(
        action="unit.open",
        actor=actor,
        obj=unit,
        unit_code=code,
        reason=reason,
        data={
            "name": name,
            "tier": tier,
            "parent": parent.code if parent else None,
            "valid_from": str(valid_from),
        },
    )
    return unit, True


def unit_close(*, actor, unit, last_day, reason=""):
    """Close `unit` after `last_day` (its valid_to); idempotent. Return True if it changed."""
    if unit.valid_to is not None and unit.valid_to <= last_day:
        return False
    unit.valid_to = last_day
    unit.save(update_fields=["valid_to"])
    event_record(
        action="unit.close",
        actor=actor,
        obj=unit,
        unit_code=unit.code,
        reason=reason,
        data={"valid_to": str(last_day)},
    )
    return True


def unit_reparent(*, actor, unit, parent, reason=""):
    """Put `unit` under `parent` (a unit keeps its identity and history when only its parent changes)."""
    if unit.parent_id == parent.pk:
        return False
    before = unit.parent.code if unit.parent_id else None
    unit.parent = parent
    unit.save(update_fields=["parent"])
    event_record(
        action="unit.reparent",
        actor=actor,
        obj=unit,
        unit_code=unit.code,
        reason=reason,
        data={"parent": [before, parent.code]},
    )
    return True


def succession_link(*, actor, predecessor, successor, effective_on, reorganisation, is_main=True):
    """Record that `successor` took over `predecessor`'s work from `effective_on` (idempotent). Return
    (link, created)."""
    link, created = UnitSuccession.objects.get_or_create(
        predecessor=predecessor,
        successor=successor,
        defaults={"effective_on": effective_on, "reorganisation": reorganisation, "is_main": is_main},
    )
    if created:
        event_record(
            action="unit.succession",
            actor=actor,
            obj=link,
            unit_code=successor.code,
            data={
                "predecessor": predecessor.code,
                "successor": successor.code,
                "reorganisation": reorganisation,
            },
        )
    return link, created


def user_by_username(username):
    return get_user_model().objects.filter(username=username).first()


def unit_by_code(code):
    return Unit.objects.filter(code=code).first()
