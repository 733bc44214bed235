"""Token endpoint, authentication, the caller's roles, and the language of errors."""

import io
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from audit.models import Event
from organisation.models import Membership
from organisation.services import membership_revoke
from tests.api.conftest import client_for

PROTECTED = [
    ("get", "/api/v1/me/"),
    ("get", "/api/v1/units/"),
    ("get", "/api/v1/award-types/"),
    ("get", "/api/v1/movements/"),
    ("get", "/api/v1/nominations/"),
    ("post", "/api/v1/nominations/"),
    ("get", "/api/v1/nominations/1/"),
    ("post", "/api/v1/nominations/1/attachments/"),
    ("post", "/api/v1/nominations/1/submit/"),
    ("get", "/api/v1/nominations/1/audit/"),
    ("get", "/api/v1/tasks/"),
    ("post", "/api/v1/tasks/1/complete/"),
    ("post", "/api/v1/decisions/"),
    ("get", "/api/v1/decisions/1/"),
    ("get", "/api/v1/audit/verify/"),
    ("post", "/api/v1/auth/logout/"),
    ("post", "/api/v1/auth/logout-all/"),
]


def _sign_in(username="clerk", **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": "Demo@2026", **extra}, format="json"
    )


def _with_token(token):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_each_sign_in_gets_its_own_expiring_token_and_is_audited_from_the_api(people):
    first = _sign_in(client="hệ thống A")
    again = _sign_in(client="hệ thống B")
    assert first.status_code == again.status_code == 200
    assert first.json()["token"] != again.json()["token"]
    expiry = datetime.fromisoformat(first.json()["expiry"])
    assert timedelta(hours=9, minutes=59) < expiry - timezone.now() <= timedelta(hours=10)
    issued = Event.objects.filter(action="security.token_issued", actor=people.clerk).order_by("id")
    assert [e.data["client"] for e in issued] == ["hệ thống A", "hệ thống B"]
    assert {e.channel for e in issued} == {"api"} and issued[0].ip == "127.0.0.1"
    # Only a digest is stored: the token itself is nowhere in the database.
    assert not AuthToken.objects.filter(digest=first.json()["token"]).exists()
    assert _with_token(first.json()["token"]).get("/api/v1/me/").json()["username"] == "clerk"
    assert _with_token(again.json()["token"]).get("/api/v1/me/").json()["username"] == "clerk"


def test_an_expired_token_is_refused(people, settings):
    token = _sign_in().json()["token"]
    with time_machine.travel(timezone.now() + timedelta(hours=10, minutes=1)):
        response = _with_token(token).get("/api/v1/me/")
    assert response.status_code == 401
    assert not AuthToken.objects.filter(user=people.clerk).exists()


def test_logout_ends_only_the_token_it_was_sent_with(people):
    laptop, phone = _sign_in().json()["token"], _sign_in().json()["token"]
    response = _with_token(laptop).post("/api/v1/auth/logout/")
    assert response.status_code == 200 and response.json() == {"revoked": 1}
    assert _with_token(laptop).get("/api/v1/me/").status_code == 401
    assert _with_token(phone).get("/api/v1/me/").status_code == 200
    event = Event.objects.get(action="security.token_revoked")
    assert event.actor == people.clerk and event.data["reason"] == "logout" and event.data["count"] == 1


def test_logout_all_ends_every_token_of_the_caller_only(people):
    laptop, phone = _sign_in().json()["token"], _sign_in().json()["token"]
    head = _sign_in(username="head").json()["token"]
    response = _with_token(laptop).post("/api/v1/auth/logout-all/")
    assert response.json() == {"revoked": 2}
    assert _with_token(laptop).get("/api/v1/me/").status_code == 401
    assert _with_token(phone).get("/api/v1/me/").status_code == 401
    assert _with_token(head).get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/auth/logout/", "/api/v1/auth/logout-all/"])
def test_logout_needs_a_token(db, path):
    assert APIClient().post(path).status_code == 401


def test_a_password_change_ends_the_users_tokens(people):
    token = _sign_in().json()["token"]
    head = _sign_in(username="head").json()["token"]
    people.clerk.set_password("Mới@2026-rất-dài")
    people.clerk.save()
    assert _with_token(token).get("/api/v1/me/").status_code == 401
    assert _with_token(head).get("/api/v1/me/").status_code == 200
    event = Event.objects.get(action="security.token_revoked")
    assert event.data["reason"] == "password_changed"


def test_saving_the_user_without_a_new_password_keeps_the_tokens(people):
    token = _sign_in().json()["token"]
    people.clerk.first_name = "Lan"
    people.clerk.save()
    assert _with_token(token).get("/api/v1/me/").status_code == 200
    assert not Event.objects.filter(action="security.token_revoked").exists()


def test_a_role_revocation_ends_the_users_tokens(people):
    token = _sign_in().json()["token"]
    membership = Membership.objects.active().get(user=people.clerk)
    call_command("revoke_role", "clerk", membership.role, membership.unit.code, stdout=io.StringIO())
    assert _with_token(token).get("/api/v1/me/").status_code == 401
    event = Event.objects.get(action="security.token_revoked")
    assert event.data["reason"] == "role_revoked" and event.channel == "cli"


def test_a_role_revocation_by_someone_else_records_them_as_actor(people):
    token = _sign_in().json()["token"]
    membership = Membership.objects.active().get(user=people.clerk)
    membership_revoke(user=people.clerk, unit=membership.unit, role=membership.role, revoked_by=people.admin)
    assert _with_token(token).get("/api/v1/me/").status_code == 401
    assert Event.objects.get(action="security.token_revoked").actor == people.admin


def test_a_token_header_that_is_not_utf8_is_a_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token \xe9t\xe9".encode("latin-1").decode("latin-1"))
    assert client.get("/api/v1/me/").status_code == 401


def test_wrong_password_is_a_field_error_in_vietnamese(people):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="vi").post(
        "/api/v1/auth/token/", {"username": "clerk", "password": "sai"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Tên đăng nhập hoặc mật khẩu không đúng."]}
    assert Event.objects.filter(action="security.login_failed").exists()


def test_wrong_password_in_english(people):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token/", {"username": "clerk", "password": "wrong"}, format="json"
    )
    assert response.json() == {"non_field_errors": ["Incorrect username or password."]}


def test_missing_fields_are_reported_per_field_in_both_languages(people):
    vi = APIClient(HTTP_ACCEPT_LANGUAGE="vi").post("/api/v1/auth/token/", {}, format="json")
    en = APIClient(HTTP_ACCEPT_LANGUAGE="en").post("/api/v1/auth/token/", {}, format="json")
    assert vi.status_code == en.status_code == 400
    assert vi.json() == {"username": ["Trường này là bắt buộc."], "password": ["Trường này là bắt buộc."]}
    assert en.json() == {"username": ["This field is required."], "password": ["This field is required."]}


def test_token_endpoint_is_throttled(people, settings):
    # Correct credentials, so the axes lockout (which also answers 429) plays no part.
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/auth/token/", {"username": "clerk", "password": "Demo@2026"}, format="json"
        ).status_code
        for _ in range(12)
    ]
    assert statuses == [200] * 10 + [429, 429]
    throttled = APIClient(HTTP_ACCEPT_LANGUAGE="vi").post("/api/v1/auth/token/", {}, format="json")
    assert throttled.status_code == 429 and int(throttled["Retry-After"]) > 0
    assert throttled.json()["detail"].startswith("Quá nhiều yêu cầu. Vui lòng thử lại sau ")


def test_repeated_wrong_passwords_lock_the_account_out(people):
    client = APIClient()
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": "clerk", "password": "wrong"}, format="json")
    response = client.post(
        "/api/v1/auth/token/", {"username": "clerk", "password": "Demo@2026"}, format="json"
    )
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau."
    }


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_anonymous_gets_401_everywhere(db, method, path):
    response = getattr(APIClient(HTTP_ACCEPT_LANGUAGE="vi"), method)(path, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_invalid_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/me/").status_code == 401


def test_me_lists_roles_with_unit_codes(people, as_user):
    assert as_user(people.head).get("/api/v1/me/").json()["roles"] == [
        {"role": "unit_head", "unit": "BT.MCN.DINHTHUY"}
    ]
    assert as_user(people.chairman).get("/api/v1/me/").json()["roles"] == [{"role": "approver", "unit": "BT"}]
    outsider = as_user(people.outsider).get("/api/v1/me/")
    assert outsider.status_code == 200 and outsider.json()["roles"] == []


def test_using_a_token_deletes_the_users_other_expired_tokens(people):
    _sign_in()
    with time_machine.travel(timezone.now() + timedelta(hours=10, minutes=1)):
        token = _sign_in().json()["token"]
        assert AuthToken.objects.filter(user=people.clerk).count() == 2
        assert _with_token(token).get("/api/v1/me/").status_code == 200
    assert AuthToken.objects.filter(user=people.clerk).count() == 1


@pytest.mark.postgres
def test_the_token_statement_reads_what_the_orm_query_reads(people):
    """On PostgreSQL the token lookup runs a statement written once: the same token and user values, and whether
    the user holds another expired token."""
    from api.authentication import _candidates_read
    from api.tokens import token_issue

    def fields(instance):
        return [getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields]

    expired, _ = token_issue(user=people.clerk)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    current, _ = token_issue(user=people.clerk)
    other, _ = token_issue(user=people.head)
    for token, others_expired in ((current, True), (expired, False), (other, False)):
        (read,) = _candidates_read(AuthToken, token.token_key)
        stored = AuthToken.objects.select_related("user").get(pk=token.pk)
        assert fields(read) == fields(stored) and fields(read.user) == fields(stored.user)
        assert read.others_expired is others_expired
    assert _candidates_read(AuthToken, "nosuchkey") == []
