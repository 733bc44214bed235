"""The annual peak: 13,000 provincial nominations filed, submitted, reviewed, voted and signed in decisions of 500.

    .venv/bin/python bench/peak.py                       # 13,000 nominations, 2 workers, database `bench_peak`
    .venv/bin/python bench/peak.py -n 2000 -w 2          # a smaller rehearsal

A merged province's yearly volume, through the services, phase after phase, each phase split over W worker
processes (each its own DB connection), as the offices would work it:

1. file      – each unit's clerk files the unit's list from a CSV file (nomination_list_import: checked, filed in
               one batch; every third one an award that needs the council vote);
2. submit    – each unit head submits the unit's nominations under one cover submission (batch.submission_create);
3. review    – each district reviewer forwards the district's inbox, 500 per batch step (batch.tasks_act);
4. appraise  – the province reviewers approve, 500 per batch step (the voted award's posting opens);
   posting   – the public posting windows of the voted award (Cờ thi đua của tỉnh) run out: their timers fire as
               the beat's sweep fires them the morning after (bench.common.postings_close);
5. vote      – the council secretary records the tally of the nominations that need it (vote_record);
6. sign      – the chairman signs decisions of 500 nominations (decision_sign: its signature tasks as one batch
               step); the issuer's decision counter is locked for the whole signature, so decisions are signed one
               after the other whatever W is.
7. render    – the workers render each signed decision's documents (the body of the Celery task
               workflows.decision_documents_render: the decision PDF with its PAdES signature, the .docx, one
               certificate PDF per awardee), W decisions at a time; --no-render leaves them to a real worker.

Dossier rows are inserted directly (no upload). Prints wall time per phase, the total against the 5-minute
target, and the peak RSS of the driver and of each worker (getrusage ru_maxrss; workers are forked from the
driver after Django is set up, as gunicorn/Celery prefork workers are).
"""

import argparse
import multiprocessing
import resource
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import postings_close, print_machine, setup, table  # noqa: E402

DECISION_SIZE = 500
BATCH = 500  # tasks per batch step
VOTE_EVERY = 3
# Publicly posted, then voted by the full council (DOMAIN.md §3); Tập thể lao động xuất sắc is vetted by the standing
# council since nominations.0012 and has no vote step any more.
VOTED_AWARD = "co_thi_dua_tinh"


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Actors:
    """Users loaded once per worker (their scope is computed once and cached on the object)."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        self.model = get_user_model()
        self.cache = {}

    def __call__(self, user_id):
        if user_id not in self.cache:
            self.cache[user_id] = self.model.objects.get(pk=user_id)
        return self.cache[user_id]


def member(unit_id, role):
    from organisation.models import Membership

    return (
        Membership.objects.filter(unit_id=unit_id, role=role, revoked_at__isnull=True)
        .order_by("id")
        .values_list("user_id", flat=True)[0]
    )


def phase_file(items, tag):
    """Each unit's clerk files the unit's list from a CSV file (nomination_list_import: every row checked, the
    drafts filed in one batch); the dossier rows are inserted directly (no upload)."""
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from nominations.lists import SUBJECT_LABELS, list_columns
    from nominations.models import DossierFile, DossierKind, Nomination
    from organisation.models import Unit
    from workflows.lists import nomination_list_import

    actors = Actors()
    headers = [column.header for column in list_columns({})]
    year = timezone.localdate().year
    by_unit = defaultdict(list)
    for unit_id, index in items:
        by_unit[unit_id].append(index)
    ids = []
    for unit_id, indexes in by_unit.items():
        unit = Unit.objects.get(pk=unit_id)
        clerk = actors(member(unit_id, "unit_clerk"))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for index in indexes:
            vote = index % VOTE_EVERY == VOTE_EVERY - 1
            values = {
                "Đối tượng": SUBJECT_LABELS["collective" if vote else "individual"],
                "Họ tên / tên tập thể": f"Tập thể {unit.code} {tag} {index}"
                if vote
                else f"Lê Thị Peak {tag} {index}",
                "Giới tính": "" if vote else "Nữ",
                "Năm sinh": "" if vote else 1985,
                "Số CCCD": "",
                "Chức vụ, đơn vị công tác": "",
                "Mã khen thưởng": VOTED_AWARD if vote else "bang_khen_tinh",
                "Năm đề nghị": year,
                "Tóm tắt thành tích": "Hoàn thành xuất sắc nhiệm vụ năm.",
            }
            writer.writerow([values.get(header, "") for header in headers])
        upload = SimpleUploadedFile(f"danh-sach-{unit.code}-{tag}.csv", buffer.getvalue().encode("utf-8-sig"))
        batch, _created = nomination_list_import(actor=clerk, unit=unit, uploaded=upload)
        filed = list(
            Nomination.objects.filter(submission_id=batch.submission_id).values_list("pk", flat=True)
        )
        DossierFile.objects.bulk_create(
            DossierFile(
                nomination_id=pk,
                kind=DossierKind.ACHIEVEMENT_REPORT,
                file=f"dossiers/bench/{pk}.pdf",
                original_name="bao-cao.pdf",
                content_type="application/pdf",
                size=45,
                sha256="0" * 64,
                uploaded_by=clerk,
            )
            for pk in filed
        )
        ids += [(unit_id, pk) for pk in filed]
    return ids


def phase_submit(items):
    """Each unit head submits the unit's drafts (`items`: (unit id, the ids its list filed)) under one cover
    submission."""
    from nominations.models import Nomination, Status
    from organisation.models import Unit
    from workflows.batch import submission_create

    actors = Actors()
    done = []
    for unit_id, filed in items:
        unit = Unit.objects.get(pk=unit_id)
        nominations = list(
            Nomination.objects.filter(unit=unit, status=Status.DRAFT, pk__in=filed).select_related(
                "award_type", "nominee"
            )
        )
        if nominations:
            submission_create(actor=actors(member(unit_id, "unit_head")), unit=unit, nominations=nominations)
            done += [n.pk for n in nominations]
    return done


def _open_tasks(step, run_ids, unit_id=None):
    from workflows.models import TaskScope

    rows = TaskScope.objects.filter(is_open=True, step=step, nomination_id__in=run_ids)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return list(rows.order_by("due_on", "created").values_list("task_id", flat=True))


def phase_review(items, run_ids):
    """Each district reviewer forwards the district's inbox, 500 tasks per batch step (workflows.batch.tasks_act)."""
    from workflows.batch import tasks_act

    actors = Actors()
    done = []
    for district_id in items:
        reviewer = actors(member(district_id, "reviewer"))
        task_ids = _open_tasks("review", run_ids, district_id)
        for start in range(0, len(task_ids), BATCH):
            chunk = task_ids[start : start + BATCH]
            failed = {
                k: v for k, v in tasks_act(actor=reviewer, task_ids=chunk, action="forward").items() if v
            }
            if failed:
                raise RuntimeError(f"forward failed: {list(failed.items())[:3]}")
            done += chunk
    return done


def phase_appraise(items, province_id):
    """The province's reviewers approve, 500 tasks per batch step (the voted award's public posting opens)."""
    from workflows.batch import tasks_act

    actors = Actors()
    reviewer = actors(member(province_id, "reviewer"))
    done = []
    for chunk in items:
        failed = {k: v for k, v in tasks_act(actor=reviewer, task_ids=chunk, action="approve").items() if v}
        if failed:
            raise RuntimeError(f"approve failed: {list(failed.items())[:3]}")
        done += chunk
    return done


def phase_posting(items):
    """Fire the posting timers of the processes `items` (chunks of process ids), as the beat's sweep does: 500
    timers per set-based step (bench.common.postings_close → workflows.steps.timers_fire)."""
    done = [process_id for chunk in items for process_id in chunk]
    postings_close(done)
    return done


COUNCIL_SIZE = 15


def _peak_council(province_id):
    """The province's full council of 15 seated members (the secretary and 14 council members), made once; the
    province's row is locked meanwhile so two workers never seat it twice."""
    from django.db import transaction
    from django.utils import timezone

    from organisation.models import Council, CouncilKind, CouncilMember, CouncilPosition, Membership, Unit

    today = timezone.localdate()
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=province_id)
        council = Council.objects.filter(unit_id=province_id, kind=CouncilKind.FULL, is_active=True).first()
        if council is None:
            council = Council.objects.create(
                unit_id=province_id,
                kind=CouncilKind.FULL,
                name="Hội đồng TĐKT tỉnh",
                members_total=COUNCIL_SIZE,
            )
        if not council.members_on(today).exists():
            holders = [member(province_id, "council_secretary")] + list(
                Membership.objects.filter(unit_id=province_id, role="council_member", revoked_at__isnull=True)
                .order_by("id")
                .values_list("user_id", flat=True)[: COUNCIL_SIZE - 1]
            )
            CouncilMember.objects.bulk_create(
                CouncilMember(
                    council=council,
                    user_id=user_id,
                    position=CouncilPosition.SECRETARY if index == 0 else CouncilPosition.MEMBER,
                    valid_from=today,
                )
                for index, user_id in enumerate(holders)
            )
    return council


def phase_vote(items, province_id):
    """The council meets over the vote tasks `items`, at most 500 nominations a meeting: the secretary opens it
    (meeting_open), records the attendance (all but one member present) and every item's totals, closes it
    (meeting_close: every vote recorded as one batch step) and uploads the signed minutes."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from approvals.meetings import attendance_record, minutes_signed_upload, totals_record
    from workflows.meetings import meeting_close, meeting_open
    from workflows.models import TaskScope

    actors = Actors()
    secretary = actors(member(province_id, "council_secretary"))
    council = _peak_council(province_id)
    nominations = list(
        TaskScope.objects.filter(task_id__in=list(items))
        .order_by("nomination_id")
        .values_list("nomination_id", flat=True)
    )
    today = timezone.localdate()
    for start in range(0, len(nominations), BATCH):
        meeting = meeting_open(
            actor=secretary,
            council=council,
            held_on=today,
            place="Hội trường UBND tỉnh",
            nominations=nominations[start : start + BATCH],
        )
        seats = list(meeting.attendance.order_by("member_id").values_list("member_id", flat=True))
        attendance_record(actor=secretary, meeting=meeting, present_ids=seats[1:])
        present = len(seats) - 1
        totals_record(
            actor=secretary,
            meeting=meeting,
            rows={
                item_id: {
                    "votes_for": present - 1,
                    "votes_against": 1,
                    "written_for": 0,
                    "written_against": 0,
                }
                for item_id in meeting.items.values_list("pk", flat=True)
            },
        )
        meeting_close(actor=secretary, meeting=meeting)
        scan = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 peak minutes", content_type="application/pdf")
        minutes_signed_upload(actor=secretary, meeting=meeting, uploaded=scan)
    return list(items)


def phase_sign(items, province_id):
    from workflows.services import decision_sign

    actors = Actors()
    approver = actors(member(province_id, "approver"))
    decisions = []
    for chunk in items:
        decisions.append(decision_sign(actor=approver, nominations=chunk).pk)
    return decisions


def phase_render(items):
    """Render each decision's documents (`items`: decision ids) as the worker's task does."""
    from approvals.documents import decision_documents_render

    stored = []
    for decision_id in items:
        stored += decision_documents_render(decision_id)
    return stored


PHASES = {
    "file": phase_file,
    "submit": phase_submit,
    "review": phase_review,
    "appraise": phase_appraise,
    "posting": phase_posting,
    "vote": phase_vote,
    "sign": phase_sign,
    "render": phase_render,
}


def _child(phase, items, extra, queue):
    from django.db import connections

    connections.close_all()
    started = time.perf_counter()
    try:
        result = PHASES[phase](items, *extra)
        queue.put({"result": result, "seconds": time.perf_counter() - started, "rss": _rss_mb()})
    except BaseException as exc:
        queue.put({"error": f"{type(exc).__name__}: {exc}"})
        raise


def _statistics_refresh():
    """ANALYZE between phases (inside the total wall time, outside the phase's): a phase adds thousands of rows in
    a minute, and PostgreSQL's autovacuum refreshes the planner's statistics on its own clock (a minute's nap,
    then 10 % of a table changed). With the statistics of an emptier table the planner picked sequential scans
    (the eligibility facts on nominations: ~4 ms a call instead of an index read). Over a real peak, spread over
    days, the statistics are fresh. Return the seconds it took."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    return time.perf_counter() - started


def run_phase(phase, items, workers, *extra):
    """Split `items` over the workers (round robin), run them, return (results, wall s, worker peak RSS MB)."""
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    shares = [items[w::workers] for w in range(workers)]
    shares = [s for s in shares if s]
    started = time.perf_counter()
    children = [ctx.Process(target=_child, args=(phase, share, extra, queue)) for share in shares]
    for child in children:
        child.start()
    answers = [queue.get() for _ in children]
    for child in children:
        child.join()
    wall = time.perf_counter() - started
    errors = [a["error"] for a in answers if "error" in a]
    if errors:
        raise SystemExit(f"phase {phase} failed: {errors[0]}")
    results = [x for a in answers for x in a["result"]]
    return results, wall, max(a["rss"] for a in answers)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", "--nominations", type=int, default=13000)
    parser.add_argument("-w", type=int, default=2, help="worker processes per phase")
    parser.add_argument("--db", default="bench_peak")
    parser.add_argument(
        "--no-render", action="store_true", help="leave the decisions' documents to a real worker (not timed)"
    )
    parser.add_argument(
        "--background", type=int, default=0, help="nominations to generate if the province is new"
    )
    args = parser.parse_args(argv)
    setup(args.db)
    from organisation.models import Tier, Unit

    if not Unit.objects.filter(code="PB").exists():
        from bench import generate

        generate.main(["--nominations", str(args.background), "--db", args.db])
    print_machine()
    tag = uuid.uuid4().hex[:6]
    province = Unit.objects.get(code="PB")
    districts = list(
        Unit.objects.filter(parent=province, tier=Tier.DISTRICT).order_by("code").values_list("id", flat=True)
    )
    communes = list(
        Unit.objects.filter(parent_id__in=districts, tier=Tier.BASE)
        .order_by("code")
        .values_list("id", flat=True)
    )
    items = [(communes[i % len(communes)], i) for i in range(args.nominations)]
    rows = []
    total_started = time.perf_counter()
    worker_rss = []
    analyze_seconds = []

    def phase(name, work, *extra):
        print(f"{name}: {len(work):,} items on {args.w} workers...", file=sys.stderr, flush=True)
        results, wall, rss = run_phase(name, work, args.w, *extra)
        worker_rss.append(rss)
        rows.append([name, len(results), wall, len(results) / wall if wall else 0, rss])
        analyze_seconds.append(_statistics_refresh())
        return results

    filed = phase("file", items, tag)
    run_ids = [pk for _unit_id, pk in filed]
    # Each unit's ids as its list filed them: a harness query with all 13,000 ids per unit cost ~0.25 s each.
    by_unit = defaultdict(list)
    for unit_id, pk in filed:
        by_unit[unit_id].append(pk)
    phase("submit", sorted(by_unit.items()))
    reviewed = phase("review", districts, run_ids)
    to_appraise = _open_tasks("appraise", run_ids)
    appraised = phase(
        "appraise", [to_appraise[i : i + BATCH] for i in range(0, len(to_appraise), BATCH)], province.pk
    )
    from workflows.models import NominationProcess, TaskScope

    posted = list(
        NominationProcess.objects.filter(
            artifact_object_id__in=run_ids, task__flow_task_type="TIMER", task__status="SCHEDULED"
        ).values_list("pk", flat=True)
    )
    phase("posting", [posted[i : i + 100] for i in range(0, len(posted), 100)])
    voted = phase("vote", _open_tasks("tally_vote", run_ids), province.pk)

    ready = sorted(
        TaskScope.objects.filter(is_open=True, step="sign", nomination_id__in=run_ids).values_list(
            "nomination_id", flat=True
        )
    )
    chunks = [ready[i : i + DECISION_SIZE] for i in range(0, len(ready), DECISION_SIZE)]
    decisions = phase("sign", chunks, province.pk)
    workflow = time.perf_counter() - total_started
    rows[-1][1] = f"{len(decisions)} decisions / {len(ready):,} nominations"
    rows[-1][3] = len(ready) / rows[-1][2] if rows[-1][2] else 0
    files = [] if args.no_render else phase("render", decisions)
    total = time.perf_counter() - total_started
    if files:
        rows[-1][1] = f"{len(files):,} files of {len(decisions)} decisions"
        rows[-1][3] = len(files) / rows[-1][2] if rows[-1][2] else 0
    table(
        ["phase", "done", "wall s", "per s", "worker peak RSS MB"],
        rows,
        title=f"peak: {args.nominations:,} nominations, W={args.w}",
    )
    from nominations.models import Nomination, Status

    awarded = Nomination.objects.filter(pk__in=run_ids, status=Status.AWARDED).count()
    table(
        ["figure", "value"],
        [
            ("nominations filed / awarded", f"{len(run_ids):,} / {awarded:,}"),
            ("reviewed / appraised / voted", f"{len(reviewed):,} / {len(appraised):,} / {len(voted):,}"),
            ("workflow (file → signed)", f"{workflow:,.1f} s ({workflow / 60:.1f} min)"),
            ("of which ANALYZE between phases", f"{sum(analyze_seconds):,.1f} s"),
            (
                "total wall time"
                + (" (documents not rendered)" if args.no_render else ", documents rendered"),
                f"{total:,.1f} s ({total / 60:.1f} min; target ≤ 5 min)",
            ),
            (
                "peak RSS, worker (max over the workflow's phases)",
                f"{max(worker_rss[: len(worker_rss) - bool(files)]):.0f} MB (target ≤ 200 MB)",
            ),
            *([("peak RSS, worker rendering", f"{worker_rss[-1]:.0f} MB")] if files else []),
            ("peak RSS, driver", f"{_rss_mb():.0f} MB"),
        ],
        title="annual peak",
    )
    counts = defaultdict(int)
    for status in Nomination.objects.filter(pk__in=run_ids).values_list("status", flat=True):
        counts[status] += 1
    print(f"\nfinal statuses: {dict(counts)}")


if __name__ == "__main__":
    main()
