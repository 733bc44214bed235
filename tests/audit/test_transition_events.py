"""Every transition of the standard route leaves exactly its events, in its transaction; a failing one leaves none."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.services import feedback_answer, feedback_receive
from audit.models import Event
from audit.services import read_record
from audit.verify import chain_verify
from tests.factories import file_nomination, to_council_vote
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_resubmit,
    nomination_submit,
    open_task_of,
    review_bulk,
    review_forward,
    review_reject,
    review_return,
    vote_record,
)


class Log:
    """The events written since the last look, as (action, actor, role, unit, step) tuples."""

    def __init__(self):
        self.mark = self._last()

    @staticmethod
    def _last():
        return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def new(self):
        events = list(Event.objects.filter(id__gt=self.mark).order_by("id"))
        self.mark = self._last()
        return events

    def new_rows(self):
        return [(e.action, e.actor_name, e.role, e.unit_code, e.data.get("step")) for e in self.new()]


def _task(nomination, step):
    scope = open_task_of(nomination)
    assert scope is not None and scope.step == step
    return scope.task_id


def test_standard_route_with_return_leaves_exactly_the_expected_events(people):
    log = Log()
    nomination = file_nomination(people.clerk)
    created = log.new()
    assert [(e.action, e.actor_name) for e in created] == [
        ("nomination.create", "clerk"),
        ("task.open", ""),
        ("dossier.add", "clerk"),
        ("dossier.add", "clerk"),
    ]
    assert {e.nomination_id for e in created} == {nomination.pk}
    assert created[1].data["step"] == "submit" and created[1].unit_code == "BT.MCN.DINHTHUY"

    nomination_submit(actor=people.head, nomination=nomination)
    assert log.new_rows() == [
        ("task.submit", "head", "unit_head", "BT.MCN.DINHTHUY", "submit"),
        ("task.open", "", "", "BT.MCN", "review"),
    ]
    review_return(
        actor=people.district_reviewer, task_id=_task(nomination, "review"), reason="Bổ sung biên bản."
    )
    events = log.new()
    assert [(e.action, e.actor_name, e.unit_code) for e in events] == [
        ("task.return", "district_reviewer", "BT.MCN"),
        ("task.open", "", "BT.MCN.DINHTHUY"),
    ]
    assert events[0].reason == "Bổ sung biên bản." and events[1].data["status"] == "returned"

    nomination_resubmit(actor=people.head, task_id=_task(nomination, "revise"))
    assert log.new_rows() == [
        ("task.resubmit", "head", "unit_head", "BT.MCN.DINHTHUY", "revise"),
        ("task.open", "", "", "BT.MCN", "review"),
    ]
    review_forward(
        actor=people.district_reviewer,
        task_id=_task(nomination, "review"),
        on_behalf_of=people.district_chairman,
    )
    events = log.new()
    assert [(e.action, e.unit_code) for e in events] == [("task.forward", "BT.MCN"), ("task.open", "BT")]
    assert events[0].on_behalf_of_id == people.district_chairman.pk

    appraisal_approve(actor=people.province_reviewer, task_id=_task(nomination, "appraise"))
    assert log.new_rows() == [
        ("task.approve", "province_reviewer", "reviewer", "BT", "appraise"),
        ("task.open", "", "", "BT", "sign"),
    ]
    decision = decision_sign(actor=people.chairman, nominations=[nomination])
    events = log.new()
    assert [(e.chain, e.action, e.actor_name) for e in events] == [
        (f"decision:{decision.pk}", "decision.sign", "chairman"),
        (f"nomination:{nomination.pk}", "task.sign", "chairman"),
        (f"nomination:{nomination.pk}", "nomination.awarded", ""),
    ]
    assert events[0].data["number"] == decision.number and events[0].data["nominations"] == [nomination.pk]
    assert events[2].data["serial"] == nomination.certificate.serial
    assert chain_verify().ok


def test_council_vote_and_rejection_leave_their_events(people):
    log = Log()
    (voted,) = to_council_vote(people, "Trường Tiểu học Định Thủy")
    log.new()
    vote_record(
        actor=people.secretary,
        task_id=_task(voted, "tally_vote"),
        members_total=15,
        members_present=13,
        votes_for=12,
        votes_against=1,
    )
    events = log.new()
    assert [(e.action, e.actor_name, e.role) for e in events] == [
        ("task.record_vote", "secretary", "council_secretary"),
        ("task.open", "", ""),
    ]
    assert events[0].data == {
        "step": "tally_vote",
        "members_total": 15,
        "members_present": 13,
        "votes_for": 12,
        "votes_against": 1,
        "quorum_met": True,
        "passed": True,
        "notifications_resolved": 1,  # the vote task's own "new task" notice, read once the vote is recorded
    }

    rejected = file_nomination(people.clerk, full_name="Lê Thị Bé")
    nomination_submit(actor=people.head, nomination=rejected)
    log.new()
    review_reject(
        actor=people.district_reviewer, task_id=_task(rejected, "review"), reason="Không đạt tiêu chuẩn."
    )
    events = log.new()
    assert [(e.action, e.reason) for e in events] == [("task.reject", "Không đạt tiêu chuẩn.")]


def test_public_posting_and_feedback_leave_their_events(people):
    nomination = file_nomination(
        people.clerk, award_code="co_thi_dua_tinh", kind="collective", full_name="Xã Định Thủy"
    )
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=_task(nomination, "review"))
    log = Log()
    appraisal_approve(actor=people.province_reviewer, task_id=_task(nomination, "appraise"))
    assert [e.action for e in log.new()] == ["task.approve", "posting.open"]
    posting = nomination.postings.get()
    feedback = feedback_receive(posting=posting, sender_name="Nguyễn Văn B", content="Góp ý về thành tích.")
    feedback_answer(feedback=feedback, actor=people.province_reviewer, answer="Đã xác minh.")
    events = log.new()
    assert [(e.action, e.actor_name, e.nomination_id) for e in events] == [
        ("posting.feedback_received", "", nomination.pk),
        ("posting.feedback_answered", "province_reviewer", nomination.pk),
    ]
    assert "Nguyễn Văn B" not in str(events[0].data)  # the sender's identity stays in the feedback row


def _no_new_events(log):
    assert log.new() == []


def test_invalid_vote_numbers_leave_no_event(people):
    (nomination,) = to_council_vote(people, "Trường Tiểu học Định Thủy")
    log = Log()
    with pytest.raises(ValidationError):
        vote_record(
            actor=people.secretary,
            task_id=_task(nomination, "tally_vote"),
            members_total=15,
            members_present=16,
            votes_for=10,
            votes_against=1,
        )
    _no_new_events(log)


def test_missing_reason_and_missing_dossier_leave_no_event(people):
    bare = file_nomination(people.clerk, with_dossier=False)
    log = Log()
    with pytest.raises(ValidationError):
        nomination_submit(actor=people.head, nomination=bare)
    _no_new_events(log)
    nomination = file_nomination(people.clerk, full_name="Trần Văn Cường")
    nomination_submit(actor=people.head, nomination=nomination)
    log = Log()
    for service in (review_return, review_reject):
        with pytest.raises(ValidationError):
            service(actor=people.district_reviewer, task_id=_task(nomination, "review"), reason=" ")
    _no_new_events(log)


def test_permission_denied_leaves_no_event(people):
    nomination = file_nomination(people.clerk)
    log = Log()
    with pytest.raises(PermissionDenied):
        nomination_submit(actor=people.clerk, nomination=nomination)  # clerks file, heads submit
    _no_new_events(log)
    nomination_submit(actor=people.head, nomination=nomination)
    log = Log()
    with pytest.raises(PermissionDenied):
        review_forward(actor=people.other_reviewer, task_id=_task(nomination, "review"))
    assert review_bulk(actor=people.outsider, task_ids=[_task(nomination, "review")], action="forward")
    review_forward(actor=people.district_reviewer, task_id=_task(nomination, "review"))
    appraisal_approve(actor=people.province_reviewer, task_id=_task(nomination, "appraise"))
    log = Log()
    with pytest.raises(PermissionDenied):
        decision_sign(actor=people.vl_chairman, nominations=[nomination])
    _no_new_events(log)


def test_read_record_puts_the_read_on_the_readers_chain_and_the_nominations_timeline(people):
    nomination = file_nomination(people.clerk)
    event = read_record(people.inspector, nomination.nominee, nomination.pk, "personal_data")
    assert event.action == "read.personal_data" and event.chain == f"user:{people.inspector.pk}"
    assert event.object_type == "nominations.nominee" and event.nomination_id == nomination.pk
    assert Event.objects.filter(nomination_id=nomination.pk, action="read.personal_data").count() == 1
    assert chain_verify().ok


def test_vote_below_threshold_records_the_outcome_and_ends_the_route(people):
    (nomination,) = to_council_vote(people, "Trường Tiểu học Định Thủy")
    log = Log()
    vote_record(
        actor=people.secretary,
        task_id=_task(nomination, "tally_vote"),
        members_total=15,
        members_present=12,
        votes_for=11,
        votes_against=1,
    )
    events = log.new()
    assert [e.action for e in events] == ["task.record_vote"]
    assert events[0].data["passed"] is False and events[0].data["quorum_met"] is True
