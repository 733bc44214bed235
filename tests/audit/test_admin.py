"""The audit trail in the admin: read-only, and every admin save commits with its event or not at all."""

import pytest
from django.contrib import admin
from django.urls import reverse

from audit.models import Event
from organisation.models import Unit
from tests.admin_support import change_url, form_data, signed_in_admin


@pytest.fixture
def admin_client(client, people):
    return signed_in_admin(client, people)


def test_audit_events_are_read_only_in_the_admin(admin_client, people):
    event = Event.objects.first()
    assert admin_client.get(reverse("admin:audit_event_add")).status_code == 403
    response = admin_client.post(change_url(event), {"action": "forged"})
    assert response.status_code == 403
    assert (
        admin_client.post(reverse("admin:audit_event_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.action != "forged"
    assert admin_client.get(change_url(event)).status_code == 200  # viewing is fine


def test_an_admin_save_and_its_audit_event_commit_or_roll_back_together(admin_client, monkeypatch):
    unit = Unit.objects.get(code="BT.MCN.DINHTHUY")
    data = form_data(admin_client, change_url(unit))
    data["short_name"] = "Không được lưu"

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("audit.admin_mixins.event_record", broken)
    with pytest.raises(RuntimeError):
        admin_client.post(change_url(unit), data)
    unit.refresh_from_db()
    assert unit.short_name == ""


def test_every_registered_model_has_a_working_changelist(admin_client):
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url
