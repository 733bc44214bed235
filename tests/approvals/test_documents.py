"""Decision and certificate documents: rendered after signing, stored once, downloadable only by those entitled."""

import io
import re
import zlib

import pytest
from django.urls import reverse

from approvals import documents
from approvals.models import Certificate, Decision
from audit.models import Event
from tests.factories import file_nomination
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)


def inflated(pdf):
    """The PDF with every Flate stream decompressed (font names live in compressed object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def approved(people, full_name):
    nomination = file_nomination(people.clerk, full_name=full_name)
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    return nomination


@pytest.fixture
def signed(people, django_capture_on_commit_callbacks):
    nominations = [approved(people, "Nguyễn Văn An"), approved(people, "Trần Thị Ngọc Hường")]
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_sign(actor=people.chairman, nominations=nominations)
    decision.refresh_from_db()
    return decision


def test_signing_renders_and_stores_all_documents(signed):
    assert signed.pdf.name.endswith(".pdf") and signed.docx.name.endswith(".docx")
    pdf = signed.pdf.read()
    assert pdf.startswith(b"%PDF")
    # The shipped font is embedded under its own family name: no system font was substituted.
    fonts = set(re.findall(rb"/FontName\s*/[A-Z]{6}\+([\w-]+)", inflated(pdf)))
    assert fonts and all(font.startswith(b"ThiDuaSerif") for font in fonts)
    assert b"ThiDuaSerif-Bold" in fonts
    certificates = list(signed.certificates.all())
    assert len(certificates) == 2 and all(c.pdf.name.endswith(".pdf") for c in certificates)
    assert b"ThiDuaSerif" in inflated(certificates[0].pdf.read())
    events = Event.objects.filter(action="document.generate", chain=f"decision:{signed.pk}")
    assert events.count() == 4  # decision pdf, docx, two certificates


def test_each_certificate_file_is_its_own_one_page(signed):
    """The certificates are laid out together and written page by page: each file holds its own page only."""
    from pypdf import PdfReader

    certificates = list(signed.certificates.select_related("nomination__nominee").order_by("serial"))
    texts = []
    for certificate in certificates:
        data = certificate.pdf.read()
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1
        texts.append(" ".join(reader.pages[0].extract_text().split()))
    for certificate, text in zip(certificates, texts, strict=True):
        assert certificate.serial in text and certificate.nomination.nominee.full_name.upper() in text.upper()
        others = [c for c in certificates if c.pk != certificate.pk]
        assert all(other.serial not in text for other in others)


def test_certificate_qr_code_reads_back_as_its_verification_link(signed):
    """The QR code (one pixel per module, scaled without smoothing) scans from the printed page: the certificate PDF
    rasterised at 150 dpi, as a phone camera or office scanner sees it, decodes to the verification link."""
    import pypdfium2
    import zxingcpp

    for certificate in signed.certificates.order_by("serial"):
        page = pypdfium2.PdfDocument(certificate.pdf.read())[0]
        codes = zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())
        assert [code.text for code in codes] == [documents.verification_url(certificate)]


def test_docx_has_the_decision_and_its_annex(signed):
    from docx import Document

    doc = Document(io.BytesIO(signed.docx.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "QUYẾT ĐỊNH" in text and "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẾN TRE" in text
    assert "Tổng số tiền thưởng là 4.680.000 đồng" in text
    annex = doc.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in annex.rows]
    assert rows[1][1] == "Nguyễn Văn An" and rows[2][1] == "Trần Thị Ngọc Hường"
    assert rows[1][-1] == "2.340.000" and rows[-1][-1] == "4.680.000"


def test_decision_html_lists_awardees_and_amounts(signed):
    from django.template.loader import render_to_string

    html = render_to_string("documents/decision.html", documents.decision_context(signed))
    assert "DANH SÁCH KHEN THƯỞNG" in html and "Trần Thị Ngọc Hường" in html and "4.680.000" in html
    assert signed.number in html


def test_certificate_carries_serial_and_verification_link(signed, settings):
    from django.template.loader import render_to_string

    settings.SITE_URL = "https://thidua.bentre.gov.vn"
    certificate = signed.certificates.order_by("serial").first()
    url = documents.verification_url(certificate)
    assert url == f"https://thidua.bentre.gov.vn/cong-khai/xac-minh/{certificate.verification_code}/"
    assert documents.qr_data_uri(url).startswith("data:image/png;base64,")
    # The certificate page is rendered from the same context the PDF uses.
    html = render_to_string("documents/certificate.html", documents.certificate_context(certificate))
    assert certificate.serial in html and url in html and "Nguyễn Văn An" in html
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẾN TRE" in html and "BẰNG KHEN" in html
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in html
    assert f"Quyết định số {signed.number}" in html and "Hoàn thành xuất sắc nhiệm vụ năm." in html
    assert "2.340.000" not in html and "tiền thưởng" not in html.lower()  # no money on the face


def test_rendering_again_stores_nothing_new(signed):
    names = (signed.pdf.name, signed.docx.name)
    assert documents.decision_documents_render(signed.pk) == []
    signed.refresh_from_db()
    assert (signed.pdf.name, signed.docx.name) == names
    assert Event.objects.filter(action="document.generate", chain=f"decision:{signed.pk}").count() == 4


def test_a_late_duplicate_delivery_does_not_overwrite(signed):
    """Two deliveries rendered concurrently: the one that loses the row lock stores nothing."""
    stored = documents._attach(
        Decision,
        signed.pk,
        "pdf",
        "decisions/x.pdf",
        b"%PDF-late",
        {"obj": signed, "chain": f"decision:{signed.pk}"},
    )
    assert stored is False
    signed.refresh_from_db()
    assert signed.pdf.name != "decisions/x.pdf"


def test_missing_certificate_is_rendered_on_the_next_run(signed):
    certificate = signed.certificates.first()
    Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    assert documents.decision_documents_render(signed.pk) == [documents._certificate_name(certificate)]


# ----------------------------------------------------------------------------------------------- downloads
def url(name, pk):
    return reverse(f"documents:{name}", args=[pk])


@pytest.mark.parametrize("who", ["chairman", "province_reviewer", "inspector"])
def test_issuer_staff_and_inspector_download_the_decision(client, people, signed, who):
    client.force_login(getattr(people, who))
    response = client.get(url("decision_pdf", signed.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    response = client.get(url("decision_docx", signed.pk))
    assert response.status_code == 200
    event = Event.objects.filter(action="read.download").latest("at")
    assert event.actor_id == getattr(people, who).pk and event.data["kind"] == "docx"


@pytest.mark.parametrize(
    "who", ["head", "clerk", "district_reviewer", "other_reviewer", "vl_chairman", "outsider"]
)
def test_others_get_404_for_the_decision(client, people, signed, who):
    client.force_login(getattr(people, who))
    assert client.get(url("decision_pdf", signed.pk)).status_code == 404
    assert client.get(url("decision_docx", signed.pk)).status_code == 404
    assert not Event.objects.filter(action="read.download").exists()


def test_proposing_unit_downloads_its_own_certificate_only(
    client, people, signed, django_capture_on_commit_callbacks
):
    own = signed.certificates.order_by("serial").first()
    client.force_login(people.head)
    assert client.get(url("certificate_pdf", own.pk)).status_code == 200
    client.force_login(people.clerk)
    assert client.get(url("certificate_pdf", own.pk)).status_code == 200
    assert Event.objects.filter(action="read.download", nomination_id=own.nomination_id).count() == 2

    # A certificate of another unit's nomination (Sở Giáo dục) is not theirs.
    foreign = file_nomination(people.dept_clerk, unit_code="BT.SGDDT", full_name="Đoàn Thị Lụa")
    nomination_submit(actor=people.dept_head, nomination=foreign)
    task = open_task_of(foreign)
    if task.step == "review":
        review_forward(actor=people.dept_reviewer, task_id=task.task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(foreign).task_id)
    with django_capture_on_commit_callbacks(execute=True):
        other_decision = decision_sign(actor=people.chairman, nominations=[foreign])
    foreign_cert = other_decision.certificates.get()
    assert client.get(url("certificate_pdf", foreign_cert.pk)).status_code == 404
    client.force_login(people.dept_head)
    assert client.get(url("certificate_pdf", foreign_cert.pk)).status_code == 200
    assert client.get(url("certificate_pdf", own.pk)).status_code == 404


@pytest.mark.parametrize("who", ["other_clerk", "district_reviewer", "outsider"])
def test_others_get_404_for_a_certificate(client, people, signed, who):
    client.force_login(getattr(people, who))
    assert client.get(url("certificate_pdf", signed.certificates.first().pk)).status_code == 404


def test_anonymous_is_sent_to_login(client, signed):
    response = client.get(url("decision_pdf", signed.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_not_yet_rendered_says_it_is_being_made_not_404(client, people, signed):
    Decision.objects.filter(pk=signed.pk).update(pdf="")
    client.force_login(people.chairman)
    pending = client.get(url("decision_pdf", signed.pk))
    assert pending.status_code == 202 and "Đang tạo văn bản" in pending.content.decode()
    assert client.get(url("decision_pdf", 999999)).status_code == 404
    client.force_login(people.outsider)
    assert client.get(url("decision_pdf", signed.pk)).status_code == 404  # who may not read it still gets 404


def test_signing_stores_each_amount_with_its_calculation_and_the_base_salary(signed):
    assert signed.base_salary == 2340000
    certificates = list(signed.certificates.all())
    assert [c.amount for c in certificates] == [2340000, 2340000]
    assert all("1 × 2.340.000" in c.amount_basis for c in certificates)
    assert signed.total_amount == 4680000
