"""Set-based paths: many nominations moved by one call, leaving the rows the one-at-a-time path leaves.

`nominations_file_batch` files a checked list of drafts of one unit — what `services.nomination_file` does for each
(registry record, nominee, nomination, its process started with viewflow's start task and the submit task, the
task's scope row, the notifications of the unit's heads, the audit events `nomination.create` and `task.open`) —
with a few bulk statements for the whole list instead of some twenty statements per nomination. The viewflow rows
are the ones `StartHandle.run` and the human node's activation write (same flow task references, statuses, token,
owner permission and object, `previous` link); the rules that decide them (the owner unit of the node, the step's
status and due date, the notice, the event) are the hooks' own (`hooks.task_scope_build`, `hooks.task_open_event`,
`notifications.tasks_opened`). `tests/workflows/test_batch_rows.py` compares the two paths' tables row by row.

`submission_create` (a unit head's list under one tờ trình) and `tasks_act` (one action on many tasks: the
reviewers' bulk action and `POST /api/v1/tasks/batch/`) complete their tasks through `workflows.steps`, the batch
step that decision signing uses too.
"""

from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.flow import nodes
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from audit.services import event_build, event_record, events_append_bulk
from nominations.models import Route, Submission
from nominations.process import Action, Step
from nominations.services import dossier_missing_many, nominations_create_batch
from organisation.policy import scope_of
from workflows import hooks, notifications, services
from workflows.bulk import rows_insert
from workflows.deadlines import due_date
from workflows.flows import FLOWS, StandardRouteFlow
from workflows.models import TaskScope
from workflows.steps import BATCH_ACTIONS, tasks_complete_batch


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
    rows_insert(flow_class.process_class, processes)
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
    rows_insert(
        task_class, starts + humans
    )  # one statement: the start tasks take the lower ids, as written first
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
        fallback=lambda item: services.nomination_submit(
            actor=actor, nomination=item.nomination, submission=submission
        ),
        task_ids=[open_tasks[n.pk] for n in nominations],
        action=Action.SUBMIT,
        submission=submission,
        dossier_missing=missing,  # read above, in this transaction (a dossier's files are only ever added)
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


def _one_at_a_time(actor, scope_row, action, reason):
    """A task whose path the batch does not run, on the one-at-a-time path."""
    if action == Action.SUBMIT:
        return services.nomination_submit(actor=actor, nomination=scope_row.nomination)
    return services.task_complete(actor=actor, task_id=scope_row.task_id, action=action, reason=reason)


def tasks_act(*, actor, task_ids, action, reason=""):
    """One action on many tasks (the reviewers' bulk action, the API's batch): submitting, forwarding and
    approving run as one batch step (`tasks_complete_batch`); returning, rejecting and resubmitting one task at a
    time, each in its own transaction (`services.task_complete`). Each task is applied or refused on its own;
    return {task id: None or the reason it was refused}."""
    # A signature belongs to a decision (decision_sign), a vote to its tally (workflows.meetings.meeting_close).
    if action in BATCH_ACTIONS and action not in (Action.SIGN, Action.RECORD_VOTE):
        return tasks_complete_batch(
            actor=actor,
            task_ids=task_ids,
            action=action,
            reason=reason,
            fallback=lambda item: _one_at_a_time(actor, item.scope_row, action, reason),
        )
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
