"""Award-history import benchmark: validate and load an Excel file of back-filled history (issue 15: 5,000 rows in
≤ 15 s on this machine).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_history .venv/bin/python bench/history_import.py

Options: --rows 5000  --people 2000 (distinct people; the rest are further years of the same people)
--bad-row N (make row N invalid: shows the refusal time; nothing is written)  --keep (commit instead of rolling
back). Migrates the database and loads the catalogue and the demo province when missing. Not a test: prints
figures, asserts nothing. The load runs in a transaction that is rolled back, so runs are repeatable.

Measured: building the workbook (not part of the target), reading + validating it (`history_import_read`), and the
whole `history_import_load` (read, validate, resolve people in the unit's subtree, bulk insert, audit event).
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import print_machine, setup  # noqa: E402


class Rollback(Exception):
    pass


def build_workbook(rows, people, bad_row=None):
    from openpyxl import Workbook

    from nominations.history import history_columns

    workbook = Workbook()  # as a user's Excel saves it: shared strings and the sheet's dimensions
    sheet = workbook.active
    sheet.append([column.header for column in history_columns()])
    codes = ["chien_si_thi_dua_co_so", "lao_dong_tien_tien", "giay_khen", "bang_khen_tinh"]
    for index in range(rows):
        person = index % people
        year = 2000 + (index // people) % 24
        citizen_id = f"083{person:09d}"
        if bad_row is not None and index + 2 == bad_row:
            citizen_id = "12345"
        sheet.append(
            [
                "Cá nhân",
                f"Người Thử {person}",
                citizen_id,
                1960 + person % 40,
                codes[(index // people) % len(codes)],
                year,
                f"{index}/QĐ-UBND",
                f"15/01/{year + 1}",
                "UBND xã Định Thủy",
                "không",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--bad-row", type=int, default=None)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    setup("bench_history")
    os.environ.setdefault("AXES_ENABLED", "false")

    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import transaction

    from nominations import catalogue
    from nominations.history import history_import_load, history_import_read
    from nominations.models import AwardType
    from organisation.models import Unit
    from workflows import demo

    call_command("migrate", verbosity=0)
    if not AwardType.objects.exists():
        catalogue.load(apps)
    if not Unit.objects.filter(code="VL").exists():
        demo.build()
    clerk = get_user_model().objects.get(username="clerk")
    unit = Unit.objects.get(code="BT.MCN.DINHTHUY")

    print_machine()
    started = time.perf_counter()
    data = build_workbook(args.rows, min(args.people, args.rows), args.bad_row)
    built = time.perf_counter() - started
    started = time.perf_counter()
    result, _sha, _name = history_import_read(SimpleUploadedFile("bench.xlsx", data))
    read = time.perf_counter() - started
    outcome = "loaded"
    started = time.perf_counter()
    try:
        with transaction.atomic():
            batch = history_import_load(
                actor=clerk, unit=unit, uploaded=SimpleUploadedFile("bench.xlsx", data)
            )
            loaded = batch.rows_loaded
            if not args.keep:
                raise Rollback
    except Rollback:
        pass
    except ValidationError as exc:
        outcome = f"refused: {exc.messages[0]}"
        loaded = 0
    total = time.perf_counter() - started
    print(f"rows={args.rows} people={min(args.people, args.rows)} file={len(data) / 1024:.0f} KiB")
    print(f"build workbook     {built:7.2f} s (not measured against the target)")
    print(f"read + validate    {read:7.2f} s  valid={len(result.rows)} errors={len(result.errors)}")
    print(f"import (all steps) {total:7.2f} s  {outcome}, rows written={loaded}")


if __name__ == "__main__":
    main()
