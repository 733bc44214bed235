"""Inbox benchmark: our TaskScope inbox against viewflow's stock queue, at 10k and 1M viewflow tasks.

One command (PostgreSQL; creates the database `inbox_bench` when missing, migrates, generates, measures, prints):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inbox_bench .venv/bin/python bench/inbox.py

Options: --scales 10000,1000000 (viewflow_task rows)  --runs 60  --open-share 0.10  --explain  --reuse (skip
generating the first scale when it is loaded)  --no-constant-workload. Not a test: it prints figures, it asserts
nothing. Takes about 5 minutes (three datasets: 10k tasks; 1M tasks with 10 % of the processes open; 1M tasks whose
history grew but whose open workload is the 10k dataset's: the last pair shows what the table size alone costs).

The data is loaded with COPY (`generate`: one InboxData method per step: units, unit-role groups with their
guardian grants, users and memberships, the plan of process lengths, processes with their nominations and tasks,
sequences), shaped like production rows written by the real flows (workflows/flows.py):
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
    """Replace the benchmark data with `total_tasks` viewflow tasks; return how many processes are open.

    With `open_count`, that many processes are open whatever `open_share` says (the constant-workload scenario).
    """
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as django_cursor:
        data = InboxData(django_cursor.cursor, random.Random(seed))  # the psycopg cursor, for COPY
        data.truncate()
        data.add_units()
        data.add_unit_role_groups()
        data.add_users()
        lengths, open_count = data.plan_processes(total_tasks, open_share, open_count)
        data.add_processes(lengths, open_count)
        data.sequences_reset()
    connection.close()
    with connection.cursor() as cursor:  # outside the transaction: VACUUM sets the visibility map
        cursor.execute("VACUUM ANALYZE")
    print(
        f"generated {data.tasks:,} tasks ({data.human_tasks:,} human, {data.open_tasks:,} open) in "
        f"{len(lengths):,} processes, {data.units:,} units, {data.users:,} users, "
        f"{data.guardian_rows:,} guardian rows in {time.perf_counter() - started:.0f} s"
    )
    return open_count


class _Named:
    """Stands in for a Unit where organisation.policy.group_name reads only `.code`."""

    def __init__(self, code):
        self.code = code


class InboxData:
    """The rows of one dataset, one method per step of `generate`; ids are explicit, starting at 1."""

    PATH = [
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
    OPEN_STATUS = {
        "submit": "draft",
        "review": "in_review",
        "appraise": "appraisal",
        "sign": "awaiting_signature",
    }

    def __init__(self, cursor, rnd):
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType
        from viewflow.workflow import flow as vf
        from viewflow.workflow.fields import get_flow_ref, get_task_ref

        from nominations.models import AwardType
        from workflows.flows import StandardRouteFlow

        self.cur, self.rnd = cursor, rnd
        self.now = datetime.now(UTC)
        self.unit_ct = ContentType.objects.get(app_label="organisation", model="unit").pk
        self.nomination_ct = ContentType.objects.get(app_label="nominations", model="nomination").pk
        self.perm_id = {p.codename: p.pk for p in Permission.objects.filter(content_type_id=self.unit_ct)}
        self.view_nomination = Permission.objects.get(
            content_type__app_label="nominations", codename="view_nomination"
        ).pk
        self.view_process = Permission.objects.get(
            content_type__app_label="workflows", codename="view_nominationprocess"
        ).pk
        self.award = AwardType.version_on("bang_khen_tinh")
        self.flow_ref = get_flow_ref(StandardRouteFlow)
        nodes = {node.name: node for node in StandardRouteFlow.instance.nodes()}
        self.task_ref = {name: get_task_ref(nodes[name]) for name in set(self.PATH)}
        self.task_type = {name: nodes[name].task_type for name in set(self.PATH)}
        self.human = {name for name in self.PATH if isinstance(nodes[name], vf.View)}
        assert self.human == set(STEP_PERMISSION)
        self.tasks = self.human_tasks = self.open_tasks = self.units = self.users = self.guardian_rows = 0

    def truncate(self):
        """Empty the tables of a previous dataset (and, by CASCADE, everything that refers to them)."""
        self.cur.execute(f"TRUNCATE {', '.join(BENCH_TABLES)} RESTART IDENTITY CASCADE")

    def add_units(self):
        """Units (approvals_unit): province 1, review units 2..101 (60 districts, 40 departments), then
        BASE_PER_REVIEW base units under each review unit."""
        units = [(1, "BP", "Tỉnh Bến Phú", "", "province", "UBND", date(2020, 1, 1), None, None)]
        self.review_ids = list(range(2, 2 + REVIEW_UNITS))
        self.base_of = {}
        next_id = 2 + REVIEW_UNITS
        for index, review_id in enumerate(self.review_ids):
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
            self.base_of[review_id] = []
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
                self.base_of[review_id].append(next_id)
                next_id += 1
        copy_rows(
            self.cur,
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
        self.code_of = {row[0]: row[1] for row in units}
        self.units = len(units)

    def add_unit_role_groups(self):
        """Unit-role groups (auth_group) and their object permissions on their unit (guardian_groupobjectpermission,
        organisation.policy.ROLE_PERMISSIONS): the province's staff, each review unit's reviewers, each base
        unit's clerks and heads."""
        from organisation.models import Role
        from organisation.policy import ROLE_PERMISSIONS, group_name

        wanted = [(1, Role.REVIEWER), (1, Role.COUNCIL_SECRETARY), (1, Role.APPROVER), (1, Role.INSPECTOR)]
        wanted += [(r, Role.REVIEWER) for r in self.review_ids]
        wanted += [
            (b, role)
            for r in self.review_ids
            for b in self.base_of[r]
            for role in (Role.UNIT_CLERK, Role.UNIT_HEAD)
        ]
        groups, group_perms, self.group_id = [], [], {}
        for gid, (unit_id, role) in enumerate(wanted, start=1):
            self.group_id[unit_id, role] = gid
            groups.append((gid, group_name(_Named(self.code_of[unit_id]), role)))
            for codename in ROLE_PERMISSIONS[role]:
                group_perms.append((str(unit_id), self.unit_ct, gid, self.perm_id[codename]))
        copy_rows(self.cur, "auth_group", ["id", "name"], groups)
        copy_rows(
            self.cur,
            "guardian_groupobjectpermission",
            ["object_pk", "content_type_id", "group_id", "permission_id"],
            group_perms,
        )
        self.wanted = wanted
        self.guardian_rows += len(group_perms)

    def add_users(self):
        """Users (auth_user) in their group (auth_user_groups) with a membership (approvals_membership): a clerk and
        a head per base unit, five reviewers per review unit, the province's staff, extra clerks up to USERS; then
        the two measured reviewers, rev_one (1 review unit) and rev_fifty (50), who also get the model-level view
        permission on the process (auth_user_user_permissions) that viewflow's pages need."""
        from organisation.models import Role

        now, group_id, review_ids = self.now, self.group_id, self.review_ids
        users, memberships, user_groups = [], [], []
        slots = [g for g in self.wanted if g[1] in (Role.UNIT_CLERK, Role.UNIT_HEAD)]
        slots += [(r, Role.REVIEWER) for r in review_ids for _ in range(5)]
        slots += [(1, Role.REVIEWER), (1, Role.COUNCIL_SECRETARY), (1, Role.APPROVER), (1, Role.INSPECTOR)]
        clerk_groups = [g for g in self.wanted if g[1] == Role.UNIT_CLERK]
        while len(slots) < USERS - 2:
            slots.append(self.rnd.choice(clerk_groups))
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
            self.cur,
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
        copy_rows(self.cur, "auth_user_groups", ["user_id", "group_id"], user_groups)
        copy_rows(self.cur, "approvals_membership", ["role", "granted_at", "user_id", "unit_id"], memberships)
        copy_rows(
            self.cur,
            "auth_user_user_permissions",
            ["user_id", "permission_id"],
            [(rev_one, self.view_process), (rev_fifty, self.view_process)],
        )
        self.users = len(users)

    def plan_processes(self, total_tasks, open_share, open_count):
        """Return (the task count of each process, oldest first, summing to `total_tasks`; the open count).

        The most recent processes are the open ones, each stopped at a random human step (OPEN_STEP_WEIGHTS);
        their trails are shorter, so finished ones are added at the front until the tasks add up.
        """
        path = self.PATH
        plans, count = [], 0
        while count < total_tasks:
            plans.append(len(path))
            count += len(path)
        processes_total = len(plans)
        if open_count is None:
            open_count = int(processes_total * open_share)
        open_steps = self.rnd.choices(
            list(OPEN_STEP_WEIGHTS), weights=list(OPEN_STEP_WEIGHTS.values()), k=open_count
        )
        lengths = [len(path)] * (processes_total - open_count) + [path.index(s) + 1 for s in open_steps]
        while sum(lengths) < total_tasks:
            lengths.insert(0, len(path))
        overshoot = sum(lengths) - total_tasks
        if overshoot:  # trim the oldest finished process's trailing tasks (an old, half-migrated process)
            lengths[0] -= overshoot
        return lengths, open_count

    def add_processes(self, lengths, open_count):
        """One StandardRouteFlow process per length, spread over three years, each with its nomination and nominee;
        then COPY them all (add_process writes the rows of one)."""
        from organisation.models import Role

        self.rows = {name: [] for name in ("nominee", "nomination", "process", "task", "scope", "grant")}
        self.province_reviewer = self.group_id[1, Role.REVIEWER]
        self.province_approver = self.group_id[1, Role.APPROVER]
        span = timedelta(days=3 * 365)
        start_at = self.now - span
        step_every = span / len(lengths)
        open_from = len(lengths) - open_count
        for pid, length in enumerate(lengths, start=1):
            self.add_process(pid, length, is_open=pid > open_from, created=start_at + step_every * pid)
        self.copy_processes()

    def add_process(self, pid, length, *, is_open, created):
        """The rows of one process: its nominee and nomination, the process, its first `length` tasks of PATH (the
        last one NEW when the process is open) with a TaskScope per human task, and the direct-FK view grants of
        the groups whose step it reached."""
        from organisation.models import Role

        review_id = self.rnd.choice(self.review_ids)
        base_id = self.rnd.choice(self.base_of[review_id])
        unit_for = {"submit": base_id, "review": review_id, "appraise": 1, "sign": 1}
        last_step = self.PATH[length - 1]
        status = self.OPEN_STATUS.get(last_step, "awarded") if is_open else "awarded"
        current_unit = unit_for.get(last_step, 1) if is_open else 1
        self.rows["nominee"].append(
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
        self.rows["nomination"].append(
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
                self.award.pk,
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
        self.rows["process"].append(
            (
                pid,
                self.flow_ref,
                "NEW" if is_open else "DONE",
                created,
                None if is_open else created + timedelta(days=30),
                self.nomination_ct,
                pid,
                '{"tier_index": 0}',
            )
        )
        reached = self.add_tasks(pid, length, is_open, created, unit_for)
        grant = self.rows["grant"]
        if "review" in reached:
            grant.append((pid, self.group_id[review_id, Role.REVIEWER], self.view_nomination))
        if "appraise" in reached:
            grant.append((pid, self.province_reviewer, self.view_nomination))
        if "sign" in reached:
            grant.append((pid, self.province_approver, self.view_nomination))

    def add_tasks(self, pid, length, is_open, created, unit_for):
        """The first `length` tasks of PATH for process `pid`, an hour apart, with the TaskScope of each human one
        (owned by a random user once done). Return the human steps reached."""
        reached = set()
        for position in range(length):
            name = self.PATH[position]
            self.tasks += 1
            task_id = self.tasks
            at = created + timedelta(hours=position)
            open_task = is_open and position == length - 1
            if name not in self.human:
                self.rows["task"].append(
                    (
                        task_id,
                        self.task_ref[name],
                        self.task_type[name],
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
                continue
            unit_id = unit_for[name]
            reached.add(name)
            owner = None if open_task else self.rnd.randint(1, USERS - 2)
            due_on = (at + timedelta(days=self.rnd.randint(-20, 40))).date()
            self.rows["scope"].append(
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
            self.rows["task"].append(
                (
                    task_id,
                    self.task_ref[name],
                    self.task_type[name],
                    "NEW" if open_task else "DONE",
                    at,
                    None if open_task else at,
                    None if open_task else at,
                    "start",
                    None,
                    f"organisation.{STEP_PERMISSION[name]}",
                    owner,
                    pid,
                    self.unit_ct,
                    str(unit_id),
                    None if open_task else at,
                    "{}",
                )
            )
            self.human_tasks += 1
            self.open_tasks += open_task
        return reached

    def copy_processes(self):
        """COPY the processes' rows: nominations_nominee, nominations_nomination, viewflow_process, viewflow_task,
        workflows_taskscope and the direct-FK view grants (nominations_nominationgroupobjectpermission)."""
        rows = self.rows
        copy_rows(
            self.cur,
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
            rows["nominee"],
        )
        copy_rows(
            self.cur,
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
            rows["nomination"],
        )
        copy_rows(
            self.cur,
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
            rows["process"],
        )
        copy_rows(
            self.cur,
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
            rows["task"],
        )
        copy_rows(
            self.cur,
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
            rows["scope"],
        )
        copy_rows(
            self.cur,
            "nominations_nominationgroupobjectpermission",
            ["content_object_id", "group_id", "permission_id"],
            rows["grant"],
        )
        self.guardian_rows += len(rows["grant"])

    def sequences_reset(self):
        """Move the id sequences past the explicit ids, so that later inserts (the measured requests) work."""
        for table, column in [
            ("approvals_unit", "id"),
            ("auth_group", "id"),
            ("auth_user", "id"),
            ("viewflow_process", "id"),
            ("viewflow_task", "id"),
            ("nominations_nomination", "id"),
            ("nominations_nominee", "id"),
        ]:
            self.cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), (SELECT max({column}) "
                f"FROM {table}))"
            )


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
