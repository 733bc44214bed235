"""Nomination view grants as the flow leaves them when a task opens (organisation.policy.nomination_view_grant)."""

from django.contrib.auth.models import Group
from guardian.models import GroupObjectPermission

from nominations.models import NominationGroupObjectPermission
from nominations.permissions import nomination_view_grant
from organisation.models import Tier, Unit
from organisation.policy import group_name
from tests.factories import file_nomination


def _grants(nomination, unit, roles):
    groups = Group.objects.filter(name__in=[group_name(unit, role) for role in roles])
    return set(
        NominationGroupObjectPermission.objects.filter(
            content_object=nomination, group__in=groups
        ).values_list("group__name", "permission__codename")
    )


def test_view_grant_creates_missing_groups_with_their_unit_permissions(people):
    nomination = file_nomination(people.clerk)
    unit = Unit.objects.create(
        code="BT.NEW", name="Huyện mới", tier=Tier.DISTRICT, parent=Unit.objects.get(code="BT")
    )
    nomination_view_grant(nomination, unit, ["reviewer", "council_member"])
    assert _grants(nomination, unit, ["reviewer", "council_member"]) == {
        ("unit:BT.NEW:reviewer", "view_nomination"),
        ("unit:BT.NEW:council_member", "view_nomination"),
    }
    unit_perms = set(
        GroupObjectPermission.objects.filter(group__name="unit:BT.NEW:reviewer").values_list(
            "permission__codename", flat=True
        )
    )
    assert unit_perms == {"review_nomination", "appraise_nomination"}


def test_view_grant_is_idempotent_and_adds_only_what_is_missing(people):
    nomination = file_nomination(people.clerk)
    province = Unit.objects.get(code="BT")
    nomination_view_grant(nomination, province, ["reviewer"])
    nomination_view_grant(nomination, province, ["approver", "reviewer"])
    assert NominationGroupObjectPermission.objects.filter(content_object=nomination).count() == 2
    assert _grants(nomination, province, ["approver", "reviewer"]) == {
        ("unit:BT:reviewer", "view_nomination"),
        ("unit:BT:approver", "view_nomination"),
    }
