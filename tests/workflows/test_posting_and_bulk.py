"""Public posting with feedback, bulk review actions and working-day deadlines on the standard route."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers

from approvals.models import Posting
from approvals.services import feedback_answer, feedback_receive
from nominations.models import Status
from nominations.selectors import nominations_posted_publicly
from tests.factories import file_nomination
from workflows.calendar import add_working_days, is_working_day, working_days_between
from workflows.models import TaskScope
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_bulk,
    review_forward,
    vote_record,
)


def _at(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=9)


def test_posting_with_feedback_must_be_answered_before_vote_and_signature(people):
    start = date(2026, 12, 1)
    with time_machine.travel(_at(start), tick=False):
        nomination = file_nomination(
            people.clerk, award_code="co_thi_dua_tinh", kind="collective", full_name="UBND xã Định Thủy"
        )
        nomination_submit(actor=people.head, nomination=nomination)
        review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
        appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
        nomination.refresh_from_db()
        assert nomination.status == Status.POSTING
        posting = Posting.objects.get(nomination=nomination)
        assert posting.closes_on == add_working_days(start, 10) == date(2026, 12, 15)
        assert list(nominations_posted_publicly()) == [nomination]
        with pytest.raises(ValidationError) as excinfo:
            feedback_receive(posting=posting, sender_name="", content="")
        assert set(excinfo.value.message_dict) == {"sender_name", "content"}
        feedback = feedback_receive(
            posting=posting, sender_name="Lê Văn Ba", content="Xin làm rõ thành tích năm 2025."
        )
    with time_machine.travel(_at(date(2026, 12, 15)), tick=False):
        fire_due_timers()
        assert open_task_of(nomination) is None  # the window is still open
    with time_machine.travel(_at(date(2026, 12, 16)), tick=False):
        fire_due_timers()
        scope = open_task_of(nomination)
        assert scope.step == "tally_vote"
        with pytest.raises(ValidationError, match="chưa được trả lời"):
            vote_record(
                actor=people.secretary,
                task_id=scope.task_id,
                members_total=15,
                members_present=14,
                votes_for=13,
                votes_against=1,
            )
        with pytest.raises(PermissionDenied):
            feedback_answer(feedback=feedback, actor=people.district_reviewer, answer="Đã rõ.")
        feedback_answer(
            feedback=feedback, actor=people.province_reviewer, answer="Thành tích đã được xác minh."
        )
        vote = vote_record(
            actor=people.secretary,
            task_id=scope.task_id,
            members_total=15,
            members_present=14,
            votes_for=13,
            votes_against=1,
        )
        assert vote.passed
        decision = decision_sign(actor=people.chairman, nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED
    assert decision.certificates.get().amount == 18720000


def test_signing_requires_an_approved_nomination(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    with pytest.raises(ValidationError, match="chưa được phê duyệt"):
        decision_sign(actor=people.chairman, nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


def test_submitting_an_incomplete_dossier_changes_nothing(people):
    nomination = file_nomination(people.clerk, with_dossier=False)
    with pytest.raises(ValidationError) as excinfo:
        nomination_submit(actor=people.head, nomination=nomination)
    assert "Báo cáo thành tích" in excinfo.value.message_dict["files"][0]
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT and open_task_of(nomination).step == "submit"


def test_clerk_cannot_submit_only_the_head_can(people):
    nomination = file_nomination(people.clerk)
    with pytest.raises(PermissionDenied):
        nomination_submit(actor=people.clerk, nomination=nomination)


def test_acting_on_a_task_twice_is_refused(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    task_id = open_task_of(nomination).task_id
    review_forward(actor=people.district_reviewer, task_id=task_id)
    with pytest.raises(ValidationError, match="đã được xử lý"):
        review_forward(actor=people.district_reviewer, task_id=task_id)


def test_bulk_forward_applies_each_alone(people):
    mine = [file_nomination(people.clerk, full_name=f"Người {i}") for i in range(3)]
    for nomination in mine:
        nomination_submit(actor=people.head, nomination=nomination)
    other = file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Người khác")
    ids = [open_task_of(n).task_id for n in mine]
    already_done = ids[1]
    review_forward(actor=people.district_reviewer, task_id=already_done)
    foreign = open_task_of(other).task_id
    results = review_bulk(actor=people.district_reviewer, task_ids=[*ids, foreign], action="forward")
    assert results[ids[0]] is None and results[ids[2]] is None
    assert "đã được xử lý" in results[already_done]
    assert "không có quyền" in results[foreign]
    for nomination in mine:
        nomination.refresh_from_db()
        assert nomination.status == Status.APPRAISAL


def test_bulk_return_needs_a_reason(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    task_id = open_task_of(nomination).task_id
    results = review_bulk(actor=people.district_reviewer, task_ids=[task_id], action="return", reason="")
    assert "lý do" in results[task_id]
    assert open_task_of(nomination).task_id == task_id


def test_due_dates_count_working_days_across_tet(people):
    # Tết 2027: 6–10 February (the `holidays` calendar follows the lunar date).
    assert not is_working_day(date(2027, 2, 8))
    with time_machine.travel(_at(date(2027, 2, 3)), tick=False):
        nomination = file_nomination(people.clerk, year=2026)
        nomination_submit(actor=people.head, nomination=nomination)
        scope = TaskScope.objects.get(nomination=nomination, is_open=True)
    assert scope.step == "review"
    assert working_days_between(date(2027, 2, 3), scope.due_on) == 10
    assert scope.due_on > date(2027, 2, 17)  # ten calendar-working days, Tết and weekends skipped
    nomination.refresh_from_db()
    assert nomination.due_on == scope.due_on


@pytest.mark.django_db
def test_working_days_skip_weekends_and_national_day():
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)  # Fri → (weekend, 1–2/9 off) → Thu
    assert working_days_between(date(2026, 8, 28), date(2026, 9, 3)) == 1
