"""Reading a unit's nomination list (danh sách đề nghị khen thưởng) from Excel or CSV: the template per award type,
the checks of the uploaded file, and every row's validation, with messages naming the row and the column.

Nothing here writes: `list_check` returns the report the preview shows. The drafts are filed by
`workflows.lists.nomination_list_import`, which runs the same check first. Each row is checked by the rules of a
single filing (`services.nomination_errors`, the registry's `subject_find`, `services.eligibility_check` on the
unsaved nomination `services.nomination_draft` builds), so a list and a form can never disagree.
"""

import csv
import hashlib
import io
import os
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from nominations.eligibility import subject_facts_load, subject_facts_preloaded, subject_key
from nominations.models import Gender, NominationImport, SubjectType
from nominations.registry import subjects_find
from nominations.rows import CellError, Column, RowError, choice, citizen_id, read_rows, required_text, text
from nominations.selectors import award_types_newest
from nominations.services import (
    deciding_unit_for,
    eligibility_check,
    nomination_draft,
    nomination_errors,
)
from nominations.uploads import clean_name
from organisation.policy import registry_scopes_held, scope_of
from organisation.text import fold

# Whoever may file a nomination for the unit may file its list.
LIST_PERMISSION = "file_nomination"
MAX_LIST_BYTES = 5 * 1024 * 1024
MAX_LIST_ROWS = 5000
XLSX_MAGIC = b"PK\x03\x04"
EXTENSIONS = (".xlsx", ".csv")
SHEET_TITLE = "Danh sách đề nghị"
CATALOGUE_TITLE = "Danh mục"
SUBJECT_LABELS = {
    SubjectType.INDIVIDUAL.value: "Cá nhân",
    SubjectType.COLLECTIVE.value: "Tập thể",
    SubjectType.HOUSEHOLD.value: "Hộ gia đình",
}
GENDER_LABELS = {Gender.MALE.value: "Nam", Gender.FEMALE.value: "Nữ", Gender.OTHER.value: "Khác"}

# The service's error keys, as the columns of the list.
FIELD_COLUMNS = {
    "nominee.kind": "subject",
    "nominee.full_name": "full_name",
    "nominee": "full_name",
    "nominee.birth_year": "birth_year",
    "nominee.citizen_id": "citizen_id",
    "period_year": "period_year",
    "achievements": "achievements",
}


def problems_of(exc):
    """Return [(field, message)] of a service's ValidationError."""
    if hasattr(exc, "error_dict"):
        return [(key, message) for key, messages in exc.message_dict.items() for message in messages]
    return [("", message) for message in exc.messages]


def row_errors(number, problems):
    """Return the RowErrors of row `number` for [(service field, message)], each under its column."""
    headers = {column.key: column.header for column in list_columns({})}
    return [
        RowError(number, headers[FIELD_COLUMNS.get(key, "award_code")], str(message))
        for key, message in problems
    ]


def _optional(validate):
    return lambda value: validate(value) if text(value) else None


def _whole_number(value):
    """A year as written in a cell (Excel gives 1980.0); its range is the filing rule's."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return int(text(value))
    except ValueError:
        raise CellError(_("phải là số, ví dụ 1980."))


def award_codes():
    """Return {code: name} of the award types in force (the list's award column accepts these)."""
    return {award.code: award.name for award in award_types_newest()}


def list_columns(codes=None):
    codes = award_codes() if codes is None else codes
    gender = choice(GENDER_LABELS)
    return [
        Column("subject", "Đối tượng", choice(SUBJECT_LABELS), "Cá nhân"),
        Column("full_name", "Họ tên / tên tập thể", required_text, "Nguyễn Văn A"),
        Column("gender", "Giới tính", lambda v: gender(v) if text(v) else "", "Nam"),
        Column("birth_year", "Năm sinh", _optional(_whole_number), "1980"),
        Column("citizen_id", "Số CCCD", lambda v: citizen_id(v) if text(v) else "", "083080001234"),
        Column("position", "Chức vụ, đơn vị công tác", text, "Công chức Văn phòng – Thống kê xã"),
        Column("award_code", "Mã khen thưởng", choice(codes), ""),
        Column("period_year", "Năm đề nghị", _whole_number, ""),
        Column("achievements", "Tóm tắt thành tích", required_text, "Hoàn thành xuất sắc nhiệm vụ năm."),
    ]


def template_workbook(award_type):
    """Return the bytes of the list template for `award_type`: the header row, an example row, and drop-down lists
    of the award codes (sheet "Danh mục") and of the subject types the award admits."""
    codes = award_codes()
    columns = list_columns(codes)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    subjects = [SUBJECT_LABELS[kind] for kind in (award_type.subject_types or SUBJECT_LABELS)]
    example = {
        "subject": subjects[0],
        "award_code": award_type.code,
        "period_year": str(timezone.localdate().year),
    }
    if subjects[0] != SUBJECT_LABELS[SubjectType.INDIVIDUAL]:
        example.update(
            full_name="Tổ Văn phòng – Thống kê", gender="", birth_year="", citizen_id="", position=""
        )
    sheet.append([example.get(column.key, column.example) for column in columns])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
            14, len(column.header) + 4
        )
    catalogue = workbook.create_sheet(CATALOGUE_TITLE)
    catalogue.append(["Mã khen thưởng", "Tên"])
    for code, name in codes.items():
        catalogue.append([code, name])
    letters = {
        column.key: sheet.cell(row=1, column=i).column_letter for i, column in enumerate(columns, start=1)
    }
    award_list = DataValidation(
        type="list", formula1=f"'{CATALOGUE_TITLE}'!$A$2:$A${len(codes) + 1}", allow_blank=False
    )
    award_list.error = _("Chọn mã khen thưởng trong danh mục.")
    subject_list = DataValidation(type="list", formula1=f'"{",".join(subjects)}"', allow_blank=False)
    subject_list.error = _("Chọn đối tượng trong danh sách.")
    gender_list = DataValidation(
        type="list", formula1=f'"{",".join(GENDER_LABELS.values())}"', allow_blank=True
    )
    for validation, key in ((award_list, "award_code"), (subject_list, "subject"), (gender_list, "gender")):
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
        validation.add(f"{letters[key]}2:{letters[key]}{MAX_LIST_ROWS + 1}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _CsvSheet:
    """The rows of a CSV file, read as `rows.read_rows` reads a worksheet."""

    def __init__(self, rows):
        self.rows = rows

    def iter_rows(self, min_row=1, max_row=None, values_only=True):
        return iter(self.rows[min_row - 1 : max_row])


def _csv_sheet(data):
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("Tệp CSV phải được lưu với bảng mã UTF-8.")})
    if "\x00" in content:
        raise ValidationError({"file": _("Nội dung tệp không khớp với định dạng .csv.")})
    first = content.split("\n", 1)[0]
    # Excel in a Vietnamese locale separates CSV fields with a semicolon.
    delimiter = max((",", ";", "\t"), key=first.count)
    return _CsvSheet(list(csv.reader(io.StringIO(content), delimiter=delimiter)))


def list_file_read(uploaded):
    """Check the upload (name, type by extension and content, size) and return (sheet, sha256, clean name)."""
    name = clean_name(getattr(uploaded, "name", ""))
    ext = os.path.splitext(name)[1].lower()
    if ext not in EXTENSIONS:
        raise ValidationError(
            {
                "file": _("Loại tệp %(ext)s không được chấp nhận. Chấp nhận: %(allowed)s.")
                % {"ext": ext or _("(không có phần mở rộng)"), "allowed": ", ".join(EXTENSIONS)}
            }
        )
    uploaded.seek(0)
    data = uploaded.read(MAX_LIST_BYTES + 1)
    if not data:
        raise ValidationError({"file": _("Tệp rỗng.")})
    if len(data) > MAX_LIST_BYTES:
        raise ValidationError(
            {"file": _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": MAX_LIST_BYTES // (1024 * 1024)}}
        )
    sha256 = hashlib.sha256(data).hexdigest()
    if ext == ".csv":
        return _csv_sheet(data), sha256, name
    if not data.startswith(XLSX_MAGIC):
        raise ValidationError({"file": _("Nội dung tệp không khớp với định dạng %(ext)s.") % {"ext": ext}})
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        workbook.close()
    except Exception:  # noqa: BLE001 — any unreadable workbook is the user's file, not a server error
        raise ValidationError({"file": _("Không đọc được tệp: hãy dùng tệp Excel (.xlsx) theo mẫu.")})
    return _CsvSheet(rows), sha256, name


@dataclass
class ListRow:
    number: int
    values: dict
    errors: list = field(default_factory=list)  # [RowError]
    award_type: object = None
    draft: object = (
        None  # the unsaved nomination the registry check built and passed (`_Checker.check_registry`)
    )

    @property
    def is_valid(self):
        return not self.errors

    @property
    def subject_label(self):
        return SUBJECT_LABELS.get(self.values.get("subject"), "")

    def filing(self, unit):
        """The keyword arguments of one filing (`nomination_file`) for this row."""
        return {
            "unit": unit,
            "award_type": self.award_type,
            "nominee_data": nominee_data(self.values),
            "period_year": self.values["period_year"],
            "achievements": self.values["achievements"],
        }


@dataclass
class ListReport:
    rows: list = field(default_factory=list)  # [ListRow], every data row in file order
    file_errors: list = field(default_factory=list)  # [RowError] about the file itself (a missing header)
    total: int = 0
    sha256: str = ""
    name: str = ""
    existing: object = None  # the NominationImport of the same file by the same unit, if any

    @property
    def errors(self):
        return self.file_errors + [error for row in self.rows for error in row.errors]

    @property
    def valid_rows(self):
        return [row for row in self.rows if row.is_valid] if not self.file_errors else []

    @property
    def bad_rows(self):
        return sorted({error.row for error in self.errors})

    def as_data(self):
        """The report as plain data (the API's validation report)."""
        return {
            "file": self.name,
            "sha256": self.sha256,
            "rows": self.total,
            "valid": len(self.valid_rows),
            "already_imported": self.existing is not None,
            "errors": [
                {"row": error.row, "column": error.column, "message": error.message, "text": str(error)}
                for error in self.errors
            ],
        }


def nominee_data(values):
    return {
        "kind": values["subject"],
        "full_name": values["full_name"],
        "gender": values["gender"],
        "birth_year": values["birth_year"],
        "citizen_id": values["citizen_id"],
        "position": values["position"],
    }


def _identities(values):
    """The keys under which two rows of a file are the same subject: the citizen ID, and the name with the birth
    year (a filing matches the registry by either)."""
    keys = [("name", values["subject"], fold(values["full_name"]), values["birth_year"])]
    if values["citizen_id"]:
        keys.append(("citizen_id", values["citizen_id"]))
    return keys


class _Checker:
    """The per-row rules for one unit, with what is the same for every row read once (award types, deciding units).

    `registry`: also the rules that read the registry (the record the row is about, the eligibility rules); the
    import leaves them to each row's filing, which applies them anyway."""

    def __init__(self, unit, award_types, registry=True):
        self.unit = unit
        self.registry = registry
        self.award_types = award_types  # {code: the newest version in force}
        self.deciding = {}
        self.seen = {}

    def deciding_unit(self, award_type):
        if award_type.code not in self.deciding:
            self.deciding[award_type.code] = deciding_unit_for(unit=self.unit, award_type=award_type)
        return self.deciding[award_type.code]

    def check(self, row):
        values = row.values
        row.award_type = award_type = self.award_types[values["award_code"]]
        problems = []
        errors, deciding_unit = nomination_errors(
            unit=self.unit,
            award_type=award_type,
            nominee_data=nominee_data(values),
            period_year=values["period_year"],
            achievements=values["achievements"],
            deciding_unit=self.deciding_unit(award_type),
        )
        problems.extend((key, message) for key, message in errors.items())
        for key in _identities(values):
            earlier = self.seen.setdefault((key, award_type.code, values["period_year"]), row.number)
            if earlier != row.number:
                problems.append(
                    (
                        "nominee",
                        _("trùng với dòng %(row)s (cùng đối tượng, cùng khen thưởng, cùng năm).")
                        % {"row": earlier},
                    )
                )
                break
        row.errors.extend(row_errors(row.number, problems))

    def check_registry(self, rows):
        """The rules that read the registry, for the rows that passed the others: the record each row is about and
        the eligibility rules on the unsaved draft (kept on the row as `draft` for the import), with the records
        and their histories read for all rows at once."""
        datas = [nominee_data(row.values) for row in rows]
        records = subjects_find(unit=self.unit, nominee_datas=datas)
        drafts = []
        for row, data, found in zip(rows, datas, records, strict=True):
            is_person = row.values["subject"] == SubjectType.INDIVIDUAL
            drafts.append(
                nomination_draft(
                    actor=None,
                    unit=self.unit,
                    award_type=row.award_type,
                    nominee_data=data,
                    period_year=row.values["period_year"],
                    achievements=row.values["achievements"],
                    deciding_unit=self.deciding_unit(row.award_type),
                    person=found if is_person else None,
                    collective=None if is_person else found,
                )
            )
        keys = {key for draft in drafts if (key := subject_key(draft.nominee)) is not None}
        with subject_facts_preloaded(subject_facts_load(keys)):
            for row, draft in zip(rows, drafts, strict=True):
                try:
                    eligibility_check(nomination=draft)
                except ValidationError as exc:
                    row.errors.extend(row_errors(row.number, problems_of(exc)))
                else:
                    row.draft = draft


def list_check(*, actor, unit, uploaded, registry=True):
    """Read and validate a nomination list for `unit`; return its ListReport. Writes nothing.

    `registry=False` leaves out the rules that read the registry (see `_Checker`)."""
    if not scope_of(actor).can(LIST_PERMISSION, unit.pk):
        raise PermissionDenied
    sheet, sha256, name = list_file_read(uploaded)
    award_types = {award.code: award for award in award_types_newest()}
    columns = list_columns({code: award.name for code, award in award_types.items()})
    result = read_rows(sheet, columns)
    report = ListReport(total=result.total, sha256=sha256, name=name)
    report.existing = NominationImport.objects.filter(unit=unit, sha256=sha256).first()
    if result.total > MAX_LIST_ROWS:
        raise ValidationError(
            {"file": _("Tệp có quá nhiều dòng: tối đa %(n)s dòng mỗi lần.") % {"n": MAX_LIST_ROWS}}
        )
    if result.total == 0 and not result.errors:
        raise ValidationError({"file": _("Tệp không có dòng đề nghị nào.")})
    by_number = {}
    for error in result.errors:
        if error.row == 1:
            report.file_errors.append(error)
        else:
            by_number.setdefault(error.row, ListRow(error.row, {})).errors.append(error)
    for number, values in result.rows:
        by_number[number] = ListRow(number, values)
    report.rows = [by_number[number] for number in sorted(by_number)]
    if report.file_errors:
        return report
    checker = _Checker(unit, award_types, registry=registry)
    with registry_scopes_held():
        for row in report.rows:
            if row.is_valid:
                checker.check(row)
        if registry:
            checker.check_registry([row for row in report.rows if row.is_valid])
    return report
