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
    chosen = {"nomination": [first.pk, second.pk]}
    # Without the confirmation step nothing is signed.
    client.post(reverse("approvals:sign"), chosen)
    assert not Certificate.objects.exists()
    confirm = client.post(reverse("approvals:sign_confirm"), chosen).content.decode()
    assert "01/QĐ-UBND" in confirm and "Một" in confirm and "Hai" in confirm and "4.680.000" in confirm
    assert not Certificate.objects.exists()
    draft = client.post(reverse("approvals:sign_draft"), chosen)
    assert draft["Content-Type"] == "application/pdf" and draft.content.startswith(b"%PDF")
    assert not Certificate.objects.exists()
    response = client.post(reverse("approvals:sign"), {**chosen, "confirmed": "1"}, follow=True)
    body = response.content.decode()
    certificate = Certificate.objects.get(nomination=first)
    assert certificate.decision.number == "01/QĐ-UBND" and certificate.decision.number in body
    assert Certificate.objects.filter(decision=certificate.decision).count() == 2


def test_draft_pdf_is_watermarked_and_has_the_decision_text(client, people):
    import io

    from pypdf import PdfReader

    nomination = at_province(people, full_name="Ba")
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination))
    login(client, people.chairman)
    draft = client.post(reverse("approvals:sign_draft"), {"nomination": [nomination.pk]})
    text = " ".join(PdfReader(io.BytesIO(draft.content)).pages[0].extract_text().split())
    assert "DỰ THẢO" in text and "Số: 01/QĐ-UBND" in text and "Điều 1. Tặng Bằng khen" in text


@pytest.mark.parametrize("persona", ["outsider", "province_reviewer", "district_chairman"])
def test_confirmation_and_draft_refused_to_others(client, people, persona):
    nomination = at_province(people)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination))
    login(client, getattr(people, persona))
    confirm = client.post(reverse("approvals:sign_confirm"), {"nomination": [nomination.pk]})
    draft = client.post(reverse("approvals:sign_draft"), {"nomination": [nomination.pk]})
    assert confirm.status_code in (302, 403) and draft.status_code in (403, 404)
    assert "QĐ-UBND" not in confirm.content.decode() and not draft.content.startswith(b"%PDF")


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
