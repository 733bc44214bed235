"""Revoking a signed award: an inspector opens it on a legal ground, the issuing unit's signer decides; all audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import Certificate, RevocationGround, RevocationStatus
from approvals.revocations import revocation_decide, revocation_open, revocations_visible_to
from audit.models import Event
from audit.verify import chain_verify
from nominations.models import AwardHistory, Status
from tests.factories import file_nomination, pdf_upload
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)


def _awarded(people):
    nomination = file_nomination(people.clerk)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    decision_sign(actor=people.chairman, nominations=[nomination])
    return Certificate.objects.select_related("decision").get(nomination=nomination)


@pytest.fixture
def certificate(people):
    return _awarded(people)


def _open(people, certificate, **kwargs):
    values = {
        "ground": RevocationGround.FALSE_DOCUMENTS,
        "statement": "Kết luận thanh tra số 12/KL-TTr: giả mạo giấy chứng nhận sáng kiến.",
        "evidence": pdf_upload("ket-luan-thanh-tra.pdf"),
    }
    values.update(kwargs)
    return revocation_open(actor=people.inspector, certificate=certificate, **values)


def test_approved_revocation_marks_certificate_history_and_nomination(people, certificate):
    revocation = _open(people, certificate)
    assert revocation.status == RevocationStatus.OPEN and revocation.evidence.name.endswith(".pdf")
    revocation_decide(actor=people.chairman, revocation=revocation, approve=True, note="Đồng ý thu hồi.")
    certificate.refresh_from_db()
    revocation.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_at is not None
    assert revocation.status == RevocationStatus.APPROVED and revocation.decided_by == people.chairman
    assert AwardHistory.objects.get(nomination=certificate.nomination).is_revoked
    certificate.nomination.refresh_from_db()
    assert certificate.nomination.status == Status.REVOKED
    events = list(Event.objects.filter(action__startswith="revocation.").order_by("id"))
    assert [(e.action, e.actor_name, e.role, e.unit_code) for e in events] == [
        ("revocation.open", "inspector", "inspector", "BT"),
        ("revocation.approve", "chairman", "approver", "BT"),
    ]
    assert events[0].data["ground"] == "false_documents" and len(events[0].data["evidence"]["sha256"]) == 64
    assert events[1].data["changes"]["nomination.status"] == ["awarded", "revoked"]
    assert {e.nomination_id for e in events} == {certificate.nomination_id}
    assert chain_verify().ok


def test_dismissed_revocation_leaves_the_award_standing(people, certificate):
    revocation = _open(people, certificate, evidence=None)
    revocation_decide(actor=people.chairman, revocation=revocation, approve=False, note="Không đủ căn cứ.")
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    assert not AwardHistory.objects.get(nomination=certificate.nomination).is_revoked
    assert Event.objects.filter(action="revocation.dismiss", reason="Không đủ căn cứ.").count() == 1


@pytest.mark.parametrize(
    "persona", ["clerk", "district_reviewer", "province_reviewer", "chairman", "outsider", "vl_chairman"]
)
def test_only_an_inspector_of_the_issuer_opens_a_revocation(people, certificate, persona):
    with pytest.raises(PermissionDenied):
        revocation_open(
            actor=getattr(people, persona), certificate=certificate, ground="fraudulent", statement="x"
        )
    assert not Event.objects.filter(action="revocation.open").exists()


@pytest.mark.parametrize(
    "persona", ["inspector", "province_reviewer", "district_chairman", "vl_chairman", "clerk"]
)
def test_only_a_signer_of_the_issuer_decides(people, certificate, persona):
    revocation = _open(people, certificate)
    with pytest.raises(PermissionDenied):
        revocation_decide(actor=getattr(people, persona), revocation=revocation, approve=True, note="Đồng ý.")
    revocation.refresh_from_db()
    assert revocation.status == RevocationStatus.OPEN
    assert not Event.objects.filter(action__in=["revocation.approve", "revocation.dismiss"]).exists()


def test_bad_input_gives_vietnamese_field_errors_and_no_event(people, certificate):
    with pytest.raises(ValidationError) as excinfo:
        _open(
            people,
            certificate,
            ground="khong_ro",
            statement="  ",
            evidence=SimpleUploadedFile("virus.exe", b"MZ..."),
        )
    errors = excinfo.value.message_dict
    assert errors["ground"] == ["Vui lòng chọn một căn cứ hủy bỏ, thu hồi theo quy định."]
    assert errors["statement"] == ["Vui lòng nêu nội dung, kết luận dẫn đến đề nghị thu hồi."]
    assert "Loại tệp .exe không được chấp nhận" in errors["evidence"][0]
    revocation = _open(people, certificate)
    with pytest.raises(ValidationError) as excinfo:
        _open(people, certificate)
    assert "đang chờ quyết định" in excinfo.value.message_dict["certificate"][0]
    with pytest.raises(ValidationError) as excinfo:
        revocation_decide(actor=people.chairman, revocation=revocation, approve=True, note=" ")
    assert excinfo.value.message_dict == {"note": ["Vui lòng ghi ý kiến quyết định."]}
    assert Event.objects.filter(action__startswith="revocation.").count() == 1


def test_a_decided_revocation_cannot_be_decided_again_nor_a_revoked_award_reopened(people, certificate):
    revocation = _open(people, certificate)
    revocation_decide(actor=people.chairman, revocation=revocation, approve=True, note="Đồng ý thu hồi.")
    with pytest.raises(ValidationError) as excinfo:
        revocation_decide(actor=people.chairman, revocation=revocation, approve=False, note="Đổi ý.")
    assert "đã được quyết định" in excinfo.value.message_dict["revocation"][0]
    with pytest.raises(ValidationError) as excinfo:
        _open(people, certificate)
    assert "đã bị hủy bỏ, thu hồi" in excinfo.value.message_dict["certificate"][0]


def test_revocations_are_visible_to_the_issuers_inspector_and_signer_only(people, certificate):
    revocation = _open(people, certificate)
    for persona in ("inspector", "chairman"):
        assert list(revocations_visible_to(getattr(people, persona))) == [revocation]
    for persona in ("clerk", "province_reviewer", "vl_chairman", "outsider"):
        assert not revocations_visible_to(getattr(people, persona)).exists()
