"""Signing decisions and reading them: only the deciding unit's approver signs; readers need a visible item."""

import pytest

from approvals.models import Decision
from audit.models import Event
from nominations.models import Status
from tests.api.helpers import at_step


def test_chairman_signs_and_everyone_concerned_reads_it(people, as_user):
    nomination, _ = at_step(people, "sign")
    response = as_user(people.chairman).post(
        "/api/v1/decisions/", {"nominations": [nomination.pk]}, format="json"
    )
    assert response.status_code == 201, response.json()
    decision = response.json()
    assert set(decision) >= {"id", "number", "date", "items", "documents"}
    assert decision["items"][0]["amount"] == "2340000"
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED
    assert Event.objects.get(action="decision.sign").channel == "api"
    for who in ("clerk", "head", "district_reviewer", "province_reviewer", "chairman", "inspector"):
        assert as_user(getattr(people, who)).get(f"/api/v1/decisions/{decision['id']}/").status_code == 200, (
            who
        )
    for who in ("other_clerk", "other_reviewer", "outsider", "vl_chairman"):
        assert as_user(getattr(people, who)).get(f"/api/v1/decisions/{decision['id']}/").status_code == 404, (
            who
        )
    assert as_user(people.clerk).get(f"/api/v1/decisions/{decision['id'] + 1}/").status_code == 404


@pytest.mark.parametrize("who", ["clerk", "head", "district_reviewer", "province_reviewer", "inspector"])
def test_who_sees_but_may_not_sign_gets_403(people, as_user, who):
    nomination, _ = at_step(people, "sign")
    response = as_user(getattr(people, who)).post(
        "/api/v1/decisions/", {"nominations": [nomination.pk]}, format="json"
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


# The district approver and the council secretary never saw this provincial, vote-less nomination.
@pytest.mark.parametrize("who", ["other_clerk", "outsider", "vl_chairman", "district_chairman", "secretary"])
def test_invisible_ids_answer_like_unknown_ids(people, as_user, who):
    nomination, _ = at_step(people, "sign")
    client = as_user(getattr(people, who))
    hidden = client.post("/api/v1/decisions/", {"nominations": [nomination.pk]}, format="json")
    unknown = client.post("/api/v1/decisions/", {"nominations": [nomination.pk + 999]}, format="json")
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json() == unknown.json()
    assert not Decision.objects.exists()


def test_nomination_not_yet_approved_cannot_be_signed(people, as_user):
    nomination, _ = at_step(people, "appraise")
    # The chairman does not see it yet either; a reviewer who does is no approver.
    response = as_user(people.chairman).post(
        "/api/v1/decisions/", {"nominations": [nomination.pk]}, format="json"
    )
    assert response.status_code == 400 and "nominations" in response.json()
    response = as_user(people.chairman).post("/api/v1/decisions/", {"nominations": []}, format="json")
    assert response.status_code == 400 and "nominations" in response.json()


def test_sign_retry_with_key_gives_one_decision(people, as_user):
    nomination, _ = at_step(people, "sign")
    client = as_user(people.chairman)
    first = client.post(
        "/api/v1/decisions/", {"nominations": [nomination.pk]}, format="json", HTTP_IDEMPOTENCY_KEY="sign-1"
    )
    retry = client.post(
        "/api/v1/decisions/", {"nominations": [nomination.pk]}, format="json", HTTP_IDEMPOTENCY_KEY="sign-1"
    )
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert Decision.objects.count() == 1
    again = client.post("/api/v1/decisions/", {"nominations": [nomination.pk]}, format="json")
    assert again.status_code == 400 and Decision.objects.count() == 1
    other = client.post(
        "/api/v1/decisions/",
        {"nominations": [nomination.pk], "title": "x"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="sign-1",
    )
    assert other.status_code == 422


def test_decision_document_is_downloaded_through_the_api_with_the_same_access(people, as_user):
    from django.core.files.base import ContentFile

    nomination, _ = at_step(people, "sign")
    body = (
        as_user(people.chairman)
        .post("/api/v1/decisions/", {"nominations": [nomination.pk]}, format="json")
        .json()
    )
    assert body["documents"] == {"pdf": None, "docx": None}
    decision = Decision.objects.get(pk=body["id"])
    decision.pdf.save("qd.pdf", ContentFile(b"%PDF-1.4 decision"), save=True)
    detail = as_user(people.clerk).get(f"/api/v1/decisions/{decision.pk}/").json()
    assert detail["documents"]["pdf"].endswith(f"/api/v1/decisions/{decision.pk}/documents/pdf/")
    assert detail["documents"]["docx"] is None
    response = as_user(people.clerk).get(
        f"/api/v1/decisions/{decision.pk}/documents/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 decision"
    assert as_user(people.clerk).get(f"/api/v1/decisions/{decision.pk}/documents/docx/").status_code == 404
    assert as_user(people.clerk).get(f"/api/v1/decisions/{decision.pk}/documents/exe/").status_code == 404
    assert (
        as_user(people.other_clerk).get(f"/api/v1/decisions/{decision.pk}/documents/pdf/").status_code == 404
    )
    assert as_user(None).get(f"/api/v1/decisions/{decision.pk}/documents/pdf/").status_code == 401
