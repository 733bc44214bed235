"""Benchmark of the reports at province scale: every report page and export, timed end to end through Django.

    createdb -h 127.0.0.1 -U postgres bench_reports                   # once, then migrate it:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reports .venv/bin/python manage.py migrate
    .venv/bin/python bench/reports.py --nominations 100000 --rounds 3  # database `bench_reports` (or DATABASE_URL)

Loads the province `PB` with `bench/generate.py` (same seed, same rows) unless it is there, then requests each
report of the whole province for the generator's year as a province reviewer (inspector for the inspector's
decision search) through Django's test client: the fund report (page, Excel), statistical forms 0601–0605
(page, Excel, PDF), the analytics (page, Excel). Each is requested `--rounds` times; the table gives the median
and the slowest round, the SQL statements of one request, and whether the slowest stays within the target
(5 s for 100,000 nominations). Prints a markdown table for BENCHMARKS.md.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import print_machine, setup, table  # noqa: E402

TARGET_SECONDS = 5.0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nominations", type=int, default=100000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", default="bench_reports", help="database name when DATABASE_URL is not set")
    args = parser.parse_args(argv)
    setup(args.db)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import generate
    from nominations.models import Nomination
    from organisation.models import Membership, Unit

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print_machine()
    if not Unit.objects.filter(code=generate.PROVINCE).exists():
        generate.main(["--nominations", str(args.nominations), "--db", args.db])
    province = Unit.objects.get(code=generate.PROVINCE)
    loaded = Nomination.objects.filter(unit__code__startswith=f"{generate.PROVINCE}.").count()

    def client_for(role):
        membership = Membership.objects.filter(unit=province, role=role).select_related("user").first()
        client = Client()
        client.force_login(membership.user)
        return client

    reviewer, inspector = client_for("reviewer"), client_for("inspector")
    query = f"?unit={province.pk}&year={generate.YEAR}"
    requests = [
        ("fund report (page)", reviewer, f"/bao-cao/tien-thuong/{query}"),
        ("fund report (Excel)", reviewer, f"/bao-cao/tien-thuong.xlsx{query}"),
        ("form 0601 (page)", reviewer, f"/bao-cao/bieu/0601/{query}"),
        ("form 0601 (Excel)", reviewer, f"/bao-cao/bieu/0601.xlsx{query}"),
        ("form 0601 (PDF)", reviewer, f"/bao-cao/bieu/0601.pdf{query}"),
        *[
            (f"form {number} ({kind})", reviewer, f"/bao-cao/bieu/{number}{suffix}{query}")
            for number in ("0602", "0603", "0604", "0605")
            for kind, suffix in (("page", "/"), ("Excel", ".xlsx"), ("PDF", ".pdf"))
        ],
        ("analytics (page)", reviewer, f"/bao-cao/phan-tich/?unit={province.pk}"),
        ("analytics (Excel)", reviewer, f"/bao-cao/phan-tich.xlsx?unit={province.pk}"),
        ("inspector: decisions matching “7”", inspector, "/inspect/decisions/list/?q=7"),
        ("inspector: decisions “07/QD-UBND”", inspector, "/inspect/decisions/list/?q=07%2FQD-UBND"),
    ]
    rows = []
    for name, client, url in requests:
        timings, statements = [], 0
        for round_ in range(args.rounds):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code} for {url}")
            if round_ == 0:
                statements = len(queries)
        slowest = max(timings)
        rows.append(
            (
                name,
                statistics.median(timings),
                slowest,
                statements,
                "yes" if slowest <= TARGET_SECONDS else "NO",
            )
        )
    table(
        ["report", "median s", "slowest s", "SQL statements", f"≤ {TARGET_SECONDS:.0f} s"],
        rows,
        title=f"reports: province {generate.PROVINCE}, {loaded:,} nominations, year {generate.YEAR}, "
        f"{args.rounds} rounds each",
    )


if __name__ == "__main__":
    main()
