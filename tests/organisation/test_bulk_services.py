"""The bulk membership service leaves what the one-by-one services leave, for the same changes in the same order."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from guardian.models import GroupObjectPermission

from api.tokens import token_issue
from audit.models import Event
from audit.verify import chain_verify
from organisation.models import Membership
from organisation.services import membership_grant, membership_revoke, memberships_change_bulk
from tests.factories import unit

CHANGES = [
    ("grant", "outsider", "BT.MCN", "reviewer"),  # new
    ("grant", "district_reviewer", "BT.MCN", "reviewer"),  # held already: nothing
    ("revoke", "district_reviewer", "BT.MCN", "reviewer"),  # ends the reviewer's API token too
    ("grant", "outsider", "BT.BATRI.TANXUAN", "admin"),  # a group not made yet; the user becomes staff
    ("revoke", "outsider", "BT.MCN", "reviewer"),  # granted above, in the same call
    ("revoke", "clerk", "BT.MCB", "unit_clerk"),  # not held: nothing
    ("grant", "outsider", "BT.MCN", "reviewer"),  # granted again after its revocation
]


def _apply(changes, actor, bulk):
    users = {user.username: user for user in get_user_model().objects.all()}
    changes = [(kind, users[name], unit(code), role) for kind, name, code, role in changes]
    if bulk:
        memberships_change_bulk(changes=changes, actor=actor)
        return
    for kind, user, at, role in changes:
        if kind == "grant":
            membership_grant(user=user, unit=at, role=role, granted_by=actor)
        else:
            membership_revoke(user=user, unit=at, role=role, revoked_by=actor)


def _rows(since):
    User = get_user_model()
    names = dict(User.objects.values_list("pk", "username"))
    return {
        "memberships": sorted(
            (names[user_id], code, role, revoked is not None, names.get(by))
            for user_id, code, role, revoked, by in Membership.objects.values_list(
                "user_id", "unit__code", "role", "revoked_at", "granted_by_id"
            )
        ),
        "members": sorted(User.groups.through.objects.values_list("user__username", "group__name")),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "group_perms": sorted(
            GroupObjectPermission.objects.values_list("group__name", "permission__codename", "object_pk")
        ),
        "staff": sorted(User.objects.filter(is_staff=True).values_list("username", flat=True)),
        "tokens": sorted(
            User.objects.filter(auth_token_set__isnull=False).values_list("username", flat=True)
        ),
        "events": [
            (event.chain, event.action, event.unit_code, event.actor_name, event.data)
            for event in Event.objects.filter(pk__gt=since).order_by("chain", "seq")
        ],
    }


def _since():
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_bulk_changes_leave_what_the_services_leave_one_by_one(people):
    token_issue(user=people.district_reviewer)
    with transaction.atomic():
        since = _since()
        _apply(CHANGES, people.admin, bulk=False)
        one_by_one = _rows(since)
        transaction.set_rollback(True)
    since = _since()
    _apply(CHANGES, people.admin, bulk=True)
    assert _rows(since) == one_by_one
    assert ("outsider", "BT.MCN", "reviewer", False, "admin") in one_by_one["memberships"]
    assert "outsider" in one_by_one["staff"] and "district_reviewer" not in one_by_one["tokens"]
    assert chain_verify().ok
