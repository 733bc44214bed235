"""Logins, logouts and failed logins leave security events (never the password tried)."""

from django.urls import reverse

from audit.models import Event
from audit.verify import chain_verify


def test_login_logout_and_failed_login_are_recorded(client, people):
    response = client.post(reverse("login"), {"username": "inspector", "password": "sai-mat-khau"})
    assert response.status_code == 200
    failed = Event.objects.get(action="security.login_failed")
    assert failed.chain == "security" and failed.data == {"username": "inspector"}
    assert "sai-mat-khau" not in str(failed.data)
    response = client.post(
        reverse("login"),
        {"username": "inspector", "password": "Demo@2026"},
        REMOTE_ADDR="10.9.8.7",
        HTTP_USER_AGENT="Trình duyệt thử",
    )
    assert response.status_code == 302
    login = Event.objects.get(action="security.login")
    assert login.actor_id == people.inspector.pk and login.chain == f"user:{people.inspector.pk}"
    assert (login.channel, login.ip, login.user_agent) == ("web", "10.9.8.7", "Trình duyệt thử")
    client.post(reverse("logout"))
    assert Event.objects.filter(action="security.logout", actor_id=people.inspector.pk).count() == 1
    assert chain_verify().ok
