"""Route throughput on PostgreSQL: our services against bare viewflow and the SQL floor, in the same run.

    .venv/bin/python bench/route.py -k 200 -w 2                  # database `bench_route` (or DATABASE_URL)
    .venv/bin/python bench/route.py -k 200 -w 2 --http -c 4      # also through the HTTP API behind gunicorn

Each of W worker processes (own DB connection, closed loop) takes K/W nominations through the full standard
route, one after another: file → submit → review (district) → appraise (province) → [vote, every third
nomination, an award that needs the council] → sign (a decision of one). Variants, one after the other on the
same data:

* ours  – workflows.services (permission checks on the precomputed scope, rules, TaskScope, due dates, guardian
          view grants, review records, audit events in hash chains), actors loaded once per worker;
* bare  – bench/bare_flow.BareRouteFlow: the same graph in bare viewflow, no audit/scoping/rules; one transition
          is assign (activation 1) + start/execute (activation 2) as in viewflow's tests and perf-anchor;
* bare1tx – the same bare flow with assign + start/execute under one activation (one transaction), as ours does;
* floor – the minimal SQL of a transition in one transaction through psycopg: UPDATE the task, INSERT the next
          task, INSERT a hash-linked audit event (file: INSERT process + task + event);
* http  – (--http) the same route through /api/v1/... with C concurrent clients against gunicorn (W workers);
          needs the API of issue 9 (merged into main). Tokens come from /api/v1/auth/token/ (throttle lifted).

Finding the next task id (an inbox read) and attaching the dossier row are outside the timed transitions but
inside the wall time. If the bench province is missing, it is generated first (bench/generate.py, --background
nominations). Prints a results table (markdown) with transitions/s, nominations/s, p50/p95/p99 and the ratios.
"""

import argparse
import json
import multiprocessing
import os
import sys
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import percentile, postings_close, print_machine, setup, table  # noqa: E402

VOTE_EVERY = 3  # every third nomination takes the council vote step
# The voted award: Cờ thi đua của tỉnh, publicly posted, then voted by the full council (DOMAIN.md §3). Tập thể lao
# động xuất sắc is vetted by the standing council since nominations.0012 and no longer has a vote step.
VOTED_AWARD = "co_thi_dua_tinh"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --------------------------------------------------------------------------------------------------------------
# Cast: who acts at each step, picked from the generated province (one commune per worker, distinct districts).


def cast(workers):
    from organisation.models import Membership, Tier, Unit

    province = Unit.objects.get(code="PB")
    districts = list(Unit.objects.filter(parent=province, tier=Tier.DISTRICT).order_by("code"))

    def member(unit, role):
        return (
            Membership.objects.filter(unit=unit, role=role, revoked_at__isnull=True)
            .order_by("id")
            .values_list("user_id", flat=True)[0]
        )

    plans = []
    for w in range(workers):
        district = districts[w % len(districts)]
        commune = Unit.objects.filter(parent=district, tier=Tier.BASE).order_by("code")[w // len(districts)]
        plans.append(
            {
                "commune": commune.pk,
                "commune_code": commune.code,
                "district": district.pk,
                "clerk": member(commune, "unit_clerk"),
                "head": member(commune, "unit_head"),
                "district_reviewer": member(district, "reviewer"),
                "province_reviewer": member(province, "reviewer"),
                "secretary": member(province, "council_secretary"),
                "approver": member(province, "approver"),
            }
        )
    return plans


def split(k, workers):
    return [k // workers + (1 if w < k % workers else 0) for w in range(workers)]


class Recorder:
    """Per-transition wall times and SQL statement counts of one worker."""

    def __init__(self):
        self.samples = []  # (name, seconds, statements)
        self.statements = 0

    def wrapper(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)

    def time(self, name, fn, *args, **kwargs):
        before = self.statements
        started = time.perf_counter()
        result = fn(*args, **kwargs)
        self.samples.append((name, time.perf_counter() - started, self.statements - before))
        return result


# --------------------------------------------------------------------------------------------------------------
# Variant: our services.


def run_ours(plan, count, tag, warmup, barrier):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from nominations.models import AwardType, DossierFile, DossierKind, Movement
    from organisation.models import Unit
    from workflows.models import TaskScope
    from workflows.services import (
        appraisal_approve,
        decision_sign,
        nomination_file,
        nomination_submit,
        process_of,
        review_forward,
        vote_record,
    )

    User = get_user_model()
    users = {
        role: User.objects.get(pk=plan[role])
        for role in ("clerk", "head", "district_reviewer", "province_reviewer", "secretary", "approver")
    }
    unit = Unit.objects.get(pk=plan["commune"])
    movement = Movement.objects.get(code="dong_khoi_moi_2020_2025")
    plain = AwardType.version_on("bang_khen_tinh")
    voted = AwardType.version_on(VOTED_AWARD)
    assert voted.requires_council_vote, f"{VOTED_AWARD} must be voted by the council"
    year = timezone.localdate().year
    recorder = Recorder()

    def next_task(nomination):
        return (
            TaskScope.objects.filter(nomination_id=nomination.pk, is_open=True)
            .values_list("task_id", flat=True)
            .first()
        )

    def one(i, rec):
        vote = i % VOTE_EVERY == VOTE_EVERY - 1
        nominee = (
            {"kind": "collective", "full_name": f"Tập thể bench {tag} {plan['commune_code']} {i}"}
            if vote
            else {
                "kind": "individual",
                "full_name": f"Nguyễn Văn Bench {tag} {i}",
                "gender": "male",
                "birth_year": 1980,
                "position": "Chuyên viên",
            }
        )
        nomination = rec(
            "file",
            nomination_file,
            actor=users["clerk"],
            unit=unit,
            award_type=voted if vote else plain,
            nominee_data=nominee,
            period_year=year,
            achievements="Hoàn thành xuất sắc nhiệm vụ năm.",
            movement=movement,
        )
        DossierFile.objects.create(
            nomination=nomination,
            kind=DossierKind.ACHIEVEMENT_REPORT,
            file=f"dossiers/bench/{nomination.pk}.pdf",
            original_name="bao-cao.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=users["clerk"],
        )
        rec("submit", nomination_submit, actor=users["head"], nomination=nomination)
        rec("review", review_forward, actor=users["district_reviewer"], task_id=next_task(nomination))
        rec("appraise", appraisal_approve, actor=users["province_reviewer"], task_id=next_task(nomination))
        if vote:
            if voted.requires_public_posting:
                postings_close([process_of(nomination).pk])  # untimed: the window's days pass
            rec(
                "vote",
                vote_record,
                actor=users["secretary"],
                task_id=next_task(nomination),
                members_total=15,
                members_present=14,
                votes_for=13,
                votes_against=1,
            )
        rec("sign", decision_sign, actor=users["approver"], nominations=[nomination])

    with connection.execute_wrapper(recorder.wrapper):
        for i in range(warmup):
            one(i, lambda name, fn, *a, **kw: fn(*a, **kw))
        return _timed_loop(barrier, count, lambda i: one(warmup + i, recorder.time), recorder)


def _timed_loop(barrier, count, body, recorder):
    barrier.wait()
    started, cpu = time.time(), time.process_time()
    for i in range(count):
        body(i)
    return {
        "started": started,
        "ended": time.time(),
        "samples": recorder.samples,
        "nominations": count,
        "cpu": time.process_time() - cpu,
    }


# --------------------------------------------------------------------------------------------------------------
# Variant: bare viewflow.


def run_bare_one_tx(plan, count, tag, warmup, barrier):
    return run_bare(plan, count, tag, warmup, barrier, one_tx=True)


def run_bare(plan, count, tag, warmup, barrier, one_tx=False):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from viewflow.workflow.status import STATUS

    from bench.bare_flow import BareRouteFlow

    User = get_user_model()
    users = {
        role: User.objects.get(pk=plan[role])
        for role in ("head", "district_reviewer", "province_reviewer", "secretary", "approver")
    }
    recorder = Recorder()
    task_class = BareRouteFlow.task_class

    def step(process, user, outcome):
        task = task_class.objects.filter(process_id=process.pk, status=STATUS.NEW).order_by("-pk").first()

        def transition():
            if one_tx:  # assign, start and execute under one lock, as our services do
                with task.activation() as activation:
                    activation.assign(user)
                    activation.start(None)
                    activation.process.outcome = outcome
                    activation.process.save(update_fields=["data"])
                    activation.execute()
                return
            with task.activation() as activation:
                activation.assign(user)
            with task.activation() as activation:
                activation.start(None)
                activation.process.outcome = outcome
                activation.process.save(update_fields=["data"])
                activation.execute()

        return task, transition

    def one(i, rec):
        vote = i % VOTE_EVERY == VOTE_EVERY - 1
        process = rec("file", BareRouteFlow.start.run, tiers=1, vote=vote)
        for name, role, outcome in [
            ("submit", "head", ""),
            ("review", "district_reviewer", "forward"),
            ("appraise", "province_reviewer", "approve"),
            *([("vote", "secretary", "vote_passed")] if vote else []),
            ("sign", "approver", ""),
        ]:
            if name == "vote":
                postings_close([process.pk])  # untimed, as in ours: the posting window's days pass
            _task, transition = step(process, users[role], outcome)
            rec(name, transition)

    with connection.execute_wrapper(recorder.wrapper):
        for i in range(warmup):
            one(i, lambda name, fn, *a, **kw: fn(*a, **kw))
        return _timed_loop(barrier, count, lambda i: one(warmup + i, recorder.time), recorder)


# --------------------------------------------------------------------------------------------------------------
# Variant: the SQL floor.

FLOOR_TASK = (
    "INSERT INTO viewflow_task (flow_task, flow_task_type, status, created, token, process_id, data, "
    "owner_permission) VALUES (%s, 'HUMAN', 'NEW', now(), 'start', %s, '{}', %s) RETURNING id"
)
FLOOR_DONE = (
    "UPDATE viewflow_task SET status = 'DONE', owner_id = %s, started = now(), finished = now() WHERE id = %s"
)
# The floor is the least SQL a transition could cost, written by hand on purpose: it keeps the chain state in
# the worker instead of a locked head row, so it is not audit.services' append path (and must not become it).
FLOOR_EVENT = (
    "INSERT INTO audit_event (chain, seq, at, actor_id, actor_name, role, unit_code, action, object_type, "
    "object_id, nomination_id, reason, channel, user_agent, data, prev_hash, hash) VALUES (%s, %s, %s, %s, "
    "%s, '', %s, %s, 'viewflow.task', %s, NULL, '', 'system', '', %s, %s, %s)"
)


def run_floor(plan, count, tag, warmup, barrier):
    import psycopg
    from django.db import connection

    from audit.hashing import GENESIS, event_hash

    settings = connection.settings_dict
    conn = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
    )
    recorder = Recorder()
    actor = plan["head"]
    flow = "bench/bare_flow.FloorRoute"

    def event(cur, chain, state, action, task_id):
        at = datetime.now(UTC)
        seq, prev = state
        values = {
            "chain": chain,
            "seq": seq + 1,
            "at": at,
            "actor_id": actor,
            "actor_name": "bench",
            "on_behalf_of_id": None,
            "role": "",
            "unit_code": plan["commune_code"],
            "action": action,
            "object_type": "viewflow.task",
            "object_id": str(task_id),
            "nomination_id": None,
            "reason": "",
            "channel": "system",
            "ip": None,
            "user_agent": "",
            "data": {"step": action},
        }
        digest = event_hash(prev, values)
        cur.execute(
            FLOOR_EVENT,
            (
                chain,
                seq + 1,
                at,
                actor,
                "bench",
                plan["commune_code"],
                action,
                str(task_id),
                json.dumps(values["data"]),
                prev,
                digest,
            ),
        )
        return seq + 1, digest

    def one(i, rec):
        vote = i % VOTE_EVERY == VOTE_EVERY - 1
        chain = f"floor:{tag}:{plan['commune']}:{i}"
        state = [0, GENESIS]
        current = {}

        def file():
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(
                    "INSERT INTO viewflow_process (flow_class, status, created, data) VALUES "
                    "(%s, 'NEW', now(), '{}') RETURNING id",
                    (flow,),
                )
                current["process"] = cur.fetchone()[0]
                cur.execute(
                    FLOOR_TASK, (f"{flow}.submit", current["process"], "organisation.submit_nomination")
                )
                current["task"] = cur.fetchone()[0]
                state[:] = event(cur, chain, state, "nomination.create", current["task"])

        def transition(next_node):
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(FLOOR_DONE, (actor, current["task"]))
                cur.execute(
                    FLOOR_TASK, (f"{flow}.{next_node}", current["process"], "organisation.review_nomination")
                )
                done_task, current["task"] = current["task"], cur.fetchone()[0]
                state[:] = event(cur, chain, state, f"task.{next_node}", done_task)

        rec("file", file)
        steps = ["submit", "review", "appraise", *(["vote"] if vote else []), "sign"]
        for position, name in enumerate(steps):
            rec(name, transition, steps[position + 1] if position + 1 < len(steps) else "end")

    for i in range(warmup):
        one(i, lambda name, fn, *a, **kw: fn(*a, **kw))
    result = _timed_loop(barrier, count, lambda i: one(warmup + i, recorder.time), recorder)
    conn.close()
    return result


# --------------------------------------------------------------------------------------------------------------
# Variant: HTTP API (contract of issue 9), C clients against gunicorn.


def run_http(plan, count, tag, warmup, barrier, base_url):
    import requests
    from django.contrib.auth import get_user_model

    User = get_user_model()
    sessions = {}
    for role in ("clerk", "head", "district_reviewer", "province_reviewer", "secretary", "approver"):
        session = requests.Session()
        username = User.objects.get(pk=plan[role]).username
        response = session.post(
            f"{base_url}/api/v1/auth/token/", json={"username": username, "password": "Demo@2026"}
        )
        response.raise_for_status()
        session.headers["Authorization"] = f"Token {response.json()['token']}"
        session.headers["Accept-Language"] = "vi"
        sessions[role] = session
    recorder = Recorder()

    def post(role, path, **kwargs):
        response = sessions[role].post(
            f"{base_url}{path}", headers={"Idempotency-Key": str(uuid.uuid4())}, **kwargs
        )
        if response.status_code >= 400:
            raise RuntimeError(f"POST {path} as {role}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else {}

    def task_of(role, nomination_id):
        # The API lists a caller's tasks (inbox order, no nomination filter): with a province's backlog in the
        # inbox, the harness reads the open task id from TaskScope, as the other variants do (untimed).
        from workflows.models import TaskScope

        return (
            TaskScope.objects.filter(nomination_id=nomination_id, is_open=True)
            .values_list("task_id", flat=True)
            .first()
        )

    def one(i, rec):
        vote = i % VOTE_EVERY == VOTE_EVERY - 1
        nominee = (
            {"kind": "collective", "full_name": f"Tập thể http {tag} {plan['commune_code']} {i}"}
            if vote
            else {
                "kind": "individual",
                "full_name": f"Trần Văn Http {tag} {plan['commune_code']} {i}",
                "gender": "male",
                "birth_year": 1980,
            }
        )
        body = rec(
            "file",
            post,
            "clerk",
            "/api/v1/nominations/",
            json={
                "movement": "dong_khoi_moi_2020_2025",
                "award_type": VOTED_AWARD if vote else "bang_khen_tinh",
                "content_areas": [],
                "unit": plan["commune_code"],
                "period_year": datetime.now(UTC).year,
                "achievements": "Hoàn thành xuất sắc nhiệm vụ năm.",
                "nominee": nominee,
            },
        )
        nid = body["id"]
        post(
            "clerk",
            f"/api/v1/nominations/{nid}/attachments/",
            data={"kind": "achievement_report"},
            files={"file": ("bao-cao.pdf", PDF, "application/pdf")},
        )
        rec("submit", post, "head", f"/api/v1/nominations/{nid}/submit/")
        rec(
            "review",
            post,
            "district_reviewer",
            f"/api/v1/tasks/{task_of('district_reviewer', nid)}/complete/",
            json={"action": "forward"},
        )
        rec(
            "appraise",
            post,
            "province_reviewer",
            f"/api/v1/tasks/{task_of('province_reviewer', nid)}/complete/",
            json={"action": "approve"},
        )
        if vote:
            from types import SimpleNamespace

            from workflows.services import process_of

            postings_close([process_of(SimpleNamespace(pk=nid)).pk])  # untimed: the window's days pass
            rec(
                "vote",
                post,
                "secretary",
                f"/api/v1/tasks/{task_of('secretary', nid)}/complete/",
                json={
                    "action": "record_vote",
                    "members_total": 15,
                    "members_present": 14,
                    "votes_for": 13,
                    "votes_against": 1,
                },
            )
        rec("sign", post, "approver", "/api/v1/decisions/", json={"nominations": [nid]})

    for i in range(warmup):
        one(i, lambda name, fn, *a, **kw: fn(*a, **kw))
    return _timed_loop(barrier, count, lambda i: one(warmup + i, recorder.time), recorder)


# --------------------------------------------------------------------------------------------------------------
# Driver.

RUNNERS = {
    "ours": run_ours,
    "bare": run_bare,
    "bare1tx": run_bare_one_tx,
    "floor": run_floor,
    "http": run_http,
}


def _child(variant, plan, count, tag, warmup, barrier, queue, extra):
    from django.db import connections

    connections.close_all()  # never share the parent's socket
    try:
        result = RUNNERS[variant](plan, count, tag, warmup, barrier, *extra)
        queue.put(result)
    except BaseException as exc:
        barrier.abort()
        queue.put({"error": f"{type(exc).__name__}: {exc}"})
        raise


def run_variant(variant, plans, k, warmup, extra=()):
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    counts = split(k, len(plans))
    barrier = ctx.Barrier(len(plans))
    queue = ctx.Queue()
    tag = f"{variant}-{uuid.uuid4().hex[:6]}"
    children = [
        ctx.Process(target=_child, args=(variant, plan, n, tag, warmup, barrier, queue, extra))
        for plan, n in zip(plans, counts, strict=True)
    ]
    for child in children:
        child.start()
    results = [queue.get() for _ in children]
    for child in children:
        child.join()
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        raise SystemExit(f"{variant} failed: {errors[0]}")
    wall = max(r["ended"] for r in results) - min(r["started"] for r in results)
    samples = [s for r in results for s in r["samples"]]
    return {
        "variant": variant,
        "wall": wall,
        "samples": samples,
        "nominations": sum(r["nominations"] for r in results),
        "workers": len(plans),
        "cpu": sum(r["cpu"] for r in results),
    }


def _combine(runs):
    """Pool the samples of several rounds of one variant; its rate is the median of the rounds' rates."""
    rates = sorted(len(r["samples"]) / r["wall"] for r in runs)
    return {
        "variant": runs[0]["variant"],
        "workers": runs[0]["workers"],
        "wall": sum(r["wall"] for r in runs),
        "samples": [s for r in runs for s in r["samples"]],
        "nominations": sum(r["nominations"] for r in runs),
        "cpu": sum(r["cpu"] for r in runs),
        "rate": percentile(rates, 50),
    }


def _verify_ours(connection, last_event):
    """Recompute the hash chains our variant wrote from the database; stop the run if one is broken."""
    from bench.generate import verify_sample

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT chain FROM audit_event WHERE id > %s", [last_event])
        chains, events = verify_sample(cursor, names=[r[0] for r in cursor.fetchall()])
    print(f"ours: audit chains re-verified: {chains:,} chains, {events:,} events OK", file=sys.stderr)


def summary_row(result):
    times = [s[1] * 1000 for s in result["samples"]]
    statements = [s[2] for s in result["samples"]]
    n = len(times)
    return [
        result["variant"],
        result["workers"],
        result["nominations"],
        n,
        result["wall"],
        result["rate"] * result["nominations"] / n,
        result["rate"],
        percentile(times, 50),
        percentile(times, 95),
        percentile(times, 99),
        (sum(statements) / n) if any(statements) else float("nan"),
        result["cpu"] * 1000 / n,
    ]


def per_transition_rows(result):
    by_name = defaultdict(list)
    statements = defaultdict(list)
    for name, seconds, count in result["samples"]:
        by_name[name].append(seconds * 1000)
        statements[name].append(count)
    rows = []
    for name in ["file", "submit", "review", "appraise", "vote", "sign"]:
        if name in by_name:
            times = by_name[name]
            rows.append(
                [
                    result["variant"],
                    name,
                    len(times),
                    sum(times) / len(times),
                    percentile(times, 50),
                    percentile(times, 95),
                    percentile(times, 99),
                    sum(statements[name]) / len(times) if any(statements[name]) else float("nan"),
                ]
            )
    return rows


def _peak_rss_mb(pid):
    """Return [(process, peak RSS MB)] of gunicorn's master and workers, from /proc/<pid>/status VmHWM."""

    def hwm(p):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    children = Path(f"/proc/{pid}/task/{pid}/children")
    worker_pids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return [("master", hwm(pid))] + [(f"worker {p}", hwm(p)) for p in worker_pids]


def start_gunicorn(port, workers):
    import subprocess
    import urllib.request

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        API_TOKEN_THROTTLE="100000/min",
        AXES_ENABLED="false",
        DEBUG="false",
    )
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [
            str(root / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=root,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/schema/", timeout=2)
            return proc
        except Exception:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("gunicorn did not answer on /api/schema/ (is the API merged?)")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-k", type=int, default=200, help="nominations per variant (split over the workers)")
    parser.add_argument("-w", type=int, default=2, help="worker processes (and gunicorn workers for --http)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed nominations per worker first")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of all variants, interleaved; rates are medians"
    )
    parser.add_argument(
        "--variants", default="ours,bare,bare1tx,floor", help="any of ours,bare,bare1tx,floor"
    )
    parser.add_argument("--http", action="store_true", help="also drive the route through the HTTP API")
    parser.add_argument("-c", "--clients", type=int, default=4, help="concurrent HTTP clients (--http)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default="bench_route")
    parser.add_argument("--background", type=int, default=10000, help="nominations to generate if none")
    args = parser.parse_args(argv)
    setup(args.db)
    from organisation.models import Unit

    if not Unit.objects.filter(code="PB").exists():
        from bench import generate

        generate.main(["--nominations", str(args.background), "--db", args.db])
    print_machine()
    plans = cast(args.w)
    variants = [v for v in args.variants.split(",") if v]
    rounds = defaultdict(list)
    from django.db import connection

    for round_no in range(args.rounds):
        for variant in variants:
            print(
                f"round {round_no + 1}/{args.rounds}: {variant} ({args.k} nominations, {args.w} workers)...",
                file=sys.stderr,
                flush=True,
            )
            with connection.cursor() as cursor:
                cursor.execute("SELECT COALESCE(MAX(id), 0) FROM audit_event")
                last_event = cursor.fetchone()[0]
            rounds[variant].append(run_variant(variant, plans, args.k, args.warmup))
            if variant == "ours":
                _verify_ours(connection, last_event)
    results = {variant: _combine(runs) for variant, runs in rounds.items()}
    if len(rounds.get("ours", ())) > 1:
        table(
            ["variant", *[f"round {i + 1} transitions/s" for i in range(args.rounds)], "median"],
            [
                [v, *[len(r["samples"]) / r["wall"] for r in runs], results[v]["rate"]]
                for v, runs in rounds.items()
            ],
            title="transitions/s per round (variants interleaved)",
        )
    if args.http:
        proc = start_gunicorn(args.port, args.w)
        try:
            print(
                f"running http ({args.k} nominations, {args.clients} clients)...", file=sys.stderr, flush=True
            )
            results["http"] = _combine(
                [
                    run_variant(
                        "http",
                        cast(args.clients),
                        args.k,
                        args.warmup,
                        extra=(f"http://127.0.0.1:{args.port}",),
                    )
                ]
            )
            web_rss = _peak_rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    headers = [
        "variant",
        "workers",
        "nominations",
        "transitions",
        "wall s (all rounds)",
        "nominations/s (median)",
        "transitions/s (median)",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "SQL/transition",
        "client CPU ms/transition",
    ]
    table(headers, [summary_row(r) for r in results.values()], title=f"route: K={args.k}, W={args.w}")
    table(
        ["variant", "transition", "n", "mean ms", "p50 ms", "p95 ms", "p99 ms", "SQL"],
        [row for r in results.values() for row in per_transition_rows(r)],
        title="per transition",
    )
    rate = {name: r["rate"] for name, r in results.items()}
    ratios = []
    if "ours" in rate:
        for base in ("bare", "bare1tx", "floor"):
            if base in rate:
                ratios.append((f"ours / {base}", rate["ours"] / rate[base]))
    if "http" in rate and "ours" in rate:
        ratios.append(("http / ours", rate["http"] / rate["ours"]))
    if ratios:
        table(["ratio (transitions/s)", "value"], ratios, title="ratios")
    if args.http:
        table(["gunicorn process", "peak RSS MB (VmHWM)"], web_rss, title="web processes")


if __name__ == "__main__":
    main()
