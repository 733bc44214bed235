"""`GET /api/v1/audit/verify/`: inspectors only; a tampered event is reported, not hidden."""

import pytest

from audit import triggers
from audit.models import Event
from tests.factories import file_nomination


def test_inspector_sees_intact_chains(people, as_user):
    file_nomination(people.clerk)
    response = as_user(people.inspector).get("/api/v1/audit/verify/")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "events_checked": Event.objects.count(), "first_break": None}


@pytest.mark.parametrize(
    "who",
    ["clerk", "head", "district_reviewer", "province_reviewer", "secretary", "chairman", "admin", "outsider"],
)
def test_only_inspectors_may_verify(people, as_user, who):
    assert as_user(getattr(people, who)).get("/api/v1/audit/verify/").status_code == 403


def test_edited_event_is_the_first_break(people, as_user):
    nomination = file_nomination(people.clerk)
    victim = Event.objects.filter(nomination_id=nomination.pk).order_by("seq")[1]
    with triggers.disabled():
        Event.objects.filter(pk=victim.pk).update(reason="sửa lén")
    body = as_user(people.inspector).get("/api/v1/audit/verify/").json()
    assert body["ok"] is False
    assert body["first_break"]["chain"] == victim.chain and body["first_break"]["seq"] == victim.seq


def test_deleted_event_is_reported(people, as_user):
    nomination = file_nomination(people.clerk)
    middle = Event.objects.filter(nomination_id=nomination.pk).order_by("seq")[1]
    with triggers.disabled():
        Event.objects.filter(pk=middle.pk).delete()
    body = as_user(people.inspector).get("/api/v1/audit/verify/").json()
    assert body["ok"] is False and body["first_break"]["chain"] == middle.chain
