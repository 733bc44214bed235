"""Signing decisions from the approver's home and the decision page, with negative permission tests."""

import pytest
from django.urls import reverse

from approvals.models import Certificate
from tests.factories import file_nomination
from workflows.services import appraisal_approve, nomination_submit, open_task_of, review_forward


def login(client, user):
    client.force_login(user)
    return client


def task_id(nomination):
    return open_task_of(nomination).task_id


def at_province(people, **kwargs):
    nomination = file_nomination(people.clerk, **kwargs)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=task_id(nomination))
    return nomination


def test_chairman_signs_selected_and_sees_the_number(client, people):
    first = at_province(people, full_name="Một")
    second = at_province(people, full_name="Hai")
    for nomination in (first, second):
        appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination))
    login(client, people.chairman)
    assert "Chờ ký quyết định" in client.get(reverse("nominations:home")).content.decode()
    response = client.post(reverse("approvals:sign"), {"nomination": [first.pk, second.pk]}, follow=True)
    body = response.content.decode()
    certificate = Certificate.objects.get(nomination=first)
    assert certificate.decision.number in body and "/QĐ-UBND" in body
    assert Certificate.objects.filter(decision=certificate.decision).count() == 2


@pytest.mark.parametrize("persona", ["outsider", "province_reviewer", "secretary", "clerk"])
def test_sign_refused_without_approver_role(client, people, persona):
    nomination = at_province(people)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination))
    response = login(client, getattr(people, persona)).post(
        reverse("approvals:sign"), {"nomination": [nomination.pk]}
    )
    assert response.status_code == 403
    assert not Certificate.objects.exists()


def test_district_chairman_cannot_sign_a_province_decision(client, people):
    nomination = at_province(people)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination))
    response = login(client, people.district_chairman).post(
        reverse("approvals:sign"), {"nomination": [nomination.pk]}
    )
    assert response.status_code == 302  # not visible to them: refused with a message, nothing signed
    assert not Certificate.objects.exists()


def test_decision_page_hidden_from_outsider(client, people):
    nomination = at_province(people)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination))
    from workflows.services import decision_sign

    decision = decision_sign(actor=people.chairman, nominations=[nomination])
    assert (
        login(client, people.outsider).get(reverse("approvals:decision", args=[decision.pk])).status_code
        == 404
    )
    assert (
        login(client, people.clerk).get(reverse("approvals:decision", args=[decision.pk])).status_code == 200
    )
