"""The registry through the API: people and collectives of the caller's subtree only (search without accents, exact
citizen-ID lookup that reveals nothing outside it), a record's history with sources, one back-filled entry, and the
history import (check → report by row and column → load; nothing written from a bad file unless the valid rows are
accepted). Every read of another subtree answers 404, every write of who may not make it 403 or 404."""

import hashlib
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import Event
from nominations.models import AwardHistory, Collective, HistoryImport, HistorySource, Person
from organisation.services import membership_grant
from tests.factories import file_nomination, unit
from tests.nominations.test_history_import import _row, _workbook

CCCD = "083090007777"
ENTRY = {
    "award_code": "chien_si_thi_dua_co_so",
    "year": 2022,
    "decision_number": "12/QĐ-UBND",
    "decided_on": "2023-01-15",
    "issuer": "UBND xã Định Thủy",
}
OUTSIDERS = ["other_clerk", "vl_clerk", "vl_reviewer", "outsider"]
READERS_ONLY = ["district_reviewer", "province_reviewer", "inspector"]


@pytest.fixture
def person(people):
    nomination = file_nomination(people.clerk, full_name="Nguyễn Thị Đào", citizen_id=CCCD, birth_year=1975)
    return nomination.nominee.person


@pytest.fixture
def collective(people):
    nomination = file_nomination(people.clerk, kind="collective", full_name="Tổ Một cửa xã Định Thủy")
    return nomination.nominee.collective


def _text(response):
    return json.dumps(response.json(), ensure_ascii=False)


def test_people_list_finds_own_subtree_without_accents_and_by_citizen_id(people, as_user, person):
    for who in ("clerk", "district_reviewer", "province_reviewer", "inspector"):
        client = as_user(getattr(people, who))
        found = client.get("/api/v1/people/", {"q": "nguyen thi dao"}).json()["results"]
        assert [p["id"] for p in found] == [person.pk], who
        by_id = client.get("/api/v1/people/", {"citizen_id": CCCD}).json()["results"]
        assert [p["id"] for p in by_id] == [person.pk], who
    body = as_user(people.clerk).get(f"/api/v1/people/{person.pk}/").json()
    assert body["full_name"] == "Nguyễn Thị Đào" and body["unit"] == "BT.MCN.DINHTHUY"
    assert CCCD not in json.dumps(body)  # the citizen ID is looked up, never returned


@pytest.mark.parametrize("who", OUTSIDERS)
def test_citizen_id_lookup_from_another_subtree_reveals_nothing(people, as_user, person, who):
    client = as_user(getattr(people, who))
    for query in ({"citizen_id": CCCD}, {"q": "Đào"}, {}):
        response = client.get("/api/v1/people/", query)
        assert response.status_code == 200
        assert response.json()["count"] == 0 and "Đào" not in _text(response), query


def test_citizen_id_lookup_must_be_twelve_digits(people, as_user):
    response = as_user(people.clerk).get("/api/v1/people/", {"citizen_id": "12345"})
    assert response.status_code == 400 and "12 chữ số" in _text(response)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("kind", ["people", "collectives"])
def test_another_subtrees_record_and_history_answer_404_and_nothing_is_written(
    people, as_user, person, collective, who, kind
):
    record = person if kind == "people" else collective
    client = as_user(getattr(people, who))
    assert client.get(f"/api/v1/{kind}/{record.pk}/").status_code == 404
    assert client.get(f"/api/v1/{kind}/{record.pk}/history/").status_code == 404
    response = client.post(f"/api/v1/{kind}/{record.pk}/history/", ENTRY, format="json")
    assert response.status_code == 404
    assert "Đào" not in _text(response) and "Một cửa" not in _text(response)
    assert not AwardHistory.objects.exists() and not Event.objects.filter(action="history.add").exists()


@pytest.mark.parametrize("who", READERS_ONLY)
@pytest.mark.parametrize("kind", ["people", "collectives"])
def test_who_only_reads_the_record_may_not_add_history(people, as_user, person, collective, who, kind):
    record = person if kind == "people" else collective
    client = as_user(getattr(people, who))
    assert client.get(f"/api/v1/{kind}/{record.pk}/history/").status_code == 200
    response = client.post(f"/api/v1/{kind}/{record.pk}/history/", ENTRY, format="json")
    assert response.status_code == 403
    assert not AwardHistory.objects.exists()


def test_clerk_adds_an_entry_and_reads_the_history_with_its_source(people, as_user, person):
    client = as_user(people.clerk)
    url = f"/api/v1/people/{person.pk}/history/"
    errors = client.post(url, {**ENTRY, "award_code": "khong_co", "issuer": " "}, format="json")
    assert errors.status_code == 400 and set(errors.json()) == {"issuer"}  # the serializer's field first
    errors = client.post(url, {**ENTRY, "award_code": "khong_co", "year": 1900}, format="json")
    assert errors.status_code == 400 and set(errors.json()) == {"award_code", "year"}
    assert not AwardHistory.objects.exists()
    created = client.post(url, ENTRY, format="json")
    assert created.status_code == 201, created.json()
    history = client.get(url).json()["results"]
    assert [(h["award_code"], h["year"], h["source"], h["decided_on"]) for h in history] == [
        ("chien_si_thi_dua_co_so", 2022, HistorySource.BACKFILL, "2023-01-15")
    ]
    event = Event.objects.get(action="history.add")
    assert event.data["person"] == person.pk and event.unit_code == "BT.MCN.DINHTHUY"


def test_a_district_filing_clerk_writes_the_history_of_its_communes_people(people, as_user, person):
    # The filing subtree writes, as the person page offers (the service used to ask for the person's own unit).
    district_clerk = get_user_model().objects.create(username="mcn_clerk")
    membership_grant(user=district_clerk, unit=unit("BT.MCN"), role="unit_clerk")
    response = as_user(district_clerk).post(f"/api/v1/people/{person.pk}/history/", ENTRY, format="json")
    assert response.status_code == 201, response.json()
    assert AwardHistory.objects.get().person == person
    other = file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Trần Văn Xa")
    response = as_user(district_clerk).post(
        f"/api/v1/people/{other.nominee.person_id}/history/", ENTRY, format="json"
    )
    assert response.status_code == 404


def test_collectives_list_is_scoped_and_a_unit_is_its_own_collective(people, as_user, collective):
    own_unit = file_nomination(people.clerk, kind="collective", full_name="xa dinh thuy").nominee.collective
    assert own_unit.is_unit and own_unit.unit.code == "BT.MCN.DINHTHUY"
    found = as_user(people.clerk).get("/api/v1/collectives/", {"q": "mot cua"}).json()["results"]
    assert [(c["id"], c["is_unit"]) for c in found] == [(collective.pk, False)]
    units = as_user(people.district_reviewer).get("/api/v1/collectives/", {"q": "định thủy"}).json()
    assert {c["id"] for c in units["results"]} == {collective.pk, own_unit.pk}
    assert as_user(people.other_clerk).get("/api/v1/collectives/").json()["count"] == 0
    response = as_user(people.clerk).post(
        f"/api/v1/collectives/{own_unit.pk}/history/",
        {**ENTRY, "award_code": "tap_the_lao_dong_tien_tien"},
        format="json",
    )
    assert response.status_code == 201
    assert AwardHistory.objects.get().collective == own_unit


# -- the history import ----------------------------------------------------------------------------------------


def _upload(rows, name="lich-su.xlsx"):
    return _workbook(rows, name=name)


def _check(client, rows, unit="BT.MCN.DINHTHUY"):
    return client.post(
        "/api/v1/history-imports/check/", {"unit": unit, "file": _upload(rows)}, format="multipart"
    )


def _load(client, rows, unit="BT.MCN.DINHTHUY", sha256=None, **extra):
    upload = _upload(rows)
    digest = sha256 or hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    data = {"unit": unit, "file": upload, "sha256": digest, **extra}
    return client.post("/api/v1/history-imports/", data, format="multipart")


BAD_ROWS = [_row(year=2021), _row(year=2022, **{"Mã khen thưởng": "khong_co"}), _row(year=2023)]


def test_check_reports_rows_and_columns_and_writes_nothing(people, as_user):
    response = _check(as_user(people.clerk), BAD_ROWS)
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["rows_total"] == 3 and report["rows_valid"] == 2 and report["bad_rows"] == [3]
    assert report["errors"] == [
        {
            "row": 3,
            "column": "Mã khen thưởng",
            "message": report["errors"][0]["message"],
        }
    ]
    assert "khong_co" in report["errors"][0]["message"]
    assert report["can_load"] is False and report["can_load_valid_rows"] is True
    assert len(report["sha256"]) == 64
    assert not AwardHistory.objects.exists() and not HistoryImport.objects.exists()
    assert not Person.objects.filter(full_name="Lê Thị Mẫu").exists()


def test_load_of_a_bad_file_writes_nothing_unless_the_valid_rows_are_accepted(people, as_user):
    client = as_user(people.clerk)
    refused = _load(client, BAD_ROWS)
    assert refused.status_code == 400 and "Dòng 3" in _text(refused)
    assert not AwardHistory.objects.exists() and not HistoryImport.objects.exists()
    assert not Person.objects.filter(full_name="Lê Thị Mẫu").exists()
    loaded = _load(client, BAD_ROWS, valid_rows_only="true")
    assert loaded.status_code == 201, loaded.json()
    assert loaded.json()["rows_total"] == 3 and loaded.json()["rows_loaded"] == 2
    assert sorted(AwardHistory.objects.values_list("year", flat=True)) == [2021, 2023]
    event = Event.objects.get(action="history.import")
    assert event.data["sha256"] == loaded.json()["sha256"] and event.data["skipped_rows"] == [3]


def test_load_refuses_a_file_other_than_the_checked_one(people, as_user):
    response = _load(as_user(people.clerk), [_row()], sha256="0" * 64)
    assert response.status_code == 400 and set(response.json()) == {"sha256"}
    assert not AwardHistory.objects.exists()


@pytest.mark.parametrize(
    "who", ["other_clerk", "vl_clerk", "district_reviewer", "province_reviewer", "inspector"]
)
def test_only_the_units_filing_staff_check_and_load_its_history(people, as_user, who):
    client = as_user(getattr(people, who))
    assert _check(client, [_row()]).status_code == 403
    assert _load(client, [_row()]).status_code == 403
    assert client.get("/api/v1/history-imports/template/").status_code == (
        200 if who in ("other_clerk", "vl_clerk") else 403
    )
    assert not AwardHistory.objects.exists() and not HistoryImport.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"unit": "BT.MCN.DINHTHUY"}, "file"),
        ({"unit": "KHONG.CO", "file": "x"}, "unit"),
        ({"unit": "BT.MCN.DINHTHUY", "file": SimpleUploadedFile("a.xlsx", b"not a workbook")}, "file"),
        ({"unit": "BT.MCN.DINHTHUY", "file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04broken")}, "file"),
        ({"unit": "BT.MCN.DINHTHUY", "file": SimpleUploadedFile("empty.xlsx", b"")}, "file"),
    ],
)
def test_odd_uploads_are_field_errors(people, as_user, data, field):
    response = as_user(people.clerk).post("/api/v1/history-imports/check/", data, format="multipart")
    assert response.status_code == 400 and field in response.json(), response.json()


def test_a_file_without_data_rows_loads_nothing(people, as_user):
    client = as_user(people.clerk)
    assert _check(client, []).json()["can_load"] is False
    response = _load(client, [])
    assert response.status_code == 400 and not HistoryImport.objects.exists()


def test_template_download(people, as_user):
    response = as_user(people.clerk).get("/api/v1/history-imports/template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:2] == b"PK"


def test_import_of_a_unit_row_fills_the_units_own_collective(people, as_user):
    rows = [_row(name="Xã Định Thủy", cccd="", code="tap_the_lao_dong_tien_tien", **{"Đối tượng": "Tập thể"})]
    assert _load(as_user(people.clerk), rows).status_code == 201
    collective = Collective.objects.get()
    assert collective.is_unit and collective.unit.code == "BT.MCN.DINHTHUY"


# -- marking a back-filled award revoked -------------------------------------------------------------------------


def _backfilled(person, source=HistorySource.BACKFILL):
    return AwardHistory.objects.create(
        person=person, award_code="chien_si_thi_dua_co_so", year=2021, source=source
    )


def test_clerk_marks_a_backfilled_award_revoked_with_its_reason(people, as_user, person):
    entry = _backfilled(person)
    client = as_user(people.clerk)
    missing = client.post(f"/api/v1/history/{entry.pk}/revoke/", {}, format="json")
    assert missing.status_code == 400 and set(missing.json()) == {"reason"}
    response = client.post(f"/api/v1/history/{entry.pk}/revoke/", {"reason": "QĐ 5/QĐ-UBND"}, format="json")
    assert response.status_code == 200 and response.json()["is_revoked"] is True
    assert Event.objects.get(action="history.revoke").data["reason"] == "QĐ 5/QĐ-UBND"
    again = client.post(f"/api/v1/history/{entry.pk}/revoke/", {"reason": "lần nữa"}, format="json")
    assert again.status_code == 400


def test_an_award_of_a_decision_signed_here_is_not_revoked_by_hand(people, as_user, person):
    entry = _backfilled(person, source=HistorySource.DECISION)
    response = as_user(people.clerk).post(
        f"/api/v1/history/{entry.pk}/revoke/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert not entry.is_revoked


@pytest.mark.parametrize(("who", "status"), [(w, 404) for w in OUTSIDERS] + [(w, 403) for w in READERS_ONLY])
def test_who_may_not_write_the_record_may_not_revoke(people, as_user, person, who, status):
    entry = _backfilled(person)
    response = as_user(getattr(people, who)).post(
        f"/api/v1/history/{entry.pk}/revoke/", {"reason": "x"}, format="json"
    )
    assert response.status_code == status
    entry.refresh_from_db()
    assert not entry.is_revoked and not Event.objects.filter(action="history.revoke").exists()


def _zipped(members):
    """A zip archive holding `members` ({name: bytes}): looks like an .xlsx to a first glance."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


XLSX_PARTS = st.sampled_from(
    ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "_rels/.rels"]
)


@given(
    content=st.one_of(
        st.binary(max_size=512),
        st.dictionaries(XLSX_PARTS, st.binary(max_size=256), max_size=4).map(_zipped),
    )
)
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_any_uploaded_bytes_are_a_field_error_never_a_server_error(people, as_user, content):
    client = as_user(people.clerk)
    for url, extra in (
        ("/api/v1/history-imports/check/", {}),
        ("/api/v1/history-imports/", {"sha256": "0" * 64}),
    ):
        upload = SimpleUploadedFile("odd.xlsx", content)
        response = client.post(url, {"unit": "BT.MCN.DINHTHUY", "file": upload, **extra}, format="multipart")
        assert response.status_code == 400, (url, response.status_code)
    assert not HistoryImport.objects.exists()
