"""The inbox and task completion: who may act, what each action does, retries and conflicts."""

import pytest
from django.utils import translation

from approvals.models import ReviewRecord
from audit.models import Event
from nominations.models import Status
from tests.api.helpers import at_step
from tests.factories import VOTED_COLLECTIVE


def test_inbox_lists_actionable_tasks_with_actions(people, as_user):
    nomination, task_id = at_step(people, "review")
    tasks = as_user(people.district_reviewer).get("/api/v1/tasks/").json()
    assert tasks["count"] == 1
    task = tasks["results"][0]
    assert task["id"] == task_id and task["nomination"] == nomination.pk and task["unit"] == "BT.MCN"
    assert task["step"] == "review" and task["actions"] == ["forward", "return", "reject"]
    assert task["due_at"] == nomination.due_on.isoformat()
    assert as_user(people.district_reviewer).get("/api/v1/tasks/?step=appraise").json()["count"] == 0
    for who in ("other_reviewer", "clerk", "head", "province_reviewer", "outsider", "inspector"):
        assert as_user(getattr(people, who)).get("/api/v1/tasks/").json()["count"] == 0, who


def test_forward_moves_the_nomination_and_is_audited_from_the_api(people, as_user):
    nomination, task_id = at_step(people, "review")
    response = as_user(people.district_reviewer).post(
        f"/api/v1/tasks/{task_id}/complete/", {"action": "forward", "reason": "Đủ điều kiện."}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["task"] == task_id and response.json()["nomination"]["status"] == Status.APPRAISAL
    event = Event.objects.get(action="task.forward", nomination_id=nomination.pk)
    assert (
        event.channel == "api" and event.actor == people.district_reviewer and event.reason == "Đủ điều kiện."
    )


def test_return_needs_a_reason_then_head_resubmits(people, as_user):
    nomination, task_id = at_step(people, "review")
    reviewer = as_user(people.district_reviewer)
    response = reviewer.post(f"/api/v1/tasks/{task_id}/complete/", {"action": "return"}, format="json")
    assert response.status_code == 400 and response.json() == {"reason": ["Phải nêu lý do trả lại hồ sơ."]}
    response = reviewer.post(
        f"/api/v1/tasks/{task_id}/complete/",
        {"action": "return", "reason": "Bổ sung biên bản."},
        format="json",
    )
    assert response.status_code == 200 and response.json()["nomination"]["status"] == Status.RETURNED
    head = as_user(people.head)
    revise = head.get("/api/v1/tasks/").json()["results"][0]
    assert revise["step"] == "revise" and revise["actions"] == ["resubmit"]
    response = head.post(f"/api/v1/tasks/{revise['id']}/complete/", {"action": "resubmit"}, format="json")
    assert response.status_code == 200 and response.json()["nomination"]["status"] == Status.IN_REVIEW


def test_reject_with_reason(people, as_user):
    nomination, task_id = at_step(people, "appraise")
    response = as_user(people.province_reviewer).post(
        f"/api/v1/tasks/{task_id}/complete/", {"action": "reject", "reason": "Không đạt."}, format="json"
    )
    assert response.status_code == 200 and response.json()["nomination"]["status"] == Status.REJECTED


def test_action_that_does_not_fit_the_step_is_a_field_error(people, as_user):
    nomination, task_id = at_step(people, "review")
    client = as_user(people.district_reviewer)
    response = client.post(f"/api/v1/tasks/{task_id}/complete/", {"action": "approve"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["action"]
    response = client.post(f"/api/v1/tasks/{task_id}/complete/", {"action": "dance"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["action"]
    assert ReviewRecord.objects.filter(nomination=nomination).count() == 1  # only the submission


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("other_reviewer", 404),
        ("outsider", 404),
        ("other_clerk", 404),
        ("province_reviewer", 404),
        ("clerk", 403),
        ("head", 403),
        ("inspector", 403),
    ],
)
def test_who_may_not_complete_a_review(people, as_user, who, expected):
    nomination, task_id = at_step(people, "review")
    response = as_user(getattr(people, who)).post(
        f"/api/v1/tasks/{task_id}/complete/", {"action": "forward"}, format="json"
    )
    assert response.status_code == expected
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


def test_anonymous_and_unknown_task(people, as_user):
    nomination, task_id = at_step(people, "review")
    assert (
        as_user(None)
        .post(f"/api/v1/tasks/{task_id}/complete/", {"action": "forward"}, format="json")
        .status_code
        == 401
    )
    assert (
        as_user(people.district_reviewer)
        .post(f"/api/v1/tasks/{task_id + 999}/complete/", {"action": "forward"}, format="json")
        .status_code
        == 404
    )


def test_completing_a_done_task_again_is_a_409_without_changes(people, as_user):
    nomination, task_id = at_step(people, "review")
    client = as_user(people.district_reviewer)
    assert (
        client.post(f"/api/v1/tasks/{task_id}/complete/", {"action": "forward"}, format="json").status_code
        == 200
    )
    events, reviews = Event.objects.count(), ReviewRecord.objects.count()
    again = client.post(f"/api/v1/tasks/{task_id}/complete/", {"action": "forward"}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "Công việc này đã được xử lý hoặc không còn hiệu lực."}
    english = as_user(people.district_reviewer, language="en").post(
        f"/api/v1/tasks/{task_id}/complete/", {"action": "forward"}, format="json"
    )
    # English comes from locale/en, the one English catalogue; read through gettext so a rewording there is no failure.
    with translation.override("en"):
        expected = translation.gettext("Công việc này đã được xử lý hoặc không còn hiệu lực.")
    assert english.json() == {"detail": expected} and expected.isascii()
    assert (Event.objects.count(), ReviewRecord.objects.count()) == (events, reviews)


def test_retry_with_the_same_idempotency_key_replays_without_reapplying(people, as_user):
    nomination, task_id = at_step(people, "review")
    client = as_user(people.district_reviewer)
    url = f"/api/v1/tasks/{task_id}/complete/"
    first = client.post(url, {"action": "forward"}, format="json", HTTP_IDEMPOTENCY_KEY="k-42")
    events, reviews = Event.objects.count(), ReviewRecord.objects.count()
    retry = client.post(url, {"action": "forward"}, format="json", HTTP_IDEMPOTENCY_KEY="k-42")
    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert (Event.objects.count(), ReviewRecord.objects.count()) == (events, reviews)
    changed = client.post(
        url, {"action": "forward", "reason": "khác"}, format="json", HTTP_IDEMPOTENCY_KEY="k-42"
    )
    assert changed.status_code == 422
    assert changed.json() == {"detail": "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác."}
    # Keys belong to their user: the same key from someone else is a separate request (and not theirs to do).
    other = as_user(people.province_reviewer).post(
        url, {"action": "forward"}, format="json", HTTP_IDEMPOTENCY_KEY="k-42"
    )
    assert other.status_code == 403


def test_failed_request_does_not_consume_its_key(people, as_user):
    nomination, task_id = at_step(people, "review")
    client = as_user(people.district_reviewer)
    url = f"/api/v1/tasks/{task_id}/complete/"
    assert (
        client.post(url, {"action": "return"}, format="json", HTTP_IDEMPOTENCY_KEY="r-1").status_code == 400
    )
    fixed = client.post(
        url, {"action": "return", "reason": "Thiếu biên bản."}, format="json", HTTP_IDEMPOTENCY_KEY="r-2"
    )
    assert fixed.status_code == 200
    again = client.post(url, {"action": "return"}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert again.status_code == 409


def test_record_vote_needs_the_tally_and_applies_the_threshold(people, as_user):
    nomination, task_id = at_step(
        people,
        "tally_vote",
        award_code=VOTED_COLLECTIVE,
        kind="collective",
        full_name="Trường Tiểu học Định Thủy",
    )
    secretary = as_user(people.secretary)
    assert secretary.get("/api/v1/tasks/").json()["results"][0]["actions"] == ["record_vote"]
    url = f"/api/v1/tasks/{task_id}/complete/"
    response = secretary.post(url, {"action": "record_vote", "members_total": 15}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"members_present", "votes_for", "votes_against"}
    response = secretary.post(
        url,
        {
            "action": "record_vote",
            "members_total": 15,
            "members_present": 16,
            "votes_for": 10,
            "votes_against": 1,
        },
        format="json",
    )
    assert response.status_code == 400 and "members_present" in response.json()
    assert (
        as_user(people.council_member)
        .post(
            url,
            {
                "action": "record_vote",
                "members_total": 15,
                "members_present": 14,
                "votes_for": 13,
                "votes_against": 1,
            },
            format="json",
        )
        .status_code
        == 403
    )
    response = secretary.post(
        url,
        {
            "action": "record_vote",
            "members_total": 15,
            "members_present": 14,
            "votes_for": 13,
            "votes_against": 1,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["vote"] == {"quorum_met": True, "passed": True}
    assert response.json()["nomination"]["status"] == Status.AWAITING_SIGNATURE


def test_malformed_idempotency_key_is_a_field_error(people, as_user):
    nomination, task_id = at_step(people, "review")
    response = as_user(people.district_reviewer, language="en").post(
        f"/api/v1/tasks/{task_id}/complete/",
        {"action": "forward"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k" * 256,
    )
    assert response.status_code == 400
    assert response.json() == {
        "Idempotency-Key": ["An Idempotency-Key has at most 255 printable ASCII characters."]
    }
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW
