"""Filing a nomination list from Excel or CSV (issue 16): per-row validation naming row and column, nothing filed
while the file has errors, the fixed file files every row as a draft under one submission, audited with the file's
hash, and the same file again files nothing."""

import csv
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from audit.models import Event
from nominations.lists import list_check, list_columns, template_workbook
from nominations.models import Nomination, NominationImport, Person, Status, Submission
from tests.factories import award, file_nomination, unit
from workflows.lists import nomination_list_import
from workflows.models import Notification, TaskScope

COMMUNE = "BT.MCN.DINHTHUY"
HEADERS = [column.header for column in list_columns({})]


def _row(index, **over):
    row = {
        "Đối tượng": "Cá nhân",
        "Họ tên / tên tập thể": f"Nguyễn Văn Thử {index}",
        "Giới tính": "Nam",
        "Năm sinh": 1970 + index % 30,
        "Số CCCD": f"083{index:09d}",
        "Chức vụ, đơn vị công tác": "Công chức xã",
        "Mã khen thưởng": "giay_khen",
        "Năm đề nghị": timezone.localdate().year,
        "Tóm tắt thành tích": "Hoàn thành xuất sắc nhiệm vụ năm.",
    }
    row.update(over)
    return row


def _xlsx(rows, name="danh-sach.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _csv(rows, name="danh-sach.csv", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(header, "") for header in HEADERS])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"))


def _thirty(bad=None):
    """Thirty rows; `bad` maps a row index (0-based) to the cells that break it."""
    return [_row(index, **(bad or {}).get(index, {})) for index in range(30)]


def test_two_bad_rows_are_reported_by_row_and_column_and_nothing_is_filed(people):
    upload = _xlsx(_thirty({4: {"Số CCCD": "12345"}, 17: {"Năm sinh": 1850}}))
    with pytest.raises(ValidationError) as excinfo:
        nomination_list_import(actor=people.clerk, unit=unit(COMMUNE), uploaded=upload)
    year = timezone.localdate().year
    assert excinfo.value.message_dict["file"] == [
        "Dòng 6, cột “Số CCCD”: Số CCCD phải gồm đúng 12 chữ số.",
        f"Dòng 19, cột “Năm sinh”: Năm sinh phải từ 1900 đến {year}.",
    ]
    assert not Nomination.objects.exists() and not Submission.objects.exists()
    assert not NominationImport.objects.exists() and not Person.objects.exists()


def test_fixed_file_files_thirty_drafts_under_one_submission_audited_with_its_hash(people):
    upload = _xlsx(_thirty())
    digest = hashlib.sha256(upload.read()).hexdigest()
    batch, created = nomination_list_import(actor=people.clerk, unit=unit(COMMUNE), uploaded=upload)
    assert created and batch.rows_loaded == 30 and batch.sha256 == digest
    drafts = Nomination.objects.filter(submission=batch.submission)
    assert drafts.count() == 30 and set(drafts.values_list("status", flat=True)) == {Status.DRAFT}
    # Each draft is a filing like any other: its process waits for the head's submission.
    assert TaskScope.objects.filter(nomination__in=drafts, is_open=True, step="submit").count() == 30
    event = Event.objects.get(action="nomination.list_import")
    assert event.data["sha256"] == digest and event.data["filed"] == 30
    assert sorted(event.data["nominations"]) == sorted(drafts.values_list("pk", flat=True))
    assert Event.objects.filter(action="nomination.create").count() == 30
    # The head is told of each draft waiting for submission, written together (one e-mail task per recipient).
    assert Notification.objects.filter(user=people.head, nomination__in=drafts).count() == 30


def test_the_list_queues_one_email_task_per_recipient(
    people, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("workflows.notifications._queue_emails", queued.append)
    people.head.email = "truong@dinhthuy.example"
    people.head.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        nomination_list_import(actor=people.clerk, unit=unit(COMMUNE), uploaded=_xlsx(_thirty()[:5]))
    assert len(queued) == 1 and len(queued[0]) == 5


def test_the_same_file_again_files_nothing(people):
    data = _xlsx(_thirty()).read()
    first, created = nomination_list_import(
        actor=people.clerk, unit=unit(COMMUNE), uploaded=SimpleUploadedFile("danh-sach.xlsx", data)
    )
    again, created_again = nomination_list_import(
        actor=people.clerk, unit=unit(COMMUNE), uploaded=SimpleUploadedFile("ban-sao.xlsx", data)
    )
    assert created and not created_again and again.pk == first.pk
    assert Nomination.objects.count() == 30 and Submission.objects.count() == 1


def test_the_same_rows_in_another_file_are_refused_as_already_nominated(people):
    nomination_list_import(actor=people.clerk, unit=unit(COMMUNE), uploaded=_xlsx(_thirty()))
    with pytest.raises(ValidationError) as excinfo:
        nomination_list_import(actor=people.clerk, unit=unit(COMMUNE), uploaded=_csv(_thirty()[:2]))
    messages = excinfo.value.message_dict["file"]
    assert len(messages) == 2 and messages[0].startswith(
        "Dòng 2, cột “Họ tên / tên tập thể”: Đối tượng này đã"
    )
    assert Nomination.objects.count() == 30


def test_csv_files_the_rows_too(people):
    batch, created = nomination_list_import(
        actor=people.clerk, unit=unit(COMMUNE), uploaded=_csv(_thirty()[:3], delimiter=";")
    )
    assert created and Nomination.objects.filter(submission=batch.submission).count() == 3


def test_duplicate_inside_the_file_names_the_earlier_row(people):
    rows = [_row(1), _row(2), _row(1)]
    report = list_check(actor=people.clerk, unit=unit(COMMUNE), uploaded=_xlsx(rows))
    assert [str(error) for error in report.errors] == [
        "Dòng 4, cột “Họ tên / tên tập thể”: trùng với dòng 2 (cùng đối tượng, cùng khen thưởng, cùng năm)."
    ]


def test_award_the_unit_may_not_propose_and_the_wrong_subject_are_named(people):
    rows = [
        _row(1, **{"Mã khen thưởng": "khong_co"}),
        _row(2, **{"Đối tượng": "Tập thể", "Mã khen thưởng": "chien_si_thi_dua_co_so"}),
    ]
    report = list_check(actor=people.clerk, unit=unit(COMMUNE), uploaded=_xlsx(rows))
    assert report.bad_rows == [2, 3]
    assert [error.column for error in report.errors] == ["Mã khen thưởng", "Mã khen thưởng"]
    assert "không có trong danh mục" in report.errors[0].message
    assert "không áp dụng cho đối tượng tập thể" in report.errors[1].message


def test_eligibility_rules_refuse_a_row(people):
    # Chiến sĩ thi đua cấp tỉnh needs three consecutive years of CSTĐCS; a new person has none.
    report = list_check(
        actor=people.clerk,
        unit=unit(COMMUNE),
        uploaded=_xlsx([_row(1, **{"Mã khen thưởng": "chien_si_thi_dua_tinh"})]),
    )
    assert report.bad_rows == [2] and "Chiến sĩ thi đua cơ sở" in report.errors[0].message


def test_a_registry_nomination_already_open_is_a_duplicate(people):
    file_nomination(people.clerk, award_code="giay_khen", full_name="Trần Thị Có", citizen_id="083199000111")
    rows = [_row(1, **{"Họ tên / tên tập thể": "Trần Thị Có", "Số CCCD": "083199000111"})]
    report = list_check(actor=people.clerk, unit=unit(COMMUNE), uploaded=_xlsx(rows))
    assert report.bad_rows == [2] and "đã được đề nghị" in report.errors[0].message


def test_accepting_only_the_valid_rows_files_them(people):
    upload = _xlsx(_thirty({3: {"Số CCCD": "1"}}))
    batch, created = nomination_list_import(
        actor=people.clerk, unit=unit(COMMUNE), uploaded=upload, valid_rows_only=True
    )
    assert created and batch.rows_loaded == 29 and batch.rows_total == 30
    assert Event.objects.get(action="nomination.list_import").data["skipped_rows"] == [5]


def test_missing_header_is_a_file_error_and_files_nothing(people):
    workbook = Workbook()
    workbook.active.append(["Họ tên"])
    workbook.active.append(["A"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("x.xlsx", buffer.getvalue())
    with pytest.raises(ValidationError):
        nomination_list_import(actor=people.clerk, unit=unit(COMMUNE), uploaded=upload, valid_rows_only=True)
    assert not Nomination.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("danh-sach.pdf", b"%PDF-1.4", "Loại tệp .pdf không được chấp nhận"),
        ("danh-sach.xlsx", b"not a zip", "Nội dung tệp không khớp"),
        ("danh-sach.csv", "Họ tên".encode("utf-16"), "UTF-8"),
        ("danh-sach.csv", b"", "Tệp rỗng"),
    ],
)
def test_upload_type_and_content_are_checked(people, name, content, message):
    with pytest.raises(ValidationError) as excinfo:
        list_check(actor=people.clerk, unit=unit(COMMUNE), uploaded=SimpleUploadedFile(name, content))
    assert message in excinfo.value.messages[0]


def test_oversized_file_is_refused(people, monkeypatch):
    monkeypatch.setattr("nominations.lists.MAX_LIST_BYTES", 100)
    with pytest.raises(ValidationError) as excinfo:
        list_check(actor=people.clerk, unit=unit(COMMUNE), uploaded=_xlsx([_row(1)]))
    assert "Tệp quá lớn" in excinfo.value.messages[0]


@pytest.mark.parametrize("persona", ["other_clerk", "district_reviewer", "inspector", "outsider"])
def test_only_who_files_for_the_unit_may_check_or_import(people, persona):
    actor = getattr(people, persona)
    with pytest.raises(PermissionDenied):
        list_check(actor=actor, unit=unit(COMMUNE), uploaded=_xlsx([_row(1)]))
    with pytest.raises(PermissionDenied):
        nomination_list_import(actor=actor, unit=unit(COMMUNE), uploaded=_xlsx([_row(1)]))
    assert not Nomination.objects.exists() and not Submission.objects.exists()


def test_the_unit_head_may_import_too(people):
    batch, created = nomination_list_import(actor=people.head, unit=unit(COMMUNE), uploaded=_xlsx([_row(1)]))
    assert created and batch.created_by == people.head


def test_template_has_the_headers_an_example_and_drop_down_lists(db):
    sheet = load_workbook(io.BytesIO(template_workbook(award("giay_khen")))).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.cell(row=2, column=HEADERS.index("Mã khen thưởng") + 1).value == "giay_khen"
    formulas = sorted(validation.formula1 for validation in sheet.data_validations.dataValidation)
    assert any("Danh mục" in formula for formula in formulas)
    assert '"Cá nhân,Tập thể,Hộ gia đình"' in formulas  # Giấy khen admits all three
    sheet = load_workbook(io.BytesIO(template_workbook(award("chien_si_thi_dua_co_so")))).active
    assert '"Cá nhân"' in [validation.formula1 for validation in sheet.data_validations.dataValidation]


def test_the_template_example_passes_the_check(people):
    data = template_workbook(award("giay_khen"))
    report = list_check(actor=people.clerk, unit=unit(COMMUNE), uploaded=SimpleUploadedFile("mau.xlsx", data))
    assert report.total == 1 and not report.errors
