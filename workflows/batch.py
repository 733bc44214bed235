"""Set-based paths: many nominations moved by one call, leaving the rows the one-at-a-time path leaves.

`nominations_file_batch` files a checked list of drafts of one unit — what `services.nomination_file` does for each
(registry record, nominee, nomination, its process started with viewflow's start task and the submit task, the
task's scope row, the notifications of the unit's heads, the audit events `nomination.create` and `task.open`) —
with a few bulk statements for the whole list instead of some twenty statements per nomination. The viewflow rows
are the ones `StartHandle.run` and the human node's activation write (same flow task references, statuses, token,
owner permission and object, `previous` link); the rules that decide them (the owner unit of the node, the step's
status and due date, the notice, the event) are the hooks' own (`hooks.task_scope_build`, `hooks.task_open_event`,
`notifications.tasks_opened`). `tests/workflows/test_batch_rows.py` compares the two paths' tables row by row.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fast_update.fast import fast_update
from viewflow.workflow.flow import nodes
from viewflow.workflow.managers import coerce_to_related_instance
from viewflow.workflow.models import Process, Task
from viewflow.workflow.nodes.timer import Timer
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from approvals.models import ReviewRecord
from audit.services import event_build, event_record, events_append_bulk
from nominations import honours
from nominations.eligibility import subject_facts_load, subject_facts_preloaded, subject_key
from nominations.models import LegalBasis, Nomination, Route, Status, Submission
from nominations.permissions import nominations_view_grant_bulk
from nominations.process import Action, Outcome, Step
from nominations.services import dossier_missing_many, eligibility_check, nominations_create_batch
from organisation.models import Unit
from organisation.policy import scope_of
from workflows import hooks, notifications, services
from workflows.deadlines import due_date
from workflows.flows import FLOWS, StandardRouteFlow
from workflows.models import TaskScope
from workflows.separation import separation_check, steps_acted_many


def _first_human_node(flow_class):
    """The node the flow's start leads to: a human task whose onCreate is the scope hook (the graph a batch start
    reproduces; any other graph is refused rather than guessed)."""
    node = flow_class.start._next
    if not isinstance(node, nodes.View) or node._on_create is not hooks.task_created:
        raise ImproperlyConfigured(
            f"{flow_class}: a batch start needs start → a human task with hooks.task_created"
        )
    return node


@transaction.atomic
def nominations_file_batch(*, actor, unit, drafts):
    """File many checked drafts (nominations.lists: `nomination_errors` and `eligibility_check` passed) of `unit`
    on the standard route, as `nomination_file` files each; return the nominations."""
    if not drafts:
        return []
    flow_class = FLOWS.get(Route.STANDARD, StandardRouteFlow)
    node = _first_human_node(flow_class)
    step = Step(node.name)
    due_on = due_date(Route.STANDARD, step)
    events = nominations_create_batch(
        actor=actor,
        unit=unit,
        drafts=drafts,
        status=hooks.STEP_STATUS.get(step),
        step=step,
        due_on=due_on,
    )
    now = timezone.now()
    processes = [
        flow_class.process_class(
            flow_class=flow_class,
            status=PROCESS.NEW,
            created=now,
            data={},
        )
        for _nomination in drafts
    ]
    for process, nomination in zip(processes, drafts, strict=True):
        process.__dict__["nomination"] = nomination
        hooks.start_process(SimpleNamespace(process=process), nomination)
    flow_class.process_class.objects.bulk_create(processes, batch_size=500)
    task_class = flow_class.task_class
    token = Token("start")
    starts = [
        task_class(
            process=process,
            flow_task=flow_class.start,
            flow_task_type=flow_class.start.task_type,
            status=STATUS.DONE,
            created=now,
            started=now,
            finished=now,
            token=token,
            data={},
        )
        for process in processes
    ]
    task_class.objects.bulk_create(starts, batch_size=500)
    humans = []
    for process in processes:
        activation = SimpleNamespace(process=process)
        unit_obj = node.calc_owner_permission_obj(activation)
        if unit_obj is None or not node.calc_owner_permission(activation):
            raise ImproperlyConfigured(f"{node}: every human task needs .Permission(..., obj=<unit>)")
        humans.append(
            task_class(
                process=process,
                flow_task=node,
                flow_task_type=node.task_type,
                status=STATUS.NEW,
                created=now,
                token=token,
                owner_permission=node.calc_owner_permission(activation),
                owner_permission_obj=unit_obj,
                data={},
            )
        )
    task_class.objects.bulk_create(humans, batch_size=500)
    task_class.previous.through.objects.bulk_create(
        [
            task_class.previous.through(from_task_id=human.pk, to_task_id=start.pk)
            for human, start in zip(humans, starts, strict=True)
        ],
        batch_size=500,
    )
    scope_rows = [
        hooks.task_scope_build(human, nomination, human.owner_permission_obj, step)
        for human, nomination in zip(humans, drafts, strict=True)
    ]
    TaskScope.objects.bulk_create(scope_rows, batch_size=500)
    if hooks.STEP_VIEWERS.get(step):
        raise ImproperlyConfigured(f"{node}: a batch start grants no viewers at the first step")
    notifications.tasks_opened(scope_rows)
    # Each nomination's chain: its creation, then its task's opening (the order the single filing appends them).
    opened = [event_build(**hooks.task_open_event(row)) for row in scope_rows]
    events_append_bulk(event for pair in zip(events, opened, strict=True) for event in pair)
    return drafts


# -- many tasks completed at once ----------------------------------------------------------------------------------

# The steps a batch runs set-based: each continues through automatic nodes (functions that change only the process
# data, gateways) to the next human task. A nomination whose path meets anything else (a public posting, the end of
# the flow) takes the one-at-a-time path in the same transaction.
BATCH_ACTIONS = (Action.SUBMIT, Action.FORWARD, Action.APPROVE)
_TASK_LOAD = (
    "process",
    "scope__unit",
    "scope__nomination__award_type",
    "scope__nomination__unit",
    "scope__nomination__deciding_unit",
    "scope__nomination__nominee",
    "scope__nomination__created_by",
)
ONE_BY_ONE = {
    Action.SUBMIT: lambda actor, scope_row, reason, submission: services.nomination_submit(
        actor=actor, nomination=scope_row.nomination, submission=submission
    ),
    Action.FORWARD: lambda actor, scope_row, reason, submission: services.review_forward(
        actor=actor, task_id=scope_row.task_id, reason=reason
    ),
    Action.APPROVE: lambda actor, scope_row, reason, submission: services.appraisal_approve(
        actor=actor, task_id=scope_row.task_id, reason=reason
    ),
}


class _Unsupported(Exception):
    """The path from the completed task meets a node the batch does not run in memory."""


@dataclass
class _Item:
    task: object
    scope_row: object
    process: object
    nomination: object
    on_behalf_of: object = None
    path: list = field(default_factory=list)  # the automatic nodes walked, in order
    human: object = None  # the node the path stops at: a human task, or a timer (a wait)


def _path(node, process):
    """Walk from `node` through the automatic nodes, applying to `process` in memory what changes only its data, as
    viewflow would; return ([automatic nodes], the human task or timer reached). Raise _Unsupported for any other
    node (the end of the flow, a function the batch cannot run for many processes)."""
    walked = []
    activation = SimpleNamespace(process=process)
    while True:
        if isinstance(node, nodes.View):
            if node._on_create is not hooks.task_created:
                raise _Unsupported(node)
            return walked, node
        if isinstance(node, Timer) and node._delay in hooks.TIMER_MOMENTS:
            return walked, node
        walked.append(node)
        if isinstance(node, nodes.Function) and node._func in hooks.PROCESS_DATA_ONLY:
            hooks.PROCESS_DATA_ONLY[node._func](process)
            node = node._next
        elif isinstance(node, nodes.Function) and node._func in hooks.MANY_AT_ONCE:
            node = node._next  # run for all the batch's processes at once (`_functions_run`)
        elif isinstance(node, nodes.If) and not (node._on_true_data or node._on_false_data):
            node = node._on_true if node._condition(activation) else node._on_false
        elif isinstance(node, nodes.Switch):
            chosen = None
            for candidate, condition in node._branches:  # SwitchActivation.activate's loop
                if condition:
                    if condition(activation):
                        chosen = candidate
                        break
                else:
                    chosen = candidate
            if chosen is None:
                raise _Unsupported(node)
            node = chosen
        else:
            raise _Unsupported(node)


def _collector(into):
    """An `event_record` stand-in that keeps the events' arguments for one bulk append."""

    def record(**fields):
        into.append(fields)

    return record


def _functions_run(items):
    """Run the Function nodes with database effects of the items' paths (hooks.MANY_AT_ONCE), each for all the items
    whose path meets it; return {task id: [events]} in each path's order."""
    events = {item.task.pk: [] for item in items}
    by_function = {}
    for item in items:
        for node in item.path:
            if isinstance(node, nodes.Function) and node._func in hooks.MANY_AT_ONCE:
                by_function.setdefault(node._func, []).append(item)
    for function, members in by_function.items():
        collected = []
        hooks.MANY_AT_ONCE[function]([item.process for item in members], _collector(collected), batch=True)
        for item, fields in zip(members, collected, strict=True):
            events[item.task.pk].append(event_build(**fields))
    return events


def _validate(action, items, actor):
    """The step's own rules for each item (the one-at-a-time `apply`'s checks), set-based; return {task id: error}."""
    errors = {}
    nominations = [item.nomination for item in items]
    if action in (Action.SUBMIT, Action.APPROVE):
        missing = dossier_missing_many(nominations) if action == Action.SUBMIT else {}
        keys = {key for n in nominations if (key := subject_key(n.nominee)) is not None}
        today = timezone.localdate()
        with subject_facts_preloaded(subject_facts_load(keys)):
            for item in items:
                nomination = item.nomination
                try:
                    if missing.get(nomination.pk):
                        raise ValidationError(
                            {
                                "files": _("Hồ sơ còn thiếu: %(kinds)s.")
                                % {"kinds": ", ".join(missing[nomination.pk])}
                            }
                        )
                    eligibility_check(nomination=nomination, save=False)
                    if action == Action.SUBMIT and nomination.round_id:
                        if late := honours.round_window_error(nomination.round, today):
                            raise ValidationError({"round": late})
                except ValidationError as exc:
                    errors[item.task.pk] = " ".join(exc.messages)
    return errors


@transaction.atomic
def tasks_complete_batch(*, actor, task_ids, action, reason="", submission=None):
    """Submit, forward or approve many tasks in one transaction, as one set-based operation: one lock pass over
    their processes, every check of the one-at-a-time path (`services._run` and the step's rules), then the rows
    that path leaves — review records, the nominations' new columns, the tasks completed and the next ones with
    their viewflow links, scope rows, view grants, notices, audit events — written with bulk statements.

    Return {task id: None when done, else the reason it was refused} (refused ones change nothing; the others are
    applied), as `services.review_bulk` reports. `tests/workflows/test_batch_rows.py` compares both paths' rows."""
    if action not in BATCH_ACTIONS:
        raise ValidationError({"action": _("Thao tác hàng loạt không hợp lệ.")})
    reason = (reason or "").strip()
    task_ids = list(dict.fromkeys(int(task_id) for task_id in task_ids))
    refs = dict(Task.objects.filter(pk__in=task_ids).values_list("pk", "process_id"))
    # One lock pass, in id order: two batches over the same processes wait for each other and never deadlock.
    list(
        Process.objects.filter(pk__in=set(refs.values())).order_by("pk").select_for_update().values_list("pk")
    )
    tasks = Task.objects.select_related(*_TASK_LOAD).filter(pk__in=refs)
    tasks = {task.pk: task for task in tasks}
    scope = scope_of(actor)
    results, items = {}, []
    acted = steps_acted_many(
        nominations={t.process_id: t.scope.nomination for t in tasks.values() if hasattr(t, "scope")},
        actor=actor,
    )
    delegators = {}
    for task_id in task_ids:
        task = tasks.get(task_id)
        scope_row = getattr(task, "scope", None) if task is not None else None
        try:
            if scope_row is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED) or not scope_row.is_open:
                raise ValidationError(services.ALREADY_DONE)
            if not scope.can(scope_row.permission, scope_row.unit_id):
                raise PermissionDenied
            services._check_action(scope_row, action)
            nomination = scope_row.nomination
            separation_check(
                nomination=nomination,
                process_id=task.process_id,
                actor=actor,
                step=scope_row.step,
                acted=acted[task.process_id],
            )
        except (ValidationError, PermissionDenied) as exc:
            results[task_id] = services._message(exc)
            continue
        key = (scope_row.permission, scope_row.unit_id)
        if key not in delegators:
            delegators[key] = services._delegator(scope, *key)
        # The proxy class, as viewflow's activation coerces it; the nomination the scope row brought.
        process = coerce_to_related_instance(task.process, task.flow_task.flow_class.process_class)
        process.__dict__["nomination"] = nomination
        items.append(_Item(task, scope_row, process, nomination, on_behalf_of=delegators[key]))
    results.update(_validate(action, items, actor))
    items = [item for item in items if item.task.pk not in results]
    _outcome(action, items)
    _units_load([item.process for item in items])
    batch, single = [], []
    for item in items:
        try:
            item.path, item.human = _path(item.task.flow_task._next, item.process)
        except _Unsupported:
            single.append(item)
        else:
            batch.append(item)
    _write(action, batch, actor, reason, submission)
    for item in batch:
        results[item.task.pk] = None
    for item in single:  # their paths leave the batch (a public posting, an end): the one-at-a-time path
        item.process.refresh_from_db()
        try:
            ONE_BY_ONE[action](actor, item.scope_row, reason, submission)
            results[item.task.pk] = None
        except (ValidationError, PermissionDenied) as exc:
            results[item.task.pk] = services._message(exc)
    return {task_id: results[task_id] for task_id in task_ids}


def _outcome(action, items):
    """What the step decides on the process (the one-at-a-time `apply`'s `process.outcome`)."""
    outcome = {Action.FORWARD: Outcome.FORWARD, Action.APPROVE: Outcome.APPROVE}.get(action)
    if outcome:
        for item in items:
            item.process.outcome = outcome


def _units_load(processes):
    """The units of the processes' routes, read once (NominationProcess.review_unit reads `units_loaded`)."""
    ids = {unit_id for process in processes for unit_id in process.nomination.route_units}
    units = Unit.objects.in_bulk(ids)
    for process in processes:
        process.__dict__["units_loaded"] = units


def _write(action, items, actor, reason, submission):
    if not items:
        return
    now = timezone.now()
    today = timezone.localdate()
    nominations = [item.nomination for item in items]
    columns = {"status", "current_step", "current_unit", "due_on", "updated_at"}
    if action == Action.SUBMIT:
        legal_basis = LegalBasis.in_force_on(today)
        for nomination in nominations:
            nomination.received_on = today
            nomination.legal_basis = legal_basis
            if submission is not None:
                nomination.submission = submission
        columns |= {"received_on", "legal_basis", "submission", "rule_set", "eligibility"}
    elif action == Action.APPROVE:
        columns |= {"rule_set", "eligibility"}
    ReviewRecord.objects.bulk_create(
        [
            ReviewRecord(
                nomination=item.nomination,
                task_id=item.task.pk,
                step=item.scope_row.step,
                unit=item.scope_row.unit,
                action=action,
                reason=services.submit_certification(item.nomination, actor)[0]
                if action == Action.SUBMIT
                else reason,
                actor=actor,
                at=now,
            )
            for item in items
        ],
        batch_size=500,
    )
    resolved = notifications.tasks_notifications_resolve(
        [(item.task.pk, item.nomination.pk) for item in items]
    )
    done_events = []
    for item in items:
        certification, data = (
            services.submit_certification(item.nomination, actor)
            if action == Action.SUBMIT
            else (reason, None)
        )
        done_events.append(
            event_build(
                **services.task_done_event(
                    item.task,
                    item.scope_row,
                    action,
                    actor,
                    on_behalf_of=item.on_behalf_of,
                    reason=certification,
                    resolved=resolved.get(item.task.pk, 0),
                    data=data,
                )
            )
        )
    for item in items:
        task = item.task
        if task.status == STATUS.NEW:
            task.owner = actor
        task.status = STATUS.DONE
        task.started = task.finished = now
    _update(Task, [item.task for item in items], ["owner", "status", "started", "finished"])
    TaskScope.objects.filter(pk__in=[item.task.pk for item in items]).update(is_open=False)
    function_events = _functions_run(items)
    reached = _next_tasks(items, now)
    scope_rows, opened = [], {}
    for item, task in zip(items, reached, strict=True):
        if not isinstance(item.human, nodes.View):
            continue  # a timer: the function before it moved the nomination (the posting window)
        step = Step(item.human.name)
        unit = task.owner_permission_obj
        row = hooks.task_scope_build(task, item.nomination, unit, step)
        scope_rows.append(row)
        nomination = item.nomination
        nomination.status = Status(hooks.STEP_STATUS.get(step, nomination.status))
        nomination.current_step = step
        nomination.current_unit = unit
        nomination.due_on = row.due_on
        opened[item.task.pk] = row
    TaskScope.objects.bulk_create(scope_rows, batch_size=500)
    for nomination in nominations:
        nomination.updated_at = now
    _update(Nomination, nominations, sorted(columns))
    _update(Process, [item.process for item in items], ["data"])
    nominations_view_grant_bulk(
        (row.nomination_id, row.unit, hooks.STEP_VIEWERS[row.step])
        for row in scope_rows
        if row.step in hooks.STEP_VIEWERS
    )
    notifications.tasks_opened([row for row in scope_rows if row.step != Step.REVISE])
    # Each chain in the order the one-at-a-time path appends: the task done, what the automatic nodes recorded
    # (a posting opened), the next task opened.
    events = []
    for item, done in zip(items, done_events, strict=True):
        events.append(done)
        events.extend(function_events[item.task.pk])
        if item.task.pk in opened:
            events.append(event_build(**hooks.task_open_event(opened[item.task.pk])))
    events_append_bulk(events)


def _update(model, objs, fields):
    """Write `fields` of many rows in one UPDATE ... FROM (VALUES ...) per 1,000 rows (django-fast-update):
    Django's bulk_update builds a CASE per column and row and spends seconds in Python on a few hundred rows."""
    fast_update(model._base_manager.all(), objs, fields, 1000, unfiltered=True)


def _next_tasks(items, now):
    """Create, layer by layer, the tasks viewflow creates after each completed one: the automatic nodes of its path
    (done at once) and the task it stops at — a human task (new, with its owner permission on its unit) or a timer
    (scheduled) — each linked to the task before it; return the tasks stopped at, in the items' order."""
    task_class = Task
    tails = [item.task for item in items]
    depth = max(len(item.path) for item in items)
    links = []
    for level in range(depth + 1):
        layer = []
        for index, item in enumerate(items):
            if level < len(item.path):
                node = item.path[level]
                started = now if isinstance(node, nodes.Function) else None
                task = task_class(
                    process=item.process,
                    flow_task=node,
                    flow_task_type=node.task_type,
                    status=STATUS.DONE,
                    created=now,
                    started=started,
                    finished=now,
                    token=item.task.token,
                    data={},
                )
            elif level == len(item.path) and isinstance(item.human, Timer):
                node = item.human
                task = task_class(
                    process=item.process,
                    flow_task=node,
                    flow_task_type=node.task_type,
                    status=STATUS.SCHEDULED,
                    created=now,
                    scheduled=node._delay(SimpleNamespace(process=item.process)),
                    token=item.task.token,
                    data={},
                )
            elif level == len(item.path):
                node = item.human
                activation = SimpleNamespace(process=item.process)
                unit = node.calc_owner_permission_obj(activation)
                permission = node.calc_owner_permission(activation)
                if unit is None or not permission:
                    raise ImproperlyConfigured(f"{node}: every human task needs .Permission(..., obj=<unit>)")
                task = task_class(
                    process=item.process,
                    flow_task=node,
                    flow_task_type=node.task_type,
                    status=STATUS.NEW,
                    created=now,
                    token=item.task.token,
                    owner_permission=permission,
                    owner_permission_obj=unit,
                    data={},
                )
            else:
                continue
            layer.append((index, task))
        task_class.objects.bulk_create([task for _index, task in layer], batch_size=500)
        for index, task in layer:
            links.append(task_class.previous.through(from_task_id=task.pk, to_task_id=tails[index].pk))
            tails[index] = task
    task_class.previous.through.objects.bulk_create(links, batch_size=500)
    return tails


@transaction.atomic
def submission_create(*, actor, unit, nominations, number=""):
    """Submit many nominations of one unit under one cover submission (tờ trình), in one batch step.

    The whole list is refused — nothing submitted — when any nomination cannot be: its dossier incomplete (each
    named with what it lacks), not at the head's step any more, or refused by a rule of the submission."""
    if not scope_of(actor).can("submit_nomination", unit.pk):
        raise PermissionDenied
    foreign = [n.pk for n in nominations if n.unit_id != unit.pk]
    if foreign:
        raise ValidationError({"nominations": _("Chỉ trình được đề nghị của đơn vị mình.")})
    missing = dossier_missing_many(nominations)
    incomplete = [
        _("#%(pk)s %(name)s: %(kinds)s")
        % {"pk": n.pk, "name": n.nominee.full_name, "kinds": ", ".join(missing[n.pk])}
        for n in nominations
        if missing.get(n.pk)
    ]
    if incomplete:
        raise ValidationError({"files": _("Hồ sơ còn thiếu: %(list)s.") % {"list": "; ".join(incomplete)}})
    submission = Submission.objects.create(unit=unit, number=number, submitted_by=actor)
    open_tasks = dict(
        TaskScope.objects.filter(nomination__in=nominations, is_open=True, step=Step.SUBMIT).values_list(
            "nomination_id", "task_id"
        )
    )
    refused = [n for n in nominations if n.pk not in open_tasks]
    if refused:
        raise ValidationError(
            {"nominations": [f"#{n.pk} {n.nominee.full_name}: {services.ALREADY_DONE}" for n in refused]}
        )
    results = tasks_complete_batch(
        actor=actor,
        task_ids=[open_tasks[n.pk] for n in nominations],
        action=Action.SUBMIT,
        submission=submission,
    )
    errors = [
        f"#{n.pk} {n.nominee.full_name}: {results[open_tasks[n.pk]]}"
        for n in nominations
        if results[open_tasks[n.pk]]
    ]
    if errors:
        raise ValidationError({"nominations": errors})
    event_record(
        action="submission.create",
        actor=actor,
        obj=submission,
        chain=f"submission:{submission.pk}",
        unit_code=unit.code,
        data={"nominations": [n.pk for n in nominations], "number": number},
    )
    return submission


def tasks_act(*, actor, task_ids, action, reason=""):
    """One action on many tasks (the reviewers' bulk action, the API's batch): submitting, forwarding and
    approving run as one batch step (`tasks_complete_batch`); returning, rejecting and resubmitting one task at a
    time, each in its own transaction (`services.task_complete`). Each task is applied or refused on its own;
    return {task id: None or the reason it was refused}."""
    if action in BATCH_ACTIONS:
        return tasks_complete_batch(actor=actor, task_ids=task_ids, action=action, reason=reason)
    if action not in (Action.RETURN, Action.REJECT, Action.RESUBMIT):
        raise ValidationError({"action": _("Thao tác hàng loạt không hợp lệ.")})
    results = {}
    for task_id in task_ids:
        try:
            services.task_complete(actor=actor, task_id=task_id, action=action, reason=reason)
            results[task_id] = None
        except (ValidationError, PermissionDenied) as exc:
            results[task_id] = services._message(exc)
    return results
