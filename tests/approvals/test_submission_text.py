"""The tờ trình and its danh sách trích ngang: one text, the same paragraphs in the PDF and the .docx; the signed
scan; the reviewers' page cites it."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from approvals import submission_documents
from approvals.submission_text import submission_text
from audit.models import Event
from nominations.selectors import get_submission_for_user, submission_nominations
from nominations.services import submission_scan_attach
from tests.factories import file_nomination, pdf_upload
from workflows.batch import submission_create

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường"]


@pytest.fixture
def submission(people):
    nominations = [file_nomination(people.clerk, full_name=name) for name in NAMES]
    nominations.append(
        file_nomination(people.clerk, award_code="lao_dong_tien_tien", full_name="Phạm Thị Dung", position="")
    )
    return submission_create(
        actor=people.head, unit=nominations[0].unit, nominations=nominations, number="15/TTr-UBND"
    )


def _pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return reader, " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _docx_paragraphs(data):
    from docx import Document

    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(p.text for p in cell.paragraphs)
    return doc, paragraphs


def test_the_text_has_number_date_addressee_and_lists_every_nomination(submission):
    text = submission_text(submission, submission_nominations(submission))
    paragraphs = text.paragraphs()
    assert "Số: 15/TTr-UBND" in paragraphs and text.kind == "TỜ TRÌNH"
    assert text.issuer_line == "ỦY BAN NHÂN DÂN XÃ ĐỊNH THỦY"
    assert text.place_date.startswith("Bến Tre, ngày ")
    assert text.addressee == "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Bến Tre."
    assert any("Bằng khen" in line and "03 cá nhân" in line for line in text.body)
    assert any("Lao động tiên tiến" in line and "01 cá nhân" in line for line in text.body)
    assert sorted(row[1] for row in text.list_rows) == sorted([*NAMES, "Phạm Thị Dung"])
    assert [row[0] for row in text.list_rows] == ["1", "2", "3", "4"]
    assert text.list_note.startswith("(Kèm theo Tờ trình số 15/TTr-UBND ngày ")
    assert text.signer_lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


def test_pdf_and_docx_hold_the_same_paragraphs_and_the_list(submission):
    text = submission_text(submission, submission_nominations(submission))
    reader, pdf_text = _pdf_text(submission_documents.submission_pdf_bytes(submission))
    doc, docx_paragraphs = _docx_paragraphs(submission_documents.submission_docx_bytes(submission))
    for paragraph in text.paragraphs():
        assert " ".join(paragraph.split()) in pdf_text, paragraph
        assert paragraph in docx_paragraphs, paragraph
    for row in text.list_rows:
        for value in row:
            assert " ".join(value.split()) in pdf_text, value
            assert value in docx_paragraphs, value
    first = reader.pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (595, 842)  # A4
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.left_margin.mm), round(section.right_margin.mm)) == (
        210,
        30,
        15,
    )


def test_a_submission_without_a_number_leaves_the_blank_for_the_clerk(people):
    nomination = file_nomination(people.clerk)
    blank = submission_create(actor=people.head, unit=nomination.unit, nominations=[nomination])
    assert submission_text(blank, [nomination]).number_line == "Số:      /TTr-UBND"


def test_the_head_uploads_the_signed_scan_audited(client, people, submission):
    nomination = submission.nominations.first()
    client.force_login(people.head)
    response = client.post(
        reverse("nominations:submission_scan", args=[submission.pk]),
        {"file": pdf_upload("to-trinh-ky.pdf"), "nomination": nomination.pk},
    )
    assert response.status_code == 302 and response.url.endswith(f"/{nomination.pk}/#to-trinh")
    submission.refresh_from_db()
    assert (
        submission.scan
        and submission.scan_name == "to-trinh-ky.pdf"
        and submission.scan_uploaded_by == people.head
    )
    event = Event.objects.get(action="submission.scan")
    assert event.data["sha256"] == submission.scan_sha256
    download = client.get(reverse("nominations:submission_document", args=[submission.pk, "scan"]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_scan_is_checked_like_a_dossier_file(client, people, submission):
    client.force_login(people.head)
    client.post(
        reverse("nominations:submission_scan", args=[submission.pk]),
        {"file": pdf_upload("to-trinh.exe")},
    )
    submission.refresh_from_db()
    assert not submission.scan and not Event.objects.filter(action="submission.scan").exists()


def test_only_the_units_head_uploads_the_scan(people, submission):
    # The clerk reads the list but does not submit; another unit's head and an outsider do not see it at all.
    with pytest.raises(PermissionDenied):
        get_submission_for_user(people.clerk, submission.pk, "edit")
    with pytest.raises(PermissionDenied):
        submission_scan_attach(actor=people.clerk, submission=submission, uploaded=pdf_upload())
    for stranger in (people.other_clerk, people.outsider, people.vl_head):
        with pytest.raises(Http404):
            get_submission_for_user(stranger, submission.pk, "edit")
        with pytest.raises(PermissionDenied):
            submission_scan_attach(actor=stranger, submission=submission, uploaded=pdf_upload())
    assert not Event.objects.filter(action="submission.scan").exists()


def test_outsiders_cannot_download_the_draft(client, people, submission):
    for stranger in (people.other_clerk, people.outsider):
        client.force_login(stranger)
        url = reverse("nominations:submission_document", args=[submission.pk, "docx"])
        assert client.get(url).status_code == 404


def test_the_reviewers_page_cites_the_submission_and_offers_its_documents(client, people, submission):
    nomination = submission.nominations.filter(award_type__code="bang_khen_tinh").first()
    client.force_login(people.district_reviewer)
    body = client.get(reverse("nominations:detail", args=[nomination.pk])).content.decode()
    on = submission.submitted_at.date()
    assert f"Tờ trình số 15/TTr-UBND ngày {on:%d/%m/%Y} của Xã Định Thủy" in body
    assert reverse("nominations:submission_document", args=[submission.pk, "pdf"]) in body
    assert (
        reverse("nominations:submission_scan", args=[submission.pk]) not in body
    )  # not the reviewer's to upload
    response = client.get(reverse("nominations:submission_document", args=[submission.pk, "docx"]))
    assert response.status_code == 200
    assert Event.objects.filter(action="read.download", object_id=str(submission.pk)).exists()
