"""Bulk-load a province as real use would leave it, reproducibly (seeded), with PostgreSQL COPY.

    createdb -h 127.0.0.1 -U postgres bench                          # once, then migrate it:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python manage.py migrate
    .venv/bin/python bench/generate.py --nominations 10000          # database `bench` (or DATABASE_URL)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python manage.py audit_verify

Creates 1 province, 9 districts, ~1,500 units, 5,000 users with memberships, unit-role groups and the guardian
object permissions `organisation.policy.group_for` grants, and N standard-route nominations spread over every step
(submit, review, revise, appraise, tally_vote, sign, awarded, rejected) with their viewflow process and task rows
(the same task trail the flow leaves, `previous` links included), TaskScope rows, guardian direct-FK view grants
on nominations (STEP_VIEWERS), review/vote records, dossier rows, decisions with certificates and award history for
the awarded ones, and audit events appended through the project's own path (audit.services.events_append_bulk:
hash chains and chain heads as event_record leaves them).

`main` reads as the list of steps: units; users and memberships; unit-role groups with their guardian grants; the
membership events; then, batch by batch, the nominations (NominationLoad.nomination: plan, nominee, filing, task
trail, outcome, process, nomination, view grants; then the batch's COPYs); last the decisions of the awarded ones.

The database must be migrated and hold no bench province yet (`--reset` deletes a previous load by truncating
the tables it writes). Prints rows/s per table.
"""

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
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

INDIVIDUAL_CATEGORIES = ["direct_worker", "direct_worker", "other_leader", "department_leader", ""]
COLLECTIVE_CATEGORIES = ["", "", "enterprise"]

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

    def copy(self, model, rows, *, numbered=False):
        """COPY `rows` (dicts of db column -> value, all with the same keys) into the table of `model`.

        With `numbered`, the rows get the next primary keys of the table first (rows that need no id elsewhere).
        """
        rows = list(rows)
        if not rows:
            return
        if numbered:
            rows = [{"id": pk} | row for pk, row in zip(self.ids(model, len(rows)), rows, strict=True)]
        started = time.perf_counter()
        table_name = model._meta.db_table
        missing = _defaults(model, rows[0])
        if missing:
            rows = [row | missing for row in rows]
        columns = list(rows[0])
        with self.cursor.cursor.copy(f"COPY {table_name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(list(row.values()))
        self.seconds[table_name] += time.perf_counter() - started
        self.counts[table_name] += len(rows)

    def finish(self):
        for table_name in self.next_ids:
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table_name}))"
            )


def _defaults(model, row):
    """The defaults of the NOT NULL columns `row` leaves out (columns added to the models after this script)."""
    from django.db import models

    missing = {}
    for model_field in model._meta.concrete_fields:
        if model_field.column in row or model_field.null or model_field.primary_key:
            continue
        value = model_field.get_default()  # "" for a text column without a default
        if value is not None:
            missing[model_field.column] = (
                json.dumps(value) if isinstance(model_field, models.JSONField) else value
            )
    return missing


class Chains:
    """Audit events of the load, buffered and appended in batches by audit.services.events_append_bulk.

    That function numbers and hashes each event on its chain and moves the chain heads, as event_record does for
    one event: the load keeps no list of the event columns of its own.
    """

    BATCH = 50000

    def __init__(self, loader):
        from audit.models import Channel, Event
        from audit.services import events_append_bulk

        self.loader, self.Event, self.channel, self.append = loader, Event, Channel.SYSTEM, events_append_bulk
        self.chains = set()
        self.events = []

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
        """Buffer one event; `actor` is a (user id, username) pair."""
        self.events.append(
            self.Event(
                chain=chain,
                at=at,
                actor_id=actor[0] if actor else None,
                actor_name=actor[1] if actor else "",
                role=role,
                unit_code=unit_code,
                action=action,
                object_type=object_type,
                object_id=object_id,
                nomination_id=nomination_id,
                reason=reason,
                channel=self.channel,
                data=data or {},
            )
        )
        self.chains.add(chain)
        if len(self.events) >= self.BATCH:
            self.flush()

    def flush(self):
        """Append the buffered events (audit_event rows; their chains' audit_chainhead rows move)."""
        started = time.perf_counter()
        self.append(self.events)
        self.loader.seconds["audit_event"] += time.perf_counter() - started
        self.loader.counts["audit_event"] += len(self.events)
        self.events = []

    def finish(self):
        self.flush()
        # The heads are written by the appends above; their time is counted in audit_event's.
        self.loader.counts["audit_chainhead"] = len(self.chains)
        self.loader.seconds["audit_chainhead"] = float("nan")


def fake_name(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


class _Named:
    """Stands in for a Unit where organisation.policy.group_name reads only `.code`."""

    def __init__(self, code):
        self.code = code


def build_units(loader):
    """Write the unit tree (approvals_unit): province, districts and communes, departments and their units, a
    cluster. Return {code: unit dict (id, code, tier, parent id, parent code)}."""
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
    by_code = {}
    rows = []
    for pk, (code, name, tier, parent, symbol) in zip(loader.ids(Unit, len(specs)), specs, strict=True):
        parent_id = by_code[parent]["id"] if parent else None
        by_code[code] = {"id": pk, "code": code, "tier": tier, "parent": parent_id, "parent_code": parent}
        rows.append(
            {
                "id": pk,
                "code": code,
                "name": name,
                "short_name": "",
                "tier": tier,
                "parent_id": parent_id,
                "issuer_symbol": symbol,
                "valid_from": date(2020, 1, 1),
                "valid_to": None,
            }
        )
    loader.copy(Unit, rows)
    return by_code


def role_assignments(rng, by_code):
    """Return USERS (unit code, role) pairs: the province's and each review unit's staff, a head and a clerk per
    base unit, then extra clerks at random base units."""
    from organisation.models import Role, Tier

    units = list(by_code.values())
    bases = [u for u in units if u["tier"] == Tier.BASE]
    assignments = []
    for role, count in [
        (Role.REVIEWER, 6),
        (Role.COUNCIL_SECRETARY, 1),
        (Role.COUNCIL_MEMBER, 15),
        (Role.APPROVER, 1),
        (Role.INSPECTOR, 2),
        (Role.ADMIN, 1),
    ]:
        assignments += [(PROVINCE, role)] * count
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
    return assignments[:USERS]


def build_users(loader, rng, by_code, assignments):
    """Write one user (auth_user) and one membership (approvals_membership) per assignment.

    Return (people: {(unit code, role): [(user id, username)]}, memberships: [(membership id, unit code, role,
    user id, username, granted at)]).
    """
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from organisation.models import Membership, Role

    password = make_password(PASSWORD)  # one hash for all: hashing 5,000 passwords would dominate the load
    joined = BASE_TIME - timedelta(days=90)
    people = defaultdict(list)
    user_rows, membership_rows, memberships = [], [], []
    user_ids = loader.ids(User, len(assignments))
    membership_ids = loader.ids(Membership, len(assignments))
    for n, (pk, mid, (code, role)) in enumerate(zip(user_ids, membership_ids, assignments, strict=True)):
        username = f"pb{n:05d}"
        first_name, last_name = fake_name(rng).rsplit(" ", 1)
        user_rows.append(
            {
                "id": pk,
                "password": password,
                "last_login": None,
                "is_superuser": False,
                "username": username,
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@bench.local",
                "is_staff": role == Role.ADMIN,
                "is_active": True,
                "date_joined": joined,
            }
        )
        people[(code, role)].append((pk, username))
        membership_rows.append(
            {
                "id": mid,
                "role": role,
                "granted_at": joined,
                "revoked_at": None,
                "granted_by_id": None,
                "unit_id": by_code[code]["id"],
                "user_id": pk,
            }
        )
        memberships.append((mid, code, role, pk, username, joined))
    loader.copy(User, user_rows)
    loader.copy(Membership, membership_rows)
    return people, memberships


def build_unit_role_groups(loader, by_code, people):
    """Write the unit-role groups (auth_group), their guardian object permissions on their unit
    (guardian_groupobjectpermission, organisation.policy.ROLE_PERMISSIONS) and the users in them (auth_user_groups),
    as membership_grant leaves them. Return {(unit code, role): group id}.

    A group per unit and role that has members, plus the reviewer/council/approver groups every district,
    department and the province need for the nomination view grants (group_for creates them on first use).
    """
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission

    from organisation.models import Role, Tier, Unit
    from organisation.policy import ROLE_PERMISSIONS, group_name

    keys = set(people)
    for unit in by_code.values():
        if unit["tier"] in (Tier.PROVINCE, Tier.DISTRICT, Tier.DEPARTMENT):
            keys |= {
                (unit["code"], r)
                for r in (Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER, Role.APPROVER)
            }
    keys = sorted(keys)
    group_ids = dict(zip(keys, loader.ids(Group, len(keys)), strict=True))
    loader.copy(
        Group,
        ({"id": gid, "name": group_name(_Named(code), role)} for (code, role), gid in group_ids.items()),
    )
    unit_ct = ContentType.objects.get_for_model(Unit)
    perm_ids = dict(Permission.objects.filter(content_type=unit_ct).values_list("codename", "id"))
    loader.copy(
        GroupObjectPermission,
        (
            {
                "object_pk": str(by_code[code]["id"]),
                "content_type_id": unit_ct.id,
                "group_id": group_ids[(code, role)],
                "permission_id": perm_ids[codename],
            }
            for (code, role) in keys
            for codename in ROLE_PERMISSIONS[role]
        ),
        numbered=True,
    )
    loader.copy(
        User.groups.through,
        (
            {"user_id": uid, "group_id": gid}
            for key, gid in group_ids.items()
            for uid, _username in people.get(key, ())
        ),
        numbered=True,
    )
    return group_ids


def record_membership_grants(chains, memberships):
    """Append a `membership.grant` event per membership to the `permissions` chain (audit_event)."""
    for mid, code, role, _uid, username, granted_at in memberships:
        chains.add(
            chain="permissions",
            at=granted_at,
            action="membership.grant",
            unit_code=code,
            object_type="organisation.membership",
            object_id=mid,
            data={"user": username, "role": role, "unit": code},
        )


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
ACTION_OUTCOME = {
    "forward": "forward",
    "return": "return",
    "reject": "reject",
    "approve": "approve",
    "record_vote": "vote_passed",
}
FLOW_REF = "workflows/flows.StandardRouteFlow"


@dataclass
class Plan:
    """What one nomination is: who files it for which award, who decides, and how far it has gone."""

    unit: dict
    award_code: str
    award: object
    kind: str
    deciding: dict
    route_units: list
    step: str
    trail: list
    created: datetime
    name: str
    clerk: tuple


@dataclass
class Progress:
    """Where a nomination stands after its task trail: the clock, the process data, its status and viewers."""

    clock: datetime
    status: str = "draft"
    unit: dict = None
    step: str = "submit"
    due_on: date = None
    received_on: date = None
    tier_index: int = -1
    outcome: str = ""
    viewers: set = field(default_factory=set)


class NominationLoad:
    """Write N nominations, batch by batch, then the decisions of the awarded ones.

    Each step of one nomination is a method below, called in the order of `nomination`: the random draws happen
    in that order, so a seed gives the same rows.
    """

    def __init__(self, loader, rng, by_code, people, group_ids, chains):
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        from nominations.models import AwardType, LegalBasis, Nomination
        from organisation.models import Tier, Unit

        self.loader, self.rng, self.by_code, self.people, self.group_ids, self.chains = (
            loader,
            rng,
            by_code,
            people,
            group_ids,
            chains,
        )
        self.today = BASE_TIME.date()
        self.awards = {code: AwardType.version_on(code, self.today) for code, _, _ in AWARDS}
        self.award_choices = [code for code, _, w in AWARDS for _ in range(w)]
        self.kinds = {code: kind for code, kind, _ in AWARDS}
        self.legal_basis = LegalBasis.in_force_on(self.today)
        self.nomination_ct = ContentType.objects.get_for_model(Nomination).id
        self.unit_ct = ContentType.objects.get_for_model(Unit).id
        self.view_perm = Permission.objects.get(
            content_type_id=self.nomination_ct, codename="view_nomination"
        ).id
        self.steps = [s for s, w in STEP_WEIGHTS.items() for _ in range(w)]
        self.bases = [u for u in by_code.values() if u["tier"] == Tier.BASE]
        self.by_id = {u["id"]: u for u in by_code.values()}
        # deciding unit code -> [(nomination id, nominee id, award code, kind, deciding unit, awarded at)]
        self.awarded = defaultdict(list)
        self.decided_counters = defaultdict(int)
        self.rows = defaultdict(list)  # the current batch's rows, by model

    def actor(self, code, role):
        """Pick a (user id, username) holding `role` at unit `code`."""
        return self.rng.choice(self.people[(code, role)])

    def run(self, count, batch):
        from viewflow.workflow.models import Process

        from nominations.models import Nomination, Nominee

        done = 0
        while done < count:
            n = min(batch, count - done)
            ids = zip(
                self.loader.ids(Nomination, n),
                self.loader.ids(Nominee, n),
                self.loader.ids(Process, n),
                strict=True,
            )
            for nid, neid, pid in ids:
                self.nomination(nid, neid, pid)
            self.copy_batch()
            done += n
            print(f"  {done:,} nominations", file=sys.stderr, flush=True)
        self.decisions()

    def nomination(self, nid, neid, pid):
        """Write one nomination at a random step, with everything its way there left behind."""
        plan = self.plan(nid)
        self.add_nominee(plan, neid)
        self.add_filing(plan, nid)
        progress = self.add_task_trail(plan, nid, pid)
        self.settle(plan, progress, nid, neid)
        self.add_process(plan, progress, nid, pid)
        self.add_nomination(plan, progress, nid, neid)
        self.add_view_grants(progress, nid)

    def plan(self, nid):
        """Draw the filing unit, the award (and so the deciding unit and route), the step reached, the time."""
        from organisation.models import Tier

        by_code, rng = self.by_code, self.rng
        unit = rng.choice(self.bases)
        award_code = rng.choice(self.award_choices)
        award = self.awards[award_code]
        if award.deciding_tier == "district" and by_code[unit["parent_code"]]["tier"] != Tier.DISTRICT:
            award_code, award = "bang_khen_tinh", self.awards["bang_khen_tinh"]
        kind = self.kinds[award_code]
        deciding = by_code[PROVINCE] if award.deciding_tier == "province" else by_code[unit["parent_code"]]
        route_units = [] if deciding["code"] == unit["parent_code"] else [by_code[unit["parent_code"]]["id"]]
        step = rng.choice(self.steps)
        if step == "tally_vote" and not award.requires_council_vote:
            step = "sign"
        trail = trail_for(step, len(route_units), award.requires_council_vote)
        created = BASE_TIME + timedelta(seconds=rng.randrange(0, 60 * 86400))
        name = f"Tập thể {unit['code']} {nid}" if kind == "collective" else fake_name(rng)
        clerk = self.actor(unit["code"], "unit_clerk")
        return Plan(unit, award_code, award, kind, deciding, route_units, step, trail, created, name, clerk)

    def add_nominee(self, plan, neid):
        """Nominee row (nominations_nominee): a person with gender and birth year, or a collective."""
        from organisation.text import fold

        individual = plan.kind != "collective"
        self.rows["Nominee"].append(
            {
                "id": neid,
                "kind": plan.kind,
                "full_name": plan.name,
                "name_folded": fold(plan.name),
                "gender": self.rng.choice(["male", "female"]) if individual else "",
                "birth_year": self.rng.randrange(1965, 2000) if individual else None,
                "position": "",
                "unit_id": plan.unit["id"],
                "citizen_id": "",
                "discipline_status": "",
                "women_share": None,
                # Statistical category (form 0603.N), taken from the id so the random stream stays as it was.
                "category": (INDIVIDUAL_CATEGORIES if individual else COLLECTIVE_CATEGORIES)[
                    neid % (len(INDIVIDUAL_CATEGORIES) if individual else len(COLLECTIVE_CATEGORIES))
                ],
            }
        )

    def add_filing(self, plan, nid):
        """The clerk's filing: the `nomination.create` event and the achievement report (nominations_dossierfile)."""
        self.chains.add(
            chain=f"nomination:{nid}",
            at=plan.created,
            action="nomination.create",
            actor=plan.clerk,
            role="unit",
            unit_code=plan.unit["code"],
            object_type="nominations.nomination",
            object_id=nid,
            nomination_id=nid,
            data={
                "award_type": plan.award_code,
                "route": "standard",
                "unit": plan.unit["code"],
                "period_year": YEAR,
                "deciding_unit": plan.deciding["code"],
            },
        )
        self.rows["DossierFile"].append(
            {
                "nomination_id": nid,
                "kind": "achievement_report",
                "file": f"dossiers/bench/{nid}.pdf",
                "original_name": "bao-cao.pdf",
                "content_type": "application/pdf",
                "size": 45,
                "sha256": "0" * 64,
                "uploaded_by_id": plan.clerk[0],
                "uploaded_at": plan.created,
            }
        )

    def add_task_trail(self, plan, nid, pid):
        """The viewflow tasks the flow left (viewflow_task, viewflow_task_previous); for each human task its
        TaskScope (workflows_taskscope) and `task.open` event, and, once done, its `task.<action>` event with the
        review or vote record (approvals_reviewrecord, approvals_voterecord). The last human task stays open."""
        from viewflow.workflow.models import Task

        progress = Progress(clock=plan.created, unit=plan.unit)
        previous = None
        trail = plan.trail
        for position, (tid, (node, ttype)) in enumerate(
            zip(self.loader.ids(Task, len(trail)), trail, strict=True)
        ):
            is_last = position == len(trail) - 1
            progress.clock += timedelta(
                minutes=self.rng.randrange(1, 600) if ttype == "HUMAN" else 0, microseconds=700
            )
            if node == "advance":
                progress.tier_index += 1
                progress.outcome = ""
            task = {
                "id": tid,
                "flow_task": f"{FLOW_REF}.{node}",
                "flow_task_type": ttype,
                "status": "DONE",
                "created": None,
                "started": progress.clock,
                "finished": progress.clock,
                "token": "start",
                "external_task_id": None,
                "owner_permission": None,
                "owner_id": None,
                "process_id": pid,
                "owner_permission_content_type_id": None,
                "owner_permission_obj_pk": None,
                "assigned": None,
                "artifact_content_type_id": None,
                "artifact_object_id": None,
                "data": "{}",
                "seed_content_type_id": None,
                "seed_object_id": None,
                "scheduled": None,
            }
            if ttype == "HUMAN":
                task_unit = self.open_human_task(plan, progress, nid, tid, node, is_last)
                task |= {
                    "owner_permission": f"organisation.{STEP_PERMISSION[node]}",
                    "owner_permission_content_type_id": self.unit_ct,
                    "owner_permission_obj_pk": str(task_unit["id"]),
                }
                if is_last:
                    task |= {"status": "NEW", "started": None, "finished": None}
                else:
                    who = self.complete_human_task(plan, progress, nid, tid, node, position, task_unit)
                    task |= {"owner_id": who[0], "started": progress.clock, "finished": progress.clock}
            task["created"] = progress.clock  # a done human task: when it was done (as the flow's rows show)
            self.rows["Task"].append(task)
            if previous is not None:
                self.rows["Task.previous"].append({"from_task_id": tid, "to_task_id": previous})
            previous = tid
        return progress

    def open_human_task(self, plan, progress, nid, tid, node, is_last):
        """Open a human task at its unit: the TaskScope row and the `task.open` event. Return the unit."""
        from workflows.deadlines import DEFAULT_WORKING_DAYS
        from workflows.hooks import STEP_STATUS, STEP_VIEWERS

        if node in ("submit", "revise"):
            task_unit = plan.unit
        elif node == "review":
            task_unit = self.by_id[plan.route_units[progress.tier_index]]
        else:
            task_unit = plan.deciding
        codename = STEP_PERMISSION[node]
        due = self.today + timedelta(days=DEFAULT_WORKING_DAYS["standard"][node] * 7 // 5)
        self.rows["TaskScope"].append(
            {
                "task_id": tid,
                "permission": codename,
                "step": node,
                "route": "standard",
                "created": progress.clock,
                "due_on": due,
                "is_open": is_last,
                "is_overdue": False,
                "reminders_sent": "[]",
                "escalated_at": None,
                "nomination_id": nid,
                "unit_id": task_unit["id"],
            }
        )
        progress.status, progress.unit, progress.step, progress.due_on = (
            STEP_STATUS[node],
            task_unit,
            node,
            due,
        )
        for role in STEP_VIEWERS.get(node, ()):
            progress.viewers.add(self.group_ids[(task_unit["code"], role)])
        self.chains.add(
            chain=f"nomination:{nid}",
            at=progress.clock,
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
                "status": progress.status,
            },
        )
        return task_unit

    def complete_human_task(self, plan, progress, nid, tid, node, position, task_unit):
        """Do a human task: its review (or vote) record and its `task.<action>` event. Return the actor."""
        step, trail = plan.step, plan.trail
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
        progress.outcome = ACTION_OUTCOME.get(action, progress.outcome)
        who = self.actor(task_unit["code"], STEP_ROLE[node])
        progress.clock += timedelta(minutes=self.rng.randrange(5, 3000))
        data = {"step": node}
        reason = "Chưa đạt tiêu chuẩn." if action in ("return", "reject") else ""
        if node == "tally_vote":
            data |= {"members_total": 15, "members_present": 15, "votes_for": 14, "votes_against": 0}
            self.rows["VoteRecord"].append(
                {
                    "nomination_id": nid,
                    "members_total": 15,
                    "members_present": 15,
                    "votes_for": 14,
                    "votes_against": 0,
                    "minutes": "",
                    "quorum_met": True,
                    "threshold": plan.award.vote_threshold,
                    "passed": True,
                    "recorded_by_id": who[0],
                    "recorded_at": progress.clock,
                    "council_id": None,
                }
            )
        if node != "sign":
            self.rows["ReviewRecord"].append(
                {
                    "task_id": tid,
                    "step": node,
                    "action": action,
                    "reason": reason,
                    "at": progress.clock,
                    "actor_id": who[0],
                    "nomination_id": nid,
                    "unit_id": task_unit["id"],
                }
            )
        self.chains.add(
            chain=f"nomination:{nid}",
            at=progress.clock,
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
            progress.received_on = progress.clock.date()
        return who

    def settle(self, plan, progress, nid, neid):
        """Set the status a finished trail leaves (rejected, awarded, returned); queue the awarded for a decision."""
        if plan.step == "rejected":
            progress.status, progress.step, progress.due_on = "rejected", "rejected", None
        if plan.step == "awarded":
            progress.status, progress.step, progress.due_on = "awarded", "end", None
            self.awarded[plan.deciding["code"]].append(
                (nid, neid, plan.award_code, plan.kind, plan.deciding, progress.clock)
            )
        if plan.step == "revise":
            progress.status = "returned"

    def add_process(self, plan, progress, nid, pid):
        """The viewflow process row (viewflow_process), done when the trail reached an end."""
        finished = plan.trail[-1][1] == "END"
        self.rows["Process"].append(
            {
                "id": pid,
                "flow_class": FLOW_REF,
                "status": "DONE" if finished else "NEW",
                "created": plan.created,
                "finished": progress.clock if finished else None,
                "artifact_content_type_id": self.nomination_ct,
                "artifact_object_id": nid,
                "data": json.dumps({"tier_index": progress.tier_index, "outcome": progress.outcome}),
                "parent_task_id": None,
                "seed_content_type_id": None,
                "seed_object_id": None,
            }
        )

    def add_nomination(self, plan, progress, nid, neid):
        """The nomination row (nominations_nomination), with the status, unit, step and due date it stands at."""
        submitted = plan.step != "submit"
        self.rows["Nomination"].append(
            {
                "id": nid,
                "route": "standard",
                "nominee_id": neid,
                "unit_id": plan.unit["id"],
                "movement_id": None,
                "award_type_id": plan.award.id,
                "period_year": YEAR,
                "achievements": "Hoàn thành xuất sắc nhiệm vụ năm.",
                "status": progress.status,
                "is_ad_hoc": False,
                "deciding_unit_id": plan.deciding["id"],
                "route_units": json.dumps(plan.route_units),
                "current_unit_id": progress.unit["id"],
                "current_step": progress.step,
                "due_on": progress.due_on,
                "submission_id": None,
                "received_on": progress.received_on if submitted else None,
                "legal_basis_id": self.legal_basis.id if submitted else None,
                "revision_count": 1 if plan.step == "revise" else 0,
                "round_id": None,
                "variant": "",
                "created_by_id": plan.clerk[0],
                "created_at": plan.created,
                "updated_at": progress.clock,
            }
        )

    def add_view_grants(self, progress, nid):
        """The direct-FK guardian view grants (nominations_nominationgroupobjectpermission) of the groups that
        saw the nomination on its way (workflows.hooks.STEP_VIEWERS)."""
        self.rows["NominationGroupObjectPermission"] += [
            {"content_object_id": nid, "group_id": gid, "permission_id": self.view_perm}
            for gid in sorted(progress.viewers)
        ]

    def copy_batch(self):
        """COPY the batch's rows, parents before children, and start the next batch."""
        from viewflow.workflow.models import Process, Task

        from approvals.models import ReviewRecord, VoteRecord
        from nominations.models import DossierFile, Nomination, NominationGroupObjectPermission, Nominee
        from workflows.models import TaskScope

        rows, copy = self.rows, self.loader.copy
        copy(Nominee, rows["Nominee"])
        copy(Nomination, rows["Nomination"])
        copy(Process, rows["Process"])
        copy(Task, rows["Task"])
        copy(Task.previous.through, rows["Task.previous"], numbered=True)
        copy(TaskScope, rows["TaskScope"])
        copy(NominationGroupObjectPermission, rows["NominationGroupObjectPermission"], numbered=True)
        copy(ReviewRecord, rows["ReviewRecord"], numbered=True)
        copy(VoteRecord, rows["VoteRecord"], numbered=True)
        copy(DossierFile, rows["DossierFile"], numbered=True)
        self.rows = defaultdict(list)

    def decisions(self):
        """Sign the awarded nominations in decisions of up to 500 per deciding unit (approvals_decision), with a
        certificate (approvals_certificate) and award history (nominations_awardhistory) each, the
        `nomination.awarded` and `decision.sign` events, and the decision counters (approvals_decisioncounter)."""
        from approvals.models import Certificate, Decision, DecisionCounter
        from nominations.models import AwardHistory

        decisions, certificates, history = [], [], []
        for code in sorted(self.awarded):
            rows = self.awarded[code]
            for start in range(0, len(rows), 500):
                decision, chunk_certificates, chunk_history = self.decision(code, rows[start : start + 500])
                decisions.append(decision)
                certificates += chunk_certificates
                history += chunk_history
        copy = self.loader.copy
        copy(Decision, decisions)
        copy(Certificate, certificates, numbered=True)
        copy(AwardHistory, history, numbered=True)
        copy(
            DecisionCounter,
            (
                {"issuer_id": uid, "year": YEAR, "last_number": last}
                for uid, last in sorted(self.decided_counters.items())
            ),
            numbered=True,
        )

    def decision(self, code, chunk):
        """One decision of unit `code` over `chunk` of awarded nominations: return its decision row, certificate
        rows and award history rows, and append its events."""
        from approvals.models import Decision

        deciding = chunk[0][4]
        self.decided_counters[deciding["id"]] += 1
        sequence = self.decided_counters[deciding["id"]]
        did = self.loader.ids(Decision, 1)[0]
        signed_at = max(r[5] for r in chunk)
        number = f"{sequence:02d}/QĐ-UBND"
        signer = self.actor(code, "approver")
        amount_total = 0
        certificates, history = [], []
        for index, (nid, neid, award_code, kind, _deciding, _at) in enumerate(chunk, start=1):
            amount = int(self.awards[award_code].cash_for(kind, 2340000))
            amount_total += amount
            serial = f"{code}-{YEAR}-{sequence:04d}-{index:04d}"
            certificates.append(
                {
                    "nomination_id": nid,
                    "decision_id": did,
                    "serial": serial,
                    "verification_code": f"{self.rng.getrandbits(80):020x}",
                    "amount": amount,
                    "pdf": "",
                    "is_revoked": False,
                    "revoked_at": None,
                }
            )
            history.append(
                {
                    "nominee_id": neid,
                    "award_code": award_code,
                    "year": YEAR,
                    "nomination_id": nid,
                    "decision_number": number,
                    "decided_on": signed_at.date(),
                    "is_ad_hoc": False,
                    "is_revoked": False,
                }
            )
            self.chains.add(
                chain=f"nomination:{nid}",
                at=signed_at,
                action="nomination.awarded",
                unit_code=code,
                object_type="nominations.nomination",
                object_id=nid,
                nomination_id=nid,
                data={"decision": number, "serial": serial, "amount": str(amount), "is_ad_hoc": False},
            )
        decision = {
            "id": did,
            "issuer_id": deciding["id"],
            "year": YEAR,
            "sequence": sequence,
            "number": number,
            "title": "Về việc khen thưởng",
            "signed_on": signed_at.date(),
            "signed_at": signed_at,
            "signer_id": signer[0],
            "signer_title": "",
            "is_ad_hoc": False,
            "legal_basis_id": self.legal_basis.id,
            "total_amount": amount_total,
            "pdf": "",
            "docx": "",
        }
        self.chains.add(
            chain=f"decision:{did}",
            at=signed_at,
            action="decision.sign",
            actor=signer,
            role="approver",
            unit_code=code,
            object_type="approvals.decision",
            object_id=did,
            data={"number": number, "nominations": [r[0] for r in chunk], "total_amount": str(amount_total)},
        )
        return decision, certificates, history


def verify_sample(cursor, chains_to_check=50, names=None):
    """Re-verify `names` (bench/route.py: the chains its variant wrote) or a sample of chains and the `permissions`
    chain, with the project's verifier (audit.verify)."""
    from audit.verify import chain_verify

    if names is None:
        cursor.execute("SELECT chain FROM audit_chainhead ORDER BY md5(chain) LIMIT %s", [chains_to_check])
        names = [r[0] for r in cursor.fetchall()] + ["permissions"]
    checked = 0
    for name in names:
        result = chain_verify(chain=name)
        if not result.ok:
            raise SystemExit(f"hash chain broken: {result.first_break}")
        checked += result.events_checked
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
    "knox_authtoken",
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
        chains = Chains(loader)
        by_code = build_units(loader)
        people, memberships = build_users(loader, rng, by_code, role_assignments(rng, by_code))
        group_ids = build_unit_role_groups(loader, by_code, people)
        record_membership_grants(chains, memberships)
        NominationLoad(loader, rng, by_code, people, group_ids, chains).run(args.nominations, args.batch)
        chains.finish()
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
    print("audit_event: time of events_append_bulk (hashing, COPY, chain heads), not of a bare COPY")
    print(
        f"\nhash chains re-verified from the database: {chains_checked} chains, {events_checked:,} events OK"
    )


if __name__ == "__main__":
    main()
