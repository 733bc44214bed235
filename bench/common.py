"""Shared plumbing of the benchmark scripts: Django setup, timing statistics, result tables, machine facts."""

import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(default_db="bench"):
    """Point Django at PostgreSQL database `default_db` unless DATABASE_URL is set, and set it up."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{default_db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # Background work (e-mails, PDFs) is queued to Redis as in production, not run inside the measured
    # transitions; no worker consumes it here (empty it afterwards: redis-cli -n 7 flushdb).
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
    import django

    django.setup()
    if os.environ.get("BENCH_GC_FREEZE", "1") != "0":  # as gunicorn and Celery workers start (config.runtime)
        from config.runtime import startup_objects_freeze

        startup_objects_freeze()


def percentile(values, pct):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def table(headers, rows, title=None):
    """Print a GitHub-flavoured markdown table (pasteable into BENCHMARKS.md)."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    if title:
        print(f"\n### {title}\n")
    print("| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    sys.stdout.flush()


def _fmt(value):
    if isinstance(value, float):
        if value != value:
            return "–"
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def machine():
    """Cores, CPU model, PostgreSQL version and the library versions, for the results header."""
    from django.db import connection

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        sync = cursor.fetchone()[0]
    from importlib.metadata import version

    import django
    import guardian

    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "postgres": f"{pg} (synchronous_commit={sync})",
        "python": platform.python_version(),
        "django": django.get_version(),
        "viewflow": version("django-viewflow"),
        "guardian": getattr(guardian, "__version__", version("django-guardian")),
    }


def print_machine():
    from datetime import UTC, datetime

    facts = machine()
    print(
        f"date {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {facts['cores']} cores ({facts['cpu']}) · PostgreSQL "
        f"{facts['postgres']} · Python {facts['python']}, Django {facts['django']}, viewflow {facts['viewflow']}, "
        f"guardian {facts['guardian']}"
    )
    sys.stdout.flush()


def postings_close(process_ids):
    """Let the public posting windows of `process_ids` run out: fire their scheduled posting timers now, as the
    beat's timer sweep (workflows.steps.timers_fire_due) does the morning after a window closes — set-based, 500
    timers per step, any timer whose path the batch does not walk with viewflow's own firing.

    The harness's stand-in for the days of posting (untimed, inside the wall time). Return the timers fired;
    raise if a timer ends in error (viewflow's firing runs the next nodes without propagating their exceptions)."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.steps import timers_fire

    fired = timers_fire(
        Task.objects.filter(process_id__in=list(process_ids), flow_task_type="TIMER", status=STATUS.SCHEDULED)
        .order_by("scheduled", "pk")
        .values_list("pk", flat=True)
    )
    errors = Task.objects.filter(process_id__in=list(process_ids), status=STATUS.ERROR).values_list(
        "pk", flat=True
    )
    if errors:
        raise RuntimeError(f"posting timers ended in error: tasks {list(errors)[:5]}")
    return len(fired)
