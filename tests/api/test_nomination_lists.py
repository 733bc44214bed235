"""The nomination list through the API (issue 16): check → validation report as JSON → file; the same file again
files nothing; who may send a list."""

from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import Event
from nominations.models import Nomination, Submission
from tests.workflows.test_list_import import _csv, _row, _thirty, _xlsx

CHECK = "/api/v1/nomination-lists/check/"
IMPORT = "/api/v1/nomination-lists/"
COMMUNE = "BT.MCN.DINHTHUY"


def test_check_reports_the_two_bad_rows_and_files_nothing(people, as_user):
    client = as_user(people.clerk)
    upload = _xlsx(_thirty({4: {"Số CCCD": "12345"}, 17: {"Năm sinh": 1850}}))
    response = client.post(CHECK, {"unit": COMMUNE, "file": upload}, format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["rows"] == 30 and body["valid"] == 28 and not body["already_imported"]
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(6, "Số CCCD"), (19, "Năm sinh")]
    assert body["errors"][0]["text"] == "Dòng 6, cột “Số CCCD”: Số CCCD phải gồm đúng 12 chữ số."
    upload.seek(0)
    response = client.post(IMPORT, {"unit": COMMUNE, "file": upload}, format="multipart")
    assert response.status_code == 400 and len(response.json()["file"]) == 2
    assert not Nomination.objects.exists() and not Submission.objects.exists()


def test_import_files_the_list_once(people, as_user):
    client = as_user(people.clerk)
    data = _xlsx(_thirty()).read()
    response = client.post(
        IMPORT, {"unit": COMMUNE, "file": SimpleUploadedFile("ds.xlsx", data)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] and body["filed"] == 30 and len(body["nominations"]) == 30
    assert set(Nomination.objects.values_list("submission_id", flat=True)) == {body["submission"]}
    assert Event.objects.get(action="nomination.list_import").channel == "api"
    again = client.post(
        IMPORT, {"unit": COMMUNE, "file": SimpleUploadedFile("ds.xlsx", data)}, format="multipart"
    )
    assert again.status_code == 200 and not again.json()["created"] and again.json()["id"] == body["id"]
    check = client.post(
        CHECK, {"unit": COMMUNE, "file": SimpleUploadedFile("ds.xlsx", data)}, format="multipart"
    )
    assert check.json()["already_imported"]
    assert Nomination.objects.count() == 30


def test_csv_and_valid_rows_only(people, as_user):
    client = as_user(people.head)
    upload = _csv([_row(1), _row(2, **{"Số CCCD": "x"})])
    response = client.post(
        IMPORT, {"unit": COMMUNE, "file": upload, "valid_rows_only": "true"}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["filed"] == 1 and response.json()["rows"] == 2


def test_field_errors_for_a_missing_file_or_unknown_unit(people, as_user):
    response = as_user(people.clerk).post(CHECK, {"unit": "KHONG.CO"}, format="multipart")
    assert response.status_code == 400 and set(response.json()) == {"unit", "file"}


def test_who_does_not_file_for_the_unit_is_refused(people, as_user):
    upload = _xlsx([_row(1)])
    for persona in (people.district_reviewer, people.inspector, people.outsider):
        for url in (CHECK, IMPORT):
            upload.seek(0)
            response = as_user(persona).post(url, {"unit": COMMUNE, "file": upload}, format="multipart")
            assert response.status_code == 403
    # A clerk of another commune files for their own unit only.
    upload.seek(0)
    response = as_user(people.other_clerk).post(IMPORT, {"unit": COMMUNE, "file": upload}, format="multipart")
    assert response.status_code == 403
    assert as_user(None).post(IMPORT, {}, format="multipart").status_code == 401
    assert not Nomination.objects.exists()
