"""Enter a year's government holiday notice (bridged days off, make-up Saturdays) from a CSV or JSON file."""

import csv
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from audit.context import origin
from workflows.services import CALENDAR_FIELDS, calendar_exceptions_load


def _read_rows(path):
    """Return the file's rows as dicts (CSV with a header line, or a JSON list of objects)."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        rows = json.loads(text)
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ValueError("JSON phải là một danh sách đối tượng / JSON must be a list of objects")
        return rows
    reader = csv.DictReader(text.splitlines())
    missing = set(CALENDAR_FIELDS) - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"thiếu cột / missing columns: {', '.join(sorted(missing))}")
    return list(reader)


class Command(BaseCommand):
    help = (
        "Nạp lịch nghỉ, làm bù của một năm từ tệp CSV hoặc JSON (cột: date, kind, reason, source; "
        "kind = working_day | day_off). Chạy lại không tạo bản ghi trùng; tệp có dòng lỗi thì không ghi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Năm của thông báo, ví dụ 2025.")
        parser.add_argument("file", type=Path, help="Tệp .csv hoặc .json.")

    def handle(self, *args, year, file, **options):
        try:
            rows = _read_rows(file)
        except (OSError, ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"Không đọc được tệp / cannot read {file}: {error}") from error
        try:
            with origin("cli"):
                counts = calendar_exceptions_load(actor=None, year=year, rows=rows)
        except ValidationError as error:
            raise CommandError(
                "Tệp có lỗi, không ghi gì / file refused, nothing written:\n" + "\n".join(error.messages)
            ) from error
        self.stdout.write(
            f"Năm {year}: thêm {counts['created']}, sửa {counts['changed']}, không đổi {counts['same']} "
            f"(added {counts['created']}, changed {counts['changed']}, unchanged {counts['same']})."
        )
