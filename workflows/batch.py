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

from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.flow import nodes
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from audit.services import event_build, events_append_bulk
from nominations.models import Route
from nominations.process import Step
from nominations.services import nominations_create_batch
from workflows import hooks, notifications
from workflows.deadlines import due_date
from workflows.flows import FLOWS, StandardRouteFlow
from workflows.models import TaskScope


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
