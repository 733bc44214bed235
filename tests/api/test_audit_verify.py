"""`GET /api/v1/audit/verify/`: inspectors only; a tampered event is reported, not hidden."""

import pytest

from api.verification import as_dict, verify_chains
from audit.models import ChainHead, Event
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
    Event.objects.filter(pk=victim.pk).update(reason="sửa lén")
    body = as_user(people.inspector).get("/api/v1/audit/verify/").json()
    assert body["ok"] is False
    assert body["first_break"]["chain"] == victim.chain and body["first_break"]["seq"] == victim.seq


def test_local_walk_finds_deleted_and_truncated_events(people):
    nomination = file_nomination(people.clerk)
    chain = f"nomination:{nomination.pk}"
    assert verify_chains().ok
    middle = Event.objects.filter(chain=chain).order_by("seq")[1]
    Event.objects.filter(pk=middle.pk).delete()
    result = verify_chains()
    assert not result.ok and result.first_break["problem"] == "seq_gap"
    # Restore a consistent prefix, then drop the tail: only the chain head still knows.
    Event.objects.filter(chain=chain, seq__gt=middle.seq).delete()
    assert verify_chains().first_break["problem"] == "head_mismatch"
    assert ChainHead.objects.get(chain=chain).seq > middle.seq


def test_answer_shape_is_read_from_any_verifier():
    assert as_dict({"ok": 1, "events_checked": 3, "first_break": None}) == {
        "ok": True,
        "events_checked": 3,
        "first_break": None,
    }
    assert as_dict({"ok": False, "events_checked": 3, "first_break": "nomination:1#2"})["first_break"] == {
        "detail": "nomination:1#2"
    }
