"""Separation of duties (four-eyes): one person may not act at two steps of the same nomination."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import Event
from nominations.models import Status
from organisation.services import membership_grant
from tests.api.helpers import at_step
from tests.factories import file_nomination, unit
from workflows.models import SeparationRule
from workflows.services import appraisal_approve, nomination_submit, open_task_of, review_forward

FOUR_EYES = "bốn mắt"


@pytest.fixture
def double_reviewer(people):
    """The district reviewer who also becomes a reviewer of the province."""
    membership_grant(user=people.district_reviewer, unit=unit("BT"), role="reviewer")
    return people.district_reviewer


def test_reviewer_who_forwarded_cannot_appraise_the_same_nomination(people, double_reviewer):
    nomination, task_id = at_step(people, "appraise")
    with pytest.raises(ValidationError) as refused:
        appraisal_approve(actor=double_reviewer, task_id=task_id)
    assert FOUR_EYES in refused.value.message_dict["actor"][0]
    assert "Xét duyệt" in refused.value.message_dict["actor"][0]
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL and open_task_of(nomination).task_id == task_id
    assert not Event.objects.filter(action="task.approve", nomination_id=nomination.pk).exists()
    appraisal_approve(actor=people.province_reviewer, task_id=task_id)  # another person may
    nomination.refresh_from_db()
    assert nomination.status == Status.AWAITING_SIGNATURE


def test_same_reviewer_appraises_a_nomination_they_did_not_review(people, double_reviewer):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    # The review is done by someone else (a second district reviewer), so the double reviewer may appraise.
    colleague = people.outsider
    membership_grant(user=colleague, unit=unit("BT.MCN"), role="reviewer")
    review_forward(actor=colleague, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=double_reviewer, task_id=open_task_of(nomination).task_id)
    nomination.refresh_from_db()
    assert nomination.status == Status.AWAITING_SIGNATURE


def test_filer_cannot_review_their_own_nomination(people):
    membership_grant(user=people.clerk, unit=unit("BT.MCN"), role="reviewer")
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    with pytest.raises(ValidationError) as refused:
        review_forward(actor=people.clerk, task_id=open_task_of(nomination).task_id)
    assert "Lập đề nghị" in refused.value.message_dict["actor"][0]


def test_a_pair_switched_off_in_the_data_lets_one_person_do_both(people, double_reviewer):
    rule = SeparationRule.objects.get(first_step="review", second_step="appraise")
    assert rule.is_enforced  # on by default
    rule.is_enforced = False
    rule.save()
    nomination, task_id = at_step(people, "appraise")
    appraisal_approve(actor=double_reviewer, task_id=task_id)
    nomination.refresh_from_db()
    assert nomination.status == Status.AWAITING_SIGNATURE


def test_head_who_filed_may_still_submit(people):
    nomination = file_nomination(people.head)
    nomination_submit(actor=people.head, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


def test_web_refuses_the_second_step_with_the_message(client, people, double_reviewer):
    nomination, task_id = at_step(people, "appraise")
    client.force_login(double_reviewer)
    response = client.post(reverse("nominations:act", args=[nomination.pk]), {"action": "approve"})
    assert response.status_code == 400
    assert FOUR_EYES in response.content.decode()
    assert open_task_of(nomination).task_id == task_id
