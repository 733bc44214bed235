"""Scenario tests of the standard route: each asserts final status, task trail, decision and certificates."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.models import Certificate, Decision, ReviewRecord
from audit.models import Event
from nominations.models import AwardHistory, Status
from tests.factories import file_nomination, to_council_vote
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_resubmit,
    nomination_submit,
    open_task_of,
    process_of,
    review_forward,
    review_reject,
    review_return,
    vote_record,
)


def trail(nomination):
    process = process_of(nomination)
    return [t.flow_task.name for t in process.task_set.order_by("created", "pk")]


def task_id(nomination, step):
    scope = open_task_of(nomination)
    assert scope is not None and scope.step == step, (scope and scope.step, step)
    return scope.task_id


def test_full_approval_three_tier(people):
    nomination = file_nomination(people.clerk)
    assert nomination.status == Status.DRAFT
    assert list(nomination.route_units) == [nomination.unit.parent_id]
    nomination_submit(actor=people.head, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW
    assert nomination.current_unit.code == "BT.MCN"
    assert nomination.legal_basis.code == "152/2025/NĐ-CP"
    review_forward(actor=people.district_reviewer, task_id=task_id(nomination, "review"))
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL and nomination.current_unit.code == "BT"
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"))
    nomination.refresh_from_db()
    assert nomination.status == Status.AWAITING_SIGNATURE
    decision = decision_sign(actor=people.chairman, nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED
    assert decision.number.endswith("/QĐ-UBND") and decision.sequence == 1
    certificate = Certificate.objects.get(nomination=nomination)
    assert certificate.amount == 2340000
    assert AwardHistory.objects.filter(nominee=nomination.nominee, award_code="bang_khen_tinh").count() == 1
    assert trail(nomination) == [
        "start",
        "submit",
        "advance",
        "route",
        "review",
        "after_review",
        "advance",
        "route",
        "appraise",
        "after_appraisal",
        "check_posting",
        "check_vote",
        "sign",
        "commend",
        "end",
    ]
    assert process_of(nomination).status == "DONE"
    assert Event.objects.filter(nomination_id=nomination.pk, action="task.forward").count() == 1


def test_full_approval_two_tier(people):
    nomination = file_nomination(people.vl_clerk, unit_code="VL.DINHTHUY")
    assert nomination.route_units == []
    nomination_submit(actor=people.vl_head, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL and nomination.current_unit.code == "VL"
    appraisal_approve(actor=people.vl_reviewer, task_id=task_id(nomination, "appraise"))
    decision = decision_sign(actor=people.vl_chairman, nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED and decision.issuer.code == "VL"
    assert "review" not in trail(nomination)


def test_return_at_district_then_resubmit_and_approve(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    with pytest.raises(ValidationError) as excinfo:
        review_return(actor=people.district_reviewer, task_id=task_id(nomination, "review"), reason="  ")
    assert "reason" in excinfo.value.message_dict
    review_return(
        actor=people.district_reviewer,
        task_id=task_id(nomination, "review"),
        reason="Bổ sung biên bản họp xét.",
    )
    nomination.refresh_from_db()
    assert nomination.status == Status.RETURNED and nomination.current_unit.code == "BT.MCN.DINHTHUY"
    nomination_resubmit(actor=people.head, task_id=task_id(nomination, "revise"))
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW and nomination.current_unit.code == "BT.MCN"
    review_forward(actor=people.district_reviewer, task_id=task_id(nomination, "review"))
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"))
    decision_sign(actor=people.chairman, nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED
    assert trail(nomination).count("review") == 2
    assert list(ReviewRecord.objects.filter(nomination=nomination).values_list("action", flat=True)) == [
        "submit",
        "return",
        "resubmit",
        "forward",
        "approve",
        "sign",  # the signature is its own row, not a second appraisal (issue 22 item 3)
    ]


def test_reject_at_province(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=task_id(nomination, "review"))
    review_reject(
        actor=people.province_reviewer,
        task_id=task_id(nomination, "appraise"),
        reason="Thành tích không đạt tiêu chuẩn.",
    )
    nomination.refresh_from_db()
    assert nomination.status == Status.REJECTED
    assert trail(nomination)[-2:] == ["after_appraisal", "rejected"]
    assert process_of(nomination).status == "DONE"
    assert not Decision.objects.exists()


def test_district_reviewer_of_other_district_cannot_act(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    with pytest.raises(PermissionDenied):
        review_forward(actor=people.other_reviewer, task_id=task_id(nomination, "review"))
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


def test_vote_numbers_that_do_not_add_up_change_nothing(people):
    (nomination,) = to_council_vote(people, "Trường Tiểu học Định Thủy")
    vote_task = task_id(nomination, "tally_vote")
    with pytest.raises(ValidationError) as excinfo:
        vote_record(
            actor=people.secretary,
            task_id=vote_task,
            members_total=15,
            members_present=16,
            votes_for=10,
            votes_against=1,
        )
    assert "members_present" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        vote_record(
            actor=people.secretary,
            task_id=vote_task,
            members_total=15,
            members_present=12,
            votes_for=10,
            votes_against=3,
        )
    assert open_task_of(nomination).task_id == vote_task
    # 11 of 15 is 73% of all members: below the 80% threshold although 11/12 present voted for.
    vote = vote_record(
        actor=people.secretary,
        task_id=vote_task,
        members_total=15,
        members_present=12,
        votes_for=11,
        votes_against=1,
    )
    assert vote.quorum_met and not vote.passed
    nomination.refresh_from_db()
    assert nomination.status == Status.NOT_APPROVED
    assert trail(nomination)[-1] == "not_approved"


def test_visibility_follows_the_route(people):
    from nominations.selectors import nominations_visible_to
    from workflows.selectors import inbox_for

    nomination = file_nomination(people.clerk)
    assert nominations_visible_to(people.clerk).filter(pk=nomination.pk).exists()
    assert not nominations_visible_to(people.district_reviewer).filter(pk=nomination.pk).exists()
    nomination_submit(actor=people.head, nomination=nomination)
    assert nominations_visible_to(people.district_reviewer).filter(pk=nomination.pk).exists()
    assert not nominations_visible_to(people.other_reviewer).filter(pk=nomination.pk).exists()
    assert not nominations_visible_to(people.province_reviewer).filter(pk=nomination.pk).exists()
    assert nominations_visible_to(people.inspector).filter(pk=nomination.pk).exists()
    assert [s.nomination_id for s in inbox_for(people.district_reviewer)] == [nomination.pk]
    assert list(inbox_for(people.other_reviewer)) == []


def test_submitting_again_is_refused_to_all_but_the_head_before_the_state_is_told(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    for persona in ("clerk", "district_reviewer", "inspector", "outsider"):
        with pytest.raises(PermissionDenied):
            nomination_submit(actor=getattr(people, persona), nomination=nomination)
    with pytest.raises(ValidationError):
        nomination_submit(actor=people.head, nomination=nomination)
