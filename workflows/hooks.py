"""What the flow graphs do at their automatic nodes; each writes its audit event in the flow's transaction."""

from datetime import datetime, time, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from approvals.models import Certificate, Decision, Posting
from audit.services import event_record
from nominations.models import Status
from nominations.permissions import nomination_view_grant
from nominations.process import Step
from nominations.services import histories_record, nomination_move
from organisation.models import Role
from workflows import notifications
from workflows.calendar import add_working_days
from workflows.deadlines import due_date
from workflows.models import TaskScope

STEP_STATUS = {
    Step.SUBMIT: Status.DRAFT,
    Step.REVIEW: Status.IN_REVIEW,
    Step.REVISE: Status.RETURNED,
    Step.APPRAISE: Status.APPRAISAL,
    Step.TALLY_VOTE: Status.COUNCIL,
    Step.SIGN: Status.AWAITING_SIGNATURE,
}

# Which unit-role groups see a nomination once it reaches a step (the proposing unit always sees its own).
STEP_VIEWERS = {
    Step.REVIEW: [Role.REVIEWER],
    Step.APPRAISE: [Role.REVIEWER],
    Step.TALLY_VOTE: [Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER, Role.REVIEWER],
    Step.SIGN: [Role.APPROVER, Role.REVIEWER],
}


def start_process(activation, nomination):
    activation.process.artifact = nomination
    # The nomination just built, with the rows it was built from (award type, units, nominee), is the one
    # NominationProcess.nomination would read back: the first task's owner unit and hook use it as it is.
    activation.process.__dict__["nomination"] = nomination
    activation.process.tier_index = -1
    return activation.process


def task_created(activation):
    """Record where the new human task sits, its due date, and let the owning unit see the nomination."""
    task = activation.task
    process = activation.process
    nomination = process.nomination
    step = Step(task.flow_task.name)
    unit = _owner_unit(task)
    if not task.owner_permission or unit is None:
        # A human task without an owner permission on a unit would sit in everyone's viewflow queue.
        raise ImproperlyConfigured(f"{task.flow_task}: every human task needs .Permission(..., obj=<unit>)")
    scope_row = task_scope_build(task, nomination, unit, step)
    scope_row.save(force_insert=True)
    nomination_move(
        nomination,
        status=STEP_STATUS.get(step, nomination.status),
        step=step,
        unit=unit,
        due_on=scope_row.due_on,
    )
    viewers = STEP_VIEWERS.get(step, ())
    if viewers:
        nomination_view_grant(nomination, unit, viewers)
    notifications.task_opened(scope_row)
    event_record(**task_open_event(scope_row))


def task_scope_build(task, nomination, unit, step):
    """The unsaved scope row of a human task just created at `unit` (its permission, step and due date)."""
    return TaskScope(
        task=task,
        nomination=nomination,
        unit=unit,
        permission=task.owner_permission.split(".", 1)[1],
        step=step,
        route=nomination.route,
        created=task.created,
        due_on=due_date(nomination.route, step),
    )


def task_open_event(scope_row):
    """The `task.open` event of a scope row, once the nomination stands at its step (event_record's arguments)."""
    due_on = scope_row.due_on
    return {
        "action": "task.open",
        "obj": scope_row.task,
        "object_type": "viewflow.task",
        "nomination_id": scope_row.nomination_id,
        "unit_code": scope_row.unit.code,
        "data": {
            "step": scope_row.step,
            "unit": scope_row.unit.code,
            "permission": scope_row.permission,
            "due_on": due_on.isoformat() if due_on else None,
            "status": scope_row.nomination.status,
        },
    }


def _owner_unit(task):
    """Return the unit the node has just put on the task as its permission object.

    The generic FK keeps the unit it was given, but re-reads it on access because the stored pk is a string.
    """
    field = task._meta.get_field("owner_permission_obj")
    unit = field.get_cached_value(task, None)
    if unit is not None and str(unit.pk) == str(task.owner_permission_obj_pk):
        return unit
    return task.owner_permission_obj


def advance_tier(activation):
    """Move to the next review tier of the route, or to the deciding unit when the route is done."""
    _next_tier(activation.process)
    activation.process.save(update_fields=["data"])


def advance_to_decider(activation):
    _outcome_clear(activation.process)
    activation.process.save(update_fields=["data"])


def restart_route(activation):
    _route_restart(activation.process)
    activation.process.save(update_fields=["data"])


def _next_tier(process):
    process.tier_index += 1
    process.outcome = ""


def _outcome_clear(process):
    process.outcome = ""


def _route_restart(process):
    process.tier_index = -1
    process.outcome = ""


# What the Function nodes above do, to the process's data alone: a batch path (workflows.batch) applies them in
# memory and writes the processes' data once for all.
PROCESS_DATA_ONLY = {
    advance_tier: _next_tier,
    advance_to_decider: _outcome_clear,
    restart_route: _route_restart,
}


def open_posting(activation):
    open_postings([activation.process], event_record)


def open_postings(processes, record, *, batch=False):
    """Open the public posting of each process's nomination: the window of the award's working days, the nomination
    in posting until it closes, one `posting.open` event each, handed to `record` (event_record, or a batch
    path's collector) in the processes' order. The posting is kept on the process for its timer. A batch path
    (`batch=True`) writes the postings at once and the nominations' columns itself."""
    today = timezone.localdate()
    postings = []
    for process in processes:
        nomination = process.nomination
        days = nomination.award_type.posting_working_days
        posting = Posting(nomination=nomination, opens_on=today, closes_on=add_working_days(today, days))
        posting.working_days = days
        process.__dict__["posting_opened"] = posting
        postings.append(posting)
    if batch:
        Posting.objects.bulk_create(postings, batch_size=500)
    else:
        for posting in postings:
            posting.save()
    for process, posting in zip(processes, postings, strict=True):
        nomination = process.nomination
        if batch:
            nomination.status, nomination.current_step = Status.POSTING, Step.POSTING
            nomination.due_on = posting.closes_on
        else:
            nomination_move(nomination, status=Status.POSTING, step=Step.POSTING, due_on=posting.closes_on)
        record(
            action="posting.open",
            obj=posting,
            nomination_id=nomination.pk,
            unit_code=nomination.deciding_unit.code,
            data={
                "opens_on": posting.opens_on.isoformat(),
                "closes_on": posting.closes_on.isoformat(),
                "working_days": posting.working_days,
            },
        )


def posting_closes_at(activation):
    """Fire the posting timer at the start of the day after the window closes (local time)."""
    posting = activation.process.__dict__.get("posting_opened")
    if posting is None:
        posting = activation.process.nomination.postings.order_by("-opens_on", "-id").first()
    closes = posting.closes_on + timedelta(days=1)
    return timezone.make_aware(datetime.combine(closes, time.min))


def commend(activation):
    commend_many([activation.process], event_record)


def commend_many(processes, record, *, batch=False):
    """The signed nominations of the processes are awarded: the award in each nominee's history, the nomination
    awarded, the proposing unit told, one `nomination.awarded` event each handed to `record` in the processes'
    order. A batch path (`batch=True`) writes the history rows at once and the nominations' columns itself."""
    nominations = [process.nomination for process in processes]
    certificates = {
        certificate.nomination_id: certificate
        for certificate in Certificate.objects.filter(
            nomination_id__in=[nomination.pk for nomination in nominations]
        )
    }
    # The decisions (one for a signature of 500) read once each with their issuer, shared by their certificates.
    decisions = Decision.objects.select_related("issuer").in_bulk(
        {certificate.decision_id for certificate in certificates.values()}
    )
    decision_field = Certificate._meta.get_field("decision")
    for certificate in certificates.values():
        decision_field.set_cached_value(certificate, decisions[certificate.decision_id])
    pairs = [(nomination, certificates[nomination.pk]) for nomination in nominations]
    histories_record([(nomination, certificate.decision) for nomination, certificate in pairs])
    for nomination, _certificate in pairs:
        if batch:
            nomination.status, nomination.current_step, nomination.due_on = Status.AWARDED, Step.END, None
        else:
            nomination_move(nomination, status=Status.AWARDED, step=Step.END, due_on=None)
    notifications.nominations_awarded(pairs)
    for nomination, certificate in pairs:
        record(
            action="nomination.awarded",
            obj=nomination,
            nomination_id=nomination.pk,
            unit_code=certificate.decision.issuer.code,
            data={
                "decision": certificate.decision.number,
                "serial": certificate.serial,
                "amount": str(certificate.amount),
                "is_ad_hoc": nomination.is_ad_hoc,
            },
        )


# The Function nodes a batch path runs for many processes at once: node function -> f(processes, record).
MANY_AT_ONCE = {open_posting: open_postings, commend: commend_many}
# The timers whose moment a batch path can compute in memory (node delay -> the same function).
TIMER_MOMENTS = {posting_closes_at}
