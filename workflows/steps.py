"""Many tasks completed at once: the set-based step every batch path runs (workflows.batch, decision signing, the
close of a council meeting), and many posting timers fired at once (the beat's sweep).

`tasks_complete_batch` leaves the rows the one-at-a-time path (`services._run` and its viewflow activations) leaves
for each task — compared table by table in tests/workflows/test_batch_rows.py (and test_batch_votes.py for the
council's votes); `timers_fire_due` / `timers_fire` leave the rows of viewflow's own firing (test_batch_timers.py).
What both paths share lives here: the action check, the refusal messages, the delegation lookup, the completed
task's audit event, and the vote's checks, rule and row (`vote_council`, `vote_build`).
"""

import logging
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.flow import nodes
from viewflow.workflow.managers import coerce_to_related_instance
from viewflow.workflow.models import Process, Task
from viewflow.workflow.nodes.timer import Timer
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from approvals.models import AgendaItem, MeetingStatus, PostingFeedback, ReviewRecord, VoteRecord
from approvals.services import vote_evaluate
from audit.services import event_build, events_append_bulk
from nominations import honours
from nominations.eligibility import subject_facts_load, subject_facts_preloaded, subject_key
from nominations.models import HonourRound, LegalBasis, Nomination, Status
from nominations.permissions import nominations_view_grant_bulk
from nominations.process import ACTIONS_BY_STEP, Action, Outcome, Step, step_label
from nominations.services import dossier_missing_many, eligibility_check
from organisation.models import Council, CouncilKind, Role, Unit
from organisation.policy import scope_of
from workflows import hooks, notifications
from workflows.bulk import pairs_insert, related_shared, rows_insert, rows_update, shared_joins
from workflows.models import TaskScope
from workflows.nodes import switch_choice
from workflows.separation import separation_check, steps_acted_many

logger = logging.getLogger(__name__)

ROLE_BY_PERMISSION = {
    "submit_nomination": Role.UNIT_HEAD,
    "review_nomination": Role.REVIEWER,
    "appraise_nomination": Role.REVIEWER,
    "record_vote": Role.COUNCIL_SECRETARY,
    "sign_decision": Role.APPROVER,
}

ALREADY_DONE = gettext_lazy("Công việc này đã được xử lý hoặc không còn hiệu lực.")


def check_action(scope_row, action):
    allowed = ACTIONS_BY_STEP.get(scope_row.step, [])
    if action not in allowed:
        name = Action(action).label if action in Action.values else action
        raise ValidationError(
            {
                "action": _("Thao tác “%(action)s” không áp dụng ở bước “%(step)s”.")
                % {"action": name, "step": step_label(scope_row.step)}
            }
        )


def task_done_event(task, scope_row, action, actor, *, on_behalf_of=None, reason="", resolved=0, data=None):
    """The `task.<action>` event of a completed task (event_record's arguments): who, for whom, at which step,
    how many of its notices were resolved."""
    return {
        "action": f"task.{action}",
        "actor": actor,
        "on_behalf_of": on_behalf_of,
        "obj": task,
        "object_type": "viewflow.task",
        "nomination_id": scope_row.nomination_id,
        "role": ROLE_BY_PERMISSION.get(scope_row.permission, ""),
        "unit_code": scope_row.unit.code,
        "reason": reason,
        "data": {
            "step": scope_row.step,
            **({"notifications_resolved": resolved} if resolved else {}),
            **(data or {}),
        },
    }


def delegator_of(scope, codename, unit_id):
    """Return the holder the actor stands in for (ủy quyền) when doing `codename` at the unit, or None."""
    delegator_id = scope.delegator_for(codename, unit_id)
    return get_user_model().objects.filter(pk=delegator_id).first() if delegator_id else None


def submit_certification(nomination, actor):
    """(reason, event data) of a head's submission: on the fast track it certifies the short achievement summary."""
    if not nomination.is_ad_hoc:
        return "", None
    return (
        _("Thủ trưởng đơn vị xác nhận tóm tắt thành tích và trình khen thưởng đột xuất."),
        {"certified_by_head": True, "certified_by": actor.username},
    )


def unanswered_feedback(nomination_ids):
    """The ids among `nomination_ids` whose public posting has feedback still unanswered (one query)."""
    return set(
        PostingFeedback.objects.filter(
            posting__nomination_id__in=list(nomination_ids),
            answered_at__isnull=True,
            spam_marked_at__isnull=True,  # spam marked by a reviewer (audited) blocks nothing
        ).values_list("posting__nomination_id", flat=True)
    )


def feedback_refusal(nomination, field):
    return ValidationError(
        {field: _("Còn góp ý công khai chưa được trả lời (đề nghị #%(pk)s).") % {"pk": nomination.pk}}
    )


# -- the council's vote: what both the single vote (services.vote_record) and the batch step ask -----------------


@dataclass(frozen=True)
class VoteTotals:
    """The tally typed or counted for one nomination, and the council it was counted in (None: the deciding
    unit's configured council, or the nomination's round council)."""

    members_total: int
    members_present: int
    votes_for: int
    votes_against: int
    written_for: int = 0
    written_against: int = 0
    minutes: object = None
    council: object = None

    @property
    def counts(self):
        """The six counts, as the vote rule (`approvals.services.vote_evaluate`, `tally_of`) and the vote row take
        them."""
        return {
            "members_total": self.members_total,
            "members_present": self.members_present,
            "votes_for": self.votes_for,
            "votes_against": self.votes_against,
            "written_for": self.written_for,
            "written_against": self.written_against,
        }


def configured_council(unit_id):
    """Return the unit's full council when its members are configured (its size is then what counts), or None."""
    today = timezone.localdate()
    for council in Council.objects.filter(unit_id=unit_id, kind=CouncilKind.FULL, is_active=True):
        if council.is_valid_on(today) and council.members.exists():
            return council
    return None


def on_open_agenda(nomination_ids):
    """The ids among `nomination_ids` on an open council meeting's agenda (their vote is recorded when it closes)."""
    nomination_ids = list(nomination_ids)
    if not nomination_ids:
        return set()
    return set(
        AgendaItem.objects.filter(
            nomination_id__in=nomination_ids, meeting__status=MeetingStatus.OPEN
        ).values_list("nomination_id", flat=True)
    )


def vote_council(nomination, totals, *, round_check, on_agenda, unit_council):
    """Return the council the vote of `nomination` counts in, or raise as the vote is refused: the wrong member
    count of its round's council (`round_check`: honours.vote_council_errors's answer), a nomination on an open
    meeting's agenda voted outside it (`on_agenda`), the wrong member count of the deciding unit's configured
    council (`unit_council(unit id)`)."""
    round_council, wrong_total = round_check
    if wrong_total:
        raise ValidationError({"members_total": wrong_total})
    council = totals.council
    if council is None and on_agenda:
        raise ValidationError(
            {
                "votes_for": _(
                    "Đề nghị đang trong chương trình một cuộc họp Hội đồng: kết quả ghi khi kết thúc họp."
                )
            }
        )
    if round_council is None and council is None:
        council = unit_council(nomination.deciding_unit_id)
        if council is not None and totals.members_total != council.size_on():
            raise ValidationError(
                {
                    "members_total": _(
                        "%(council)s có %(total)s thành viên; tỷ lệ tính trên tổng số thành viên."
                    )
                    % {"council": council.name, "total": council.size_on()}
                }
            )
    return round_council or council  # a round always votes in its own advisory council


def vote_build(nomination, totals, council, actor):
    """The unsaved vote row of `totals` under the award's quorum and threshold (approvals.services.vote_evaluate,
    the one vote rule); raise when the totals do not add up."""
    award_type = nomination.award_type
    quorum_met, passed = vote_evaluate(award_type=award_type, **totals.counts)
    return VoteRecord(
        nomination=nomination,
        council=council,
        **totals.counts,
        minutes=totals.minutes or "",
        quorum_met=quorum_met,
        threshold=award_type.vote_threshold,
        passed=passed,
        recorded_by=actor,
    )


def vote_event_data(totals, vote):
    """The tally and its outcome in the task's audit event."""
    data = {
        "members_total": totals.members_total,
        "members_present": totals.members_present,
        "votes_for": totals.votes_for,
        "votes_against": totals.votes_against,
    }
    if totals.written_for or totals.written_against:
        data.update(written_for=totals.written_for, written_against=totals.written_against)
    data.update(quorum_met=vote.quorum_met, passed=vote.passed)
    return data


def vote_outcome(vote):
    """The process outcome the vote decides (after_vote: passed → sign, else not approved)."""
    return Outcome.VOTE_PASSED if vote.passed else Outcome.VOTE_FAILED


# Where a nomination whose vote failed stands (nominations.services.nomination_move's arguments).
VOTE_FAILED_MOVE = {"status": Status.NOT_APPROVED, "step": Step.NOT_APPROVED, "due_on": None}


def refusal_message(exc):
    if isinstance(exc, PermissionDenied):
        return _("Bạn không có quyền xử lý công việc này.")
    return " ".join(exc.messages)  # a field dict flattened by Django


# The steps a batch runs set-based: each continues through automatic nodes (gateways, functions that change only
# the process data, the functions of hooks.MANY_AT_ONCE) to the next human task, a timer or the end of the flow. A
# nomination whose path meets anything else takes the caller's one-at-a-time `fallback` in the same transaction.
BATCH_ACTIONS = (Action.SUBMIT, Action.FORWARD, Action.APPROVE, Action.SIGN, Action.RECORD_VOTE)
# What the step reads with each task: its process, scope row, nomination and nominee joined; the rows a batch shares
# (a few units and award types for 500 tasks) read once each and shared (`_shared_load`).
_TASK_LOAD = ("process", "scope__nomination__nominee")
# What the tasks of a batch share, joined for a few tasks and read once apart for many (bulk.shared_joins).
_TASK_SHARED = (
    "scope__unit",
    "scope__nomination__award_type",
    "scope__nomination__unit",
    "scope__nomination__deciding_unit",
)


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
    data: dict = None  # what this task's event says besides the batch's `data` (a vote's tally)
    vote: object = None  # the vote row a recorded tally writes


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
        if isinstance(node, nodes.End):
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
            chosen = switch_choice(node, activation)
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


def submission_check(nomination, missing, today, *, save=True):
    """Refuse a head's submission of `nomination` (its dossier lacking `missing`, a rule failing, its round's window
    past); the one-at-a-time path and the batch step both ask here. `save=False`: the batch step writes the
    eligibility results with its other columns."""
    if missing:
        raise ValidationError({"files": _("Hồ sơ còn thiếu: %(kinds)s.") % {"kinds": ", ".join(missing)}})
    eligibility_check(nomination=nomination, save=save)
    if nomination.round_id and (late := honours.round_window_error(nomination.round, today)):
        raise ValidationError({"round": late})


def _validate(action, items, actor, per_task, dossier_missing=None):
    """The step's own rules for each item (the one-at-a-time `apply`'s checks), set-based; return {task id: error}.
    `dossier_missing`: what the caller read already (`dossier_missing_many`) in this transaction."""
    errors = {}
    nominations = [item.nomination for item in items]
    if action == Action.RECORD_VOTE:
        return _votes_check(items, actor, per_task)
    if action in (Action.SUBMIT, Action.APPROVE):
        missing = {}
        if action == Action.SUBMIT:
            missing = dossier_missing if dossier_missing is not None else dossier_missing_many(nominations)
        keys = {key for n in nominations if (key := subject_key(n.nominee)) is not None}
        today = timezone.localdate()
        with subject_facts_preloaded(subject_facts_load(keys)):
            for item in items:
                try:
                    if action == Action.SUBMIT:
                        submission_check(item.nomination, missing.get(item.nomination.pk), today, save=False)
                    else:
                        eligibility_check(nomination=item.nomination, save=False)
                except ValidationError as exc:
                    errors[item.task.pk] = refusal_message(exc)
    return errors


@transaction.atomic
def tasks_complete_batch(
    *,
    actor,
    task_ids,
    action,
    reason="",
    submission=None,
    record_reason=None,
    data=None,
    per_task=None,
    fallback=None,
    dossier_missing=None,
):
    """Submit, forward, approve, sign or record the votes of many tasks in one transaction, as one set-based operation: one lock pass over
    their processes, every check of the one-at-a-time path (`services._run` and the step's rules), then the rows
    that path leaves — review records, the nominations' new columns, the tasks completed and the next ones with
    their viewflow links, scope rows, view grants, notices, audit events — written with bulk statements.

    Return {task id: None when done, else the reason it was refused} (refused ones change nothing; the others are
    applied), as `services.review_bulk` reports. `tests/workflows/test_batch_rows.py` compares both paths' rows.

    `record_reason` is the review record's reason when it differs from the event's (a signature names its
    decision); `data` goes into every task event; `per_task` gives each task its own data — {task id:
    VoteTotals} for recording the council's votes, which each make a vote row and go into its task's event;
    `fallback(item)` completes a task whose path the batch does not run (None: such a task is a configuration
    error); `dossier_missing` is what the caller read of the submitted dossiers ({nomination pk: missing labels},
    `dossier_missing_many`) in the same transaction, not read again."""
    if action not in BATCH_ACTIONS:
        raise ValidationError({"action": _("Thao tác hàng loạt không hợp lệ.")})
    if action == Action.RECORD_VOTE and (per_task is None or set(map(int, task_ids)) - set(per_task)):
        raise ImproperlyConfigured("recording votes in a batch needs each task's VoteTotals (per_task)")
    reason = (reason or "").strip()
    task_ids = list(dict.fromkeys(int(task_id) for task_id in task_ids))
    # One lock pass, in id order: two batches over the same processes wait for each other and never deadlock.
    processes = Task.objects.filter(pk__in=task_ids).values("process_id")
    list(Process.objects.filter(pk__in=processes).order_by("pk").select_for_update().values_list("pk"))
    tasks = (
        Task.objects.select_related(*_TASK_LOAD, *shared_joins(len(task_ids), *_TASK_SHARED))
        .filter(pk__in=task_ids)
        .order_by()
    )
    tasks = {task.pk: task for task in tasks}
    _shared_load([task.scope for task in tasks.values() if hasattr(task, "scope")])
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
                raise ValidationError(ALREADY_DONE)
            if not scope.can(scope_row.permission, scope_row.unit_id):
                raise PermissionDenied
            check_action(scope_row, action)
            nomination = scope_row.nomination
            separation_check(
                nomination=nomination,
                process_id=task.process_id,
                actor=actor,
                step=scope_row.step,
                acted=acted[task.process_id],
            )
        except (ValidationError, PermissionDenied) as exc:
            results[task_id] = refusal_message(exc)
            continue
        key = (scope_row.permission, scope_row.unit_id)
        if key not in delegators:
            delegators[key] = delegator_of(scope, *key)
        # The proxy class, as viewflow's activation coerces it; the nomination the scope row brought.
        process = coerce_to_related_instance(task.process, task.flow_task.flow_class.process_class)
        process.__dict__["nomination"] = nomination
        items.append(_Item(task, scope_row, process, nomination, on_behalf_of=delegators[key]))
    results.update(_validate(action, items, actor, per_task, dossier_missing))
    items = [item for item in items if item.task.pk not in results]
    _outcome(action, items)
    _units_load(
        [item.process for item in items],
        known=[u for i in items for u in (i.scope_row.unit, i.nomination.unit, i.nomination.deciding_unit)],
    )
    batch, single = [], []
    for item in items:
        try:
            item.path, item.human = _path(item.task.flow_task._next, item.process)
        except _Unsupported:
            single.append(item)
        else:
            batch.append(item)
    if single and fallback is None:
        raise ImproperlyConfigured(
            f"{single[0].task.flow_task}: a path the batch does not run, and no fallback"
        )
    _write(action, batch, actor, reason, submission, record_reason, data)
    for item in batch:
        results[item.task.pk] = None
    for item in single:  # their paths leave the batch: the caller's one-at-a-time path
        item.process.refresh_from_db()
        try:
            fallback(item)
            results[item.task.pk] = None
        except (ValidationError, PermissionDenied) as exc:
            results[item.task.pk] = refusal_message(exc)
    return {task_id: results[task_id] for task_id in task_ids}


def _shared_load(scope_rows):
    """The related rows many scope rows and nominations of a batch share — the scope row's unit, the nomination's
    award type, unit and deciding unit — read once each (the filers, only an award's notice reads them:
    notifications.nominations_awarded)."""
    related_shared(
        (scope_rows, ["unit"]),
        ([row.nomination for row in scope_rows], ["award_type", "unit", "deciding_unit"]),
    )


def _votes_check(items, actor, per_task):
    """What `services.vote_record` checks and decides for each tally, with the facts read once for all: unanswered
    feedback, open agendas, the rounds' councils and the units' configured councils; each item gets its unsaved
    vote row and its event's data."""
    errors = {}
    nominations = [item.nomination for item in items]
    pending = unanswered_feedback(n.pk for n in nominations)
    outside = [item.nomination.pk for item in items if per_task[item.task.pk].council is None]
    on_agenda = on_open_agenda(outside)
    rounds = HonourRound.objects.select_related("council").in_bulk(
        {n.round_id for n in nominations if n.round_id}
    )
    round_checks, unit_councils = {}, {}

    def unit_council(unit_id):
        if unit_id not in unit_councils:
            unit_councils[unit_id] = configured_council(unit_id)
        return unit_councils[unit_id]

    for item in items:
        nomination, totals = item.nomination, per_task[item.task.pk]
        try:
            if nomination.pk in pending:
                raise feedback_refusal(nomination, "votes_for")
            if nomination.round_id:
                nomination.round = rounds[nomination.round_id]
            key = (nomination.round_id, totals.members_total)
            if key not in round_checks:  # a council's size is counted once per round
                round_checks[key] = honours.vote_council_errors(
                    nomination=nomination, members_total=totals.members_total
                )
            council = vote_council(
                nomination,
                totals,
                round_check=round_checks[key],
                on_agenda=nomination.pk in on_agenda,
                unit_council=unit_council,
            )
            item.vote = vote_build(nomination, totals, council, actor)
        except ValidationError as exc:
            errors[item.task.pk] = refusal_message(exc)
            continue
        item.data = vote_event_data(totals, item.vote)
    return errors


def _outcome(action, items):
    """What the step decides on the process (the one-at-a-time `apply`'s `process.outcome`)."""
    outcome = {Action.FORWARD: Outcome.FORWARD, Action.APPROVE: Outcome.APPROVE}.get(action)
    if outcome:
        for item in items:
            item.process.outcome = outcome
    if action == Action.RECORD_VOTE:
        for item in items:
            item.process.outcome = vote_outcome(item.vote)


def _units_load(processes, known=()):
    """The units of the processes' routes, read once (NominationProcess.review_unit reads `units_loaded`); those of
    `known` (units already read) are not read again."""
    ids = {unit_id for process in processes for unit_id in process.nomination.route_units}
    units = {unit.pk: unit for unit in known if unit is not None and unit.pk in ids}
    units.update(Unit.objects.order_by().in_bulk(ids - set(units)))  # none left: no query
    for process in processes:
        process.__dict__["units_loaded"] = units


def _write(action, items, actor, reason, submission, record_reason, data):
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
    if action == Action.RECORD_VOTE:  # the vote rows, no review record (services.vote_record)
        VoteRecord.objects.bulk_create([item.vote for item in items], batch_size=500)
        for item in items:
            if not item.vote.passed:
                _move(item.nomination, **VOTE_FAILED_MOVE)
    else:
        ReviewRecord.objects.bulk_create(
            [
                ReviewRecord(
                    nomination=item.nomination,
                    task_id=item.task.pk,
                    step=item.scope_row.step,
                    unit=item.scope_row.unit,
                    action=action,
                    reason=submit_certification(item.nomination, actor)[0]
                    if action == Action.SUBMIT
                    else (reason if record_reason is None else record_reason),
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
        certification, event_data = (
            submit_certification(item.nomination, actor)
            if action == Action.SUBMIT
            else (reason, {**(data or {}), **(item.data or {})} or None)
        )
        done_events.append(
            event_build(
                **task_done_event(
                    item.task,
                    item.scope_row,
                    action,
                    actor,
                    on_behalf_of=item.on_behalf_of,
                    reason=certification,
                    resolved=resolved.get(item.task.pk, 0),
                    data=event_data,
                )
            )
        )
    claimed, held = [], []  # a new task is the actor's from now on; an assigned one keeps its owner
    for item in items:
        task = item.task
        if task.status == STATUS.NEW:
            task.owner = actor
            claimed.append(task.pk)
        else:
            held.append(task.pk)
        task.status = STATUS.DONE
        task.started = task.finished = now
    # The same columns for every task: one plain UPDATE per owner case instead of a VALUES row per task.
    if claimed:
        Task.objects.filter(pk__in=claimed).update(owner=actor, status=STATUS.DONE, started=now, finished=now)
    if held:
        Task.objects.filter(pk__in=held).update(status=STATUS.DONE, started=now, finished=now)
    TaskScope.objects.filter(pk__in=[item.task.pk for item in items]).update(is_open=False)
    _continue(items, now, done_events, columns)


def _move(nomination, *, status, step, due_on):
    """nominations.services.nomination_move in memory: the batch writes the columns with the others."""
    nomination.status, nomination.current_step, nomination.due_on = Status(status), Step(step), due_on


def _continue(items, now, done_events, columns):
    """What viewflow does after each item's task completed (`done_events`: its event, or None when the task
    records none — a timer): the automatic nodes of its path, the task it stops at with its scope row, the
    nomination moved to that step (its `columns` written), the view grants and notices of the step, the
    processes ended, and each chain's events."""
    nominations = [item.nomination for item in items]
    function_events = _functions_run(items)
    reached = _next_tasks(items, now)
    scope_rows, opened = [], {}
    for item, task in zip(items, reached, strict=True):
        if not isinstance(item.human, nodes.View):
            continue  # a timer or the end: the function before it moved the nomination (posting, awarded)
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
    rows_update(Nomination, nominations, sorted(columns))
    _processes_finish(items, now)
    rows_update(Process, [item.process for item in items], ["data", "status", "finished"])
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
        if done is not None:
            events.append(done)
        events.extend(function_events[item.task.pk])
        if item.task.pk in opened:
            events.append(event_build(**hooks.task_open_event(opened[item.task.pk])))
    events_append_bulk(events)


def _processes_finish(items, now):
    """The processes whose path reached the end and have no unfinished task left are done (EndActivation)."""
    ended = {item.process.pk: item.process for item in items if isinstance(item.human, nodes.End)}
    if not ended:
        return
    busy = set(
        Task.objects.filter(process_id__in=list(ended), finished__isnull=True).values_list(
            "process_id", flat=True
        )
    )
    for pk, process in ended.items():
        if pk not in busy:
            process.status = STATUS.DONE
            process.finished = now


def _next_tasks(items, now):
    """Create, layer by layer, the tasks viewflow creates after each completed one: the automatic nodes of its path
    (done at once) and the task it stops at — a human task (new, with its owner permission on its unit) or a timer
    (scheduled) — each linked to the task before it; return the tasks stopped at, in the items' order."""
    task_class = Task
    tails = [item.task for item in items]
    depth = max(len(item.path) for item in items)
    links = []  # (task, the task before it)
    for level in range(depth + 1):
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
            elif level == len(item.path) and isinstance(item.human, nodes.End):
                node = item.human
                task = task_class(
                    process=item.process,
                    flow_task=node,
                    flow_task_type=node.task_type,
                    status=STATUS.DONE,
                    created=now,
                    started=now,
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
            links.append((task, tails[index]))
            tails[index] = task
    # Every layer in one statement, layer after layer: the ids the tasks would take layer by layer.
    rows_insert(task_class, [task for task, _before in links])
    pairs_insert(
        task_class.previous.through,
        "from_task_id",
        "to_task_id",
        [(task.pk, before.pk) for task, before in links],
    )
    return tails


# -- timers ----------------------------------------------------------------------------------------------------------
NOMINATION_COLUMNS = ["current_step", "current_unit", "due_on", "status", "updated_at"]
TIMER_BATCH = 500


def timers_fire_due():
    """The beat's timer sweep: fire every due timer — set-based where the walk allows (`timers_fire`), else with
    viewflow's own firing (`fire_due_timers`, which also logs and skips what it cannot fire). Return the count."""
    due = list(
        Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED, scheduled__lte=timezone.now())
        .order_by("scheduled", "pk")
        .values_list("pk", flat=True)
    )
    fired = 0
    for start in range(0, len(due), TIMER_BATCH):
        fired += len(_timers_fire_batch_guarded(due[start : start + TIMER_BATCH]))
    return fired + fire_due_timers()


def timers_fire(task_ids):
    """Fire the scheduled timers `task_ids` now, whatever their moment (in the order given): those whose path the
    batch walks (a posting window → check_vote → the council's vote or the signature) as one set-based step per
    500, the others one at a time with viewflow's firing. Return the ids fired."""
    task_ids = list(task_ids)
    fired = []
    for start in range(0, len(task_ids), TIMER_BATCH):
        chunk = task_ids[start : start + TIMER_BATCH]
        done = _timers_fire_batch_guarded(chunk)
        fired += done
        for task_id in chunk:
            if task_id not in done and _timer_fire_one(task_id):
                fired.append(task_id)
    return fired


def _timers_fire_batch_guarded(task_ids):
    """`_timers_fire_batch`; on any error nothing of it is kept, and the timers are left to viewflow's firing
    (which records a failing node as an ERROR task instead of stopping the sweep)."""
    try:
        return _timers_fire_batch(task_ids)
    except Exception:  # one broken flow must not block the others: they fire one at a time
        logger.exception("Firing %s timers at once failed; they fire one at a time", len(task_ids))
        return set()


def _timer_fire_one(task_id):
    """viewflow's firing of one timer (viewflow.workflow.timers.fire_due_timers's step); True when it fired."""
    task = Task.objects.filter(pk=task_id).first()
    if task is None:
        return False
    try:
        with task.activation() as activation:
            start = getattr(activation, "start", None)
            if start is None or not start.can_proceed():
                return False
            activation.start()
            activation.execute()
            return True
    except FlowLockFailed:
        logger.info("Timer task %s is locked by another dispatcher, skipped", task_id)
    except Exception:
        logger.exception("Timer task %s failed to fire", task_id)
    return False


@transaction.atomic
def _timers_fire_batch(task_ids):
    """Fire the timers among `task_ids` whose path the batch walks, as viewflow's TimerActivation (started, then
    completed) and the next nodes leave them: one lock pass (processes another dispatcher holds are skipped, as
    viewflow skips them), the timers completed with one UPDATE, then `_continue` — the check_vote gateway, the
    human task and its scope row, the nomination moved, view grants, notices, `task.open` events. Return the ids
    fired; the others are untouched."""
    refs = dict(
        Task.objects.filter(pk__in=task_ids, flow_task_type="TIMER", status=STATUS.SCHEDULED).values_list(
            "pk", "process_id"
        )
    )
    held = set(
        Process.objects.filter(pk__in=set(refs.values()))
        .order_by("pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    tasks = Task.objects.select_related("process").filter(
        pk__in=[pk for pk, process_id in refs.items() if process_id in held], status=STATUS.SCHEDULED
    )
    tasks = {task.pk: task for task in tasks}
    found = {}
    for task_id in task_ids:
        task = tasks.get(task_id)
        node = getattr(task, "flow_task", None) if task is not None else None
        if isinstance(node, Timer) and node._delay in hooks.TIMER_MOMENTS:
            found[task_id] = (task, node)
    processes = {
        task_id: coerce_to_related_instance(task.process, node.flow_class.process_class)
        for task_id, (task, node) in found.items()
    }
    nominations = Nomination.objects.select_related("nominee").in_bulk(
        [int(process.artifact_object_id) for process in processes.values()]
    )
    related_shared((list(nominations.values()), ["award_type", "unit", "deciding_unit"]))
    items = []
    for task_id, (task, node) in found.items():
        process = processes[task_id]
        nomination = nominations.get(int(process.artifact_object_id))
        if nomination is None:
            continue
        process.__dict__["nomination"] = nomination
        item = _Item(task, None, process, nomination)
        try:
            item.path, item.human = _path(node._next, process)
        except _Unsupported:
            continue  # viewflow's own firing
        items.append(item)
    if not items:
        return set()
    _units_load([item.process for item in items])
    now = timezone.now()
    for item in items:
        item.task.status = STATUS.DONE
        item.task.started = item.task.finished = now
    Task.objects.filter(pk__in=[item.task.pk for item in items]).update(
        status=STATUS.DONE, started=now, finished=now
    )
    _continue(items, now, [None] * len(items), NOMINATION_COLUMNS)
    return {item.task.pk for item in items}
