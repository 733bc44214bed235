"""A reorganisation of the unit tree as one operation, effective on a date: merge, split, rename, move, dissolve.

A plan (JSON, see `plan_check`) lists operations. Applying it:
1. opens the successor units and records predecessor → successor links (organisation.services, audited);
2. puts the children of closing units that the plan does not name under the successor (they keep their identity);
3. moves the memberships of closing units to the main successor (`"memberships": "move"`) or revokes them and
   lists them for an administrator to re-grant (the default);
4. closes the old units (valid_to = the day before the effective date);
5. re-routes every nomination in flight that still points at a closed unit: the proposing and deciding units become
   their successors (the deciding tier read from the catalogue in force on the date), and the open task moves to
   the successor that now holds its step, or, when none fits (a review tier that no longer exists), goes back to
   the proposing unit for resubmission. Each move is audited with the reason and notifies the new holders.

Set-based, because a province's shape change touches thousands of rows (1,500 units, ~5,000 memberships, 10,000
nominations in flight) and one service call per row costs a few statements each. Steps 1-4 work the plan out
in memory over the unit tree (one read), in the order the per-row services would, then write each kind of row
with bulk statements: `units_open_bulk`, `succession_links_bulk`, `memberships_change_bulk` and `units_close_bulk`
leave the rows and the audit events (each chain in the same order) that unit_open, succession_link,
membership_grant/revoke, unit_reparent and unit_close would leave one by one, in one transaction. Step 5 takes the
open tasks in chunks (`REROUTE_CHUNK`, one transaction each, their processes and nominations locked): it writes
the nominations' new units with one bulk update, moves the tasks that stay with a successor with a few UPDATEs of
the task, scope and process rows, grants the successors' view rows and appends the events in one go, and writes
the notifications at once (e-mails queued once per recipient). Only a task that goes back to its proposing unit
takes the per-nomination path, since the flow itself must run to reopen it.

History (decisions, awards, audit) stays on the old units and is found from the successors through the links.
Every step is idempotent, so applying the same plan again finishes an interrupted run and changes nothing after.
The preview runs the same code in a transaction that is rolled back, so it lists exactly what applying would do.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from approvals.models import ReviewRecord
from audit.services import event_build, event_record, events_append_bulk
from nominations.models import AwardType, Nomination, Route
from nominations.permissions import nominations_view_grant_bulk
from nominations.process import Action, Outcome, Step
from nominations.services import deciding_unit_for, route_between
from organisation.models import Membership, Tier, Unit, UnitSuccession
from organisation.services import (
    memberships_change_bulk,
    succession_links_bulk,
    units_close_bulk,
    units_open_bulk,
)
from workflows import notifications
from workflows.hooks import STEP_VIEWERS
from workflows.models import NominationProcess, Reorganisation, ReorganisationStatus, TaskScope

KINDS = ("merge", "split", "rename", "move", "dissolve")
MEMBERSHIP_POLICIES = ("regrant", "move")


class _Rollback(Exception):
    def __init__(self, report):
        self.report = report


REPORT_LABELS = {
    "units_opened": gettext_lazy("Đơn vị mở mới (mã, tên, từ ngày)"),
    "units_closed": gettext_lazy("Đơn vị chấm dứt (mã, tên, đến hết ngày)"),
    "links": gettext_lazy("Kế thừa (đơn vị cũ → đơn vị mới)"),
    "reparented": gettext_lazy("Chuyển đơn vị cấp trên (đơn vị, cấp trên cũ, cấp trên mới)"),
    "memberships_moved": gettext_lazy("Phân quyền chuyển sang đơn vị mới (người, vai trò, từ, đến)"),
    "memberships_to_regrant": gettext_lazy(
        "Phân quyền bị thu hồi, cần cấp lại (người, vai trò, đơn vị cũ, gợi ý)"
    ),
    "nominations_rerouted": gettext_lazy("Đề nghị đổi đơn vị (số, đơn vị đề nghị cũ, mới)"),
    "tasks_moved": gettext_lazy("Công việc chuyển đơn vị (đề nghị, bước, từ, đến)"),
    "tasks_returned": gettext_lazy("Hồ sơ trả về đơn vị đề nghị (đề nghị, bước, từ, đến)"),
}


def _empty_report():
    return {key: [] for key in REPORT_LABELS}


# ------------------------------------------------------------------------------------------------- the plan
def plan_check(plan):
    """Return the plan with its date parsed, or raise ValidationError naming each bad field."""
    errors = {}
    if not isinstance(plan, dict):
        raise ValidationError({"plan": _("Phương án phải là một đối tượng JSON.")})
    code = str(plan.get("code") or "").strip()
    if not code:
        errors["code"] = _("Thiếu mã đợt sắp xếp.")
    effective_on = plan.get("effective_on")
    if not isinstance(effective_on, date):
        effective_on = parse_date(str(effective_on or "")) if effective_on else None
    if effective_on is None:
        errors["effective_on"] = _("Ngày hiệu lực không hợp lệ (YYYY-MM-DD).")
    if not str(plan.get("reason") or "").strip():
        errors["reason"] = _("Thiếu căn cứ, lý do sắp xếp.")
    operations = plan.get("operations")
    if not isinstance(operations, list) or not operations:
        errors["operations"] = _("Phương án không có thao tác nào.")
        operations = []
    known = set(Unit.objects.values_list("code", flat=True))
    opened = set()
    closing = set()
    for number, op in enumerate(operations, start=1):
        prefix = f"operations.{number}"
        kind = op.get("kind") if isinstance(op, dict) else None
        if kind not in KINDS:
            errors[prefix] = _("Thao tác %(n)s: loại “%(kind)s” không hợp lệ.") % {"n": number, "kind": kind}
            continue
        if op.get("memberships", "regrant") not in MEMBERSHIP_POLICIES:
            errors[f"{prefix}.memberships"] = _("Thao tác %(n)s: “memberships” là regrant hoặc move.") % {
                "n": number
            }
        sources = op.get("from") if kind in ("merge", "split") else op.get("unit")
        sources = sources if isinstance(sources, list) else [sources]
        for source in sources:
            if source not in known:
                errors[f"{prefix}.from"] = _("Thao tác %(n)s: không có đơn vị “%(code)s”.") % {
                    "n": number,
                    "code": source,
                }
            elif source in closing:
                errors[f"{prefix}.from"] = _(
                    "Thao tác %(n)s: đơn vị “%(code)s” đã có trong thao tác khác."
                ) % {
                    "n": number,
                    "code": source,
                }
            closing.add(source)
        specs = op.get("to") if kind == "split" else ([op["to"]] if op.get("to") else [])
        if kind in ("merge", "rename", "move", "split") and not specs:
            errors[f"{prefix}.to"] = _("Thao tác %(n)s: thiếu đơn vị kế thừa.") % {"n": number}
        for spec in specs or []:
            spec_errors = _spec_errors(spec, known | opened)
            if spec_errors:
                errors[f"{prefix}.to"] = _("Thao tác %(n)s: %(errors)s") % {
                    "n": number,
                    "errors": " ".join(spec_errors),
                }
            else:
                opened.add(spec["code"])
        target = op.get("children_to")
        if target and target not in known | opened:
            errors[f"{prefix}.children_to"] = _("Thao tác %(n)s: không có đơn vị “%(code)s”.") % {
                "n": number,
                "code": target,
            }
    if errors:
        raise ValidationError(errors)
    return {**plan, "code": code, "effective_on": effective_on, "reason": plan["reason"].strip()}


def _spec_errors(spec, codes):
    if not isinstance(spec, dict) or not spec.get("code"):
        return [_("đơn vị kế thừa cần có mã.")]
    errors = []
    if spec["code"] not in codes:  # a new unit: it needs what a unit row needs
        if not spec.get("name"):
            errors.append(_("đơn vị mới “%(code)s” cần có tên.") % {"code": spec["code"]})
        if spec.get("tier") not in Tier.values:
            errors.append(_("đơn vị mới “%(code)s” có cấp không hợp lệ.") % {"code": spec["code"]})
        if spec.get("parent") and spec["parent"] not in codes:
            errors.append(_("không có đơn vị cấp trên “%(code)s”.") % {"code": spec["parent"]})
    return errors


# ---------------------------------------------------------------------------------------------- entry points
def reorganisation_preview(*, plan, actor=None):
    """Return the report of what applying `plan` would change now, changing nothing."""
    plan = plan_check(plan)
    try:
        with transaction.atomic():
            raise _Rollback(_carry_out(plan, actor, notify=False))
    except _Rollback as done:
        return done.report


def reorganisation_apply(*, plan, actor):
    """Apply `plan` (idempotent, resumable); return the report of what this run changed."""
    plan = plan_check(plan)
    if plan["effective_on"] > timezone.localdate():
        raise ValidationError(
            {
                "effective_on": _("Chưa đến ngày hiệu lực %(day)s.")
                % {"day": f"{plan['effective_on']:%d/%m/%Y}"}
            }
        )
    stored = {**plan, "effective_on": plan["effective_on"].isoformat()}
    record, _created = Reorganisation.objects.get_or_create(
        code=plan["code"],
        defaults={
            "effective_on": plan["effective_on"],
            "reason": plan["reason"],
            "plan": stored,
            "status": ReorganisationStatus.APPLYING,
            "applied_by": actor,
        },
    )
    if record.plan != stored:
        raise ValidationError(
            {"code": _("Mã đợt “%(code)s” đã dùng cho phương án khác.") % {"code": plan["code"]}}
        )
    report = _carry_out(plan, actor, notify=True)
    record.status, record.applied_at = ReorganisationStatus.APPLIED, timezone.now()
    record.report = {key: [*record.report.get(key, []), *value] for key, value in report.items()}
    record.save(update_fields=["status", "applied_at", "report"])
    return report


# ------------------------------------------------------------------------------------------------ the work
REROUTE_CHUNK = 1000  # open tasks re-routed per transaction (each chunk locks its processes and nominations)


def _carry_out(plan, actor, notify):
    report = _empty_report()
    with transaction.atomic():
        _units(plan, actor, report)
    _reroute_all(plan, actor, report, notify)
    return report


def _units(plan, actor, report):
    """Steps 1-4, in one transaction."""
    tree = _Tree()
    targets = _open_successors(plan, actor, tree, report)
    closing = _link_successors(plan, actor, tree, targets, report)
    _move_memberships(closing, actor, report)
    _close(closing, plan, actor, tree, report)


class _Tree:
    """The units in memory (a province has ~1,500), each `parent` the tree's own object, and who is under whom."""

    def __init__(self):
        self.by_code = {unit.code: unit for unit in Unit.objects.all()}
        self._link()

    def add(self, units):
        self.by_code |= {unit.code: unit for unit in units}
        self._link()

    def _link(self):
        by_pk = {unit.pk: unit for unit in self.by_code.values()}
        self.children = defaultdict(list)
        for unit in by_pk.values():
            if unit.parent_id is not None:
                unit.parent = by_pk[unit.parent_id]
                self.children[unit.parent_id].append(unit)


def _specs(op):
    return op["to"] if op["kind"] == "split" else ([op["to"]] if op.get("to") else [])


def _sources(op):
    return op["from"] if op["kind"] in ("merge", "split") else [op["unit"]]


def _open_successors(plan, actor, tree, report):
    """Open the units the plan names that do not exist yet; return each operation's successor units."""
    day = plan["effective_on"]
    _units_by_code, opened = units_open_bulk(
        actor=actor,
        specs=[spec for op in plan["operations"] for spec in _specs(op)],
        valid_from=day,
        reason=plan["reason"],
    )
    tree.add(opened)
    report["units_opened"] += [[unit.code, unit.name, day.isoformat()] for unit in opened]
    return [[tree.by_code[spec["code"]] for spec in _specs(op)] for op in plan["operations"]]


def _link_successors(plan, actor, tree, targets, report):
    """Link each source unit to its successors (the first is the main one); return the closing units as
    (unit, operation, main successor or None), in plan order."""
    links, closing = [], []
    for op, op_targets in zip(plan["operations"], targets, strict=True):
        for source_code in _sources(op):
            source = tree.by_code[source_code]
            successors = [target for target in op_targets if target.pk != source.pk]
            links += [(source, successor, index == 0) for index, successor in enumerate(successors)]
            if successors or op["kind"] == "dissolve":
                closing.append((source, op, successors[0] if successors else None))
    created = succession_links_bulk(
        actor=actor, links=links, effective_on=plan["effective_on"], reorganisation=plan["code"]
    )
    report["links"] += [[link.predecessor.code, link.successor.code] for link in created]
    return closing


def _move_memberships(closing, actor, report):
    """Move each closing unit's memberships to its main successor, or revoke them to be re-granted.

    A membership moved to a unit that closes later in the plan moves on (or is revoked) with that unit's own."""
    held = defaultdict(dict)  # unit id -> {(user id, role): user}, in membership order
    for membership in (
        Membership.objects.active()
        .filter(unit__in=[unit for unit, _op, _successor in closing])
        .select_related("user")
        .order_by("unit_id", "pk")  # as granted (PostgreSQL's order for the per-unit read)
    ):
        held[membership.unit_id][membership.user_id, membership.role] = membership.user
    closing_ids = {unit.pk for unit, _op, _successor in closing}
    changes = []
    for source, op, successor in closing:
        for (_user_id, role), user in held.pop(source.pk, {}).items():
            row = [user.username, role, source.code]
            if op.get("memberships") == "move" and successor is not None:
                changes.append(("grant", user, successor, role))
                report["memberships_moved"].append([*row, successor.code])
                if successor.pk in closing_ids:
                    held[successor.pk].setdefault((user.pk, role), user)
            else:
                report["memberships_to_regrant"].append([*row, successor.code if successor else ""])
            changes.append(("revoke", user, source, role))
    memberships_change_bulk(changes=changes, actor=actor)


def _close(closing, plan, actor, tree, report):
    """Put the children the plan does not name under the new parent, then close each unit."""
    day = plan["effective_on"]
    closing_ids = {unit.pk for unit, _op, _successor in closing}
    closures = []
    for source, op, successor in closing:
        new_parent = tree.by_code[op["children_to"]] if op.get("children_to") else successor
        if new_parent is None:
            new_parent = source.parent
        children = sorted(
            (
                child
                for child in tree.children[source.pk]
                if child.pk not in closing_ids and (child.valid_to is None or child.valid_to >= day)
            ),
            key=lambda child: child.code,
        )
        closures.append((source, children, new_parent))
        if new_parent is not None and new_parent.pk != source.pk:  # a later closing parent takes them on
            tree.children[new_parent.pk] += children
            tree.children[source.pk] = [child for child in tree.children[source.pk] if child not in children]
    reparented, closed = units_close_bulk(
        actor=actor, closures=closures, last_day=day - timedelta(days=1), reason=plan["reason"]
    )
    report["reparented"] += [[child.code, before, parent.code] for child, before, parent in reparented]
    report["units_closed"] += [[unit.code, unit.name, unit.valid_to.isoformat()] for unit in closed]


class _Successors:
    """Where the work of a closed unit goes: its main successor, else its nearest open ancestor's (in memory)."""

    def __init__(self, day):
        self.day = day
        self.main = dict(
            UnitSuccession.objects.filter(is_main=True).values_list("predecessor_id", "successor_id")
        )
        self.units = {unit.pk: unit for unit in _Tree().by_code.values()}
        self.award_types = {}

    def unit(self, unit_id):
        return self.units[unit_id]

    def is_open(self, unit):
        return unit.valid_to is None or unit.valid_to >= self.day

    def successor(self, unit_id):
        """The open unit that took over `unit_id` through succession links only, or None."""
        seen = set()
        while unit_id is not None and unit_id not in seen:
            seen.add(unit_id)
            unit = self.unit(unit_id)
            if self.is_open(unit):
                return unit
            unit_id = self.main.get(unit_id)
        return None

    def holder(self, unit_id):
        """The successor, or the successor of the nearest ancestor when the unit was dissolved."""
        while unit_id is not None:
            found = self.successor(unit_id)
            if found is not None:
                return found
            unit_id = self.unit(unit_id).parent_id
        return None

    def award_type(self, award_type):
        """The version of `award_type` in force on the day (itself when none is)."""
        if award_type.code not in self.award_types:
            self.award_types[award_type.code] = AwardType.version_on(award_type.code, self.day)
        return self.award_types[award_type.code] or award_type


def _reroute_all(plan, actor, report, notify):
    """Step 5: re-route the open tasks that still touch a closed unit, REROUTE_CHUNK per transaction."""
    day = plan["effective_on"]
    closed = set(Unit.objects.filter(valid_to__lt=day).values_list("pk", flat=True))
    if not closed:
        return
    successors = _Successors(day)
    rows = (
        TaskScope.objects.filter(is_open=True)
        .order_by("pk")
        .values_list(
            "pk", "unit_id", "nomination__unit_id", "nomination__deciding_unit_id", "nomination__route_units"
        )
    )
    affected = [
        task_id
        for task_id, unit_id, proposing_id, deciding_id, route_units in rows
        if {unit_id, proposing_id, deciding_id, *(route_units or [])} & closed
    ]
    for start in range(0, len(affected), REROUTE_CHUNK):
        with transaction.atomic():
            _reroute(affected[start : start + REROUTE_CHUNK], plan, actor, report, notify, successors)


def _reroute(task_ids, plan, actor, report, notify, successors):
    """Re-route the still open tasks of `task_ids`: their nominations, then the tasks that move in place together,
    then one by one those that go back to the proposing unit."""
    processes = _lock_processes(task_ids)
    scope_rows = list(
        TaskScope.objects.select_related("unit").filter(pk__in=task_ids, is_open=True).order_by("pk")
    )
    nominations = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("award_type", "nominee")
        .filter(pk__in={row.nomination_id for row in scope_rows})
        .order_by("pk")
    )
    nominations = {nomination.pk: nomination for nomination in nominations}
    for row in scope_rows:
        row.nomination = nominations[row.nomination_id]
    events = _reroute_nominations(scope_rows, plan, actor, report, successors)
    moves, returns = [], []
    for row in scope_rows:
        target = _target(row, successors)
        if target is None:
            returns.append(row)
        elif target.pk != row.unit_id:
            moves.append((row, target))
            row.nomination.current_unit = target
    Nomination.objects.bulk_update(
        nominations.values(),
        ["unit", "deciding_unit", "route_units", "current_unit", "updated_at"],
        batch_size=500,
    )
    events += _move(moves, processes, plan, actor, report, notify)
    events_append_bulk(events)
    for row in returns:
        process_id, flow_task = processes[row.pk]
        with flow_task.flow_class.lock(process_id):
            _return_to_proposer(row, row.nomination, process_id, actor, plan, report)


def _lock_processes(task_ids):
    """Lock the tasks' processes in id order (the flows lock a process row with SELECT ... FOR UPDATE); return
    {task id: (process id, flow task)}."""
    refs = {
        task_id: (process_id, flow_task)
        for task_id, process_id, flow_task in Task.objects.filter(pk__in=task_ids).values_list(
            "pk", "process_id", "flow_task"
        )
    }
    process_ids = {process_id for process_id, _flow_task in refs.values()}
    list(Process.objects.select_for_update().filter(pk__in=process_ids).order_by("pk").values_list("pk"))
    return refs


def _reroute_nominations(scope_rows, plan, actor, report, successors):
    """Give each nomination the successors of its proposing and deciding units and its new route (written by the
    caller); return the `nomination.reroute` events of those that changed."""
    now, events, seen = timezone.now(), [], set()
    for nomination in (row.nomination for row in scope_rows):
        if nomination.pk in seen:
            continue
        seen.add(nomination.pk)
        old = {
            "unit": successors.unit(nomination.unit_id).code,
            "deciding_unit": successors.unit(nomination.deciding_unit_id).code,
            "route_units": list(nomination.route_units),
        }
        new_unit = successors.holder(nomination.unit_id)
        new_deciding = (
            deciding_unit_for(unit=new_unit, award_type=successors.award_type(nomination.award_type))
            or successors.holder(nomination.deciding_unit_id)
            or new_unit.province
        )
        new_route = (
            [u.pk for u in route_between(unit=new_unit, deciding_unit=new_deciding)]
            if nomination.route == Route.STANDARD
            else []
        )
        nomination.unit, nomination.deciding_unit, nomination.route_units = new_unit, new_deciding, new_route
        nomination.updated_at = now  # auto_now, which a bulk update does not apply
        new = {"unit": new_unit.code, "deciding_unit": new_deciding.code, "route_units": new_route}
        if new != old:
            events.append(
                event_build(
                    action="nomination.reroute",
                    actor=actor,
                    obj=nomination,
                    nomination_id=nomination.pk,
                    unit_code=new_unit.code,
                    reason=plan["reason"],
                    data={"before": old, "after": new, "reorganisation": plan["code"]},
                )
            )
            report["nominations_rerouted"].append([nomination.pk, old["unit"], new_unit.code])
    return events


def _target(scope_row, successors):
    """The unit that holds the task's step after the reorganisation, or None when no successor does."""
    nomination, step = scope_row.nomination, scope_row.step
    if step in (Step.SUBMIT, Step.REVISE):
        return nomination.unit
    if step == Step.REVIEW:
        target = successors.successor(scope_row.unit_id)
        return target if target is not None and target.pk in nomination.route_units else None
    return nomination.deciding_unit


def _move(moves, processes, plan, actor, report, notify):
    """Move the open tasks of `moves` ((scope row, target)) in place to their targets, which hold the same steps
    after the reorganisation; return their `task.reroute` events."""
    if not moves:
        return []
    task_ids = [row.pk for row, _target in moves]
    Task.objects.bulk_update(
        [Task(pk=row.pk, owner_permission_obj_pk=str(target.pk)) for row, target in moves],
        ["owner_permission_obj_pk"],
        batch_size=500,
    )
    Task.objects.filter(pk__in=task_ids, status=STATUS.ASSIGNED).update(owner=None, status=STATUS.NEW)
    from_units = {row.pk: row.unit for row, _target in moves}
    for row, target in moves:
        row.unit = target
    TaskScope.objects.bulk_update([row for row, _target in moves], ["unit"], batch_size=500)
    _review_tiers_set([(row, target) for row, target in moves if row.step == Step.REVIEW], processes)
    nominations_view_grant_bulk(
        (row.nomination_id, target, STEP_VIEWERS[row.step])
        for row, target in moves
        if STEP_VIEWERS.get(row.step)
    )
    if notify:
        notifications.tasks_rerouted([(row, from_units[row.pk]) for row, _target in moves], plan["reason"])
    events = []
    for row, target in moves:
        from_unit = from_units[row.pk]
        events.append(
            event_build(
                action="task.reroute",
                actor=actor,
                object_type="viewflow.task",
                object_id=row.pk,
                nomination_id=row.nomination_id,
                unit_code=target.code,
                reason=plan["reason"],
                data={
                    "step": row.step,
                    "from": from_unit.code,
                    "to": target.code,
                    "reorganisation": plan["code"],
                },
            )
        )
        report["tasks_moved"].append([row.nomination_id, row.step, from_unit.code, target.code])
    return events


def _review_tiers_set(moves, processes):
    """A review task moved to a successor on the new route: its process now stands at that tier."""
    if not moves:
        return
    tiers = {processes[row.pk][0]: row.nomination.route_units.index(target.pk) for row, target in moves}
    flow_processes = list(NominationProcess.objects.filter(pk__in=list(tiers)))
    for process in flow_processes:
        process.tier_index = tiers[process.pk]
    NominationProcess.objects.bulk_update(flow_processes, ["data"], batch_size=500)


def _return_to_proposer(scope_row, nomination, process_id, actor, plan, report):
    """No successor holds the step (its tier is gone): send the dossier back to the proposing unit, whose head
    resubmits it up the new route."""
    task = Task.objects.select_related("process").get(pk=scope_row.pk)
    activation = task.flow_task.activation_class(task)
    process = activation.process
    process.outcome = Outcome.RETURN
    process.save(update_fields=["data"])
    reason = _(
        "Sắp xếp đơn vị (%(reason)s): cấp xét duyệt %(unit)s không còn, trả về đơn vị đề nghị trình lại."
    ) % {
        "reason": plan["reason"],
        "unit": scope_row.unit.name,
    }
    if actor is not None:
        ReviewRecord.objects.create(
            nomination=nomination,
            task_id=task.pk,
            step=scope_row.step,
            unit=scope_row.unit,
            action=Action.RETURN,
            reason=reason,
            actor=actor,
        )
    event_record(
        action="task.reroute",
        actor=actor,
        obj=task,
        object_type="viewflow.task",
        nomination_id=nomination.pk,
        unit_code=nomination.unit.code,
        reason=reason,
        data={
            "step": scope_row.step,
            "from": scope_row.unit.code,
            "to": nomination.unit.code,
            "returned": True,
            "reorganisation": plan["code"],
        },
    )
    if task.status == STATUS.NEW:
        task.status = STATUS.ASSIGNED
    activation.start(None)
    activation.execute()
    TaskScope.objects.filter(pk=task.pk).update(is_open=False)
    report["tasks_returned"].append(
        [nomination.pk, scope_row.step, scope_row.unit.code, nomination.unit.code]
    )
