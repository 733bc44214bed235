"""Repeated failed logins lock the account with a Vietnamese page, and the lockout is audited."""

from django.urls import reverse

from audit.models import Event


def test_repeated_failed_logins_lock_out_with_a_vietnamese_page(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(reverse("login"), {"username": "clerk", "password": "sai-mat-khau"})
    assert response.status_code == 429
    assert "Tài khoản tạm khóa" in response.content.decode()
    assert Event.objects.filter(action="security.lockout").exists()
    assert Event.objects.filter(action="security.login_failed").count() >= 3
