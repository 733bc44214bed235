"""PAdES signature of the decision PDF: made with the signer's PKCS#12, validated with pyHanko, broken by any change."""

import pytest
from django.urls import reverse

from approvals import documents, signing
from approvals.models import SignerPosition, SignerProfile
from tests.approvals.test_documents import approved
from tests.factories import unit
from workflows.services import decision_sign


@pytest.fixture
def signed(people, django_capture_on_commit_callbacks):
    assert (
        signing.demo_pki_install(
            signers=[(people.chairman, unit("BT"), SignerPosition.HEAD)], passphrase="pw"
        )
        == 1
    )
    nominations = [approved(people, "Nguyễn Văn An"), approved(people, "Lê Thị Hoa")]
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_sign(actor=people.chairman, nominations=nominations)
    decision.refresh_from_db()
    return decision


def test_signed_decision_pdf_carries_a_valid_pades_signature(signed):
    assert signed.is_digitally_signed
    pdf = signed.pdf.read()
    assert b"/ETSI.CAdES.detached" in pdf
    check = signing.pdf_signature_check(pdf)
    assert check.is_valid and check.message == "Chữ ký số hợp lệ"
    assert check.signer == "Trần Ngọc Tam"


def test_a_pdf_changed_after_signing_fails_validation(signed):
    pdf = bytearray(signed.pdf.read())
    position = pdf.index(b"/Type /Page") if b"/Type /Page" in pdf else len(pdf) // 3
    pdf[position + 1] = ord("X")
    check = signing.pdf_signature_check(bytes(pdf))
    assert check.is_signed and not check.is_valid
    assert "không hợp lệ" in check.message


def test_a_certificate_from_an_untrusted_ca_is_not_valid(signed, settings):
    from django.core.files.storage import default_storage

    _dirs, files = default_storage.listdir(signing.ROOTS_DIR)
    for name in files:
        default_storage.delete(f"{signing.ROOTS_DIR}/{name}")
    check = signing.pdf_signature_check(signed.pdf.read())
    assert check.is_signed and not check.is_valid


def test_public_verification_page_and_inspector_trace_show_a_valid_signature(client, people, signed):
    certificate = signed.certificates.first()
    response = client.get(reverse("public:verify", args=[certificate.verification_code]))
    assert "Chữ ký số hợp lệ" in response.content.decode()
    client.force_login(people.inspector)
    response = client.get(reverse("audit:decision_trace"), {"number": signed.number})
    assert "Chữ ký số hợp lệ" in response.content.decode()


def test_without_a_configured_certificate_the_decision_is_issued_unsigned(
    people, django_capture_on_commit_callbacks
):
    assert not SignerProfile.objects.filter(user=people.chairman).exclude(pkcs12="").exists()
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_sign(actor=people.chairman, nominations=[approved(people, "Võ Văn Tư")])
    decision.refresh_from_db()
    assert decision.pdf and not decision.is_digitally_signed
    check = documents.decision_signature_check(decision)
    assert not check.is_signed and check.message == "Văn bản không có chữ ký số."
