"""Benchmark of audit-log verification: events/s and bytes per event.

Usage (PostgreSQL, the figures that count):

    createdb -h 127.0.0.1 -U postgres audit_bench          # once
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/audit_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/audit.py --events 1000000      # default 1,000,000; --per-chain 20

It appends N events to the configured database as many valid hash chains (one per synthetic nomination, `--per-chain`
events each, with realistic actors, units, reasons, origins and data) through the project's bulk append path
(audit.services.events_append_bulk: hashes, one COPY per 50,000 events on PostgreSQL, chain heads); then it times
`audit.verify.chain_verify()` over the whole log and reports events/s (target >= 100,000), peak memory and, on PostgreSQL, bytes per event from pg_total_relation_size (table,
indexes and TOAST) divided by the row count. The events are never deleted (the table is append-only): use a
throw-away database.
"""

import argparse
import os
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from audit.models import Event  # noqa: E402
from audit.services import events_append_bulk  # noqa: E402
from audit.verify import chain_verify  # noqa: E402

STEPS = [
    ("nomination.create", "clerk", "unit_clerk", "BT.MCN.DINHTHUY", ""),
    ("task.open", "", "", "BT.MCN.DINHTHUY", ""),
    ("dossier.add", "clerk", "unit_clerk", "BT.MCN.DINHTHUY", ""),
    ("dossier.add", "clerk", "unit_clerk", "BT.MCN.DINHTHUY", ""),
    ("task.submit", "head", "unit_head", "BT.MCN.DINHTHUY", ""),
    ("task.open", "", "", "BT.MCN", ""),
    ("task.return", "district_reviewer", "reviewer", "BT.MCN", "Bổ sung biên bản họp xét thi đua của xã."),
    ("task.open", "", "", "BT.MCN.DINHTHUY", ""),
    ("task.resubmit", "head", "unit_head", "BT.MCN.DINHTHUY", ""),
    ("task.open", "", "", "BT.MCN", ""),
    ("task.forward", "district_reviewer", "reviewer", "BT.MCN", ""),
    ("task.open", "", "", "BT", ""),
    ("task.approve", "province_reviewer", "reviewer", "BT", "Đủ tiêu chuẩn theo Nghị định 152/2025/NĐ-CP."),
    ("posting.open", "", "", "BT", ""),
    ("task.open", "", "", "BT", ""),
    ("task.record_vote", "secretary", "council_secretary", "BT", ""),
    ("task.open", "", "", "BT", ""),
    ("task.sign", "chairman", "approver", "BT", ""),
    ("nomination.awarded", "", "", "BT", ""),
    ("read.personal_data", "inspector", "", "", ""),
]
AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def synthetic_events(events, per_chain, prefix, seed=2026):
    """Yield `events` unsaved events, `per_chain` to a chain, in chain order (numbered and hashed when appended)."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 1, 30, tzinfo=UTC)
    produced, number = 0, 0
    while produced < events:
        number += 1
        chain = f"{prefix}:{number}"
        nomination_id = 10_000_000 + number
        at = start + timedelta(seconds=number * 7)
        for seq in range(1, min(per_chain, events - produced) + 1):
            action, actor, role, unit, reason = STEPS[(seq - 1) % len(STEPS)]
            at = at + timedelta(minutes=rng.randint(5, 3000), microseconds=rng.randint(0, 999_999))
            yield Event(
                chain=chain,
                at=at,
                actor_id=(hash(actor) % 500 + 1) if actor else None,
                actor_name=actor,
                role=role,
                unit_code=unit,
                action=action,
                object_type="viewflow.task" if action.startswith("task.") else "nominations.nomination",
                object_id=str(nomination_id * 10 + seq),
                nomination_id=nomination_id,
                reason=reason,
                channel="web" if actor else "system",
                ip=f"10.1.{rng.randint(0, 255)}.{rng.randint(1, 254)}" if actor else None,
                user_agent=AGENT if actor else "",
                data={"step": action.split(".")[-1], "unit": unit, "status": "in_review", "n": seq},
            )
            produced += 1


def load(events, per_chain, prefix):
    """Append the synthetic events through audit.services.events_append_bulk, 50,000 at a time, in one
    transaction. Return (seconds, chains)."""
    started = time.perf_counter()
    chains = set()
    with transaction.atomic():
        batch = []
        for event in synthetic_events(events, per_chain, prefix):
            batch.append(event)
            chains.add(event.chain)
            if len(batch) >= 50_000:
                events_append_bulk(batch)
                batch = []
        events_append_bulk(batch)
    return time.perf_counter() - started, len(chains)


def bytes_per_event():
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_event")
        cursor.execute(
            "SELECT pg_total_relation_size('audit_event'), pg_relation_size('audit_event'), count(*) "
            "FROM audit_event"
        )
        total, heap, count = cursor.fetchone()
    return total / count, heap / count, count


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--per-chain", type=int, default=20)
    parser.add_argument(
        "--verify-only", action="store_true", help="skip loading, time verification of what is there"
    )
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1], help="verify with these worker counts, e.g. 1 2"
    )
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not args.verify_only:
        prefix = f"bench{int(time.time())}"
        seconds, chains = load(args.events, args.per_chain, prefix)
        print(
            f"loaded {args.events:,} events in {chains:,} chains in {seconds:.1f} s "
            f"({args.events / seconds:,.0f} events/s)"
        )
    for workers in args.workers:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu = time.process_time()
        started = time.perf_counter()
        result = chain_verify(workers=workers)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"verify (workers={workers}): ok={result.ok} events={result.events_checked:,} "
            f"chains={result.chains_checked:,} in {seconds:.2f} s = {result.events_checked / seconds:,.0f} "
            f"events/s wall (target >= 100,000); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        if workers == 1:
            print(
                f"  CPU time of the verifying process: {cpu:.2f} s = {result.events_checked / cpu:,.0f} events/s "
                "of Python work (the rest is waiting for the database)"
            )
        if not result.ok:
            print(f"  first break: {result.first_break}")
        print(f"  peak RSS before verify {rss_before / 1024:.0f} MiB, after {rss_after / 1024:.0f} MiB")
    sizes = bytes_per_event()
    if sizes:
        total, heap, count = sizes
        print(f"size: {total:,.0f} bytes/event with indexes ({heap:,.0f} heap only) over {count:,} events")
    print(f"total events in log: {Event.objects.count():,}")


if __name__ == "__main__":
    main()
