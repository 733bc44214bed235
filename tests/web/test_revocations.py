"""Revocation pages: the inspector opens, the issuer's signer decides; everyone else is refused."""

import pytest
from django.urls import reverse

from approvals.models import Certificate, Revocation, RevocationStatus
from approvals.revocations import revocation_open
from tests.factories import file_nomination, pdf_upload
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)


@pytest.fixture
def certificate(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    decision_sign(actor=people.chairman, nominations=[nomination])
    return Certificate.objects.get(nomination=nomination)


@pytest.fixture
def revocation(people, certificate):
    return revocation_open(
        actor=people.inspector,
        certificate=certificate,
        ground="fraudulent",
        statement="Kê khai gian dối số liệu thành tích.",
    )


def test_inspector_opens_a_revocation_with_evidence(client, people, certificate):
    client.force_login(people.inspector)
    response = client.post(
        reverse("audit:revocation_open"),
        {
            "serial": certificate.serial,
            "ground": "false_documents",
            "statement": "Giả mạo giấy chứng nhận.",
            "evidence": pdf_upload("bien-ban.pdf"),
        },
    )
    revocation = Revocation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "audit:revocation_detail", args=[revocation.pk]
    )
    assert revocation.opened_by == people.inspector and revocation.evidence


def test_open_form_shows_vietnamese_field_errors(client, people, certificate):
    client.force_login(people.inspector)
    response = client.post(
        reverse("audit:revocation_open"), {"serial": "KHONG-CO", "ground": "", "statement": ""}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["serial"] == ["Không tìm thấy bằng, giấy khen số hiệu “KHONG-CO”."]
    assert "ground" in errors and "statement" in errors
    assert not Revocation.objects.exists()


@pytest.mark.parametrize(
    "persona", ["clerk", "district_reviewer", "province_reviewer", "chairman", "outsider"]
)
def test_non_inspectors_cannot_open(client, people, certificate, persona):
    client.force_login(getattr(people, persona))
    assert client.get(reverse("audit:revocation_open")).status_code == 403
    response = client.post(
        reverse("audit:revocation_open"),
        {"serial": certificate.serial, "ground": "fraudulent", "statement": "x"},
    )
    assert response.status_code == 403
    assert not Revocation.objects.exists()


def test_anonymous_is_sent_to_login(client, revocation):
    for url in (
        reverse("audit:revocations"),
        reverse("audit:revocation_open"),
        reverse("audit:revocation_detail", args=[revocation.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_signer_of_the_issuer_decides(client, people, revocation):
    client.force_login(people.chairman)
    url = reverse("audit:revocation_detail", args=[revocation.pk])
    assert client.get(url).context["can_decide"]
    response = client.post(url, {"decision": "approve", "note": ""})
    assert response.status_code == 400 and response.context["form"].errors["note"] == [
        "Vui lòng ghi ý kiến quyết định."
    ]
    assert client.post(url, {"decision": "approve", "note": "Đồng ý thu hồi."}).status_code == 302
    revocation.refresh_from_db()
    assert revocation.status == RevocationStatus.APPROVED and revocation.certificate.is_revoked


@pytest.mark.parametrize("persona", ["inspector", "province_reviewer", "vl_chairman", "clerk", "outsider"])
def test_others_cannot_decide(client, people, revocation, persona):
    client.force_login(getattr(people, persona))
    url = reverse("audit:revocation_detail", args=[revocation.pk])
    response = client.post(url, {"decision": "approve", "note": "Đồng ý."})
    assert response.status_code in (403, 404)
    revocation.refresh_from_db()
    assert revocation.status == RevocationStatus.OPEN


def test_list_is_limited_to_the_issuers_inspector_and_signer(client, people, revocation):
    for persona in ("inspector", "chairman"):
        client.force_login(getattr(people, persona))
        assert list(client.get(reverse("audit:revocations")).context["revocations"]) == [revocation]
    client.force_login(people.vl_chairman)
    assert list(client.get(reverse("audit:revocations")).context["revocations"]) == []
    assert client.get(reverse("audit:revocation_detail", args=[revocation.pk])).status_code == 404
    for persona in ("clerk", "province_reviewer", "outsider"):
        client.force_login(getattr(people, persona))
        assert client.get(reverse("audit:revocations")).status_code == 403
