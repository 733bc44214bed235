"""Back-filled award history from Excel: template, per-row validation naming row and column, nothing written from a
bad file unless the valid rows are accepted, audited with the file's hash; the web preview; the scoped pages."""

import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import Event
from nominations.history import history_columns, history_import_load, template_workbook
from nominations.models import AwardHistory, HistoryImport, HistorySource, Person
from tests.factories import unit


def _row(name="Lê Thị Mẫu", cccd="083085002222", code="chien_si_thi_dua_co_so", year=2022, **over):
    row = {
        "Đối tượng": "Cá nhân",
        "Họ tên / tên tập thể": name,
        "Số CCCD": cccd,
        "Năm sinh": 1985,
        "Mã khen thưởng": code,
        "Năm": year,
        "Số quyết định": f"{year % 100}/QĐ-UBND",
        "Ngày quyết định": f"15/01/{year + 1}",
        "Cơ quan ban hành": "UBND xã Định Thủy",
        "Đột xuất (có/không)": "không",
    }
    row.update(over)
    return row


def _workbook(rows, name="lich-su.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    headers = [column.header for column in history_columns()]
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_template_has_the_columns_and_an_example(db):
    sheet = load_workbook(io.BytesIO(template_workbook())).active
    assert [cell.value for cell in sheet[1]] == [column.header for column in history_columns()]
    assert sheet.max_row == 2


def test_valid_file_loads_every_row_and_is_audited_with_its_hash(people):
    upload = _workbook(
        [_row(year=2021), _row(year=2022), _row(name="Tổ 1", cccd="", **{"Đối tượng": "Tập thể"})]
    )
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    batch = history_import_load(actor=people.clerk, unit=unit("BT.MCN.DINHTHUY"), uploaded=upload)
    assert batch.rows_loaded == 3 and batch.sha256 == digest
    person = Person.objects.get(citizen_id="083085002222")
    assert sorted(person.awards.values_list("year", flat=True)) == [2021, 2022]
    assert set(AwardHistory.objects.values_list("source", flat=True)) == {HistorySource.IMPORT}
    event = Event.objects.get(action="history.import")
    assert event.data["sha256"] == digest and event.data["loaded"] == 3


def test_one_bad_row_is_named_by_row_and_column_and_nothing_is_written(people):
    upload = _workbook([_row(year=2021), _row(cccd="12345", year=2022), _row(year=2023)])
    with pytest.raises(ValidationError) as excinfo:
        history_import_load(actor=people.clerk, unit=unit("BT.MCN.DINHTHUY"), uploaded=upload)
    messages = excinfo.value.message_dict["file"]
    assert messages == ["Dòng 3, cột “Số CCCD”: Số CCCD phải gồm đúng 12 chữ số."]
    assert (
        not AwardHistory.objects.exists()
        and not HistoryImport.objects.exists()
        and not Person.objects.exists()
    )


def test_accepting_only_the_valid_rows_loads_them_and_records_the_skipped_rows(people):
    upload = _workbook([_row(year=2021), _row(code="khong_co", year=2022)])
    batch = history_import_load(
        actor=people.clerk, unit=unit("BT.MCN.DINHTHUY"), uploaded=upload, valid_rows_only=True
    )
    assert (batch.rows_total, batch.rows_loaded) == (2, 1)
    assert Event.objects.get(action="history.import").data["skipped_rows"] == [3]


def test_another_units_clerk_may_not_import_for_this_unit(people):
    with pytest.raises(PermissionDenied):
        history_import_load(
            actor=people.other_clerk, unit=unit("BT.MCN.DINHTHUY"), uploaded=_workbook([_row()])
        )
    assert not AwardHistory.objects.exists()


def test_import_reuses_the_person_of_the_subtree_not_another_units(people):
    mine = Person.objects.create(
        full_name="Lê Thị Mẫu", citizen_id="083085002222", unit=unit("BT.MCN.DINHTHUY")
    )
    theirs = Person.objects.create(
        full_name="Người Khác", citizen_id="083085003333", unit=unit("BT.BATRI.ANNGAITRUNG")
    )
    history_import_load(
        actor=people.clerk,
        unit=unit("BT.MCN.DINHTHUY"),
        uploaded=_workbook([_row(), _row(name="Người Khác", cccd="083085003333")]),
    )
    assert mine.awards.count() == 1 and theirs.awards.count() == 0


def test_web_preview_then_confirm(client, people):
    client.force_login(people.clerk)
    url = reverse("registry:history_import")
    response = client.post(
        url, {"unit": unit("BT.MCN.DINHTHUY").pk, "file": _workbook([_row(), _row(**{"Năm": "x"})])}
    )
    body = response.content.decode()
    assert "Dòng 3, cột “Năm”" in body and "1/2 dòng hợp lệ" in body
    assert not AwardHistory.objects.exists()
    client.post(reverse("registry:history_import_confirm"), {"valid_rows_only": "1"})
    assert AwardHistory.objects.count() == 1


def test_template_and_import_pages_refuse_people_without_a_filing_unit(client, people):
    client.force_login(people.district_reviewer)
    assert client.get(reverse("registry:history_template")).status_code == 403
    assert client.get(reverse("registry:history_import")).status_code == 403


def test_person_page_shows_history_with_sources_and_is_hidden_from_other_units(client, people):
    history_import_load(actor=people.clerk, unit=unit("BT.MCN.DINHTHUY"), uploaded=_workbook([_row()]))
    person = Person.objects.get()
    client.force_login(people.clerk)
    body = client.get(reverse("registry:person", args=[person.pk])).content.decode()
    assert "22/QĐ-UBND" in body and "Nhập từ tệp Excel" in body and "lich-su.xlsx" in body
    client.force_login(people.other_clerk)
    assert client.get(reverse("registry:person", args=[person.pk])).status_code == 404
    response = client.post(
        reverse("registry:person", args=[person.pk]),
        {
            "form": "history",
            "award_code": "bang_khen_tinh",
            "year": "2020",
            "decision_number": "1",
            "issuer": "X",
        },
    )
    assert response.status_code == 404 and person.awards.count() == 1


def test_person_page_adds_an_entry_and_marks_a_backfilled_one_revoked(client, people):
    history_import_load(actor=people.clerk, unit=unit("BT.MCN.DINHTHUY"), uploaded=_workbook([_row()]))
    person = Person.objects.get()
    url = reverse("registry:person", args=[person.pk])
    entry = {
        "form": "history",
        "award_code": "giay_khen",
        "year": "2019",
        "decision_number": "7/QĐ-UBND",
        "decided_on": "20/01/2020",
        "issuer": "UBND huyện Mỏ Cày Nam",
    }
    client.force_login(people.district_reviewer)  # sees the person, writes nothing
    assert client.get(url).status_code == 200
    assert client.post(url, entry).status_code == 403
    client.force_login(people.clerk)
    bad = client.post(url, {**entry, "decided_on": "20/01/2018"})
    assert bad.status_code == 400 and "trước năm được khen" in bad.content.decode()
    assert client.post(url, entry).status_code == 302
    added = person.awards.get(award_code="giay_khen")
    assert added.source == HistorySource.BACKFILL and added.decided_on.isoformat() == "2020-01-20"
    imported = person.awards.get(source=HistorySource.IMPORT)
    assert f'data-testid="revoke-{imported.pk}"' in client.get(url).content.decode()
    refused = client.post(url, {"form": "revoke", "entry": imported.pk, "reason": ""})
    assert refused.status_code == 400
    assert (
        client.post(url, {"form": "revoke", "entry": imported.pk, "reason": "QĐ 9/QĐ-UBND"}).status_code
        == 302
    )
    imported.refresh_from_db()
    assert imported.is_revoked
    assert f'data-testid="revoke-{imported.pk}"' not in client.get(url).content.decode()
    client.force_login(people.district_reviewer)
    assert client.post(url, {"form": "revoke", "entry": added.pk, "reason": "x"}).status_code == 403
    added.refresh_from_db()
    assert not added.is_revoked
