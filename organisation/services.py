"""Writes about who holds which role where. Each records its audit event in its transaction."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from organisation.models import Membership, Role, Unit
from organisation.policy import forget_scope, group_for, membership_sync
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


def user_by_username(username):
    return get_user_model().objects.filter(username=username).first()


def unit_by_code(code):
    return Unit.objects.filter(code=code).first()
