"""The transitions of a nomination. Views, the API, Celery tasks and commands call these and nothing else.

Each transition runs under the flow's process lock in one transaction: the permission check against the
precomputed scope, the domain rows, the viewflow task change and the audit event commit or roll back together.
The yearly calendar notice (`calendar_exceptions_load`) is written here too: it moves every due date.
"""

import contextvars
import copy
import functools
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from viewflow.workflow import lock
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from approvals.models import AgendaItem, ReviewRecord, SignerPosition
from approvals.services import decision_create, decision_number_peek
from audit.services import chain_heads_held, event_record
from nominations import honours
from nominations.eligibility import subject_facts_load, subject_facts_preloaded, subject_key
from nominations.models import LegalBasis, Nomination, Route, Status
from nominations.money import cash_for_nominations
from nominations.process import Action, Outcome, Step
from nominations.services import (
    copy_arguments,
    dossier_missing,
    eligibility_check,
    nomination_build,
    nomination_move,
    nominations_to_copy,
)
from organisation.models import Role
from organisation.policy import scope_of
from workflows import notifications, tasks
from workflows.bulk import related_shared, shared_joins
from workflows.flows import FLOWS, DongKhoiFlow, FastTrackFlow, StandardRouteFlow
from workflows.models import CalendarException, NominationProcess, TaskScope
from workflows.nodes import task_links_collected
from workflows.separation import separation_check
from workflows.steps import (
    ALREADY_DONE,
    VOTE_FAILED_MOVE,
    VoteTotals,
    configured_council,
    feedback_refusal,
    on_open_agenda,
    submission_check,
    submit_certification,
    task_done_event,
    tasks_complete_batch,
    unanswered_feedback,
    vote_build,
    vote_council,
    vote_event_data,
    vote_outcome,
)
from workflows.steps import check_action as _check_action
from workflows.steps import delegator_of as _delegator
from workflows.steps import refusal_message as _message


def flow_for(nomination):
    return FLOWS.get(nomination.route, StandardRouteFlow)


def process_of(nomination):
    return NominationProcess.objects.filter(
        artifact_object_id=nomination.pk,
        artifact_content_type__model="nomination",
        artifact_content_type__app_label="nominations",
    ).first()


def open_task_of(nomination):
    """Return the nomination's open human task (scope row), or None."""
    return (
        TaskScope.objects.filter(nomination=nomination, is_open=True).select_related("task", "unit").first()
    )


@transaction.atomic
def nomination_file(
    *,
    actor,
    unit,
    award_type,
    nominee_data,
    period_year,
    achievements,
    movement=None,
    content_areas=(),
    route=Route.STANDARD,
    honour_round=None,
    variant="",
    event_on=None,
    members=(),
):
    """Create a nomination in draft and start its process; the proposing unit's head submits it next."""
    # Its events (filed, task opened) follow one another on the nomination's chain; its task links go in together.
    with chain_heads_held(), task_links_collected():
        nomination = nomination_build(
            actor=actor,
            unit=unit,
            award_type=award_type,
            nominee_data=nominee_data,
            period_year=period_year,
            achievements=achievements,
            movement=movement,
            content_areas=content_areas,
            route=route,
            honour_round=honour_round,
            variant=variant,
            event_on=event_on,
            members=members,
        )
        flow_class = FLOWS.get(route, StandardRouteFlow)
        flow_class.start.run(nomination=nomination)
    return nomination


@transaction.atomic
def nominations_copy_last_year(*, actor, unit, year):
    """Draft again, for `year`, the unit's regular nominations of the year before (nominations.services
    .nominations_to_copy), each through `nomination_file` (so built, checked and audited like one filed by hand).

    A nomination the rules now refuse (e.g. the award no longer in force for the unit, a discipline record) is
    skipped with its reason; return (created, [(old nomination, messages), ...]).
    """
    if not scope_of(actor).can("file_nomination", unit.pk):
        raise PermissionDenied
    created, sources, skipped = [], [], []
    for old in nominations_to_copy(unit=unit, year=year):
        try:
            created.append(nomination_file(actor=actor, **copy_arguments(old, year=year)))
        except ValidationError as exc:
            skipped.append((old, exc.messages))
        else:
            sources.append(old.pk)
    event_record(
        action="nomination.copy_year",
        actor=actor,
        obj=unit,
        unit_code=unit.code,
        data={
            "year": year,
            "from_year": year - 1,
            "created": [[new.pk, old_pk] for new, old_pk in zip(created, sources, strict=True)],
            "skipped": [old.pk for old, _messages in skipped],
        },
    )
    return created, skipped


_callers_block = contextvars.ContextVar("transition_callers_block", default=None)


@contextmanager
def transition_in_callers_block():
    """Run a transition (a task's completion, a submission, a signature) in the caller's atomic block without a
    savepoint of its own, for a caller that catches nothing the transition raises, so that any error rolls the
    caller's whole block back: the API's idempotent writes (`api.idempotency.idempotent(transition=True)`), whose
    stored response commits with the change. The savepoint would only let such a caller carry on after a failed
    transition, which it never does; it cost two statements (SAVEPOINT, RELEASE) per request. Only the transition's
    outermost block, entered directly inside the caller's current block, goes without (a block nested deeper keeps
    its savepoint); outside an atomic block this changes nothing (the transition's block is the transaction)."""
    connection = transaction.get_connection()
    token = _callers_block.set(connection.atomic_blocks[-1] if connection.in_atomic_block else None)
    try:
        yield
    finally:
        _callers_block.reset(token)


def _in_callers_block():
    """Whether the atomic block about to open sits directly in a block opened by `transition_in_callers_block`."""
    block = _callers_block.get()
    connection = transaction.get_connection()
    return block is not None and connection.in_atomic_block and connection.atomic_blocks[-1] is block


def _transition_atomic(func):
    """transaction.atomic, without the savepoint directly inside a `transition_in_callers_block` block."""

    @functools.wraps(func)
    def inner(*args, **kwargs):
        with transaction.atomic(savepoint=not _in_callers_block()):
            return func(*args, **kwargs)

    return inner


def _run(task_id, actor, action, apply, reason="", on_behalf_of=None, data=None):
    """Lock the process, check the task is still open and the actor's scope, apply the rule, complete the task."""
    held = {}
    try:
        # What Task.activation() does (lock the process, then read the task), but the process is found through the
        # task in the locking statement, and the task, its process and its scope row come in one query under the
        # lock instead of a refresh plus lazy loads. At most one row matches the primary key: read without ORDER BY
        # and LIMIT (`first()` adds both), which halves PostgreSQL's planning of this nine-table join (~4 → ~2 ms).
        with lock.lock_scope(_task_process_lock, held, task_id), chain_heads_held(), task_links_collected():
            process_id = held.get("process_id")
            if process_id is None:
                raise ValidationError(ALREADY_DONE)
            task = next(
                iter(
                    Task.objects.select_related(
                        "process",
                        "scope__unit",
                        "scope__nomination__award_type",
                        "scope__nomination__unit",
                        "scope__nomination__deciding_unit",
                        "scope__nomination__nominee",
                    )
                    .filter(pk=task_id)
                    .order_by()
                ),
                None,
            )
            scope_row = getattr(task, "scope", None) if task is not None else None
            if scope_row is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED) or not scope_row.is_open:
                raise ValidationError(ALREADY_DONE)
            scope = scope_of(actor)
            if not scope.can(scope_row.permission, scope_row.unit_id):
                raise PermissionDenied
            _check_action(scope_row, action)
            if on_behalf_of is None:
                on_behalf_of = _delegator(scope, scope_row.permission, scope_row.unit_id)
            separation_check(
                nomination=scope_row.nomination, process_id=process_id, actor=actor, step=scope_row.step
            )
            activation = task.flow_task.activation_class(task)
            process = activation.process
            if process.artifact_object_id == scope_row.nomination_id:
                # The scope row brought the nomination as NominationProcess.nomination loads it: reuse it.
                process.__dict__["nomination"] = scope_row.nomination
            nomination = process.nomination
            data_before = copy.deepcopy(process.data or {})
            result = apply(process=process, nomination=nomination, scope_row=scope_row)
            # The task's reminders are resolved with it; the task event says how many.
            resolved = notifications.task_notifications_resolve(task_id=task.pk, nomination_id=nomination.pk)
            # Recorded before the flow moves on, so the timeline reads "forwarded, then opened at the next unit".
            event_record(
                **task_done_event(
                    task,
                    scope_row,
                    action,
                    actor,
                    on_behalf_of=on_behalf_of,
                    reason=reason,
                    resolved=resolved,
                    data=data,
                )
            )
            if task.status == STATUS.NEW:
                # What activation.assign() does, without its own UPDATE: complete() below saves the task once.
                task.owner = actor
                task.status = STATUS.ASSIGNED
            activation.start(None)
            activation.execute()
            # The outcome `apply` set is written once: by the node that saves the process next (advance_tier and
            # the like), else here.
            if process.data != process.__dict__.get("data_saved", data_before):
                process.save(update_fields=["data"])
            TaskScope.objects.filter(pk=task.pk).update(is_open=False)
            return result if result is not None else nomination
    except FlowLockFailed:
        raise ValidationError(_("Đề nghị đang được người khác xử lý, vui lòng thử lại."))


LOCK_ATTEMPTS = 5


class _ProcessBusy(Exception):
    """The process row is locked by another transaction (SKIP LOCKED passed it over)."""


@contextmanager
def _task_process_lock(held, task_id):
    """viewflow's select_for_update_lock (NOWAIT, five attempts with backoff) on the process of task `task_id`,
    found by a subquery in the locking statement (every flow here locks that way); puts the process id, or None
    when there is no such task, in `held`.

    Directly inside a caller's block that opted in (`transition_in_callers_block`) the attempt takes no savepoint:
    a NOWAIT refusal would abort the caller's transaction, so the lock is taken with SKIP LOCKED instead (a row held
    by another transaction is passed over, not an error) and only when no row comes back does a second statement
    tell a busy process (the task exists: wait and try again, as after NOWAIT's refusal) from a missing task."""
    owner = Task.objects.filter(pk=task_id).values("process_id")
    in_callers_block = _in_callers_block()
    for attempt in range(LOCK_ATTEMPTS):
        with transaction.atomic(savepoint=not in_callers_block):
            try:
                held["process_id"] = (
                    NominationProcess.objects.filter(pk=Subquery(owner))
                    .select_for_update(nowait=not in_callers_block, skip_locked=in_callers_block)
                    .values_list("pk", flat=True)
                    .first()
                )
                if (
                    in_callers_block
                    and held["process_id"] is None
                    and Task.objects.filter(pk=task_id).exists()
                ):
                    raise _ProcessBusy
            except (DatabaseError, _ProcessBusy):
                if attempt == LOCK_ATTEMPTS - 1:
                    raise FlowLockFailed(f"Lock failed for the process of task {task_id}")
                time.sleep(((attempt + 1) * random.random() + 2**attempt) / 2.5)
            else:
                yield
                break


def _require_reason(reason, label):
    if not (reason or "").strip():
        raise ValidationError({"reason": label})
    return reason.strip()


def _record(nomination, scope_row, task, actor, action, reason=""):
    ReviewRecord.objects.create(
        nomination=nomination,
        task_id=task,
        step=scope_row.step,
        unit=scope_row.unit,
        action=action,
        reason=reason,
        actor=actor,
    )


def nomination_submit(*, actor, nomination, submission=None):
    """The proposing unit's head submits (or certifies, on the fast track) a complete dossier."""
    open_task = (
        TaskScope.objects.filter(nomination=nomination, is_open=True).values_list("task_id", "step").first()
    )
    if open_task is None or open_task[1] != Step.SUBMIT:
        # "Already done" is for the proposing unit's head; anyone else is refused first, whatever the state.
        if not scope_of(actor).can("submit_nomination", nomination.unit_id):
            raise PermissionDenied
        raise ValidationError(ALREADY_DONE)

    def apply(process, nomination, scope_row):
        today = timezone.localdate()
        submission_check(nomination, dossier_missing(nomination), today)
        nomination.received_on = today
        nomination.legal_basis = LegalBasis.in_force_on(today)
        if submission is not None:  # a nomination submitted alone keeps the list (tờ trình) it was filed in
            nomination.submission = submission
        nomination.save(update_fields=["received_on", "legal_basis", "submission", "updated_at"])
        _record(nomination, scope_row, scope_row.task_id, actor, Action.SUBMIT, certification)

    certification, data = submit_certification(nomination, actor)
    return _run(open_task[0], actor, Action.SUBMIT, apply, reason=certification, data=data)


def review_forward(*, actor, task_id, reason="", on_behalf_of=None):
    def apply(process, nomination, scope_row):
        process.outcome = Outcome.FORWARD
        _record(nomination, scope_row, scope_row.task_id, actor, Action.FORWARD, reason)

    return _run(task_id, actor, Action.FORWARD, apply, reason=reason, on_behalf_of=on_behalf_of)


def review_return(*, actor, task_id, reason, on_behalf_of=None):
    """Return for revision: back to the proposing unit, then up the route again from the start."""
    reason = _require_reason(reason, _("Phải nêu lý do trả lại hồ sơ."))

    def apply(process, nomination, scope_row):
        process.outcome = Outcome.RETURN
        nomination.revision_count += 1
        nomination.save(update_fields=["revision_count", "updated_at"])
        _record(nomination, scope_row, scope_row.task_id, actor, Action.RETURN, reason)

    return _run(task_id, actor, Action.RETURN, apply, reason=reason, on_behalf_of=on_behalf_of)


def review_reject(*, actor, task_id, reason, on_behalf_of=None):
    reason = _require_reason(reason, _("Phải nêu lý do từ chối."))

    def apply(process, nomination, scope_row):
        process.outcome = Outcome.REJECT
        nomination_move(nomination, status=Status.REJECTED, step=Step.REJECTED, due_on=None)
        _record(nomination, scope_row, scope_row.task_id, actor, Action.REJECT, reason)
        notifications.nomination_rejected(nomination, reason)

    return _run(task_id, actor, Action.REJECT, apply, reason=reason, on_behalf_of=on_behalf_of)


def appraisal_approve(*, actor, task_id, reason="", on_behalf_of=None):
    def apply(process, nomination, scope_row):
        eligibility_check(nomination=nomination)
        process.outcome = Outcome.APPROVE
        _record(nomination, scope_row, scope_row.task_id, actor, Action.APPROVE, reason)

    return _run(task_id, actor, Action.APPROVE, apply, reason=reason, on_behalf_of=on_behalf_of)


def nomination_resubmit(*, actor, task_id, reason=""):
    def apply(process, nomination, scope_row):
        missing = dossier_missing(nomination)
        if missing:
            raise ValidationError({"files": _("Hồ sơ còn thiếu: %(kinds)s.") % {"kinds": ", ".join(missing)}})
        eligibility_check(nomination=nomination)
        _record(nomination, scope_row, scope_row.task_id, actor, Action.RESUBMIT, reason)

    return _run(task_id, actor, Action.RESUBMIT, apply, reason=reason)


def vote_record(
    *,
    actor,
    task_id,
    members_total,
    members_present,
    votes_for,
    votes_against,
    written_for=0,
    written_against=0,
    minutes=None,
    council=None,
):
    """Record the tally of the council's secret ballot; below threshold the nomination is not approved.

    The checks, the vote rule and the rows are `workflows.steps`' (`vote_council`, `vote_build`), which the batch
    step recording a whole meeting's votes asks too."""
    totals = VoteTotals(
        members_total=members_total,
        members_present=members_present,
        votes_for=votes_for,
        votes_against=votes_against,
        written_for=written_for,
        written_against=written_against,
        minutes=minutes,
        council=council,
    )

    def apply(process, nomination, scope_row):
        _unanswered_feedback_guard(nomination, "votes_for")
        chosen = vote_council(
            nomination,
            totals,
            round_check=honours.vote_council_errors(nomination=nomination, members_total=members_total),
            on_agenda=council is None and nomination.pk in on_open_agenda([nomination.pk]),
            unit_council=configured_council,
        )
        vote = vote_build(nomination, totals, chosen, actor)
        vote.save()
        process.outcome = vote_outcome(vote)
        tally.update(
            vote_event_data(totals, vote)
        )  # the tally and its outcome go into the task's audit event
        if not vote.passed:
            nomination_move(nomination, **VOTE_FAILED_MOVE)
        return vote

    tally = {}
    return _run(task_id, actor, Action.RECORD_VOTE, apply, data=tally)


def vote_outcome_reason(vote):
    if not vote.quorum_met:
        return _("Không đủ số thành viên có mặt theo quy định.")
    if not vote.passed:
        return _("Số phiếu đồng ý chưa đạt tỷ lệ %(pct)s%% trên tổng số thành viên Hội đồng.") % {
            "pct": int(vote.threshold * 100)
        }
    return ""


def _unanswered_feedback_guard(nomination, field):
    _unanswered_feedback_guard_many([nomination], field)


def _unanswered_feedback_guard_many(nominations, field):
    """Refuse if any of `nominations` has public feedback still unanswered (one query for a whole decision)."""
    pending = unanswered_feedback(n.pk for n in nominations)
    for nomination in nominations:
        if nomination.pk in pending:
            raise feedback_refusal(nomination, field)


def _council_minutes_guard(ids):
    """Refuse nominations passed at a council meeting whose signed minutes have not been uploaded yet."""
    unsigned = sorted(
        AgendaItem.objects.filter(nomination_id__in=ids, vote__passed=True, meeting__minutes_signed="")
        .values_list("nomination_id", flat=True)
        .distinct()
    )
    if unsigned:
        raise ValidationError(
            {
                "nominations": _("Chưa có biên bản họp Hội đồng đã ký cho đề nghị: %(ids)s.")
                % {"ids": ", ".join(f"#{pk}" for pk in unsigned)}
            }
        )


@dataclass(frozen=True)
class SigningPlan:
    """What signing would issue, checked as at signature: shown on the confirmation page and the draft PDF."""

    issuer: object
    rows: list
    scopes: dict
    title: str
    signed_on: object
    is_ad_hoc: bool
    ids: list


def _signing_plan(*, actor, nominations, title="", signed_on=None):
    """Check that `actor` may sign one decision for `nominations` now; the rules of `decision_sign`."""
    ids = sorted({n.pk if hasattr(n, "pk") else int(n) for n in nominations})
    if not ids:
        raise ValidationError({"nominations": _("Chọn ít nhất một đề nghị để ký.")})
    shared = ("award_type", "deciding_unit", "unit")
    rows = list(
        Nomination.objects.select_related("nominee", *shared_joins(len(ids), *shared))
        .filter(pk__in=ids)
        .order_by("pk")
    )
    related_shared((rows, shared))
    if len(rows) != len(ids):
        raise ValidationError({"nominations": _("Có đề nghị không tồn tại.")})
    scope = scope_of(actor)
    issuers = {n.deciding_unit_id for n in rows}
    if len(issuers) != 1:
        raise ValidationError(
            {"nominations": _("Một quyết định chỉ gồm các đề nghị của cùng một cấp quyết định.")}
        )
    issuer = rows[0].deciding_unit
    if not scope.can("sign_decision", issuer.pk):
        raise PermissionDenied
    scopes = {
        s.nomination_id: s
        for s in TaskScope.objects.filter(nomination_id__in=ids, is_open=True, step=Step.SIGN)
    }
    not_ready = [n for n in rows if n.pk not in scopes]
    if not_ready:
        raise ValidationError(
            {
                "nominations": _("Đề nghị chưa được phê duyệt để ký: %(ids)s.")
                % {"ids": ", ".join(f"#{n.pk}" for n in not_ready)}
            }
        )
    _unanswered_feedback_guard_many(rows, "nominations")
    _council_minutes_guard(ids)
    signed_on = signed_on or timezone.localdate()
    ad_hoc = {n.is_ad_hoc for n in rows}
    if len(ad_hoc) != 1:
        raise ValidationError(
            {"nominations": _("Không ký chung khen thưởng đột xuất với khen thưởng thường xuyên.")}
        )
    round_error = honours.sign_errors(rows)
    if round_error:
        raise ValidationError({"nominations": round_error})
    # The rules are checked again before signing: history or discipline may have changed since submission. The
    # records' facts are read for the whole decision at once.
    keys = {key for nomination in rows if (key := subject_key(nomination.nominee)) is not None}
    with subject_facts_preloaded(subject_facts_load(keys)):
        for nomination in rows:
            eligibility_check(nomination=nomination, day=signed_on)
    is_ad_hoc = ad_hoc.pop()
    default_title = _("Về việc khen thưởng đột xuất") if is_ad_hoc else _("Về việc khen thưởng")
    default_title = honours.decision_title(rows) or default_title
    return SigningPlan(
        issuer=issuer,
        rows=rows,
        scopes=scopes,
        title=title or default_title,
        signed_on=signed_on,
        is_ad_hoc=is_ad_hoc,
        ids=ids,
    )


def decision_preview(*, actor, nominations, title="", signed_on=None, register_number=""):
    """Return (plan, number, cash by nomination id, total) of the decision `decision_sign` would issue, without
    writing anything: the confirmation page and the draft PDF read it."""
    plan = _signing_plan(actor=actor, nominations=nominations, title=title, signed_on=signed_on)
    number = decision_number_peek(
        issuer=plan.issuer, year=plan.signed_on.year, register_number=register_number
    )
    cash = cash_for_nominations(plan.rows, plan.signed_on)
    total = sum((c.amount for c in cash.values()), Decimal("0"))
    return plan, number, cash, total


@_transition_atomic
def decision_sign(*, actor, nominations, title="", signed_on=None, register_number=""):
    """Sign one decision for many approved nominations of one deciding unit; number assigned at signature."""
    plan = _signing_plan(actor=actor, nominations=nominations, title=title, signed_on=signed_on)
    issuer, rows, scopes, signed_on, ids = plan.issuer, plan.rows, plan.scopes, plan.signed_on, plan.ids
    # A substitute (ủy quyền) signs as themself, for the holder: the audit names both, and the signer block reads
    # "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" (NĐ 30/2020 Điều 13), never the holder's "TM. …".
    acting_for = _delegator(scope_of(actor), "sign_decision", issuer.pk)
    decision = decision_create(
        issuer=issuer,
        signer=actor,
        nominations=rows,
        signed_on=signed_on,
        register_number=register_number,
        title=plan.title,
        is_ad_hoc=plan.is_ad_hoc,
        legal_basis=LegalBasis.in_force_on(signed_on),
        position=SignerPosition.DEPUTY if acting_for else None,
    )
    event_record(
        action="decision.sign",
        actor=actor,
        on_behalf_of=acting_for,
        obj=decision,
        chain=f"decision:{decision.pk}",
        role=Role.APPROVER,
        unit_code=issuer.code,
        data={
            "number": decision.number,
            "nominations": ids,
            "total_amount": str(decision.total_amount),
            "is_ad_hoc": decision.is_ad_hoc,
            **({"acting_for": acting_for.username} if acting_for else {}),
        },
    )
    _sign_tasks(actor, decision, rows, scopes)
    _after_sign(decision)
    return decision


def _sign_tasks(actor, decision, rows, scopes):
    """Complete the signature tasks of the decision's nominations as one batch step (workflows.steps): the review
    record naming the decision, the award in each history, the nominations awarded, their processes ended."""
    # The signature, named as such: recording it as "approve" showed a second appraisal on the page.
    reason = _("Quyết định số %(number)s") % {"number": decision.number}
    results = tasks_complete_batch(
        actor=actor,
        task_ids=[scopes[nomination.pk].task_id for nomination in rows],
        action=Action.SIGN,
        record_reason=reason,
        data={"decision": decision.number},
    )
    refused = [f"#{n.pk}: {results[scopes[n.pk].task_id]}" for n in rows if results[scopes[n.pk].task_id]]
    if refused:
        raise ValidationError({"nominations": refused})


def _sign_tasks_one_at_a_time(actor, decision, rows, scopes):
    """`_sign_tasks` one task at a time through `_run` and viewflow's activations: the path the batch step must
    equal row for row (tests/workflows/test_batch_rows.py runs both)."""
    reason = _("Quyết định số %(number)s") % {"number": decision.number}

    def apply(process, nomination, scope_row):
        _record(nomination, scope_row, scope_row.task_id, actor, Action.SIGN, reason)

    for nomination in rows:
        _run(scopes[nomination.pk].task_id, actor, Action.SIGN, apply, data={"decision": decision.number})


def _after_sign(decision):
    """Queue the decision's documents once the signature is committed."""
    transaction.on_commit(lambda: tasks.decision_documents_render.delay(decision.pk))


def review_bulk(*, actor, task_ids, action, reason=""):
    """Forward, approve, return or reject many tasks; each is its own transaction, so one failure leaves the others
    applied."""
    handlers = {
        Action.FORWARD: review_forward,
        Action.APPROVE: appraisal_approve,
        Action.RETURN: review_return,
        Action.REJECT: review_reject,
    }
    if action not in handlers:
        raise ValidationError({"action": _("Thao tác hàng loạt không hợp lệ.")})
    results = {}
    for task_id in task_ids:
        try:
            handlers[action](actor=actor, task_id=task_id, reason=reason)
            results[task_id] = None
        except (ValidationError, PermissionDenied) as exc:
            results[task_id] = _message(exc)
    return results


def task_complete(*, actor, task_id, action, reason="", **extra):
    """Dispatch an action name (as the API names them) to its service."""
    if action == Action.FORWARD:
        return review_forward(actor=actor, task_id=task_id, reason=reason)
    if action == Action.RETURN:
        return review_return(actor=actor, task_id=task_id, reason=reason)
    if action == Action.REJECT:
        return review_reject(actor=actor, task_id=task_id, reason=reason)
    if action == Action.APPROVE:
        return appraisal_approve(actor=actor, task_id=task_id, reason=reason)
    if action == Action.RESUBMIT:
        return nomination_resubmit(actor=actor, task_id=task_id, reason=reason)
    if action == Action.RECORD_VOTE:
        return vote_record(actor=actor, task_id=task_id, **extra)
    if action == Action.SUBMIT:
        scope_row = TaskScope.objects.select_related("nomination").filter(task_id=task_id).first()
        if scope_row is None:
            raise ValidationError(ALREADY_DONE)
        return nomination_submit(actor=actor, nomination=scope_row.nomination)
    raise ValidationError({"action": _("Thao tác không hợp lệ.")})


__all__ = ["DongKhoiFlow", "FastTrackFlow", "StandardRouteFlow"]


CALENDAR_KINDS = {"working_day": True, "day_off": False}
CALENDAR_FIELDS = ("date", "kind", "reason", "source")


def _calendar_day(value):
    value = (value or "").strip()
    if "/" in value:
        day_, month, year = (value.split("/") + ["", ""])[:3]
        value = f"{year}-{month.zfill(2)}-{day_.zfill(2)}"
    try:
        return parse_date(value)
    except ValueError:
        return None


def calendar_rows_check(*, year, rows):
    """Return the rows as (day, is_working_day, note, source), or raise ValidationError listing every bad row."""
    errors, checked, seen = [], [], set()
    for number, row in enumerate(rows, start=1):
        row = {key: str(row.get(key) or "").strip() for key in CALENDAR_FIELDS}
        day = _calendar_day(row["date"])
        if day is None:
            errors.append(
                _("Dòng %(n)s: ngày “%(value)s” không hợp lệ.") % {"n": number, "value": row["date"]}
            )
            continue
        if day.year != year:
            errors.append(
                _("Dòng %(n)s: ngày %(day)s không thuộc năm %(year)s.")
                % {"n": number, "day": day, "year": year}
            )
        if day in seen:
            errors.append(_("Dòng %(n)s: ngày %(day)s bị lặp.") % {"n": number, "day": day})
        seen.add(day)
        if row["kind"] not in CALENDAR_KINDS:
            errors.append(
                _("Dòng %(n)s: loại “%(value)s” không hợp lệ (working_day hoặc day_off).")
                % {"n": number, "value": row["kind"]}
            )
        if not row["source"]:
            errors.append(_("Dòng %(n)s: thiếu căn cứ (số thông báo).") % {"n": number})
        for key in ("reason", "source"):
            if len(row[key]) > 200:
                errors.append(_("Dòng %(n)s: “%(field)s” dài quá 200 ký tự.") % {"n": number, "field": key})
        checked.append((day, CALENDAR_KINDS.get(row["kind"]), row["reason"], row["source"]))
    if not checked and not errors:
        errors.append(_("Tệp không có dòng nào."))
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def calendar_exceptions_load(*, actor, year, rows):
    """Enter a year's government notice as calendar exceptions; all rows or none. Return {created, changed, same}."""
    counts = {"created": 0, "changed": 0, "same": 0}
    for day, is_working_day, note, source in calendar_rows_check(year=year, rows=rows):
        values = {"is_working_day": is_working_day, "note": note, "source": source}
        row = CalendarException.objects.select_for_update().filter(day=day).first()
        if row is None:
            row = CalendarException.objects.create(day=day, **values)
            changes = {key: [None, value] for key, value in values.items()}
            action, counts["created"] = "calendar.exception_add", counts["created"] + 1
        else:
            changes = {
                key: [getattr(row, key), value] for key, value in values.items() if getattr(row, key) != value
            }
            if not changes:
                counts["same"] += 1
                continue
            for key, value in values.items():
                setattr(row, key, value)
            row.save()
            action, counts["changed"] = "calendar.exception_change", counts["changed"] + 1
        event_record(action=action, actor=actor, obj=row, data={"changes": changes, "year": year})
    return counts
