"""A reorganisation of the unit tree as one operation, effective on a date: merge, split, rename, move, dissolve.

A plan (JSON, see `plan_check`) lists operations. Applying it:
1. opens the successor units and records predecessor → successor links (organisation.services, audited);
2. puts the children of closing units that the plan does not name under the successor (they keep their identity);
3. moves the memberships of closing units to the main successor (`"memberships": "move"`) or revokes them and
   lists them for an administrator to re-grant (the default);
4. closes the old units (valid_to = the day before the effective date);
5. re-routes every nomination in flight that still points at a closed unit, one transaction per nomination: the
   proposing and deciding units become their successors (the deciding tier read from the catalogue in force on the
   date), and the open task moves to the successor that now holds its step, or, when none fits (a review tier
   that no longer exists), goes back to the proposing unit for resubmission. Each move is audited with the reason
   and notifies the new holders.

History (decisions, awards, audit) stays on the old units and is found from the successors through the links.
Every step is idempotent, so applying the same plan again finishes an interrupted run and changes nothing after.
The preview runs the same code in a transaction that is rolled back, so it lists exactly what applying would do.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals.models import ReviewRecord
from audit.services import event_record
from nominations.models import AwardType, Nomination, Route
from nominations.permissions import nomination_view_grant
from nominations.process import Action, Outcome, Step
from nominations.services import deciding_unit_for, nomination_move, route_between
from organisation.models import Membership, Tier, Unit, UnitSuccession
from organisation.services import (
    membership_grant,
    membership_revoke,
    succession_link,
    unit_close,
    unit_open,
    unit_reparent,
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
def _carry_out(plan, actor, notify):
    report = _empty_report()
    with transaction.atomic():
        _units(plan, actor, report)
    _reroute_all(plan, actor, report, notify)
    return report


def _units(plan, actor, report):
    day, code, reason = plan["effective_on"], plan["code"], plan["reason"]
    last_day = day - timedelta(days=1)
    closing = []  # (unit, operation, main successor or None)
    for op in plan["operations"]:
        kind = op["kind"]
        sources = op["from"] if kind in ("merge", "split") else [op["unit"]]
        specs = op["to"] if kind == "split" else ([op["to"]] if op.get("to") else [])
        targets = [_open(spec, day, actor, reason, report) for spec in specs]
        for source_code in sources:
            source = Unit.objects.get(code=source_code)
            successors = [t for t in targets if t.pk != source.pk]
            for index, successor in enumerate(successors):
                _link, created = succession_link(
                    actor=actor,
                    predecessor=source,
                    successor=successor,
                    effective_on=day,
                    reorganisation=code,
                    is_main=index == 0,
                )
                if created:
                    report["links"].append([source.code, successor.code])
            if successors or kind == "dissolve":
                closing.append((source, op, successors[0] if successors else None))
    closing_ids = {unit.pk for unit, _op, _s in closing}
    for source, op, successor in closing:
        new_parent = (
            Unit.objects.filter(code=op["children_to"]).first() if op.get("children_to") else successor
        )
        if new_parent is None:
            new_parent = source.parent
        children = source.children.exclude(pk__in=closing_ids).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )
        for child in children:
            if new_parent is not None and unit_reparent(
                actor=actor, unit=child, parent=new_parent, reason=reason
            ):
                report["reparented"].append([child.code, source.code, new_parent.code])
        for membership in Membership.objects.active().filter(unit=source).select_related("user"):
            row = [membership.user.username, membership.role, source.code]
            if op.get("memberships") == "move" and successor is not None:
                membership_grant(user=membership.user, unit=successor, role=membership.role, granted_by=actor)
                report["memberships_moved"].append([*row, successor.code])
            else:
                report["memberships_to_regrant"].append([*row, successor.code if successor else ""])
            membership_revoke(user=membership.user, unit=source, role=membership.role, revoked_by=actor)
        if unit_close(actor=actor, unit=source, last_day=last_day, reason=reason):
            report["units_closed"].append([source.code, source.name, last_day.isoformat()])


def _open(spec, day, actor, reason, report):
    parent = Unit.objects.filter(code=spec["parent"]).first() if spec.get("parent") else None
    unit, opened = unit_open(
        actor=actor,
        code=spec["code"],
        name=spec.get("name", ""),
        tier=spec.get("tier", Tier.BASE),
        parent=parent,
        valid_from=day,
        issuer_symbol=spec.get("issuer_symbol", ""),
        short_name=spec.get("short_name", ""),
        reason=reason,
    )
    if opened:
        report["units_opened"].append([unit.code, unit.name, day.isoformat()])
    return unit


class _Successors:
    """Where the work of a closed unit goes: its main successor, else its nearest open ancestor's."""

    def __init__(self, day):
        self.day = day
        self.main = dict(
            UnitSuccession.objects.filter(is_main=True).values_list("predecessor_id", "successor_id")
        )
        self.units = {}

    def unit(self, unit_id):
        if unit_id not in self.units:
            self.units[unit_id] = Unit.objects.select_related("parent").get(pk=unit_id)
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


def _reroute_all(plan, actor, report, notify):
    day = plan["effective_on"]
    closed = set(Unit.objects.filter(valid_to__lt=day).values_list("pk", flat=True))
    if not closed:
        return
    successors = _Successors(day)
    rows = TaskScope.objects.filter(is_open=True).values_list(
        "pk", "unit_id", "nomination__unit_id", "nomination__deciding_unit_id", "nomination__route_units"
    )
    affected = [
        task_id
        for task_id, unit_id, proposing_id, deciding_id, route_units in rows
        if {unit_id, proposing_id, deciding_id, *(route_units or [])} & closed
    ]
    for task_id in affected:
        _reroute(task_id, plan, actor, report, notify, successors)


def _reroute(task_id, plan, actor, report, notify, successors):
    day, reason = plan["effective_on"], plan["reason"]
    ref = Task.objects.filter(pk=task_id).values_list("process_id", "flow_task").first()
    if ref is None:  # completed or cancelled since the list was read
        return
    process_id, flow_task = ref
    with transaction.atomic(), flow_task.flow_class.lock(process_id):
        scope_row = (
            TaskScope.objects.select_related("unit", "nomination__award_type", "nomination__nominee")
            .filter(pk=task_id, is_open=True)
            .first()
        )
        if scope_row is None:
            return
        nomination = Nomination.objects.select_for_update().get(pk=scope_row.nomination_id)
        old = {
            "unit": successors.unit(nomination.unit_id).code,
            "deciding_unit": successors.unit(nomination.deciding_unit_id).code,
            "route_units": list(nomination.route_units),
        }
        new_unit = successors.holder(nomination.unit_id)
        award_type = AwardType.version_on(nomination.award_type.code, day) or nomination.award_type
        new_deciding = (
            deciding_unit_for(unit=new_unit, award_type=award_type)
            or successors.holder(nomination.deciding_unit_id)
            or new_unit.province
        )
        new_route = (
            [u.pk for u in route_between(unit=new_unit, deciding_unit=new_deciding)]
            if nomination.route == Route.STANDARD
            else []
        )
        nomination.unit, nomination.deciding_unit, nomination.route_units = new_unit, new_deciding, new_route
        nomination.save(update_fields=["unit", "deciding_unit", "route_units", "updated_at"])
        new = {"unit": new_unit.code, "deciding_unit": new_deciding.code, "route_units": new_route}
        if new != old:
            event_record(
                action="nomination.reroute",
                actor=actor,
                obj=nomination,
                nomination_id=nomination.pk,
                unit_code=new_unit.code,
                reason=reason,
                data={"before": old, "after": new, "reorganisation": plan["code"]},
            )
            report["nominations_rerouted"].append([nomination.pk, old["unit"], new_unit.code])
        step = scope_row.step
        if step in (Step.SUBMIT, Step.REVISE):
            target = new_unit
        elif step == Step.REVIEW:
            target = successors.successor(scope_row.unit_id)
            target = target if target is not None and target.pk in new_route else None
        else:
            target = new_deciding
        if target is None:
            _return_to_proposer(scope_row, nomination, process_id, actor, plan, report)
        elif target.pk != scope_row.unit_id:
            _move(scope_row, nomination, process_id, target, new_route, actor, plan, report, notify)


def _move(scope_row, nomination, process_id, target, new_route, actor, plan, report, notify):
    """Move the open task in place to `target`, which holds the same step after the reorganisation."""
    from_unit = scope_row.unit
    Task.objects.filter(pk=scope_row.pk).update(owner_permission_obj_pk=str(target.pk))
    Task.objects.filter(pk=scope_row.pk, status=STATUS.ASSIGNED).update(owner=None, status=STATUS.NEW)
    TaskScope.objects.filter(pk=scope_row.pk).update(unit=target)
    scope_row.unit = target
    if scope_row.step == Step.REVIEW:
        process = NominationProcess.objects.get(pk=process_id)
        process.tier_index = new_route.index(target.pk)
        process.save(update_fields=["data"])
    nomination_move(nomination, unit=target)
    viewers = STEP_VIEWERS.get(scope_row.step, ())
    if viewers:
        nomination_view_grant(nomination, target, viewers)
    event_record(
        action="task.reroute",
        actor=actor,
        obj=Task(pk=scope_row.pk),
        object_type="viewflow.task",
        nomination_id=nomination.pk,
        unit_code=target.code,
        reason=plan["reason"],
        data={
            "step": scope_row.step,
            "from": from_unit.code,
            "to": target.code,
            "reorganisation": plan["code"],
        },
    )
    if notify:
        notifications.task_rerouted(scope_row, from_unit, plan["reason"])
    report["tasks_moved"].append([nomination.pk, scope_row.step, from_unit.code, target.code])


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
