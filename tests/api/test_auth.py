"""Token endpoint, authentication, the caller's roles, and the language of errors."""

import pytest
from rest_framework.test import APIClient

from audit.models import Event
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
]


def test_token_is_issued_once_and_every_sign_in_is_audited_from_the_api(people):
    client = APIClient()
    first = client.post("/api/v1/auth/token/", {"username": "clerk", "password": "Demo@2026"}, format="json")
    again = client.post("/api/v1/auth/token/", {"username": "clerk", "password": "Demo@2026"}, format="json")
    assert first.status_code == again.status_code == 200
    assert first.json()["token"] == again.json()["token"]
    issued = Event.objects.filter(action="security.token_issued", actor=people.clerk).order_by("id")
    assert [e.data["created"] for e in issued] == [True, False]
    assert {e.channel for e in issued} == {"api"} and issued[0].ip == "127.0.0.1"
    me = client_for(None)
    me.credentials(HTTP_AUTHORIZATION=f"Token {first.json()['token']}")
    assert me.get("/api/v1/me/").json()["username"] == "clerk"


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
