"""Profile our transition path in one process: pyinstrument call tree and the SQL statements per transition.

    .venv/bin/python bench/profile_route.py -k 30                 # database `bench_route` (or DATABASE_URL)
    .venv/bin/python bench/profile_route.py -k 30 --sql           # also list the statements of one nomination

Runs route.py's "ours" variant in-process (one worker, no barrier), prints pyinstrument's text tree to stdout
(and saves var/profile_route.html), then, with --sql, the statements of one nomination grouped by transition.
"""

import argparse
import re
import sys
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, setup  # noqa: E402


class _NoBarrier:
    def wait(self):
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-k", type=int, default=30)
    parser.add_argument("--db", default="bench_route")
    parser.add_argument("--sql", action="store_true")
    args = parser.parse_args(argv)
    setup(args.db)
    from django.db import connection
    from pyinstrument import Profiler

    from bench import route

    plan = route.cast(1)[0]
    run = uuid.uuid4().hex[:6]
    route.run_ours(plan, 2, f"warm{run}", 0, _NoBarrier())
    profiler = Profiler(interval=0.0005)
    profiler.start()
    result = route.run_ours(plan, args.k, f"prof{run}", 0, _NoBarrier())
    profiler.stop()
    transitions = len(result["samples"])
    seconds = result["ended"] - result["started"]
    print(
        f"{transitions} transitions in {seconds:.2f} s: {transitions / seconds:.1f}/s, "
        f"{sum(s[2] for s in result['samples']) / transitions:.1f} SQL statements per transition"
    )
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var/profile_route.html").write_text(profiler.output_html())
    if args.sql:
        statements = []

        def log(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(log):
            route.run_ours(plan, 3, f"sql{run}", 0, _NoBarrier())
        shapes = Counter(
            re.sub(r"\"s\d+_x\d+\"", "sp", re.sub(r"\s+", " ", re.sub(r"%s(, %s)*", "?", s)))[:160]
            for s in statements
        )
        print(f"\n{len(statements)} statements for 3 nominations; by shape:")
        for shape, count in shapes.most_common():
            print(f"{count:5d}  {shape}")


if __name__ == "__main__":
    main()
