"""Closing a council meeting records every item's vote as one batch step, leaving exactly the rows of recording the
votes one at a time (issue 21).

The same meeting is closed twice from the same database state — once through `services.vote_record` for each item
(`meetings._votes_record_one_at_a_time`, the reference), rolled back, then through the batch step — and every
table either path writes is compared row by row (tests/workflows/test_batch_rows.py's snapshot): vote rows, agenda
items, the meeting, tasks and their links, scope rows, nominations, processes, view grants, notices and the audit
chains. Both passed votes (→ the chairman's signature) and failed ones (→ not approved, the process ended) are in it.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from approvals.meetings import attendance_record, totals_record
from approvals.models import Posting, PostingFeedback, VoteRecord
from audit.models import Event
from audit.verify import chain_verify
from nominations.models import Nomination, Status
from tests.factories import to_council_vote
from tests.workflows.test_batch_rows import Rollback, _marks, _snapshot
from tests.workflows.test_council_meetings import open_meeting, seat_council
from workflows import meetings
from workflows import services as services_module
from workflows.meetings import meeting_close
from workflows.services import open_task_of
from workflows.steps import VoteTotals, tasks_complete_batch

# (votes for, against, written for, written against) of an 11-member council, 10 present, one written opinion.
TOTALS = [(10, 0, 1, 0), (9, 1, 0, 0), (5, 5, 0, 0), (8, 2, 0, 1)]


def _meeting(people):
    council, seats = seat_council(people, size=11)
    nominations = to_council_vote(people, *(f"Tổ dân phố số {n}" for n in range(1, len(TOTALS) + 1)))
    meeting = open_meeting(people, council)
    attendance_record(
        actor=people.secretary,
        meeting=meeting,
        present_ids=[seat.pk for seat in seats[:10]],
        written_ids=[seats[10].pk],
    )
    items = list(meeting.items.order_by("order"))
    totals_record(
        actor=people.secretary,
        meeting=meeting,
        rows={
            item.pk: dict(
                zip(("votes_for", "votes_against", "written_for", "written_against"), row, strict=True)
            )
            for item, row in zip(items, TOTALS, strict=True)
        },
    )
    return meeting, nominations


def _forbidden(**kwargs):
    raise AssertionError("the batch step fell back to the one-at-a-time vote")


def _close_both_ways(people, monkeypatch, meeting):
    """Close `meeting` one vote at a time (rolled back), then in one batch step; return both snapshots or both
    refusals."""
    marks = _marks()
    one_error = batch_error = None
    try:
        with transaction.atomic():
            monkeypatch.setattr(meetings, "_votes_record", meetings._votes_record_one_at_a_time)
            try:
                meeting_close(actor=people.secretary, meeting=meeting)
            except ValidationError as exc:
                one_error = exc.message_dict
            one_by_one = _snapshot(marks)
            raise Rollback
    except Rollback:
        pass
    monkeypatch.undo()
    monkeypatch.setattr(services_module, "vote_record", _forbidden)  # no fallback: every path runs set-based
    try:
        meeting_close(actor=people.secretary, meeting=meeting)
    except ValidationError as exc:
        batch_error = exc.message_dict
    monkeypatch.undo()
    return one_by_one, _snapshot(marks), one_error, batch_error


@pytest.mark.django_db
def test_closing_a_meeting_in_one_batch_step_leaves_the_rows_of_one_vote_at_a_time(people, monkeypatch):
    meeting, nominations = _meeting(people)
    one_by_one, batch, one_error, batch_error = _close_both_ways(people, monkeypatch, meeting)
    assert one_error is None and batch_error is None, (one_error, batch_error)
    statuses = sorted(
        Nomination.objects.filter(pk__in=[n.pk for n in nominations]).values_list("status", flat=True)
    )
    assert statuses == sorted([Status.AWAITING_SIGNATURE] * 2 + [Status.NOT_APPROVED] * 2)
    assert len(batch["votes"]) == 4 and sum(row[1]["passed"] for row in batch["votes"]) == 2
    open_steps = sorted(row[1]["step"] for row in batch["scopes"] if row[1]["is_open"])
    assert open_steps == ["sign", "sign"], "the signature's tasks opened, the votes' closed"
    assert all(row[1]["vote"] for row in batch["agenda"])
    for key in one_by_one:
        assert batch[key] == one_by_one[key], json.dumps(
            [key, one_by_one[key], batch[key]], ensure_ascii=False, default=str
        )
    assert Event.objects.filter(action="task.record_vote").count() == 4
    assert chain_verify().ok


@pytest.mark.django_db
def test_a_refused_vote_refuses_the_whole_meeting_in_both_paths_with_its_row_named(people, monkeypatch):
    meeting, nominations = _meeting(people)
    posting = Posting.objects.filter(nomination=nominations[2]).latest("pk")
    PostingFeedback.objects.create(posting=posting, sender_name="Người dân", content="Đề nghị xem lại.")
    marks = _marks()
    one_by_one, batch, one_error, batch_error = _close_both_ways(people, monkeypatch, meeting)
    assert one_error == batch_error
    assert list(batch_error) == [f"item-{meeting.items.get(nomination=nominations[2]).pk}"]
    assert "Dòng 3 (Tổ dân phố số 3)" in batch_error[next(iter(batch_error))][0]
    assert batch == one_by_one
    assert not Event.objects.filter(pk__gt=marks[Event], action="task.record_vote").exists()
    assert meeting.items.filter(vote__isnull=False).count() == 0


@pytest.mark.django_db
def test_a_vote_batch_refuses_who_may_not_record_votes_and_changes_nothing(people):
    nominations = to_council_vote(people, "Tổ dân phố số 1", "Tổ dân phố số 2")
    task_ids = [open_task_of(nomination).task_id for nomination in nominations]
    totals = VoteTotals(members_total=11, members_present=11, votes_for=11, votes_against=0)
    for actor in (people.province_reviewer, people.outsider):
        results = tasks_complete_batch(
            actor=actor,
            task_ids=task_ids,
            action="record_vote",
            per_task=dict.fromkeys(task_ids, totals),
        )
        assert set(results) == set(task_ids) and all(results.values())
    assert not VoteRecord.objects.exists()
    assert [open_task_of(nomination).task_id for nomination in nominations] == task_ids
    assert not Event.objects.filter(action="task.record_vote").exists()
