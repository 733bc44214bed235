"""Opening and closing a council meeting: the two steps that touch the nominations' tasks.

The agenda is the nominations whose open task is the council vote (`tally_vote`) at the council's unit; closing
counts every item (typed totals or secret ballots), then records each result through `services.vote_record` (the
same transition, lock, audit event and routing as a single vote: passed → sign, failed → not approved), all in one
transaction: either the whole agenda moves on, or nothing does and each bad row says why.
"""

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.meetings import (
    attendance_counts,
    ballots_counted,
    can_run_meeting,
    meeting_audit,
    meeting_locked_open,
    tally_of,
)
from approvals.models import AgendaItem, Attendance, BallotMode, Meeting, MeetingStatus, VoteRecord
from nominations.process import Action, Step
from organisation.models import Council, CouncilKind
from workflows import services
from workflows.bulk import related_shared, rows_update
from workflows.models import TaskScope
from workflows.steps import VoteTotals, tasks_complete_batch


def agenda_candidates(council, award_codes=(), nominations=None):
    """Return the open vote tasks waiting for `council`: at its unit, not on another open meeting's agenda; an
    advisory council takes only the nominations of the rounds it selects for, a full council none of those; only
    those of `nominations` (ids) when given."""
    scopes = TaskScope.objects.filter(is_open=True, step=Step.TALLY_VOTE, unit_id=council.unit_id).exclude(
        nomination_id__in=AgendaItem.objects.filter(meeting__status=MeetingStatus.OPEN).values(
            "nomination_id"
        )
    )
    if council.kind == CouncilKind.ADVISORY:
        scopes = scopes.filter(nomination__round__council=council)
    else:
        scopes = scopes.filter(Q(nomination__round__isnull=True) | Q(nomination__round__council=council))
    if award_codes:
        scopes = scopes.filter(nomination__award_type__code__in=list(award_codes))
    if nominations is not None:
        scopes = scopes.filter(nomination_id__in=list(nominations))
    return scopes.select_related(
        "nomination__award_type", "nomination__nominee", "nomination__unit"
    ).order_by("nomination__award_type__code", "nomination_id")


@transaction.atomic
def meeting_open(
    *, actor, council, held_on, place, ballot_mode=BallotMode.PAPER, award_codes=(), nominations=None
):
    """Open a meeting of `council`: its agenda is every nomination awaiting its vote (of `award_codes` if given;
    only those of `nominations`, ids, if given: a session of a long list), its attendance list every member seated
    on `held_on`, all absent until the secretary records them."""
    if not can_run_meeting(actor, council):
        raise PermissionDenied
    council = Council.objects.select_for_update().select_related("unit").get(pk=council.pk)
    errors = {}
    if held_on is None:
        errors["held_on"] = _("Nhập ngày họp.")
    elif not council.is_valid_on(held_on):
        errors["council"] = _("Hội đồng không còn hiệu lực vào ngày họp.")
    if not (place or "").strip():
        errors["place"] = _("Nhập địa điểm họp.")
    if ballot_mode not in BallotMode.values:
        errors["ballot_mode"] = _("Hình thức bỏ phiếu không hợp lệ.")
    members = list(council.members_on(held_on)) if held_on else []
    if held_on and not members and "council" not in errors:
        errors["council"] = _("Hội đồng chưa khai báo thành viên còn hiệu lực vào ngày họp.")
    # Only the two keys each agenda row needs, in the agenda's order (no model instances for 500 items).
    scopes = list(
        agenda_candidates(council, award_codes, nominations).values_list("nomination_id", "task_id")
    )
    if not scopes:
        errors["award_types"] = _("Không có đề nghị nào đang chờ Hội đồng này bỏ phiếu.")
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        council=council,
        held_on=held_on,
        place=place.strip(),
        ballot_mode=ballot_mode,
        members_total=len(members),
        opened_by=actor,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, nomination_id=nomination_id, task_id=task_id, order=index)
        for index, (nomination_id, task_id) in enumerate(scopes, start=1)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=member, is_present=False) for member in members
    )
    meeting_audit(
        meeting,
        actor,
        "meeting.open",
        {
            "council": council.pk,
            "held_on": held_on.isoformat(),
            "ballot_mode": ballot_mode,
            "members_total": len(members),
            "agenda": [nomination_id for nomination_id, _task_id in scopes],
        },
    )
    return meeting


@transaction.atomic
def meeting_close(*, actor, meeting):
    """Close the ballot: count every item, record each result through the vote transition, end the meeting."""
    if not can_run_meeting(actor, meeting.council):
        raise PermissionDenied
    meeting = meeting_locked_open(meeting)
    present, _written = attendance_counts(meeting)
    items = list(meeting.items.select_related("nomination__nominee"))
    related_shared(([item.nomination for item in items], ["award_type"]))  # a few award types, read once
    device = meeting.ballot_mode == BallotMode.DEVICE
    counted = ballots_counted(meeting) if device else {}
    errors, tallies = {}, {}
    for item in items:
        if device:
            item.votes_for, item.votes_against = counted.get(item.pk, (0, 0))
        if item.votes_for is None or item.votes_against is None:
            errors[f"item-{item.pk}"] = _("Dòng %(n)s (%(name)s): chưa nhập kết quả kiểm phiếu.") % {
                "n": item.order,
                "name": item.nomination.nominee.full_name,
            }
            continue
        try:
            tallies[item.pk] = tally_of(
                award_type=item.nomination.award_type, **_totals(meeting, item, present).counts
            )
        except ValidationError as exc:
            errors[f"item-{item.pk}"] = _("Dòng %(n)s: %(problems)s") % {
                "n": item.order,
                "problems": " ".join(exc.messages),
            }
    if errors:
        raise ValidationError(errors)
    refused = _votes_record(actor, meeting, items, present)
    for item in items:
        if refused.get(item.pk):
            errors[f"item-{item.pk}"] = _("Dòng %(n)s (%(name)s): %(problems)s") % {
                "n": item.order,
                "name": item.nomination.nominee.full_name,
                "problems": refused[item.pk],
            }
    if errors:
        raise ValidationError(errors)
    # The vote each item's task recorded: the latest of its nomination, written under this transaction's locks.
    votes = dict(
        VoteRecord.objects.filter(nomination_id__in=[item.nomination_id for item in items])
        .order_by("pk")
        .values_list("nomination_id", "pk")
    )
    for item in items:
        item.vote_id = votes[item.nomination_id]
    rows_update(AgendaItem, items, ["votes_for", "votes_against", "vote"])
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_by = actor
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["status", "closed_by", "closed_at"])
    passed = [item.nomination_id for item in items if tallies[item.pk].passed]
    meeting_audit(
        meeting,
        actor,
        "meeting.close",
        {
            "members_present": present,
            "passed": passed,
            "failed": [item.nomination_id for item in items if not tallies[item.pk].passed],
        },
    )
    return meeting


def _totals(meeting, item, present):
    return VoteTotals(
        members_total=meeting.members_total,
        members_present=present,
        votes_for=item.votes_for,
        votes_against=item.votes_against,
        written_for=item.written_for,
        written_against=item.written_against,
        council=meeting.council,
    )


def _votes_record(actor, meeting, items, present):
    """Record every item's tally as one batch step (workflows.steps: the vote rows, the routing to sign or not
    approved, notices, scope rows, audit events — what `services.vote_record` leaves for each); return {item id:
    why it was refused} for the refused ones."""
    by_task = {item.task_id: _totals(meeting, item, present) for item in items}

    def one(batch_item):  # a task whose path the batch step does not run
        services.vote_record(
            actor=actor, task_id=batch_item.task.pk, **_arguments(by_task[batch_item.task.pk])
        )

    results = tasks_complete_batch(
        actor=actor, task_ids=list(by_task), action=Action.RECORD_VOTE, per_task=by_task, fallback=one
    )
    return {item.pk: results[item.task_id] for item in items if results[item.task_id]}


def _votes_record_one_at_a_time(actor, meeting, items, present):
    """`_votes_record` one item at a time through `services.vote_record`: the path the batch step must equal row
    for row (tests/workflows/test_batch_rows.py runs both; bench/council_close.py times both)."""
    refused = {}
    for item in items:
        totals = _totals(meeting, item, present)
        try:
            services.vote_record(actor=actor, task_id=item.task_id, **_arguments(totals))
        except (ValidationError, PermissionDenied) as exc:
            refused[item.pk] = services._message(exc)
    return refused


def _arguments(totals):
    """`services.vote_record`'s keyword arguments of `totals`."""
    return {field.name: getattr(totals, field.name) for field in dataclasses.fields(totals)}
