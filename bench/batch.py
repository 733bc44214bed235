"""Batch steps against the one-at-a-time path (issue 21): filing, submitting, forwarding and approving N
nominations in one call each (`workflows.batch`), and the same steps one nomination at a time (`workflows.services`),
on the same data in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_batch .venv/bin/python bench/batch.py

Options: --batch 500 (nominations per batch step)  --single 100 (nominations taken one at a time; the rate is what
counts)  --rounds 2 (variants interleaved: single, batch, single, batch). Migrates the database and loads the
catalogue and the demo province when missing. Every round runs in a transaction rolled back at its end, so runs
repeat. Not a test: prints a markdown table, asserts nothing; the rows both paths leave are compared by
tests/workflows/test_batch_rows.py.

Route: a commune's Bằng khen of the province (commune → submit → the district reviews → forward → the province
appraises → approve → the chairman's signature): each step moves a nomination to the next human task, through
viewflow's automatic nodes. Columns per step: nominations/s, SQL statements and client CPU ms per nomination (the
load-independent figures), and batch/single.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import print_machine, setup, table  # noqa: E402

STEPS = ("file", "submit", "forward", "approve")
AWARD = "bang_khen_tinh"
COMMUNE = "BT.MCN.DINHTHUY"


class Rollback(Exception):
    pass


class Counter:
    """Counts the SQL statements sent (a connection execute wrapper: no debug cursor, no SQL kept)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--single", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    setup("bench_batch")
    os.environ.setdefault("AXES_ENABLED", "false")

    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.list_import import build_workbook
    from nominations import catalogue
    from nominations.lists import list_check
    from nominations.models import AwardType, DossierFile, DossierKind, Nomination
    from organisation.models import Unit
    from organisation.policy import registry_scopes_held
    from workflows import batch, demo, notifications, services
    from workflows.models import TaskScope

    call_command("migrate", verbosity=0)
    if not AwardType.objects.exists():
        catalogue.load(apps)
    if not Unit.objects.filter(code="VL").exists():
        demo.build()
    users = {u.username: u for u in get_user_model().objects.all()}
    clerk, head = users["clerk"], users["head"]
    district, province = users["district_reviewer"], users["province_reviewer"]
    unit = Unit.objects.get(code=COMMUNE)
    year = timezone.localdate().year
    print_machine()

    def checked(rows, offset):
        data = build_workbook(rows, AWARD, year)
        report = list_check(actor=clerk, unit=unit, uploaded=SimpleUploadedFile("b.xlsx", data))
        assert not report.errors, report.errors[:3]
        return report

    def dossiers(ids):
        """The two documents the route requires, as rows pointing at one stored PDF (setup, not measured)."""
        stored = DossierFile(nomination_id=ids[0], kind=DossierKind.ACHIEVEMENT_REPORT, original_name="b.pdf")
        stored.file.save("bench.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        DossierFile.objects.bulk_create(
            DossierFile(
                nomination_id=pk,
                kind=kind,
                file=stored.file.name,
                original_name="b.pdf",
                content_type="application/pdf",
                size=16,
                sha256="0" * 64,
                uploaded_by=clerk,
            )
            for pk in ids
            for kind in (DossierKind.ACHIEVEMENT_REPORT, DossierKind.SUBMISSION)
        )

    def tasks(ids, step):
        return list(
            TaskScope.objects.filter(nomination_id__in=ids, is_open=True, step=step).values_list(
                "task_id", flat=True
            )
        )

    def single_round(n):
        report = checked(n, 0)
        steps = {}
        ids = []

        def file_():
            with registry_scopes_held(), notifications.notifications_collected():
                for row in report.valid_rows:
                    ids.append(services.nomination_file(actor=clerk, **row.filing(unit)).pk)

        def submit():
            for nomination in Nomination.objects.filter(pk__in=ids).select_related(
                "unit", "award_type", "nominee"
            ):
                services.nomination_submit(actor=head, nomination=nomination)

        def forward():
            for task_id in tasks(ids, "review"):
                services.review_forward(actor=district, task_id=task_id)

        def approve():
            for task_id in tasks(ids, "appraise"):
                services.appraisal_approve(actor=province, task_id=task_id)

        for name, step in zip(STEPS, (file_, submit, forward, approve), strict=True):
            steps[name] = measure(step)
            if name == "file":
                dossiers(ids)
        assert len(tasks(ids, "sign")) == n, "every nomination reaches the signature"
        return steps

    def batch_round(n):
        report = checked(n, 0)
        steps = {}
        filed = []

        def file_():
            filed.extend(
                batch.nominations_file_batch(
                    actor=clerk, unit=unit, drafts=[r.draft for r in report.valid_rows]
                )
            )

        def submit():
            results = batch.tasks_complete_batch(actor=head, task_ids=tasks(ids(), "submit"), action="submit")
            assert not any(results.values()), list(results.values())[:3]

        def forward():
            results = batch.tasks_complete_batch(
                actor=district, task_ids=tasks(ids(), "review"), action="forward"
            )
            assert not any(results.values())

        def approve():
            results = batch.tasks_complete_batch(
                actor=province, task_ids=tasks(ids(), "appraise"), action="approve"
            )
            assert not any(results.values())

        def ids():
            return [n.pk for n in filed]

        for name, step in zip(STEPS, (file_, submit, forward, approve), strict=True):
            steps[name] = measure(step)
            if name == "file":
                dossiers(ids())
        assert len(tasks(ids(), "sign")) == n, "every nomination reaches the signature"
        return steps

    def measure(step):
        counter = Counter()
        with connection.execute_wrapper(counter):
            wall, cpu = time.perf_counter(), time.process_time()
            step()
            return time.perf_counter() - wall, time.process_time() - cpu, counter.count

    totals = {("single", s): [] for s in STEPS} | {("batch", s): [] for s in STEPS}
    for _round in range(args.rounds):
        for variant, runner, n in (("single", single_round, args.single), ("batch", batch_round, args.batch)):
            try:
                with transaction.atomic():
                    for step, figures in runner(n).items():
                        totals[variant, step].append((n, *figures))
                    raise Rollback
            except Rollback:
                pass

    def rate(variant, step):
        runs = totals[variant, step]
        n = sum(r[0] for r in runs)
        wall = sum(r[1] for r in runs)
        cpu = sum(r[2] for r in runs)
        sql = sum(r[3] for r in runs)
        return n / wall, sql / n, cpu * 1000 / n

    rows = []
    for step in STEPS:
        single, batched = rate("single", step), rate("batch", step)
        rows.append(
            (
                step,
                single[0],
                single[1],
                single[2],
                batched[0],
                batched[1],
                batched[2],
                f"{batched[0] / single[0]:.1f}×",
            )
        )
    table(
        [
            "step",
            "single /s",
            "single SQL/nom.",
            "single CPU ms/nom.",
            "batch /s",
            "batch SQL/nom.",
            "batch CPU ms/nom.",
            "batch/single",
        ],
        rows,
        title=(
            f"Batch steps: {args.batch} nominations per call vs one at a time ({args.single} per round), "
            f"{args.rounds} rounds interleaved (targets: ≥ 500/s per batch step, ≥ 10× single)"
        ),
    )


if __name__ == "__main__":
    main()
