"""Repeated failed logins lock the account with a Vietnamese page, and the lockout is audited."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from audit.models import Event


def test_repeated_failed_logins_lock_out_with_a_vietnamese_page(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "clerk", "password": "sai-mat-khau"})
    assert response.status_code == 429
    assert "Tài khoản tạm khóa" in response.content.decode()
    assert Event.objects.filter(action="security.lockout").exists()
    assert Event.objects.filter(action="security.login_failed").count() >= 3


def _fail(client, username, address="10.0.0.1", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": "sai-mat-khau"}, REMOTE_ADDR=address, **extra
    )


def test_failures_on_other_usernames_from_one_address_do_not_lock_out_a_user(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for username in ("khong-ton-tai-1", "khong-ton-tai-2", "khong-ton-tai-3", "khong-ton-tai-4"):
        _fail(client, username)
    response = client.post(
        reverse("login"), {"username": "clerk", "password": "Demo@2026"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


def test_a_username_is_locked_out_from_every_address(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        response = _fail(client, "clerk", address)
    assert response.status_code == 429


def test_success_resets_only_the_user_who_logged_in(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    _fail(client, "clerk")
    _fail(client, "clerk")
    client.post(reverse("login"), {"username": "inspector", "password": "Demo@2026"}, REMOTE_ADDR="10.0.0.1")
    client.logout()
    assert _fail(client, "clerk").status_code == 429


def test_failures_during_lockout_do_not_restart_the_cool_off(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _fail(client, "clerk")
    attempt = AccessAttempt.objects.get(username="clerk")
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=attempt.attempt_time - timedelta(minutes=50)
    )
    assert _fail(client, "clerk").status_code == 429
    attempt.refresh_from_db()
    assert attempt.failures_since_start == 3
    assert timezone.now() - attempt.attempt_time > timedelta(minutes=49)


def test_lockout_counts_the_client_behind_the_trusted_proxy(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        _fail(client, "clerk", "10.0.0.254", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    attempt = AccessAttempt.objects.get(username="clerk")
    assert attempt.ip_address == "203.0.113.7"
    lockout = Event.objects.get(action="security.lockout")
    assert lockout.ip == "203.0.113.7" and lockout.data["ip"] == "203.0.113.7"
