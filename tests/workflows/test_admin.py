"""Admin of deadline rules and the calendar: every write audited, and no rule for a step the route lacks."""

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
    response = admin_client.post(url, {"route": "standard", "step": "tally_vote", "working_days": "7"})
    assert response.status_code == 302
    rule = DeadlineRule.objects.get(route="standard", step="tally_vote")
    added = Event.objects.get(
        action="admin.add", object_type="workflows.deadlinerule", object_id=str(rule.pk)
    )
    assert added.data["changes"]["working_days"] == [None, 7]
    delete_url = reverse("admin:workflows_deadlinerule_delete", args=[rule.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    deleted = Event.objects.get(action="admin.delete", object_id=str(rule.pk))
    assert deleted.data["before"]["working_days"] == 7


def test_deadline_rule_for_a_step_no_flow_has_is_refused(admin_client):
    url = reverse("admin:workflows_deadlinerule_add")
    response = admin_client.post(url, {"route": "standard", "step": "hop_hoi_dong", "working_days": "7"})
    assert response.status_code == 200
    assert "step" in response.context["adminform"].form.errors
    assert not DeadlineRule.objects.exists()
    assert not Event.objects.filter(action="admin.add", object_type="workflows.deadlinerule").exists()


def test_deadline_rule_for_a_step_the_route_lacks_is_refused(admin_client):
    url = reverse("admin:workflows_deadlinerule_add")
    # The fast track goes straight to the deciding unit: it has no review tier.
    response = admin_client.post(url, {"route": "fast_track", "step": "review", "working_days": "3"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["step"]
    assert errors == ["Tuyến “Đột xuất” không có bước “Xét duyệt”."]
    assert not DeadlineRule.objects.exists()


def test_deadline_rule_for_an_unknown_route_is_refused(admin_client):
    url = reverse("admin:workflows_deadlinerule_add")
    response = admin_client.post(url, {"route": "khac", "step": "review", "working_days": "3"})
    assert response.status_code == 200
    assert "route" in response.context["adminform"].form.errors
    assert not DeadlineRule.objects.exists()
