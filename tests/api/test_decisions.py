"""Signing decisions and reading them: only the deciding unit's approver signs; readers need a visible item."""

import pytest

from approvals.models import Decision
from audit.models import Event
from nominations.models import Status
from tests.api.helpers import at_step
from tests.factories import file_nomination
from workflows.services import appraisal_approve, nomination_submit, open_task_of, review_forward


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


def _signed_with_pdf(people, as_user, nominations):
    from django.core.files.base import ContentFile

    body = (
        as_user(people.chairman)
        .post("/api/v1/decisions/", {"nominations": [n.pk for n in nominations]}, format="json")
        .json()
    )
    assert body["documents"] == {"pdf": None, "docx": None}
    decision = Decision.objects.get(pk=body["id"])
    decision.pdf.save("qd.pdf", ContentFile(b"%PDF-1.4 decision"), save=True)
    return decision


def test_decision_document_is_downloaded_through_the_api_by_the_issuers_staff(people, as_user):
    nomination, _ = at_step(people, "sign")
    decision = _signed_with_pdf(people, as_user, [nomination])
    detail = as_user(people.chairman).get(f"/api/v1/decisions/{decision.pk}/").json()
    assert detail["documents"]["pdf"].endswith(f"/api/v1/decisions/{decision.pk}/documents/pdf/")
    assert detail["documents"]["docx"] is None
    response = as_user(people.chairman).get(
        f"/api/v1/decisions/{decision.pk}/documents/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 decision"
    # Not rendered yet: "đang tạo văn bản" (202), not a 404.
    pending = as_user(people.chairman).get(f"/api/v1/decisions/{decision.pk}/documents/docx/")
    assert pending.status_code == 202 and pending.json()["status"] == "rendering"
    assert detail["documents_status"] == "rendering"
    assert as_user(people.chairman).get(f"/api/v1/decisions/{decision.pk}/documents/exe/").status_code == 404
    assert (
        as_user(people.other_clerk).get(f"/api/v1/decisions/{decision.pk}/documents/pdf/").status_code == 404
    )
    assert as_user(None).get(f"/api/v1/decisions/{decision.pk}/documents/pdf/").status_code == 401


@pytest.mark.parametrize(("who", "status"), [("clerk", 404), ("head", 404), ("chairman", 200)])
def test_web_and_api_give_the_same_answer_for_the_decision_pdf(client, people, as_user, who, status):
    from django.urls import reverse

    nomination, _ = at_step(people, "sign")
    decision = _signed_with_pdf(people, as_user, [nomination])
    user = getattr(people, who)
    client.force_login(user)
    web = client.get(reverse("documents:decision_pdf", args=[decision.pk]))
    api = as_user(user).get(f"/api/v1/decisions/{decision.pk}/documents/pdf/")
    assert (web.status_code, api.status_code) == (status, status)
    if status == 404:
        # A reader of the decision who may not download it is not offered the link either.
        assert as_user(user).get(f"/api/v1/decisions/{decision.pk}/").json()["documents"]["pdf"] is None


def test_an_api_download_records_one_read_like_the_web(client, people, as_user):
    from django.urls import reverse

    nomination, _ = at_step(people, "sign")
    decision = _signed_with_pdf(people, as_user, [nomination])
    reads = Event.objects.filter(action="read.download", object_id=str(decision.pk))
    client.force_login(people.chairman)
    assert client.get(reverse("documents:decision_pdf", args=[decision.pk])).status_code == 200
    assert reads.count() == 1 and reads.get().channel == "web"
    response = as_user(people.chairman).get(f"/api/v1/decisions/{decision.pk}/documents/pdf/")
    assert response.status_code == 200
    assert reads.count() == 2
    event = reads.latest("id")
    assert (event.actor_id, event.channel, event.object_type) == (
        people.chairman.pk,
        "api",
        "approvals.decision",
    )
    assert event.data == {"kind": "pdf", "file": decision.pdf.name}
    # A refused download records nothing.
    assert as_user(people.clerk).get(f"/api/v1/decisions/{decision.pk}/documents/pdf/").status_code == 404
    assert reads.count() == 2
    # The reads sit on the readers' chains, and the inspector's decision trace still lists them.
    from audit.selectors import decision_events

    assert set(reads.values_list("pk", flat=True)) <= set(
        decision_events([decision.pk]).values_list("pk", flat=True)
    )


def _department_nomination(people):
    """A nomination of Sở Giáo dục (another unit under the province), waiting for the chairman's signature."""
    nomination = file_nomination(people.dept_clerk, unit_code="BT.SGDDT", full_name="Đoàn Thị Lụa")
    nomination_submit(actor=people.dept_head, nomination=nomination)
    task = open_task_of(nomination)
    if task.step == "review":
        review_forward(actor=people.dept_reviewer, task_id=task.task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    nomination.refresh_from_db()
    return nomination


def test_decision_detail_lists_only_the_awardees_the_caller_reads(client, people, as_user):
    from django.urls import reverse

    own, _ = at_step(people, "sign", full_name="Nguyễn Văn Một")
    foreign = _department_nomination(people)
    decision = _signed_with_pdf(people, as_user, [own, foreign])
    expected = {"clerk": {own.pk}, "dept_clerk": {foreign.pk}, "chairman": {own.pk, foreign.pk}}
    for who, nominations in expected.items():
        user = getattr(people, who)
        items = as_user(user).get(f"/api/v1/decisions/{decision.pk}/").json()["items"]
        assert {item["nomination"] for item in items} == nominations, who
        client.force_login(user)
        page = client.get(reverse("approvals:decision", args=[decision.pk]))
        assert {c.nomination_id for c in page.context["certificates"]} == nominations, who
    body = as_user(people.clerk).get(f"/api/v1/decisions/{decision.pk}/").content.decode()
    assert "Đoàn Thị Lụa" not in body
    assert foreign.certificate.serial not in body and foreign.certificate.verification_code not in body
