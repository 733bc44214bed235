"""Admin of deadline rules and the calendar: every write audited."""

import pytest
from django.urls import reverse

from audit.models import Event
from tests.admin_support import signed_in_admin
from workflows.models import DeadlineRule


@pytest.fixture
def admin_client(client, people):
    return signed_in_admin(client, people)


def test_adding_and_deleting_a_deadline_rule_are_audited(admin_client):
    url = reverse("admin:workflows_deadlinerule_add")
    response = admin_client.post(url, {"route": "standard", "step": "hop_hoi_dong", "working_days": "7"})
    assert response.status_code == 302
    rule = DeadlineRule.objects.get(route="standard", step="hop_hoi_dong")
    added = Event.objects.get(
        action="admin.add", object_type="workflows.deadlinerule", object_id=str(rule.pk)
    )
    assert added.data["changes"]["working_days"] == [None, 7]
    delete_url = reverse("admin:workflows_deadlinerule_delete", args=[rule.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    deleted = Event.objects.get(action="admin.delete", object_id=str(rule.pk))
    assert deleted.data["before"]["working_days"] == 7
