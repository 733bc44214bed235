"""Time the reorganisation of the bench province (bench/generate.py) with its nominations in flight.

    .venv/bin/python bench/generate.py --nominations 10000          # database `bench` (or DATABASE_URL)
    .venv/bin/python bench/reorganise.py                            # preview, then apply, each timed

The plan is the 2025 shape change: every district is dissolved (its communes go under the province) and the
communes of each district are merged two by two into new communes (memberships move with them). Open review tasks
at the dissolved districts go back to their proposing communes, the other open tasks follow their units. Prints
the time of the preview and of the apply, the SQL statements each sent (a load-independent measure; a COPY counts
as one), and what changed; run it on a fresh load (applying twice is a no-op).
"""

import argparse
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import print_machine, setup, table  # noqa: E402

PROVINCE = "PB"


def build_plan(effective_on, districts=None):
    from organisation.models import Tier, Unit

    operations = []
    chosen = list(Unit.objects.filter(parent__code=PROVINCE, tier=Tier.DISTRICT).order_by("code"))[:districts]
    for district in chosen:
        communes = list(district.children.filter(valid_to__isnull=True).order_by("code"))
        for index in range(0, len(communes) - 1, 2):
            pair = communes[index : index + 2]
            operations.append(
                {
                    "kind": "merge",
                    "from": [c.code for c in pair],
                    "to": {
                        "code": f"{pair[0].code}-M",
                        "name": f"{pair[0].name} (hợp nhất)",
                        "tier": Tier.BASE,
                        "parent": PROVINCE,
                        "issuer_symbol": "UBND",
                    },
                    "memberships": "move",
                }
            )
        operations.append({"kind": "dissolve", "unit": district.code, "children_to": PROVINCE})
    return {
        "code": f"BENCH-{effective_on.isoformat()}",
        "effective_on": effective_on.isoformat(),
        "reason": "Bench: tổ chức chính quyền địa phương hai cấp",
        "operations": operations,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="bench", help="database name when DATABASE_URL is not set")
    parser.add_argument("--skip-preview", action="store_true")
    parser.add_argument("--districts", type=int, help="reorganise only the first N districts (a smoke run)")
    args = parser.parse_args(argv)
    setup(args.db)
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from audit.context import origin
    from workflows.models import TaskScope
    from workflows.reorganisation import reorganisation_apply, reorganisation_preview

    print_machine()
    plan = build_plan(timezone.localdate(), args.districts)
    actor = get_user_model().objects.order_by("pk").first()
    in_flight = TaskScope.objects.filter(is_open=True).count()
    rows = []
    with origin("cli"):
        if not args.skip_preview:
            started = time.perf_counter()
            with _statements() as sent:
                preview = reorganisation_preview(plan=plan, actor=actor)
            rows.append(["preview", f"{time.perf_counter() - started:.1f}", sent[0], *_counts(preview)])
        started = time.perf_counter()
        with _statements() as sent:
            report = reorganisation_apply(plan=plan, actor=actor)
        rows.append(["apply", f"{time.perf_counter() - started:.1f}", sent[0], *_counts(report)])
    print(f"operations: {len(plan['operations'])}, open tasks before: {in_flight}")
    table(
        [
            "run",
            "seconds",
            "statements",
            "opened",
            "closed",
            "reparented",
            "memberships",
            "rerouted",
            "moved",
            "returned",
        ],
        rows,
    )


@contextmanager
def _statements():
    """Count the statements sent through Django's connection (execute and executemany calls)."""
    from django.db import connection

    sent = [0]

    def count(execute, sql, params, many, context):
        sent[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield sent


def _counts(report):
    return [
        len(report["units_opened"]),
        len(report["units_closed"]),
        len(report["reparented"]),
        len(report["memberships_moved"]) + len(report["memberships_to_regrant"]),
        len(report["nominations_rerouted"]),
        len(report["tasks_moved"]),
        len(report["tasks_returned"]),
    ]


if __name__ == "__main__":
    main()
