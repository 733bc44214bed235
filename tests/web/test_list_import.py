"""The nomination list page (issue 16): template download, upload and preview with each row's errors, filing the
list, and who may do it."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from nominations.models import Nomination, Submission
from tests.factories import unit
from tests.workflows.test_list_import import HEADERS, _row, _thirty, _xlsx

COMMUNE = "BT.MCN.DINHTHUY"


def _upload(client, upload):
    return client.post(reverse("nominations:list_import"), {"unit": unit(COMMUNE).pk, "file": upload})


def test_clerk_downloads_the_template_of_an_award(client, people):
    client.force_login(people.clerk)
    response = client.get(reverse("nominations:list_template"), {"award": "giay_khen"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS


def test_unknown_award_template_is_404(client, people):
    client.force_login(people.clerk)
    assert client.get(reverse("nominations:list_template"), {"award": "khong_co"}).status_code == 404


def test_preview_names_the_bad_rows_and_filing_the_file_creates_nothing(client, people):
    client.force_login(people.clerk)
    response = _upload(client, _xlsx(_thirty({4: {"Số CCCD": "12345"}, 17: {"Năm sinh": 1850}})))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="has-error"') == 2
    assert "Cột “Số CCCD”: Số CCCD phải gồm đúng 12 chữ số." in page
    assert 'data-testid="file-list"' not in page and 'data-testid="file-valid-rows"' in page
    # Posting the confirmation without accepting only the valid rows files nothing.
    response = client.post(reverse("nominations:list_import_confirm"))
    assert response.status_code == 302 and not Nomination.objects.exists()


def test_the_fixed_file_is_filed_under_one_submission(client, people):
    client.force_login(people.clerk)
    response = _upload(client, _xlsx(_thirty()))
    assert 'data-testid="file-list"' in response.content.decode()
    response = client.post(reverse("nominations:list_import_confirm"))
    assert response.status_code == 302
    assert Nomination.objects.count() == 30 and Submission.objects.count() == 1
    assert not client.session.get("nomination_list_pending")


def test_the_same_file_again_is_shown_as_already_imported(client, people):
    client.force_login(people.clerk)
    data = _xlsx([_row(1)]).read()
    _upload(client, SimpleUploadedFile("a.xlsx", data))
    client.post(reverse("nominations:list_import_confirm"))
    response = _upload(client, SimpleUploadedFile("a.xlsx", data))
    assert 'data-testid="already-imported"' in response.content.decode()
    assert 'data-testid="file-list"' not in response.content.decode()
    assert Nomination.objects.count() == 1


def test_a_wrong_file_type_is_a_field_error(client, people):
    client.force_login(people.clerk)
    response = _upload(client, SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    assert response.status_code == 400 and "Loại tệp .pdf không được chấp nhận" in response.content.decode()


def test_reviewer_and_outsider_may_not_open_or_post(client, people):
    for persona in (people.district_reviewer, people.outsider):
        client.force_login(persona)
        assert client.get(reverse("nominations:list_import")).status_code == 403
        assert _upload(client, _xlsx([_row(1)])).status_code == 403
        assert client.get(reverse("nominations:list_template"), {"award": "giay_khen"}).status_code == 403
        assert client.post(reverse("nominations:list_import_confirm")).status_code == 404
    assert not Nomination.objects.exists()


def test_a_clerk_of_another_unit_cannot_file_a_pending_list_for_this_unit(client, people):
    client.force_login(people.clerk)
    _upload(client, _xlsx([_row(1)]))
    pending = client.session["nomination_list_pending"]
    client.force_login(people.other_clerk)
    session = client.session
    session["nomination_list_pending"] = pending
    session.save()
    assert client.post(reverse("nominations:list_import_confirm")).status_code == 404
    assert not Nomination.objects.exists()
