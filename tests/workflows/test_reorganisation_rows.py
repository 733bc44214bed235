"""The rows a reorganisation leaves, column by column, against a snapshot recorded from the per-row implementation.

`reorganisation_rows.json` was written by the one-service-call-per-row version of workflows/reorganisation.py
(commit 33087a9) running `scenario()` below on PostgreSQL; the set-based version must leave the same units, links,
memberships, groups and guardian rows, nominations, tasks, view grants, audit events (each chain in order),
notifications and report. Primary keys, timestamps and token keys vary between runs and are replaced by names.
(The per-row version read each unit's memberships without ORDER BY: PostgreSQL gave them in id order, SQLite by
role, which changed only the order of the `permissions` events; the set-based version takes them in id order.)

To record it again from a known-good implementation: RECORD_REORGANISATION_ROWS=1 pytest this file.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from guardian.models import GroupObjectPermission
from viewflow.workflow.models import Task

from api.tokens import token_issue
from audit.models import Event
from audit.verify import chain_verify
from nominations.models import Nomination, NominationGroupObjectPermission
from organisation.models import Membership, Unit, UnitSuccession
from organisation.services import membership_grant
from tests.factories import file_nomination, unit
from tests.workflows.test_reorganisation import merge_plan
from workflows import tasks
from workflows.models import NominationProcess, Notification, TaskScope
from workflows.reorganisation import reorganisation_apply, reorganisation_preview
from workflows.services import appraisal_approve, nomination_submit, open_task_of

SNAPSHOT = Path(__file__).with_name("reorganisation_rows.json")


def plan():
    """The two merges of test_reorganisation's plan (memberships move with the communes), and a third district
    dissolved."""
    base = merge_plan(code="TEST-ROWS", reason="Sắp xếp (thử nghiệm)")
    return {
        **base,
        "operations": [*base["operations"], {"kind": "dissolve", "unit": "BT.BATRI", "children_to": "BT"}],
    }


def scenario(people):
    """Nominations at submit, review, sign and review-at-a-dissolved-district; API tokens of people who lose a
    role. Return the names to put in place of nomination primary keys."""
    names = {}
    at_submit = file_nomination(people.clerk, full_name="Trần Thị Nộp")
    at_review = file_nomination(people.clerk, full_name="Lê Văn Duyệt")
    nomination_submit(actor=people.head, nomination=at_review)
    at_sign = file_nomination(people.clerk, award_code="giay_khen", full_name="Phạm Văn Ký")
    nomination_submit(actor=people.head, nomination=at_sign)
    appraisal_approve(actor=people.district_reviewer, task_id=open_task_of(at_sign).task_id)
    membership_grant(user=people.other_clerk, unit=unit("BT.BATRI.ANNGAITRUNG"), role="unit_head")
    returned = file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Võ Thị Trả")
    nomination_submit(actor=people.other_clerk, nomination=returned)
    for nomination in (at_submit, at_review, at_sign, returned):
        names[nomination.pk] = nomination.nominee.full_name
    token_issue(user=people.district_reviewer)
    token_issue(user=people.head)
    return names


def snapshot(names, since, report):
    """The rows of the tables a reorganisation writes, with names for keys and dates relative to today; only the
    events and notifications written after `since` (ids of the last event and notification before the run)."""
    User = get_user_model()
    units = {u.pk: u.code for u in Unit.objects.all()}
    users = dict(User.objects.values_list("pk", "username"))
    tasks = {}
    for scope in TaskScope.objects.filter(nomination_id__in=names).order_by("pk"):
        tasks.setdefault(scope.task_id, f"{names[scope.nomination_id]}/{scope.step}")
    today = timezone.localdate()

    def day(value):
        """Days from today for a date the run set (a reorganisation takes effect on its day), the date itself for
        one the fixture fixed (a demo unit valid since 1/1/2020): the snapshot holds on any day."""
        if value is None:
            return None
        days = (value - today).days
        return days if abs(days) <= 31 else value.isoformat()

    def plain(value):
        """Put names in place of unit ids in route lists, nomination ids and task ids."""
        if isinstance(value, dict):
            return {
                key: [units.get(v, v) for v in item] if key == "route_units" else plain(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    def chain(name):
        kind, _, key = name.partition(":")
        if kind == "nomination":
            return f"nomination:{names.get(int(key), key)}"
        if kind == "user":
            return f"user:{users[int(key)]}"
        return name

    events = {}
    for event in Event.objects.filter(pk__gt=since["event"]).order_by("chain", "seq"):
        data = dict(event.data)
        if event.action == "security.token_revoked":
            data.pop("token_keys")
        if event.object_type == "viewflow.task" or event.action.startswith("task."):
            data.pop("due_on", None)  # working days from today
        row = [event.action, event.object_type, event.unit_code, event.reason, event.actor_name, plain(data)]
        events.setdefault(chain(event.chain), []).append(row)
    report = {
        key: [
            [names.get(cell, cell) if index == 0 else cell for index, cell in enumerate(row)] for row in rows
        ]
        for key, rows in report.items()
    }
    text = json.dumps(
        {
            "report": report,
            "units": sorted(
                [u.code, u.name, u.tier, units.get(u.parent_id), day(u.valid_from), day(u.valid_to)]
                for u in Unit.objects.all()
            ),
            "links": sorted(
                [units[p], units[s], is_main, reorg]
                for p, s, is_main, reorg in UnitSuccession.objects.values_list(
                    "predecessor_id", "successor_id", "is_main", "reorganisation"
                )
            ),
            "memberships": sorted(
                [users[u], units[unit_id], role, revoked is not None, users.get(by)]
                for u, unit_id, role, revoked, by in Membership.objects.values_list(
                    "user_id", "unit_id", "role", "revoked_at", "granted_by_id"
                )
            ),
            "user_groups": sorted(
                [users[u], g] for u, g in User.groups.through.objects.values_list("user_id", "group__name")
            ),
            "groups": sorted(Group.objects.values_list("name", flat=True)),
            "group_unit_perms": sorted(
                [g, p, units.get(int(o))]
                for g, p, o in GroupObjectPermission.objects.values_list(
                    "group__name", "permission__codename", "object_pk"
                )
            ),
            "staff": sorted(User.objects.filter(is_staff=True).values_list("username", flat=True)),
            "tokens": sorted(
                get_user_model()
                .objects.filter(auth_token_set__isnull=False)
                .values_list("username", flat=True)
            ),
            "nominations": sorted(
                [
                    names[n.pk],
                    units[n.unit_id],
                    units[n.deciding_unit_id],
                    [units[u] for u in n.route_units],
                    units.get(n.current_unit_id),
                    n.status,
                    n.current_step,
                ]
                for n in Nomination.objects.filter(pk__in=names)
            ),
            "task_scopes": sorted(
                [tasks[s.task_id], units[s.unit_id], s.is_open, s.permission]
                for s in TaskScope.objects.filter(nomination_id__in=names)
            ),
            "tasks": sorted(
                [tasks[t.pk], t.status, users.get(t.owner_id), units.get(int(t.owner_permission_obj_pk or 0))]
                for t in Task.objects.filter(pk__in=tasks)
            ),
            "tier_index": sorted(
                [names[p.artifact_object_id], p.tier_index, p.outcome]
                for p in NominationProcess.objects.filter(artifact_object_id__in=names)
            ),
            "view_grants": sorted(
                [names[n], g]
                for n, g in NominationGroupObjectPermission.objects.filter(
                    content_object_id__in=names
                ).values_list("content_object_id", "group__name")
            ),
            "notifications": sorted(
                [
                    users[n.user_id],
                    names.get(n.nomination_id),
                    n.kind,
                    n.title,
                    n.body,
                    _dedupe(n, tasks, units),
                ]
                for n in Notification.objects.filter(pk__gt=since["notification"])
            ),
            "events": events,
        },
        default=str,
        ensure_ascii=False,
    )
    for offset in (-1, 0):
        text = text.replace((today + timedelta(days=offset)).isoformat(), f"DAY{offset:+d}")
    return json.loads(text)


def _dedupe(notification, tasks, units):
    """task:<task id>:rerouted:<unit id>:u<user id> with names in place of the ids (the user is a column)."""
    parts = (notification.dedupe_key or "").split(":")[:-1]
    if len(parts) > 1 and parts[0] == "task":
        parts[1] = tasks.get(int(parts[1]), parts[1])
    if len(parts) > 3 and parts[2] == "rerouted":
        parts[3] = units[int(parts[3])]
    return ":".join(parts)


def test_apply_leaves_the_rows_the_per_row_implementation_left(people):
    names = scenario(people)
    since = {
        "event": Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "notification": Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    }
    preview = reorganisation_preview(plan=plan(), actor=people.admin)
    report = reorganisation_apply(plan=plan(), actor=people.admin)
    assert report == preview
    rows = snapshot(names, since, report)
    if os.environ.get("RECORD_REORGANISATION_ROWS"):
        SNAPSHOT.write_text(json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for key in expected:
        assert rows[key] == expected[key], key
    assert chain_verify().ok


def test_each_holder_gets_a_notice_per_moved_task_and_one_mail_job(
    people, django_capture_on_commit_callbacks, monkeypatch
):
    first = file_nomination(people.clerk, full_name="Trần Thị Một")
    second = file_nomination(people.clerk, full_name="Trần Thị Hai")
    queued = []
    monkeypatch.setattr(tasks.notification_emails_send, "delay", lambda ids: queued.append(sorted(ids)))
    with django_capture_on_commit_callbacks(execute=True):
        reorganisation_apply(plan=plan(), actor=people.admin)
    rerouted = Notification.objects.filter(kind="task_rerouted")
    assert sorted(rerouted.values_list("user__username", "nomination_id")) == [
        ("head", first.pk),
        ("head", second.pk),
    ]
    assert queued == [sorted(rerouted.values_list("pk", flat=True))]
