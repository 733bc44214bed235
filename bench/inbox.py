"""Inbox benchmark: our TaskScope inbox against viewflow's stock queue, at 10k and 1M viewflow tasks.

One command (PostgreSQL; creates the database `inbox_bench` when missing, migrates, generates, measures, prints):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inbox_bench .venv/bin/python bench/inbox.py

Options: --scales 10000,1000000 (viewflow_task rows)  --runs 60  --open-share 0.10  --explain  --reuse (skip
generating the first scale when it is loaded)  --no-constant-workload. Not a test: it prints figures, it asserts
nothing. Takes about 5 minutes (three datasets: 10k tasks; 1M tasks with 10 % of the processes open; 1M tasks whose
history grew but whose open workload is the 10k dataset's: the last pair shows what the table size alone costs).

The data is loaded with COPY, shaped like production rows written by the real flows (workflows/flows.py):
* one province, 100 review units (districts, departments) with 15 base units each (1,601 units);
* unit-role groups with their guardian object permissions on units (organisation.policy.ROLE_PERMISSIONS),
  10,000 users spread over the groups, memberships;
* StandardRouteFlow processes, one nomination (+ nominee) each; a finished process has its 15 viewflow tasks
  (start, submit, advance, route, review, ..., sign, commend, end), an open one stops at a human step
  (submit 30 %, review 60 %, appraise 5 %, sign 5 %) whose task is NEW; `--open-share` of the processes are open
  (the most recent ones, as in a real province: the open workload grows with the history);
* one TaskScope row per human task (is_open only on the NEW one), the direct-FK guardian rows that let the
  unit-role groups read a nomination once it reached them.
The reviewers measured: `rev_one` holds the reviewer role at 1 review unit, `rev_fifty` at 50 review units.

Also printed: the database's own time for the page + count statements (EXPLAIN ANALYZE planning + execution,
median), which the load of a shared machine does not inflate the way it inflates client round trips.

Measured per request, as the inbox page needs it (first page of 20 + total), with a fresh user object per run
(scope and permission caches live for one request):
* ours: `workflows.selectors.inbox_for(user)[:20]` + `inbox_count(user)` (3 queries with the scope), and
  `inbox_page(user)` (the page with its total as a scalar subquery: 2 queries with the scope);
* stock: `Task.objects.queue(flows, user).order_by("-created")[:20]` + `.count()` (notes §2.2, §2.5; the queue
  view's default order).
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AXES_ENABLED", "false")

REVIEW_UNITS = 100
BASE_PER_REVIEW = 15
USERS = 10_000
OPEN_STEP_WEIGHTS = {"submit": 0.30, "review": 0.60, "appraise": 0.05, "sign": 0.05}
STEP_PERMISSION = {
    "submit": "submit_nomination",
    "review": "review_nomination",
    "appraise": "appraise_nomination",
    "sign": "sign_decision",
}
BENCH_TABLES = [
    "approvals_unit",
    "auth_user",
    "auth_group",
    "viewflow_process",
    "viewflow_task",
    "guardian_groupobjectpermission",
    "guardian_userobjectpermission",
]


def database_ensure():
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.rstrip("/").endswith("/inbox_bench"):
        sys.exit("Set DATABASE_URL=postgres://.../inbox_bench (this script truncates the domain tables).")
    admin_url = url.rstrip("/").rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'inbox_bench'").fetchone():
            conn.execute("CREATE DATABASE inbox_bench")
            print("created database inbox_bench")


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def copy_rows(cursor, table, columns, rows):
    """COPY rows (tuples; None is NULL) into table."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def generate(total_tasks, open_share, seed=2026, open_count=None):
    """Replace the benchmark data with `total_tasks` viewflow tasks; return the two reviewers' ids."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from viewflow.workflow import flow as vf
    from viewflow.workflow.fields import get_flow_ref, get_task_ref

    from nominations.models import AwardType
    from organisation.models import Role
    from organisation.policy import ROLE_PERMISSIONS, group_name
    from workflows.flows import StandardRouteFlow

    rnd = random.Random(seed)
    started = time.perf_counter()
    unit_ct = ContentType.objects.get(app_label="organisation", model="unit").pk
    nomination_ct = ContentType.objects.get(app_label="nominations", model="nomination").pk
    perm_id = {p.codename: p.pk for p in Permission.objects.filter(content_type_id=unit_ct)}
    view_nomination = Permission.objects.get(
        content_type__app_label="nominations", codename="view_nomination"
    ).pk
    view_process = Permission.objects.get(
        content_type__app_label="workflows", codename="view_nominationprocess"
    ).pk
    award = AwardType.version_on("bang_khen_tinh")
    flow_ref = get_flow_ref(StandardRouteFlow)
    nodes = {node.name: node for node in StandardRouteFlow.instance.nodes()}
    path = [
        "start",
        "submit",
        "advance",
        "route",
        "review",
        "after_review",
        "advance",
        "route",
        "appraise",
        "after_appraisal",
        "check_posting",
        "check_vote",
        "sign",
        "commend",
        "end",
    ]
    task_ref = {name: get_task_ref(nodes[name]) for name in set(path)}
    task_type = {name: nodes[name].task_type for name in set(path)}
    human = {name for name in path if isinstance(nodes[name], vf.View)}
    assert human == set(STEP_PERMISSION)

    with transaction.atomic(), connection.cursor() as django_cursor:
        cur = django_cursor.cursor  # the psycopg cursor, for COPY
        cur.execute(f"TRUNCATE {', '.join(BENCH_TABLES)} RESTART IDENTITY CASCADE")

        # Units: province 1, review units 2..101, base units after.
        units = [(1, "BP", "Tỉnh Bến Phú", "", "province", "UBND", date(2020, 1, 1), None, None)]
        review_ids = list(range(2, 2 + REVIEW_UNITS))
        base_of = {}
        next_id = 2 + REVIEW_UNITS
        for index, review_id in enumerate(review_ids):
            tier = "district" if index < 60 else "department"
            units.append(
                (
                    review_id,
                    f"BP.R{index:03d}",
                    f"Đơn vị xét duyệt {index}",
                    "",
                    tier,
                    "UBND",
                    date(2020, 1, 1),
                    None,
                    1,
                )
            )
            base_of[review_id] = []
            for b in range(BASE_PER_REVIEW):
                units.append(
                    (
                        next_id,
                        f"BP.R{index:03d}.B{b:02d}",
                        f"Xã {index}-{b}",
                        "",
                        "base",
                        "UBND",
                        date(2020, 1, 1),
                        None,
                        review_id,
                    )
                )
                base_of[review_id].append(next_id)
                next_id += 1
        copy_rows(
            cur,
            "approvals_unit",
            [
                "id",
                "code",
                "name",
                "short_name",
                "tier",
                "issuer_symbol",
                "valid_from",
                "valid_to",
                "parent_id",
            ],
            units,
        )
        code_of = {row[0]: row[1] for row in units}

        # Unit-role groups and their object permissions on the unit.
        class _U:  # group_name() reads .code only
            def __init__(self, code):
                self.code = code

        groups, group_perms, group_id = [], [], {}
        wanted = [(1, Role.REVIEWER), (1, Role.COUNCIL_SECRETARY), (1, Role.APPROVER), (1, Role.INSPECTOR)]
        wanted += [(r, Role.REVIEWER) for r in review_ids]
        wanted += [
            (b, role) for r in review_ids for b in base_of[r] for role in (Role.UNIT_CLERK, Role.UNIT_HEAD)
        ]
        for gid, (unit_id, role) in enumerate(wanted, start=1):
            group_id[unit_id, role] = gid
            groups.append((gid, group_name(_U(code_of[unit_id]), role)))
            for codename in ROLE_PERMISSIONS[role]:
                group_perms.append((str(unit_id), unit_ct, gid, perm_id[codename]))
        copy_rows(cur, "auth_group", ["id", "name"], groups)
        copy_rows(
            cur,
            "guardian_groupobjectpermission",
            ["object_pk", "content_type_id", "group_id", "permission_id"],
            group_perms,
        )

        # Users: one clerk and one head per base unit, five reviewers per review unit, the rest extra clerks.
        now = datetime.now(UTC)
        users, memberships, user_groups = [], [], []
        slots = [g for g in wanted if g[1] in (Role.UNIT_CLERK, Role.UNIT_HEAD)]
        slots += [(r, Role.REVIEWER) for r in review_ids for _ in range(5)]
        slots += [(1, Role.REVIEWER), (1, Role.COUNCIL_SECRETARY), (1, Role.APPROVER), (1, Role.INSPECTOR)]
        clerk_groups = [g for g in wanted if g[1] == Role.UNIT_CLERK]
        while len(slots) < USERS - 2:
            slots.append(rnd.choice(clerk_groups))
        for uid, (unit_id, role) in enumerate(slots, start=1):
            users.append((uid, "!", False, f"user{uid:05d}", "", "", "", False, True, now))
            user_groups.append((uid, group_id[unit_id, role]))
            memberships.append((role, now, uid, unit_id))
        rev_one, rev_fifty = len(slots) + 1, len(slots) + 2
        users.append((rev_one, "!", False, "rev_one", "", "", "", False, True, now))
        users.append((rev_fifty, "!", False, "rev_fifty", "", "", "", False, True, now))
        user_groups.append((rev_one, group_id[review_ids[0], Role.REVIEWER]))
        memberships.append((Role.REVIEWER, now, rev_one, review_ids[0]))
        for review_id in review_ids[:50]:
            user_groups.append((rev_fifty, group_id[review_id, Role.REVIEWER]))
            memberships.append((Role.REVIEWER, now, rev_fifty, review_id))
        copy_rows(
            cur,
            "auth_user",
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            users,
        )
        copy_rows(cur, "auth_user_groups", ["user_id", "group_id"], user_groups)
        copy_rows(cur, "approvals_membership", ["role", "granted_at", "user_id", "unit_id"], memberships)
        # Opening viewflow's pages needs the model-level view permission on the process (not a scoped one).
        copy_rows(
            cur,
            "auth_user_user_permissions",
            ["user_id", "permission_id"],
            [(rev_one, view_process), (rev_fifty, view_process)],
        )

        # Processes: plan how many so the task count lands on total_tasks.
        plans, count = [], 0
        while count < total_tasks:
            plans.append(len(path))
            count += len(path)
        processes_total = len(plans)
        if open_count is None:
            open_count = int(processes_total * open_share)
        open_steps = rnd.choices(
            list(OPEN_STEP_WEIGHTS), weights=list(OPEN_STEP_WEIGHTS.values()), k=open_count
        )
        # The most recent processes are the open ones; their task counts shrink, so add finished ones until full.
        lengths = [len(path)] * (processes_total - open_count) + [path.index(s) + 1 for s in open_steps]
        while sum(lengths) < total_tasks:
            lengths.insert(0, len(path))
        overshoot = sum(lengths) - total_tasks
        if overshoot:  # trim the oldest finished process's trailing tasks (an old, half-migrated process)
            lengths[0] -= overshoot
        open_from = len(lengths) - open_count
        span = timedelta(days=3 * 365)
        start_at = now - span
        step_every = span / len(lengths)

        nominee_rows, nomination_rows, process_rows, task_rows, scope_rows, nperm_rows = (
            [],
            [],
            [],
            [],
            [],
            [],
        )
        task_id = 0
        province_reviewer = group_id[1, Role.REVIEWER]
        province_approver = group_id[1, Role.APPROVER]
        for pid, length in enumerate(lengths, start=1):
            review_id = rnd.choice(review_ids)
            base_id = rnd.choice(base_of[review_id])
            is_open = pid > open_from
            created = start_at + step_every * pid
            unit_for = {"submit": base_id, "review": review_id, "appraise": 1, "sign": 1}
            last_step = path[length - 1]
            status = (
                {
                    "submit": "draft",
                    "review": "in_review",
                    "appraise": "appraisal",
                    "sign": "awaiting_signature",
                }.get(last_step, "awarded")
                if is_open
                else "awarded"
            )
            nominee_rows.append(
                (
                    pid,
                    "individual",
                    f"Nguyễn Văn {pid}",
                    f"nguyen van {pid}",
                    "male",
                    1980,
                    "",
                    "",
                    "",
                    None,
                    base_id,
                )
            )
            current_unit = unit_for.get(last_step, 1) if is_open else 1
            nomination_rows.append(
                (
                    pid,
                    "standard",
                    2026,
                    "Hoàn thành xuất sắc nhiệm vụ.",
                    status,
                    False,
                    f"[{review_id}]",
                    last_step if is_open else "end",
                    None,
                    created.date(),
                    0,
                    "",
                    created,
                    created,
                    award.pk,
                    1,
                    current_unit,
                    1,
                    None,
                    None,
                    None,
                    base_id,
                    pid,
                    None,
                )
            )
            process_rows.append(
                (
                    pid,
                    flow_ref,
                    "NEW" if is_open else "DONE",
                    created,
                    None if is_open else created + timedelta(days=30),
                    nomination_ct,
                    pid,
                    '{"tier_index": 0}',
                )
            )
            reached = set()
            for position in range(length):
                name = path[position]
                task_id += 1
                at = created + timedelta(hours=position)
                open_task = is_open and position == length - 1
                if name in human:
                    unit_id = unit_for[name]
                    reached.add(name)
                    owner = None if open_task else rnd.randint(1, USERS - 2)
                    permission = f"organisation.{STEP_PERMISSION[name]}"
                    due_on = (at + timedelta(days=rnd.randint(-20, 40))).date()
                    scope_rows.append(
                        (
                            task_id,
                            STEP_PERMISSION[name],
                            name,
                            "standard",
                            at,
                            due_on,
                            open_task,
                            False,
                            "[]",
                            None,
                            pid,
                            unit_id,
                        )
                    )
                    task_rows.append(
                        (
                            task_id,
                            task_ref[name],
                            task_type[name],
                            "NEW" if open_task else "DONE",
                            at,
                            None if open_task else at,
                            None if open_task else at,
                            "start",
                            None,
                            permission,
                            owner,
                            pid,
                            unit_ct,
                            str(unit_id),
                            None if open_task else at,
                            "{}",
                        )
                    )
                else:
                    task_rows.append(
                        (
                            task_id,
                            task_ref[name],
                            task_type[name],
                            "DONE",
                            at,
                            at,
                            at,
                            "start",
                            None,
                            None,
                            None,
                            pid,
                            None,
                            None,
                            None,
                            "{}",
                        )
                    )
            if "review" in reached:
                nperm_rows.append((pid, group_id[review_id, Role.REVIEWER], view_nomination))
            if "appraise" in reached:
                nperm_rows.append((pid, province_reviewer, view_nomination))
            if "sign" in reached:
                nperm_rows.append((pid, province_approver, view_nomination))

        copy_rows(
            cur,
            "nominations_nominee",
            [
                "id",
                "kind",
                "full_name",
                "name_folded",
                "gender",
                "birth_year",
                "position",
                "citizen_id",
                "discipline_status",
                "women_share",
                "unit_id",
            ],
            nominee_rows,
        )
        copy_rows(
            cur,
            "nominations_nomination",
            [
                "id",
                "route",
                "period_year",
                "achievements",
                "status",
                "is_ad_hoc",
                "route_units",
                "current_step",
                "due_on",
                "received_on",
                "revision_count",
                "variant",
                "created_at",
                "updated_at",
                "award_type_id",
                "created_by_id",
                "current_unit_id",
                "deciding_unit_id",
                "legal_basis_id",
                "movement_id",
                "round_id",
                "unit_id",
                "nominee_id",
                "submission_id",
            ],
            nomination_rows,
        )
        copy_rows(
            cur,
            "viewflow_process",
            [
                "id",
                "flow_class",
                "status",
                "created",
                "finished",
                "artifact_content_type_id",
                "artifact_object_id",
                "data",
            ],
            process_rows,
        )
        copy_rows(
            cur,
            "viewflow_task",
            [
                "id",
                "flow_task",
                "flow_task_type",
                "status",
                "created",
                "started",
                "finished",
                "token",
                "external_task_id",
                "owner_permission",
                "owner_id",
                "process_id",
                "owner_permission_content_type_id",
                "owner_permission_obj_pk",
                "assigned",
                "data",
            ],
            task_rows,
        )
        copy_rows(
            cur,
            "workflows_taskscope",
            [
                "task_id",
                "permission",
                "step",
                "route",
                "created",
                "due_on",
                "is_open",
                "is_overdue",
                "reminders_sent",
                "escalated_at",
                "nomination_id",
                "unit_id",
            ],
            scope_rows,
        )
        copy_rows(
            cur,
            "nominations_nominationgroupobjectpermission",
            ["content_object_id", "group_id", "permission_id"],
            nperm_rows,
        )
        for table, column in [
            ("approvals_unit", "id"),
            ("auth_group", "id"),
            ("auth_user", "id"),
            ("viewflow_process", "id"),
            ("viewflow_task", "id"),
            ("nominations_nomination", "id"),
            ("nominations_nominee", "id"),
        ]:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), (SELECT max({column}) "
                f"FROM {table}))"
            )
    connection.close()
    with connection.cursor() as cursor:  # outside the transaction: VACUUM sets the visibility map
        cursor.execute("VACUUM ANALYZE")
    open_tasks = sum(1 for row in scope_rows if row[6])
    print(
        f"generated {task_id:,} tasks ({len(scope_rows):,} human, {open_tasks:,} open) in "
        f"{len(lengths):,} processes, {len(units):,} units, {len(users):,} users, "
        f"{len(group_perms) + len(nperm_rows):,} guardian rows in {time.perf_counter() - started:.0f} s"
    )
    return open_count


def current_scale():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM viewflow_task")
        return cursor.fetchone()[0]


def open_tasks_loaded():
    from workflows.models import TaskScope

    return TaskScope.objects.filter(is_open=True).count()


def reviewers():
    from django.contrib.auth import get_user_model

    return dict(
        get_user_model().objects.filter(username__in=["rev_one", "rev_fifty"]).values_list("username", "pk")
    )


def ours(user):
    from workflows.selectors import inbox_count, inbox_for

    page = list(inbox_for(user)[:20])
    return len(page), inbox_count(user)


def ours_one_trip(user):
    from workflows.selectors import inbox_page

    rows, total = inbox_page(user, page_size=20)
    return len(rows), total


def stock(user):
    from viewflow.workflow.models import Task

    from workflows.flows import FastTrackFlow, StandardRouteFlow

    queue = Task.objects.queue([StandardRouteFlow, FastTrackFlow], user)
    page = list(queue.order_by("-created")[:20])
    return len(page), queue.count()


def percentile(sorted_values, share):
    return sorted_values[min(len(sorted_values) - 1, max(0, int(round(share * len(sorted_values))) - 1))]


def measure(variants, user_id, runs):
    """Time each variant `runs` times, interleaved (a, b, c, b, c, a, ...) so that all of them see the same load
    of the machine; three warm-up rounds are not counted. Return {name: (p50, p95, result)}."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    timings = {name: [] for name in variants}
    results = {}
    names = list(variants)
    for index in range(runs + 3):
        order = names[index % len(names) :] + names[: index % len(names)]
        for name in order:
            user = User.objects.get(pk=user_id)  # a fresh user per request, as the auth middleware loads it
            started = time.perf_counter()
            results[name] = variants[name](user)
            elapsed = (time.perf_counter() - started) * 1000
            if index >= 3:
                timings[name].append(elapsed)
    summary = {}
    for name, values in timings.items():
        values.sort()
        summary[name] = (statistics.median(values), percentile(values, 0.95), results[name])
    return summary


def server_statements(kind, user):
    """The SQL statements (as querysets; count ones flagged) of one inbox request, for EXPLAIN ANALYZE."""
    if kind == "ours":
        from workflows.selectors import inbox_count_queryset, inbox_for

        return [(inbox_for(user)[:20], False), (inbox_count_queryset(user), True)]
    from viewflow.workflow.models import Task

    from workflows.flows import FastTrackFlow, StandardRouteFlow

    queue = Task.objects.queue([StandardRouteFlow, FastTrackFlow], user)
    return [(queue.order_by("-created")[:20], False), (queue, True)]


def server_time(kind, user_id, runs=15):
    """Median PostgreSQL execution time (ms) of the page + count statements, from EXPLAIN ANALYZE: the work the
    database does, without the client round trips that a loaded, shared machine inflates."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    user = get_user_model().objects.get(pk=user_id)
    statements = []
    for queryset, is_count in server_statements(kind, user):
        sql, params = queryset.query.sql_with_params()
        statements.append((f"SELECT count(*) FROM ({sql}) AS counted" if is_count else sql, params))
    totals = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            total = 0.0
            for sql, params in statements:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else plan
                total += plan["Planning Time"] + plan["Execution Time"]
            totals.append(total)
    return statistics.median(totals)


def explain(user_id):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from workflows.selectors import inbox_count_queryset, inbox_for

    user = get_user_model().objects.get(pk=user_id)
    for label, queryset in [
        ("inbox page", inbox_for(user)[:20]),
        ("inbox count", inbox_count_queryset(user)),
    ]:
        sql, params = queryset.query.sql_with_params()
        if label == "inbox count":
            sql = f"SELECT count(*) FROM ({sql}) AS scoped"
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            print(f"-- EXPLAIN {label} (rev_fifty)")
            print(io.StringIO("\n".join(row[0] for row in cursor.fetchall())).getvalue())


def measure_scenario(label, runs):
    ids = reviewers()
    rows = {}
    for name in ("rev_one", "rev_fifty"):
        summary = measure({"ours": ours, "page": ours_one_trip, "stock": stock}, ids[name], runs)
        (ours_p50, ours_p95, (_, ours_total)) = summary["ours"]
        (page_p50, page_p95, (_, page_total)) = summary["page"]
        (stock_p50, stock_p95, (_, stock_total)) = summary["stock"]
        if not ours_total == page_total == stock_total:
            print(
                f"!! {name}: totals differ: ours {ours_total}, inbox_page {page_total}, stock {stock_total}"
            )
        ours_db, stock_db = server_time("ours", ids[name]), server_time("stock", ids[name])
        rows[name] = {
            "ours": ours_p95,
            "page": page_p95,
            "stock": stock_p95,
            "ours_db": ours_db,
            "stock_db": stock_db,
        }
        print(
            f"{label:>24}  {name:9}  inbox={ours_total:>5}  |  inbox_for+inbox_count p50 {ours_p50:6.2f}"
            f" p95 {ours_p95:6.2f} ms  |  inbox_page p50 {page_p50:6.2f} p95 {page_p95:6.2f} ms  |  stock "
            f"queue p50 {stock_p50:7.2f} p95 {stock_p95:7.2f} ms  |  stock/ours p95 {stock_p95 / ours_p95:5.1f}x"
            f" (inbox_page {stock_p95 / page_p95:5.1f}x)  [load {os.getloadavg()[0]:.1f}]\n"
            f"{'':37}database time (plan + execution, p50): ours {ours_db:6.2f} ms, stock {stock_db:7.2f} ms"
            f"  = {stock_db / ours_db:5.1f}x",
            flush=True,
        )
    return rows, ids


def flatness(title, low, high):
    for name in ("rev_one", "rev_fifty"):
        a, b = low[name], high[name]
        print(
            f"flatness {title} {name:9}: p95 ratio inbox_for+inbox_count {b['ours'] / a['ours']:.2f}, inbox_page "
            f"{b['page'] / a['page']:.2f} (target <= 1.5); stock queue {b['stock'] / a['stock']:.2f} | database "
            f"time ratio: ours {b['ours_db'] / a['ours_db']:.2f}, stock {b['stock_db'] / a['stock_db']:.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,1000000")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--open-share", type=float, default=0.10)
    parser.add_argument(
        "--reuse", action="store_true", help="skip generating the first scale if it is loaded"
    )
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of our queries")
    parser.add_argument(
        "--no-constant-workload",
        action="store_true",
        help="skip the last scenario: the largest scale with the smallest scale's open workload",
    )
    args = parser.parse_args()
    database_ensure()
    setup_django()
    print(
        f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (shared machine)",
        flush=True,
    )
    scales = [int(s) for s in args.scales.split(",")]
    results, first_open = {}, None
    for index, scale in enumerate(scales):
        if index == 0 and args.reuse and current_scale() == scale:
            first_open = open_tasks_loaded()
        else:
            opened = generate(scale, args.open_share)
            first_open = opened if index == 0 else first_open
        results[scale], ids = measure_scenario(f"{scale:,} tasks", args.runs)
        if args.explain:
            explain(ids["rev_fifty"])
    if len(scales) >= 2:
        flatness(
            f"{scales[-1]:,}/{scales[0]:,} (open share {args.open_share:.0%})",
            results[scales[0]],
            results[scales[-1]],
        )
    if len(scales) >= 2 and not args.no_constant_workload:
        generate(scales[-1], args.open_share, open_count=first_open)
        label = f"{scales[-1]:,} tasks, {first_open} open"
        constant, ids = measure_scenario(label, args.runs)
        if args.explain:
            explain(ids["rev_fifty"])
        flatness(f"{scales[-1]:,}/{scales[0]:,} (same open workload)", results[scales[0]], constant)


if __name__ == "__main__":
    main()
