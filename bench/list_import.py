"""Nomination list benchmark: check and file an Excel list of nominations (issue 16: 1,000 rows, validation and
drafts, in ≤ 10 s on this machine).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_lists .venv/bin/python bench/list_import.py

Options: --rows 1000  --award giay_khen  --bad-row N (make row N invalid: shows the refusal time; nothing is filed)
--keep (commit instead of rolling back). Migrates the database and loads the catalogue and the demo province when
missing. Not a test: prints a markdown table, asserts nothing. The import runs in a transaction that is rolled back,
so runs are repeatable.

Measured: building the workbook (not part of the target), checking it (`list_check`: read, per-row rules, registry,
eligibility; what the preview costs), and the whole `nomination_list_import` (the check again, then every draft
with its process and audit events, the submission and the import's audit event).
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import print_machine, setup, table  # noqa: E402


class Rollback(Exception):
    pass


def build_workbook(rows, award, year, bad_row=None):
    from openpyxl import Workbook

    from nominations.lists import list_columns

    headers = [column.header for column in list_columns({})]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for index in range(rows):
        citizen_id = f"083{index:09d}"
        if bad_row is not None and index + 2 == bad_row:
            citizen_id = "12345"
        sheet.append(
            [
                "Cá nhân",
                f"Người Thử Danh Sách {index}",
                "Nữ" if index % 2 else "Nam",
                1960 + index % 40,
                citizen_id,
                "Công chức xã",
                award,
                year,
                "Hoàn thành xuất sắc nhiệm vụ năm.",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--award", default="giay_khen")
    parser.add_argument("--bad-row", type=int, default=None)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    setup("bench_lists")
    os.environ.setdefault("AXES_ENABLED", "false")

    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from nominations import catalogue
    from nominations.lists import list_check
    from nominations.models import AwardType
    from organisation.models import Unit
    from workflows import demo
    from workflows.lists import nomination_list_import

    call_command("migrate", verbosity=0)
    if not AwardType.objects.exists():
        catalogue.load(apps)
    if not Unit.objects.filter(code="VL").exists():
        demo.build()
    clerk = get_user_model().objects.get(username="clerk")
    unit = Unit.objects.get(code="BT.MCN.DINHTHUY")

    print_machine()
    started = time.perf_counter()
    data = build_workbook(args.rows, args.award, timezone.localdate().year, args.bad_row)
    built = time.perf_counter() - started
    with CaptureQueriesContext(connection) as checked_queries:
        started, cpu = time.perf_counter(), time.process_time()
        report = list_check(actor=clerk, unit=unit, uploaded=SimpleUploadedFile("bench.xlsx", data))
        checked, checked_cpu = time.perf_counter() - started, time.process_time() - cpu
    outcome, filed = "filed", 0
    with CaptureQueriesContext(connection) as import_queries:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            with transaction.atomic():
                batch, _created = nomination_list_import(
                    actor=clerk, unit=unit, uploaded=SimpleUploadedFile("bench.xlsx", data)
                )
                filed = batch.rows_loaded
                if not args.keep:
                    raise Rollback
        except Rollback:
            pass
        except ValidationError as exc:
            outcome = f"refused: {exc.messages[0]}"
        imported, imported_cpu = time.perf_counter() - started, time.process_time() - cpu
    rows = [
        ("build workbook (not measured)", built, "–", "–", "–", f"{len(data) / 1024:.0f} KiB"),
        (
            "check (preview)",
            checked,
            checked_cpu,
            checked * 1000 / args.rows,
            len(checked_queries.captured_queries),
            f"valid={len(report.valid_rows)} errors={len(report.errors)}",
        ),
        (
            "import (check + drafts)",
            imported,
            imported_cpu,
            imported * 1000 / args.rows,
            len(import_queries.captured_queries),
            f"{outcome}, drafts={filed}",
        ),
    ]
    table(
        ["step", "s", "client CPU s", "ms/row", "queries", "result"],
        rows,
        title=f"Nomination list import: {args.rows:,} rows of {args.award} (target ≤ 10 s for 1,000)",
    )


if __name__ == "__main__":
    main()
