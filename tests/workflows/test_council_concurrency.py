"""Secret ballots under real concurrency (PostgreSQL): a member's two devices at once count one ballot."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from approvals.meetings import attendance_record, ballot_cast
from approvals.models import Ballot, BallotCast, BallotMode, Meeting
from tests.workflows.test_concurrency import _in_threads
from tests.workflows.test_council_meetings import open_meeting, seat_council, to_vote

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_member_voting_twice_at_the_same_moment_counts_once(tpeople):
    council, seats = seat_council(tpeople, size=5)
    to_vote(tpeople, "Tập thể A")
    meeting = open_meeting(tpeople, council, mode=BallotMode.DEVICE)
    attendance_record(actor=tpeople.secretary, meeting=meeting, present_ids=[s.pk for s in seats])
    item_id = meeting.items.get().pk
    User = get_user_model()
    member_id = seats[1].user_id

    def vote(choice):
        def call():
            return ballot_cast(
                actor=User.objects.get(pk=member_id),
                meeting=Meeting.objects.get(pk=meeting.pk),
                choices={item_id: choice},
            )

        return call

    outcomes = _in_threads(vote("for"), vote("against"), vote("for"))
    succeeded = [o for o in outcomes if o[1] is None]
    failed = [o for o in outcomes if o[1] is not None]
    assert len(succeeded) == 1 and len(failed) == 2
    assert all(isinstance(error, ValidationError) for _, error in failed)
    assert Ballot.objects.filter(item_id=item_id).count() == 1
    assert BallotCast.objects.filter(item_id=item_id).count() == 1


def test_different_members_vote_at_the_same_moment(tpeople):
    council, seats = seat_council(tpeople, size=5)
    to_vote(tpeople, "Tập thể A")
    meeting = open_meeting(tpeople, council, mode=BallotMode.DEVICE)
    attendance_record(actor=tpeople.secretary, meeting=meeting, present_ids=[s.pk for s in seats])
    item_id = meeting.items.get().pk
    User = get_user_model()

    def vote(user_id):
        def call():
            return ballot_cast(
                actor=User.objects.get(pk=user_id),
                meeting=Meeting.objects.get(pk=meeting.pk),
                choices={item_id: "for"},
            )

        return call

    outcomes = _in_threads(*(vote(seat.user_id) for seat in seats))
    assert [error for _, error in outcomes] == [None] * 5
    assert (
        Ballot.objects.filter(item_id=item_id).count()
        == BallotCast.objects.filter(item_id=item_id).count()
        == 5
    )
