"""grant_role / revoke_role: idempotent, clear errors with a non-zero exit, users created when missing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import Event
from organisation.models import Membership
from organisation.policy import scope_of


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def run_cli(capsys, monkeypatch, *args):
    """Run as `manage.py ...` does: errors become a message on stderr and exit status 1."""
    from django.core.management import ManagementUtility
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's connection (PostgreSQL)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", *args]).execute()
    return exit_info.value.code, capsys.readouterr().err


def fresh(username):
    return get_user_model().objects.get(username=username)


def test_grant_role_creates_the_user_and_grants_the_role(people):
    out = run("grant_role", "new_reviewer", "reviewer", "BT.BATRI", "--full-name", "Phan Thanh Giản")
    assert "granted (new user)" in out
    user = fresh("new_reviewer")
    assert not user.has_usable_password() and (user.first_name, user.last_name) == ("Phan Thanh", "Giản")
    unit_id = Membership.objects.active().get(user=user).unit_id
    assert scope_of(user).can("review_nomination", unit_id)
    assert (
        Event.objects.filter(action="membership.grant", data__user="new_reviewer", channel="cli").count() == 1
    )


def test_grant_role_is_idempotent(people):
    run("grant_role", "new_reviewer", "reviewer", "BT.BATRI")
    out = run("grant_role", "new_reviewer", "reviewer", "BT.BATRI")
    assert "already held" in out and "new user" not in out
    assert Membership.objects.active().filter(user__username="new_reviewer").count() == 1
    assert fresh("new_reviewer").groups.count() == 1
    assert Event.objects.filter(action="membership.grant", data__user="new_reviewer").count() == 1


def test_grant_role_sets_a_password_when_asked(people):
    run("grant_role", "clerk2", "unit_clerk", "BT.MCN.DINHTHUY", "--password", "Mat-khau-2026")
    assert fresh("clerk2").check_password("Mat-khau-2026")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["grant_role", "someone", "king", "BT"], "Unknown role 'king'"),
        (["grant_role", "someone", "reviewer", "NO.SUCH.UNIT"], "Unknown unit code 'NO.SUCH.UNIT'"),
        (["revoke_role", "someone", "king", "BT"], "Unknown role 'king'"),
        (["revoke_role", "clerk", "unit_clerk", "NO.SUCH.UNIT"], "Unknown unit code 'NO.SUCH.UNIT'"),
        (["revoke_role", "nobody_here", "reviewer", "BT"], "Unknown user 'nobody_here'"),
    ],
)
def test_bad_input_exits_non_zero_with_a_clear_message(people, capsys, monkeypatch, args, message):
    code, err = run_cli(capsys, monkeypatch, *args)
    assert code == 1 and message in err
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not get_user_model().objects.filter(username="someone").exists()


def test_revoke_role_ends_access_and_is_idempotent(people):
    assert "revoked" in run("revoke_role", "district_reviewer", "reviewer", "BT.MCN")
    user = fresh("district_reviewer")
    assert scope_of(user).units("review_nomination") == set()
    assert not user.groups.filter(name="unit:BT.MCN:reviewer").exists()
    assert "was not held" in run("revoke_role", "district_reviewer", "reviewer", "BT.MCN")
    assert Event.objects.filter(action="membership.revoke", data__user="district_reviewer").count() == 1
    # The history stays: the membership is closed, not deleted.
    assert Membership.objects.filter(user=user, revoked_at__isnull=False).count() == 1


def test_revoking_one_role_keeps_the_others(people):
    run("grant_role", "district_reviewer", "reviewer", "BT.BATRI")
    run("revoke_role", "district_reviewer", "reviewer", "BT.MCN")
    scope = scope_of(fresh("district_reviewer"))
    assert scope.units("review_nomination") == {
        Membership.objects.active().get(user__username="district_reviewer").unit_id
    }
