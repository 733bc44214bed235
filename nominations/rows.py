"""Reading spreadsheet rows: typed column validators whose messages name the row and the column in Vietnamese.

Used by the award-history import and meant for every other list import (e.g. a nomination list): declare the
columns, call `read_rows(sheet, columns)`, get back cleaned rows and a list of `RowError`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from nominations.models import citizen_id_error


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        return _("Dòng %(row)s, cột “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why (the row and column are added by the reader)."""


def text(value):
    return "" if value is None else str(value).strip()


def required_text(value):
    value = text(value)
    if not value:
        raise CellError(_("không được để trống."))
    return value


def citizen_id(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = f"{int(value):012d}"  # Excel drops the leading zero of a number-typed cell
    value = text(value)
    problem = citizen_id_error(value)
    if problem:
        raise CellError(problem)
    return value


def year(value):
    try:
        number = int(text(value))
    except ValueError:
        raise CellError(_("năm phải là số, ví dụ 2023."))
    if not (1945 <= number <= date.today().year):
        raise CellError(_("năm %(year)s không hợp lệ.") % {"year": number})
    return number


def optional_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise CellError(_("ngày phải có dạng ngày/tháng/năm, ví dụ 15/01/2023."))


def choice(choices):
    """Return a validator accepting the keys of `choices` (case- and accent-sensitive codes) and their labels."""
    by_label = {str(label).lower(): key for key, label in choices.items()}

    def validate(value):
        raw = text(value)
        if raw in choices:
            return raw
        if raw.lower() in by_label:
            return by_label[raw.lower()]
        raise CellError(
            _("giá trị “%(value)s” không có trong danh mục (%(allowed)s).")
            % {"value": raw, "allowed": ", ".join(choices)}
        )

    return validate


@dataclass
class Column:
    key: str
    header: str
    validate: object = text
    example: str = ""


@dataclass
class ReadResult:
    rows: list = field(default_factory=list)  # [(row number, {key: value})] of the valid rows
    errors: list = field(default_factory=list)  # [RowError]
    total: int = 0

    @property
    def bad_rows(self):
        return sorted({error.row for error in self.errors})


def read_rows(sheet, columns, *, check_row=None):
    """Validate every data row of `sheet` (header in row 1). `check_row(cleaned)` may return
    [(column key, message)] for rules across cells. Empty rows are skipped."""
    result = ReadResult()
    header = [text(cell) for cell in next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())]
    positions = {}
    for column in columns:
        if column.header not in header:
            result.errors.append(RowError(1, column.header, _("thiếu cột này trong dòng tiêu đề.")))
        else:
            positions[column.key] = header.index(column.header)
    if result.errors:
        return result
    headers = {column.key: column.header for column in columns}
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not any(value not in (None, "") for value in values):
            continue
        result.total += 1
        cleaned, row_errors = {}, []
        for column in columns:
            index = positions[column.key]
            value = values[index] if index < len(values) else None
            try:
                cleaned[column.key] = column.validate(value)
            except CellError as exc:
                row_errors.append(RowError(number, column.header, str(exc)))
        if not row_errors and check_row is not None:
            for key, message in check_row(cleaned):
                row_errors.append(RowError(number, headers.get(key, key), message))
        if row_errors:
            result.errors.extend(row_errors)
        else:
            result.rows.append((number, cleaned))
    return result
