"""Bulk-load a province as real use would leave it, reproducibly (seeded), with PostgreSQL COPY.

    .venv/bin/python bench/generate.py --nominations 10000          # database `bench` (or DATABASE_URL)

Creates 1 province, 9 districts, ~1,500 units, 5,000 users with memberships, unit-role groups and the guardian
object permissions `organisation.policy.group_for` grants, and N standard-route nominations spread over every step
(submit, review, revise, appraise, tally_vote, sign, awarded, rejected) with their viewflow process and task rows
(the same task trail the flow leaves, `previous` links included), TaskScope rows, guardian direct-FK view grants
on nominations (STEP_VIEWERS), review/vote records, dossier rows, decisions with certificates and award history for
the awarded ones, and audit events in valid hash chains (audit.hashing), chain heads included.

The database must be migrated and hold no bench province yet (`--reset` deletes a previous load by truncating
the tables it writes). Prints rows/s per table.
"""

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from audit.hashing import HASHED_FIELDS  # noqa: E402  (plain Python, no Django models)
from bench.common import print_machine, setup, table  # noqa: E402

PROVINCE = "PB"  # "Province Bench"
DISTRICTS = 9
COMMUNES_PER_DISTRICT = 140
DEPARTMENTS = 20
UNITS_PER_DEPARTMENT = 10
USERS = 5000
PASSWORD = "Demo@2026"
BASE_TIME = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # fixed so that runs are reproducible
YEAR = 2026

# Which step each nomination has reached (weights); the award types decide the route and the vote.
STEP_WEIGHTS = {
    "submit": 14,
    "review": 14,
    "revise": 5,
    "appraise": 14,
    "tally_vote": 10,
    "sign": 14,
    "awarded": 24,
    "rejected": 5,
}
AWARDS = [
    ("bang_khen_tinh", "individual", 5),
    ("tap_the_lao_dong_xuat_sac", "collective", 3),
    ("giay_khen", "individual", 2),
]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Quốc", "Hữu", "Thu", "Kim", "Đức"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trí",
    "Tuấn",
    "Vy",
    "Xuân",
    "Yến",
]


class Loader:
    """COPY rows into a model's table with explicit primary keys; sequences are moved past them at the end."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.counts = defaultdict(int)
        self.seconds = defaultdict(float)
        self.next_ids = {}

    def ids(self, model, n):
        """Reserve n primary keys of `model`'s table (the load is the only writer)."""
        table_name = model._meta.db_table
        if table_name not in self.next_ids:
            self.cursor.execute(f"SELECT COALESCE(MAX({model._meta.pk.column}), 0) + 1 FROM {table_name}")
            self.next_ids[table_name] = self.cursor.fetchone()[0]
        start = self.next_ids[table_name]
        self.next_ids[table_name] += n
        return range(start, start + n)

    def copy(self, model, columns, rows):
        """COPY `rows` (tuples ordered as `columns`, db column names) into the table of `model`."""
        rows = list(rows)
        if not rows:
            return
        started = time.perf_counter()
        table_name = model._meta.db_table
        with self.cursor.cursor.copy(f"COPY {table_name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self.seconds[table_name] += time.perf_counter() - started
        self.counts[table_name] += len(rows)

    def finish(self):
        for table_name in self.next_ids:
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table_name}))"
            )


class Chains:
    """Audit events with their hash chains; rows are buffered and copied in batches."""

    COLUMNS = ["id", *HASHED_FIELDS, "prev_hash", "hash"]

    def __init__(self, loader, existing_heads):
        from audit.hashing import GENESIS, event_hash
        from audit.models import Event

        self.loader, self.Event, self.GENESIS, self.event_hash = loader, Event, GENESIS, event_hash
        self.heads = dict(existing_heads)  # chain -> (seq, hash)
        self.touched = set()
        self.rows = []

    def add(
        self,
        *,
        chain,
        at,
        action,
        actor=None,
        role="",
        unit_code="",
        object_type="",
        object_id="",
        nomination_id=None,
        reason="",
        data=None,
    ):
        seq, prev = self.heads.get(chain, (0, self.GENESIS))
        values = {
            "chain": chain,
            "seq": seq + 1,
            "at": at,
            "actor_id": actor[0] if actor else None,
            "actor_name": actor[1] if actor else "",
            "on_behalf_of_id": None,
            "role": role,
            "unit_code": unit_code,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "nomination_id": nomination_id,
            "reason": reason,
            "channel": "system",
            "ip": None,
            "user_agent": "",
            "data": data or {},
        }
        digest = self.event_hash(prev or self.GENESIS, values)
        self.heads[chain] = (seq + 1, digest)
        self.touched.add(chain)
        self.rows.append(values | {"prev_hash": prev or self.GENESIS, "hash": digest})
        if len(self.rows) >= 50000:
            self.flush()

    def flush(self):
        ids = self.loader.ids(self.Event, len(self.rows))
        self.loader.copy(
            self.Event,
            self.COLUMNS,
            (
                (
                    pk,
                    *(
                        json.dumps(r["data"], ensure_ascii=False) if c == "data" else r[c]
                        for c in self.COLUMNS[1:]
                    ),
                )
                for pk, r in zip(ids, self.rows, strict=True)
            ),
        )
        self.rows = []

    def finish(self, cursor):
        from audit.models import ChainHead

        self.flush()
        cursor.execute("DELETE FROM audit_chainhead WHERE chain = ANY(%s)", [list(self.touched)])
        self.loader.copy(
            ChainHead,
            ["chain", "seq", "hash"],
            ((chain, *self.heads[chain]) for chain in sorted(self.touched)),
        )


def fake_name(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def build_units(loader, rng):
    """Return (units list of dicts, by_code) after copying the unit tree."""
    from organisation.models import Tier, Unit

    specs = [(PROVINCE, "Tỉnh Bench", Tier.PROVINCE, None, "UBND")]
    for d in range(1, DISTRICTS + 1):
        dcode = f"{PROVINCE}.H{d:02d}"
        specs.append((dcode, f"Huyện Bench {d}", Tier.DISTRICT, PROVINCE, "UBND"))
        for c in range(1, COMMUNES_PER_DISTRICT + 1):
            specs.append((f"{dcode}.X{c:03d}", f"Xã {c} huyện {d}", Tier.BASE, dcode, "UBND"))
    for s in range(1, DEPARTMENTS + 1):
        scode = f"{PROVINCE}.S{s:02d}"
        specs.append((scode, f"Sở Bench {s}", Tier.DEPARTMENT, PROVINCE, f"S{s:02d}"))
        for u in range(1, UNITS_PER_DEPARTMENT + 1):
            specs.append((f"{scode}.D{u:02d}", f"Đơn vị {u} sở {s}", Tier.BASE, scode, ""))
    specs.append((f"{PROVINCE}.CUM1", "Cụm thi đua huyện", Tier.CLUSTER, PROVINCE, ""))
    ids = loader.ids(Unit, len(specs))
    by_code = {}
    rows = []
    for pk, (code, name, tier, parent, symbol) in zip(ids, specs, strict=True):
        unit = {
            "id": pk,
            "code": code,
            "tier": tier,
            "parent": by_code[parent]["id"] if parent else None,
            "parent_code": parent,
        }
        by_code[code] = unit
        rows.append((pk, code, name, "", tier, unit["parent"], symbol, date(2020, 1, 1), None))
    loader.copy(
        Unit,
        ["id", "code", "name", "short_name", "tier", "parent_id", "issuer_symbol", "valid_from", "valid_to"],
        rows,
    )
    return by_code


def build_people(loader, rng, by_code, chains):
    """Users, memberships, unit-role groups and their guardian grants, as membership_grant leaves them."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission

    from organisation.models import Membership, Role, Tier, Unit
    from organisation.policy import ROLE_PERMISSIONS, group_name

    units = list(by_code.values())
    bases = [u for u in units if u["tier"] == Tier.BASE]
    assignments = []  # (unit code, role)
    province = by_code[PROVINCE]
    for role, count in [
        (Role.REVIEWER, 6),
        (Role.COUNCIL_SECRETARY, 1),
        (Role.COUNCIL_MEMBER, 15),
        (Role.APPROVER, 1),
        (Role.INSPECTOR, 2),
        (Role.ADMIN, 1),
    ]:
        assignments += [(province["code"], role)] * count
    for unit in units:
        if unit["tier"] in (Tier.DISTRICT, Tier.DEPARTMENT):
            assignments += [(unit["code"], Role.REVIEWER)] * 2 + [
                (unit["code"], Role.APPROVER),
                (unit["code"], Role.UNIT_CLERK),
            ]
            if unit["tier"] == Tier.DISTRICT:
                assignments += [(unit["code"], Role.COUNCIL_SECRETARY)] + [
                    (unit["code"], Role.COUNCIL_MEMBER)
                ] * 7
    for unit in bases:
        assignments += [(unit["code"], Role.UNIT_HEAD), (unit["code"], Role.UNIT_CLERK)]
    while len(assignments) < USERS:
        assignments.append((rng.choice(bases)["code"], Role.UNIT_CLERK))
    assignments = assignments[:USERS]

    password = make_password(PASSWORD)  # one hash for all: hashing 5,000 passwords would dominate the load
    user_ids = loader.ids(User, len(assignments))
    people = defaultdict(list)  # (unit code, role) -> [(user id, username)]
    user_rows, membership_rows = [], []
    membership_ids = loader.ids(Membership, len(assignments))
    for n, (pk, mid, (code, role)) in enumerate(zip(user_ids, membership_ids, assignments, strict=True)):
        username = f"pb{n:05d}"
        full = fake_name(rng).rsplit(" ", 1)
        user_rows.append(
            (
                pk,
                password,
                None,
                False,
                username,
                full[0],
                full[1],
                f"{username}@bench.local",
                role == Role.ADMIN,
                True,
                BASE_TIME - timedelta(days=90),
            )
        )
        people[(code, role)].append((pk, username))
        membership_rows.append(
            (mid, role, BASE_TIME - timedelta(days=90), None, None, by_code[code]["id"], pk)
        )
    loader.copy(
        User,
        [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
        ],
        user_rows,
    )
    loader.copy(
        Membership,
        ["id", "role", "granted_at", "revoked_at", "granted_by_id", "unit_id", "user_id"],
        membership_rows,
    )

    # Groups: one per unit and role that has members, plus the reviewer/council/approver groups every
    # district and the province need for the nomination view grants (group_for creates them on first use).
    keys = set(people)
    for unit in units:
        if unit["tier"] in (Tier.PROVINCE, Tier.DISTRICT, Tier.DEPARTMENT):
            keys |= {
                (unit["code"], r)
                for r in (Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER, Role.APPROVER)
            }
    keys = sorted(keys)
    group_ids = dict(zip(keys, loader.ids(Group, len(keys)), strict=True))
    loader.copy(
        Group,
        ["id", "name"],
        ((gid, group_name(_Named(code), role)) for (code, role), gid in group_ids.items()),
    )
    unit_ct = ContentType.objects.get_for_model(Unit)
    perm_ids = dict(Permission.objects.filter(content_type=unit_ct).values_list("codename", "id"))
    grants = [(code, role, codename) for (code, role) in keys for codename in ROLE_PERMISSIONS[role]]
    loader.copy(
        GroupObjectPermission,
        ["id", "object_pk", "content_type_id", "group_id", "permission_id"],
        (
            (pk, str(by_code[code]["id"]), unit_ct.id, group_ids[(code, role)], perm_ids[codename])
            for pk, (code, role, codename) in zip(
                loader.ids(GroupObjectPermission, len(grants)), grants, strict=True
            )
        ),
    )
    memberships = [(gid, uid) for key, gid in group_ids.items() for uid, _ in people.get(key, ())]
    through = User.groups.through
    loader.copy(
        through,
        ["id", "user_id", "group_id"],
        (
            (pk, uid, gid)
            for pk, (gid, uid) in zip(loader.ids(through, len(memberships)), memberships, strict=True)
        ),
    )
    for (mid, role, at, _r, _g, _unit_id, uid), (code, _role) in zip(
        membership_rows, assignments, strict=True
    ):
        chains.add(
            chain="permissions",
            at=at,
            action="membership.grant",
            unit_code=code,
            object_type="organisation.membership",
            object_id=mid,
            data={"user": f"pb{uid - user_ids[0]:05d}", "role": role, "unit": code},
        )
    return people, group_ids


class _Named:
    def __init__(self, code):
        self.code = code


def trail_for(step, tiers, vote):
    """Return the task trail [(node, type, outcome)] a nomination at `step` has left; the last human is open."""
    trail = [("start", "START"), ("submit", "HUMAN")]
    if step == "submit":
        return trail
    trail += [("advance", "FUNCTION"), ("route", "EXCLUSIVE_GATEWAY")]
    for _tier in range(tiers):
        trail.append(("review", "HUMAN"))
        if step in ("review", "revise", "rejected"):
            if step == "review":
                return trail
            trail.append(("after_review", "SWITCH"))
            trail.append(("revise", "HUMAN") if step == "revise" else ("rejected", "END"))
            return trail
        trail += [("after_review", "SWITCH"), ("advance", "FUNCTION"), ("route", "EXCLUSIVE_GATEWAY")]
    trail.append(("appraise", "HUMAN"))
    if step == "appraise":
        return trail
    if step in ("revise", "rejected"):  # no review tier: returned or rejected at appraisal
        trail += [
            ("after_appraisal", "SWITCH"),
            ("revise", "HUMAN") if step == "revise" else ("rejected", "END"),
        ]
        return trail
    trail += [
        ("after_appraisal", "SWITCH"),
        ("check_posting", "EXCLUSIVE_GATEWAY"),
        ("check_vote", "EXCLUSIVE_GATEWAY"),
    ]
    if vote:
        trail.append(("tally_vote", "HUMAN"))
        if step == "tally_vote":
            return trail
        trail.append(("after_vote", "EXCLUSIVE_GATEWAY"))
    trail.append(("sign", "HUMAN"))
    if step == "sign":
        return trail
    return trail + [("commend", "FUNCTION"), ("end", "END")]


STEP_PERMISSION = {
    "submit": "submit_nomination",
    "revise": "submit_nomination",
    "review": "review_nomination",
    "appraise": "appraise_nomination",
    "tally_vote": "record_vote",
    "sign": "sign_decision",
}
STEP_ACTION = {
    "submit": "submit",
    "revise": "resubmit",
    "appraise": "approve",
    "tally_vote": "record_vote",
    "sign": "sign",
}
STEP_ROLE = {
    "submit": "unit_head",
    "revise": "unit_head",
    "review": "reviewer",
    "appraise": "reviewer",
    "tally_vote": "council_secretary",
    "sign": "approver",
}


def build_nominations(loader, rng, by_code, people, group_ids, chains, count, batch):
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from viewflow.workflow.models import Process, Task

    from approvals.models import Certificate, Decision, DecisionCounter, ReviewRecord, VoteRecord
    from nominations.models import (
        AwardHistory,
        AwardType,
        DossierFile,
        LegalBasis,
        Nomination,
        NominationGroupObjectPermission,
        Nominee,
    )
    from organisation.models import Tier, Unit
    from organisation.text import fold
    from workflows.deadlines import DEFAULT_WORKING_DAYS
    from workflows.hooks import STEP_STATUS, STEP_VIEWERS
    from workflows.models import TaskScope

    today = BASE_TIME.date()
    awards = {code: AwardType.version_on(code, today) for code, _, _ in AWARDS}
    award_choices = [code for code, _, w in AWARDS for _ in range(w)]
    kinds = {code: kind for code, kind, _ in AWARDS}
    legal_basis = LegalBasis.in_force_on(today)
    nomination_ct = ContentType.objects.get_for_model(Nomination).id
    unit_ct = ContentType.objects.get_for_model(Unit).id
    view_perm = Permission.objects.get(content_type_id=nomination_ct, codename="view_nomination").id
    steps = [s for s, w in STEP_WEIGHTS.items() for _ in range(w)]
    bases = [u for u in by_code.values() if u["tier"] == Tier.BASE]
    by_id = {u["id"]: u for u in by_code.values()}
    flow_ref = "workflows/flows.StandardRouteFlow"
    awarded = defaultdict(
        list
    )  # deciding unit code -> [(nomination id, nominee id, award code, kind, unit code)]
    decided_counters = defaultdict(int)

    def actor(code, role):
        return rng.choice(people[(code, role)])

    done = 0
    while done < count:
        n = min(batch, count - done)
        nomination_ids = loader.ids(Nomination, n)
        nominee_ids = loader.ids(Nominee, n)
        process_ids = loader.ids(Process, n)
        nominee_rows, nomination_rows, process_rows, task_rows, previous_rows = [], [], [], [], []
        scope_rows, grant_rows, review_rows, vote_rows, file_rows = [], [], [], [], []
        for nid, neid, pid in zip(nomination_ids, nominee_ids, process_ids, strict=True):
            unit = rng.choice(bases)
            award_code = rng.choice(award_choices)
            award = awards[award_code]
            if award.deciding_tier == "district" and by_code[unit["parent_code"]]["tier"] != Tier.DISTRICT:
                award_code, award = "bang_khen_tinh", awards["bang_khen_tinh"]
            kind = kinds[award_code]
            deciding = (
                by_code[PROVINCE] if award.deciding_tier == "province" else by_code[unit["parent_code"]]
            )
            route_units = (
                [] if deciding["code"] == unit["parent_code"] else [by_code[unit["parent_code"]]["id"]]
            )
            step = rng.choice(steps)
            if step == "tally_vote" and not award.requires_council_vote:
                step = "sign"
            trail = trail_for(step, len(route_units), award.requires_council_vote)
            created = BASE_TIME + timedelta(seconds=rng.randrange(0, 60 * 86400))
            name = f"Tập thể {unit['code']} {nid}" if kind == "collective" else fake_name(rng)
            clerk = actor(unit["code"], "unit_clerk")
            nominee_rows.append(
                (
                    neid,
                    kind,
                    name,
                    fold(name),
                    "" if kind == "collective" else rng.choice(["male", "female"]),
                    None if kind == "collective" else rng.randrange(1965, 2000),
                    "",
                    unit["id"],
                    "",
                    "",
                    None,
                )
            )
            chains_name = f"nomination:{nid}"
            chains.add(
                chain=chains_name,
                at=created,
                action="nomination.create",
                actor=clerk,
                role="unit",
                unit_code=unit["code"],
                object_type="nominations.nomination",
                object_id=nid,
                nomination_id=nid,
                data={
                    "award_type": award_code,
                    "route": "standard",
                    "unit": unit["code"],
                    "period_year": YEAR,
                    "deciding_unit": deciding["code"],
                },
            )
            file_rows.append(
                (
                    None,
                    nid,
                    "achievement_report",
                    f"dossiers/bench/{nid}.pdf",
                    "bao-cao.pdf",
                    "application/pdf",
                    45,
                    "0" * 64,
                    clerk[0],
                    created,
                )
            )
            task_ids = loader.ids(Task, len(trail))
            clock = created
            tier_index, outcome, previous, status_now, unit_now, step_now, due_now = (
                -1,
                "",
                None,
                "draft",
                unit,
                "submit",
                None,
            )
            viewers = set()
            for position, (tid, (node, ttype)) in enumerate(zip(task_ids, trail, strict=True)):
                is_last = position == len(trail) - 1
                clock += timedelta(minutes=rng.randrange(1, 600) if ttype == "HUMAN" else 0, microseconds=700)
                owner_perm = ct = obj_pk = owner = None
                status = "DONE"
                started = finished = clock
                if node == "advance":
                    tier_index += 1
                    outcome = ""
                if ttype == "HUMAN":
                    if node in ("submit", "revise"):
                        task_unit = unit
                    elif node == "review":
                        task_unit = by_id[route_units[tier_index]]
                    else:
                        task_unit = deciding
                    codename = STEP_PERMISSION[node]
                    owner_perm, ct, obj_pk = f"organisation.{codename}", unit_ct, str(task_unit["id"])
                    due = today + timedelta(days=DEFAULT_WORKING_DAYS["standard"][node] * 7 // 5)
                    scope_rows.append(
                        (
                            tid,
                            codename,
                            node,
                            "standard",
                            clock,
                            due,
                            is_last,
                            False,
                            "[]",
                            None,
                            nid,
                            task_unit["id"],
                        )
                    )
                    status_now, unit_now, step_now, due_now = STEP_STATUS[node], task_unit, node, due
                    for role in STEP_VIEWERS.get(node, ()):
                        viewers.add(group_ids[(task_unit["code"], role)])
                    chains.add(
                        chain=chains_name,
                        at=clock,
                        action="task.open",
                        unit_code=task_unit["code"],
                        object_type="viewflow.task",
                        object_id=tid,
                        nomination_id=nid,
                        data={
                            "step": node,
                            "unit": task_unit["code"],
                            "permission": codename,
                            "due_on": due.isoformat(),
                            "status": status_now,
                        },
                    )
                    if is_last:
                        status, started, finished = "NEW", None, None
                    else:
                        if node == "review":
                            action = (
                                {"revise": "return", "rejected": "reject"}.get(step, "forward")
                                if (trail[position + 2][0] in ("revise", "rejected"))
                                else "forward"
                            )
                        elif node == "appraise" and trail[position + 2][0] in ("revise", "rejected"):
                            action = "return" if step == "revise" else "reject"
                        else:
                            action = STEP_ACTION[node]
                        outcome = {
                            "forward": "forward",
                            "return": "return",
                            "reject": "reject",
                            "approve": "approve",
                            "record_vote": "vote_passed",
                        }.get(action, outcome)
                        who = actor(task_unit["code"], STEP_ROLE[node])
                        owner = who[0]
                        clock += timedelta(minutes=rng.randrange(5, 3000))
                        started = finished = clock
                        data = {"step": node}
                        reason = "Chưa đạt tiêu chuẩn." if action in ("return", "reject") else ""
                        if node == "tally_vote":
                            data |= {
                                "members_total": 15,
                                "members_present": 15,
                                "votes_for": 14,
                                "votes_against": 0,
                            }
                            vote_rows.append(
                                (nid, 15, 15, 14, 0, "", True, award.vote_threshold, True, who[0], clock)
                            )
                        if node != "sign":
                            review_rows.append(
                                (tid, node, action, reason, clock, who[0], nid, task_unit["id"])
                            )
                        chains.add(
                            chain=chains_name,
                            at=clock,
                            action=f"task.{action}",
                            actor=who,
                            role=STEP_ROLE[node],
                            unit_code=task_unit["code"],
                            object_type="viewflow.task",
                            object_id=tid,
                            nomination_id=nid,
                            reason=reason,
                            data=data,
                        )
                        if node == "submit":
                            received = clock.date()
                task_rows.append(
                    (
                        tid,
                        f"{flow_ref}.{node}",
                        ttype,
                        status,
                        clock,
                        started,
                        finished,
                        "start",
                        None,
                        owner_perm,
                        owner,
                        pid,
                        ct,
                        obj_pk,
                        None,
                        None,
                        None,
                        "{}",
                        None,
                        None,
                        None,
                    )
                )
                if previous is not None:
                    previous_rows.append((tid, previous))
                previous = tid
            finished_process = trail[-1][1] == "END"
            if step == "rejected":
                status_now, step_now, due_now = "rejected", "rejected", None
            if step == "awarded":
                status_now, step_now, due_now = "awarded", "end", None
                awarded[deciding["code"]].append((nid, neid, award_code, kind, deciding, clock))
            if step == "revise":
                status_now = "returned"
            process_rows.append(
                (
                    pid,
                    flow_ref,
                    "DONE" if finished_process else "NEW",
                    created,
                    clock if finished_process else None,
                    _ct(Nomination),
                    nid,
                    json.dumps({"tier_index": tier_index, "outcome": outcome}),
                    None,
                    None,
                    None,
                )
            )
            nomination_rows.append(
                (
                    nid,
                    "standard",
                    neid,
                    unit["id"],
                    None,
                    award.id,
                    YEAR,
                    "Hoàn thành xuất sắc nhiệm vụ năm.",
                    status_now,
                    False,
                    deciding["id"],
                    json.dumps(route_units),
                    unit_now["id"],
                    step_now,
                    due_now,
                    None,
                    received if step != "submit" else None,
                    legal_basis.id if step != "submit" else None,
                    1 if step == "revise" else 0,
                    None,
                    "",
                    clerk[0],
                    created,
                    clock,
                )
            )
            grant_rows += [(nid, gid, view_perm) for gid in sorted(viewers)]
        loader.copy(
            Nominee,
            [
                "id",
                "kind",
                "full_name",
                "name_folded",
                "gender",
                "birth_year",
                "position",
                "unit_id",
                "citizen_id",
                "discipline_status",
                "women_share",
            ],
            nominee_rows,
        )
        loader.copy(
            Nomination,
            [
                "id",
                "route",
                "nominee_id",
                "unit_id",
                "movement_id",
                "award_type_id",
                "period_year",
                "achievements",
                "status",
                "is_ad_hoc",
                "deciding_unit_id",
                "route_units",
                "current_unit_id",
                "current_step",
                "due_on",
                "submission_id",
                "received_on",
                "legal_basis_id",
                "revision_count",
                "round_id",
                "variant",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            nomination_rows,
        )
        loader.copy(
            Process,
            [
                "id",
                "flow_class",
                "status",
                "created",
                "finished",
                "artifact_content_type_id",
                "artifact_object_id",
                "data",
                "parent_task_id",
                "seed_content_type_id",
                "seed_object_id",
            ],
            process_rows,
        )
        loader.copy(
            Task,
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
                "artifact_content_type_id",
                "artifact_object_id",
                "data",
                "seed_content_type_id",
                "seed_object_id",
                "scheduled",
            ],
            task_rows,
        )
        through = Task.previous.through
        loader.copy(
            through,
            ["id", "from_task_id", "to_task_id"],
            (
                (pk, a, b)
                for pk, (a, b) in zip(loader.ids(through, len(previous_rows)), previous_rows, strict=True)
            ),
        )
        loader.copy(
            TaskScope,
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
        loader.copy(
            NominationGroupObjectPermission,
            ["id", "content_object_id", "group_id", "permission_id"],
            (
                (pk, *row)
                for pk, row in zip(
                    loader.ids(NominationGroupObjectPermission, len(grant_rows)), grant_rows, strict=True
                )
            ),
        )
        loader.copy(
            ReviewRecord,
            ["id", "task_id", "step", "action", "reason", "at", "actor_id", "nomination_id", "unit_id"],
            (
                (pk, *row)
                for pk, row in zip(loader.ids(ReviewRecord, len(review_rows)), review_rows, strict=True)
            ),
        )
        loader.copy(
            VoteRecord,
            [
                "id",
                "nomination_id",
                "members_total",
                "members_present",
                "votes_for",
                "votes_against",
                "minutes",
                "quorum_met",
                "threshold",
                "passed",
                "recorded_by_id",
                "recorded_at",
                "council_id",
            ],
            (
                (pk, *row, None)
                for pk, row in zip(loader.ids(VoteRecord, len(vote_rows)), vote_rows, strict=True)
            ),
        )
        loader.copy(
            DossierFile,
            [
                "id",
                "nomination_id",
                "kind",
                "file",
                "original_name",
                "content_type",
                "size",
                "sha256",
                "uploaded_by_id",
                "uploaded_at",
            ],
            (
                (pk, *row[1:])
                for pk, row in zip(loader.ids(DossierFile, len(file_rows)), file_rows, strict=True)
            ),
        )
        done += n
        print(f"  {done:,} nominations", file=sys.stderr, flush=True)

    # Decisions of up to 500 awarded nominations per deciding unit, with certificates and award history.
    decision_rows, certificate_rows, history_rows = [], [], []
    for code in sorted(awarded):
        rows = awarded[code]
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            deciding = chunk[0][4]
            decided_counters[deciding["id"]] += 1
            sequence = decided_counters[deciding["id"]]
            did = loader.ids(Decision, 1)[0]
            signed_at = max(r[5] for r in chunk)
            number = f"{sequence:02d}/QĐ-UBND"
            signer = actor(code, "approver")
            amount_total = 0
            for index, (nid, neid, award_code, kind, _d, _at) in enumerate(chunk, start=1):
                amount = int(awards[award_code].cash_for(kind, 2340000))
                amount_total += amount
                certificate_rows.append(
                    (
                        nid,
                        did,
                        f"{code}-{YEAR}-{sequence:04d}-{index:04d}",
                        f"{rng.getrandbits(80):020x}",
                        amount,
                        "",
                        False,
                        None,
                    )
                )
                history_rows.append((neid, award_code, YEAR, nid, number, signed_at.date(), False, False))
                chains.add(
                    chain=f"nomination:{nid}",
                    at=signed_at,
                    action="nomination.awarded",
                    unit_code=code,
                    object_type="nominations.nomination",
                    object_id=nid,
                    nomination_id=nid,
                    data={
                        "decision": number,
                        "serial": certificate_rows[-1][2],
                        "amount": str(amount),
                        "is_ad_hoc": False,
                    },
                )
            decision_rows.append(
                (
                    did,
                    deciding["id"],
                    YEAR,
                    sequence,
                    number,
                    "Về việc khen thưởng",
                    signed_at.date(),
                    signed_at,
                    signer[0],
                    "",
                    False,
                    legal_basis.id,
                    amount_total,
                    "",
                    "",
                )
            )
            chains.add(
                chain=f"decision:{did}",
                at=signed_at,
                action="decision.sign",
                actor=signer,
                role="approver",
                unit_code=code,
                object_type="approvals.decision",
                object_id=did,
                data={
                    "number": number,
                    "nominations": [r[0] for r in chunk],
                    "total_amount": str(amount_total),
                },
            )
    loader.copy(
        Decision,
        [
            "id",
            "issuer_id",
            "year",
            "sequence",
            "number",
            "title",
            "signed_on",
            "signed_at",
            "signer_id",
            "signer_title",
            "is_ad_hoc",
            "legal_basis_id",
            "total_amount",
            "pdf",
            "docx",
        ],
        decision_rows,
    )
    loader.copy(
        Certificate,
        [
            "id",
            "nomination_id",
            "decision_id",
            "serial",
            "verification_code",
            "amount",
            "pdf",
            "is_revoked",
            "revoked_at",
        ],
        (
            (pk, *row)
            for pk, row in zip(loader.ids(Certificate, len(certificate_rows)), certificate_rows, strict=True)
        ),
    )
    loader.copy(
        AwardHistory,
        [
            "id",
            "nominee_id",
            "award_code",
            "year",
            "nomination_id",
            "decision_number",
            "decided_on",
            "is_ad_hoc",
            "is_revoked",
        ],
        (
            (pk, *row)
            for pk, row in zip(loader.ids(AwardHistory, len(history_rows)), history_rows, strict=True)
        ),
    )
    loader.copy(
        DecisionCounter,
        ["id", "issuer_id", "year", "last_number"],
        (
            (pk, uid, YEAR, last)
            for pk, (uid, last) in zip(
                loader.ids(DecisionCounter, len(decided_counters)),
                sorted(decided_counters.items()),
                strict=True,
            )
        ),
    )


def _ct(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).id


def verify_sample(cursor, chains_to_check=50, names=None):
    """Recompute the hashes of a sample of chains (or of `names`) from the database, as an auditor's verify does."""
    from audit.hashing import GENESIS, HASHED_FIELDS, event_hash

    if names is None:
        cursor.execute("SELECT chain FROM audit_chainhead ORDER BY md5(chain) LIMIT %s", [chains_to_check])
        names = [r[0] for r in cursor.fetchall()] + ["permissions"]
    checked = 0
    for name in names:
        cursor.execute(
            f"SELECT {', '.join(HASHED_FIELDS)}, prev_hash, hash FROM audit_event WHERE chain = %s "
            "ORDER BY seq",
            [name],
        )
        prev = GENESIS
        for row in cursor.fetchall():
            values = dict(zip(HASHED_FIELDS, row[:-2], strict=True))
            values["at"] = values["at"].astimezone(UTC)
            if isinstance(values["data"], str):  # Django's raw cursor hands jsonb back as text
                values["data"] = json.loads(values["data"])
            if row[-2] != prev or event_hash(prev, values) != row[-1]:
                raise SystemExit(f"hash chain broken in {name} at seq {values['seq']}")
            prev = row[-1]
            checked += 1
        cursor.execute("SELECT hash FROM audit_chainhead WHERE chain = %s", [name])
        if cursor.fetchone()[0] != prev:
            raise SystemExit(f"chain head of {name} does not match its last event")
    return len(names), checked


RESET_TABLES = [
    "audit_event",
    "audit_chainhead",
    "approvals_certificate",
    "nominations_awardhistory",
    "approvals_decision",
    "approvals_decisioncounter",
    "approvals_reviewrecord",
    "approvals_voterecord",
    "approvals_postingfeedback",
    "approvals_revocation",
    "approvals_posting",
    "nominations_dossierfile",
    "nominations_nominationgroupobjectpermission",
    "nominations_nominationuserobjectpermission",
    "workflows_taskscope",
    "workflows_notification",
    "viewflow_task_previous",
    "viewflow_task",
    "viewflow_process",
    "nominations_nomination_content_areas",
    "nominations_nomination",
    "nominations_submission",
    "nominations_nominee",
    "guardian_groupobjectpermission",
    "guardian_userobjectpermission",
    "auth_user_groups",
    "auth_group_permissions",
    "auth_group",
    "approvals_membership",
    "approvals_council",
    "authtoken_token",
    "auth_user_user_permissions",
    "auth_user",
    "approvals_unit",
]


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nominations", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--db", default="bench", help="database name when DATABASE_URL is not set")
    parser.add_argument("--reset", action="store_true", help="truncate the tables this script writes first")
    args = parser.parse_args(argv)
    setup(args.db)
    from django.db import connection, transaction

    from organisation.models import Unit

    print_machine()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if args.reset:
            cursor.execute(f"TRUNCATE {', '.join(RESET_TABLES)} CASCADE")
        elif Unit.objects.filter(code=PROVINCE).exists():
            raise SystemExit(f"Province {PROVINCE} is already loaded: use --reset or a fresh database.")
    rng = random.Random(args.seed)
    with transaction.atomic(), connection.cursor() as cursor:
        loader = Loader(cursor)
        cursor.execute("SELECT chain, seq, hash FROM audit_chainhead")
        chains = Chains(loader, {c: (s, h) for c, s, h in cursor.fetchall()})
        by_code = build_units(loader, rng)
        people, group_ids = build_people(loader, rng, by_code, chains)
        build_nominations(loader, rng, by_code, people, group_ids, chains, args.nominations, args.batch)
        chains.finish(cursor)
        loader.finish()
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        chains_checked, events_checked = verify_sample(cursor)
    rows = sorted(loader.counts.items(), key=lambda kv: -kv[1])
    total = sum(loader.counts.values())
    table(
        ["table", "rows", "COPY s", "rows/s (COPY)"],
        [(t, c, loader.seconds[t], c / loader.seconds[t] if loader.seconds[t] else 0) for t, c in rows]
        + [("total (wall, incl. generation and hashing)", total, elapsed, total / elapsed)],
        title=f"generate: {args.nominations:,} nominations, seed {args.seed}",
    )
    print(
        f"\nhash chains re-verified from the database: {chains_checked} chains, {events_checked:,} events OK"
    )


if __name__ == "__main__":
    main()
