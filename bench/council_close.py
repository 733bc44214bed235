"""Closing a council meeting's agenda on PostgreSQL: how long `workflows.meetings.meeting_close` takes for K items.

    createdb -h 127.0.0.1 -U postgres bench_council                   # once, then migrate it:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_council .venv/bin/python manage.py migrate
    .venv/bin/python bench/council_close.py -k 500                    # target: ≤ 30 s for 500 items
    .venv/bin/python bench/council_close.py -k 500 --mode device      # members' secret ballots instead of totals
    .venv/bin/python bench/council_close.py -k 500 --no-reference     # the batch close alone

Setup (not timed): the demo province and users, a council of M members (default 15), K nominations of "Cờ thi đua
của UBND tỉnh" (voted by the full council, ≥ 80% of all members; "Tập thể lao động xuất sắc" is vetted by the
standing council and never voted) filed a month back and taken through the services and their public posting to the
council vote, a meeting opened with all of them, the attendance (all present) and either every item's totals (paper)
or every member's ballot on every item (device).
Timed: one `meeting_close` call, which counts each item, records every result as one batch step
(workflows.steps.tasks_complete_batch with each item's VoteTotals: one lock pass, the vote rows, the routing to sign
/ not approved, scope rows, view grants, notices and audit events in bulk statements) and closes the meeting — one
transaction. First (unless --no-reference) the same close one vote at a time (`meetings._votes_record_one_at_a_time`:
`services.vote_record` per item, the path the batch step equals row for row), timed and rolled back, so both run
from the same state; SQL statements and client CPU are counted for both.
"""

import argparse
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import print_machine, setup, table  # noqa: E402


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-k", type=int, default=500, help="agenda items (default 500)")
    parser.add_argument("-m", type=int, default=15, help="council members (default 15)")
    parser.add_argument("--mode", choices=["paper", "device"], default="paper")
    parser.add_argument("--no-reference", action="store_true", help="skip the one-at-a-time close")
    args = parser.parse_args()
    setup(default_db="bench_council")

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from approvals.meetings import attendance_record, ballot_cast, totals_record
    from nominations.models import Nomination, Status
    from organisation.models import Council, CouncilKind, CouncilMember, CouncilPosition
    from tests.factories import VOTED_COLLECTIVE, ensure_reference_data, to_council_vote
    from workflows import meetings
    from workflows.meetings import meeting_close, meeting_open

    ensure_reference_data()
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "head", "district_reviewer",
                                                                        "province_reviewer", "secretary"])}  # fmt: skip
    council = Council.objects.get(unit__code="BT", kind=CouncilKind.FULL)
    today = timezone.localdate()
    seated = list(council.members_on(today))
    for index in range(len(seated), args.m):
        user = (
            users["secretary"] if index == 0 else User.objects.get_or_create(username=f"bench_uv{index}")[0]
        )
        position = CouncilPosition.SECRETARY if index == 0 else CouncilPosition.MEMBER
        seated.append(
            CouncilMember.objects.create(council=council, user=user, position=position, valid_from=today)
        )

    run = uuid.uuid4().hex[:6]
    started = time.perf_counter()
    people = SimpleNamespace(**users)
    to_council_vote(people, *(f"Tập thể {run}-{n}" for n in range(args.k)), award_code=VOTED_COLLECTIVE)
    setup_s = time.perf_counter() - started

    secretary = users["secretary"]
    meeting = meeting_open(
        actor=secretary, council=council, held_on=today, place="Bench", ballot_mode=args.mode,
        award_codes=[VOTED_COLLECTIVE],
    )  # fmt: skip
    items = list(meeting.items.all())
    members = list(council.members_on(today))
    attendance_record(actor=secretary, meeting=meeting, present_ids=[m.pk for m in members])
    if args.mode == "paper":
        rows = {
            item.pk: {"votes_for": len(members) - (item.order % 4 == 0) * 5, "votes_against": (item.order % 4 == 0) * 5,
                      "written_for": 0, "written_against": 0}
            for item in items
        }  # fmt: skip
        totals_record(actor=secretary, meeting=meeting, rows=rows)
    else:
        for member in members:
            ballot_cast(actor=member.user, meeting=meeting, choices={item.pk: "for" for item in items})

    class Rollback(Exception):
        pass

    def close(record):
        """Close the meeting with `record` as the vote step; return (wall s, client CPU s, SQL statements)."""
        batch = meetings._votes_record
        meetings._votes_record = record
        try:
            statements = []

            def count(execute, sql, params, many, context):
                statements.append(1)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                wall, cpu = time.perf_counter(), time.process_time()
                meeting_close(actor=secretary, meeting=meeting)
                return time.perf_counter() - wall, time.process_time() - cpu, len(statements)
        finally:
            meetings._votes_record = batch

    rows = []
    if not args.no_reference:
        try:
            with transaction.atomic():
                measured = close(meetings._votes_record_one_at_a_time)
                raise Rollback
        except Rollback:
            rows.append(["one at a time (vote_record per item)", *measured])
    close_s, cpu_s, statements = close(meetings._votes_record)
    rows.append(["batch step", close_s, cpu_s, statements])
    moved = (
        Nomination.objects.filter(pk__in=[i.nomination_id for i in items])
        .exclude(status=Status.COUNCIL)
        .count()
    )
    print_machine()
    k = max(len(items), 1)
    table(
        ["path", "close (s)", "items/s", "client CPU ms/item", "SQL/item", "vs one at a time"],
        [
            [
                name,
                wall,
                k / wall,
                1000 * cpu / k,
                sql / k,
                f"{rows[0][1] / wall:.1f}×" if len(rows) > 1 else "–",
            ]
            for name, wall, cpu, sql in rows
        ],
        title=f"Closing a council agenda of {len(items)} items ({len(members)} members, {args.mode}; setup "
        f"{setup_s:.0f} s; meeting_close, one transaction)",
    )
    if moved != len(items):
        raise SystemExit(f"only {moved} of {len(items)} items moved on")


if __name__ == "__main__":
    main()
