"""Substitutes (ủy quyền): a holder lets a named person act in their role for a date range, checked at the time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission

from audit.models import Event
from nominations.selectors import nominations_visible_to
from organisation.policy import forget_scope, scope_of
from organisation.services import delegation_grant, delegation_revoke, membership_revoke
from tests.api.helpers import at_step
from tests.factories import unit
from workflows.selectors import inbox_for
from workflows.services import decision_sign

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def vice(db):
    return get_user_model().objects.create_user("vice_chairman", first_name="Lê Văn", last_name="Phó")


def delegate_signing(people, vice, days=0, **extra):
    today = timezone.localdate()
    return delegation_grant(
        actor=people.chairman,
        delegator=people.chairman,
        delegate=vice,
        unit=unit("BT"),
        role="approver",
        valid_from=today,
        valid_to=today + timedelta(days=days),
        reason="Chủ tịch đi công tác (Quyết định phân công số 12/QĐ-UBND).",
        delegator_title="Chủ tịch",
        delegate_title="Phó Chủ tịch",
        **extra,
    )


def fresh(user):
    user = get_user_model().objects.get(pk=user.pk)
    forget_scope(user)
    return user


def test_delegated_vice_chairman_signs_for_the_chairman_and_loses_access_the_day_after(
    people, vice, time_machine
):
    time_machine.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=HCM), tick=False)
    nomination, _ = at_step(people, "sign")
    second, _ = at_step(people, "sign", full_name="Trần Văn Bình")
    delegate_signing(people, vice)
    assert [row.nomination_id for row in inbox_for(fresh(vice))] == [nomination.pk, second.pk]
    decision = decision_sign(actor=fresh(vice), nominations=[nomination])
    assert decision.signer == vice  # as themself; the KT. block comes from their signer capacity
    event = Event.objects.get(action="decision.sign", object_id=str(decision.pk))
    assert event.actor_id == vice.pk and event.on_behalf_of_id == people.chairman.pk
    assert event.data["acting_for"] == "chairman"
    task_event = Event.objects.get(action="task.sign", nomination_id=nomination.pk)
    assert task_event.on_behalf_of_id == people.chairman.pk
    # Nothing was granted in guardian or in groups: the access is the delegation's, read on the day.
    assert not vice.groups.exists() and not UserObjectPermission.objects.filter(user=vice).exists()
    time_machine.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=HCM), tick=False)
    vice = fresh(vice)
    assert not scope_of(vice).can("sign_decision", unit("BT").pk)
    assert list(inbox_for(vice)) == []
    assert not nominations_visible_to(vice).filter(pk=second.pk).exists()
    with pytest.raises(PermissionDenied):
        decision_sign(actor=vice, nominations=[second])


def test_substitute_reads_the_nominations_of_the_role_while_in_force(people, vice):
    nomination, _ = at_step(people, "sign")
    assert not nominations_visible_to(fresh(vice)).filter(pk=nomination.pk).exists()
    delegate_signing(people, vice)
    assert nominations_visible_to(fresh(vice)).filter(pk=nomination.pk).exists()
    assert not GroupObjectPermission.objects.filter(group__user=vice).exists()


def test_delegation_lapses_when_the_delegator_loses_the_role(people, vice):
    delegate_signing(people, vice, days=30)
    assert scope_of(fresh(vice)).can("sign_decision", unit("BT").pk)
    membership_revoke(user=people.chairman, unit=unit("BT"), role="approver")
    assert not scope_of(fresh(vice)).can("sign_decision", unit("BT").pk)


def test_revoked_delegation_ends_at_once_and_is_audited(people, vice):
    delegation = delegate_signing(people, vice, days=30)
    delegation_revoke(actor=people.chairman, delegation=delegation)
    assert not scope_of(fresh(vice)).can("sign_decision", unit("BT").pk)
    assert Event.objects.filter(action="delegation.revoke", object_id=str(delegation.pk)).exists()
    grant = Event.objects.get(action="delegation.grant", object_id=str(delegation.pk))
    assert grant.data["delegate"] == "vice_chairman" and grant.actor_id == people.chairman.pk


@pytest.mark.parametrize("who", ["outsider", "province_reviewer", "district_chairman"])
def test_only_the_holder_or_an_administrator_delegates(people, vice, who):
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        delegation_grant(
            actor=getattr(people, who),
            delegator=people.chairman,
            delegate=vice,
            unit=unit("BT"),
            role="approver",
            valid_from=today,
            valid_to=today,
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        delegation_revoke(actor=getattr(people, who), delegation=delegate_signing(people, vice))


def test_bad_delegations_get_field_errors(people, vice):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        delegation_grant(
            actor=people.chairman,
            delegator=people.chairman,
            delegate=people.chairman,
            unit=unit("BT"),
            role="reviewer",
            valid_from=today,
            valid_to=today - timedelta(days=1),
            reason=" ",
        )
    errors = refused.value.message_dict
    assert set(errors) == {"delegator", "delegate", "valid_to", "reason"}


def test_scope_rows_read_by_the_statement_compiled_once_match_the_orm_query(people, vice, time_machine):
    """UserScope._rows runs `_rows_query`'s SQL compiled once per process: the same rows as the ORM union, for a
    holder, a substitute (in force, then the day after) and a user with no role; its groups come with them."""
    from organisation.policy import _rows_query

    time_machine.move_to(datetime(2026, 12, 1, 9, 0, tzinfo=HCM), tick=False)
    delegate_signing(people, vice)

    def both(user, day):
        compiled = sorted(scope_of(fresh(user))._rows, key=repr)
        return compiled, sorted(map(tuple, _rows_query(user.pk, day)), key=repr)

    today = timezone.localdate()
    for user in (people.chairman, vice, people.clerk, people.outsider):
        compiled, orm = both(user, today)
        assert compiled == orm
    compiled, _ = both(vice, today)
    assert {row[0] for row in compiled} == {"delegated"}  # the substitute holds no role of their own
    assert scope_of(fresh(vice)).group_ids == [row[4] for row in compiled]
    assert sorted(scope_of(fresh(people.clerk)).group_ids) == sorted(
        fresh(people.clerk).groups.values_list("id", flat=True)
    )
    time_machine.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=HCM), tick=False)
    compiled, orm = both(vice, timezone.localdate())
    assert compiled == orm == []
