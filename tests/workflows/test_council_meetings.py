"""Council meetings: configured members, agenda, attendance, quorum and thresholds, secret ballots, closing."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from approvals.meetings import attendance_record, ballot_cast, minutes_signed_upload, tally_of, totals_record
from approvals.models import AgendaItem, Ballot, BallotCast, BallotMode, Meeting, VoteRecord
from audit.models import Event
from nominations.models import AwardType, Status
from organisation.models import Council, CouncilKind, CouncilMember, CouncilPosition
from tests.factories import VOTED_COLLECTIVE, file_nomination, pdf_upload, to_council_vote
from workflows.meetings import agenda_candidates, meeting_close, meeting_open
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)

VOTED = VOTED_COLLECTIVE  # Cờ thi đua của UBND tỉnh: the full council votes, ≥ 80% of all members


def seat_council(people, size=11):
    """Seat `size` members in the province's full council: the secretary persona, the member persona, others."""
    council = Council.objects.get(unit__code="BT", kind=CouncilKind.FULL)
    User = get_user_model()
    users = [people.secretary, people.council_member, people.chairman]
    users += [User.objects.create_user(f"uv{i}", password="x") for i in range(size - len(users))]
    positions = [CouncilPosition.SECRETARY, CouncilPosition.MEMBER, CouncilPosition.CHAIRMAN]
    day = timezone.localdate()
    seats = [
        CouncilMember.objects.create(
            council=council,
            user=user,
            position=positions[i] if i < len(positions) else CouncilPosition.MEMBER,
            valid_from=day.replace(year=day.year - 1),
        )
        for i, user in enumerate(users[:size])
    ]
    return council, seats


def to_vote(people, *names):
    """Nominations of `names` waiting for the full council's vote (after review, appraisal and public posting)."""
    nominations = to_council_vote(people, *names)
    return nominations[0] if len(nominations) == 1 else nominations


def open_meeting(people, council, mode=BallotMode.PAPER, **kwargs):
    return meeting_open(
        actor=people.secretary,
        council=council,
        held_on=timezone.localdate(),
        place="Hội trường UBND tỉnh",
        ballot_mode=mode,
        **kwargs,
    )


def set_threshold(share, written=True):
    AwardType.objects.filter(code=VOTED).update(
        vote_threshold=Decimal(share), counts_written_opinions=written
    )


@pytest.fixture
def council(people):
    return seat_council(people)


# ------------------------------------------------------------------------------------------------ rules
def test_council_size_is_the_configured_membership(people, council):
    council, seats = council
    assert council.members_total == 15  # the declared number is no longer what counts
    assert council.size_on() == 11
    seats[-1].valid_to = timezone.localdate().replace(year=timezone.localdate().year - 1, month=12, day=31)
    seats[-1].save()
    assert council.size_on() == 10


def test_ninety_percent_of_eleven_counts_all_members():
    award = AwardType(vote_threshold=Decimal("0.9"), quorum=Decimal("0.667"), counts_written_opinions=True)
    passing = tally_of(award_type=award, members_total=11, members_present=11, votes_for=10, votes_against=1)
    failing = tally_of(award_type=award, members_total=11, members_present=11, votes_for=9, votes_against=2)
    assert passing.needed_for == 10 and passing.passed
    assert not failing.passed and failing.quorum_met


def test_written_opinions_count_only_where_the_catalogue_says_so():
    totals = {"members_total": 11, "members_present": 9, "votes_for": 8, "votes_against": 1, "written_for": 2}
    counted = AwardType(vote_threshold=Decimal("0.9"), quorum=Decimal("0.667"), counts_written_opinions=True)
    not_counted = AwardType(
        vote_threshold=Decimal("0.9"), quorum=Decimal("0.667"), counts_written_opinions=False
    )
    assert tally_of(award_type=counted, **totals).passed  # 8 + 2 written = 10 of 11
    assert not tally_of(award_type=not_counted, **totals).passed  # 8 of 11
    nine = {**totals, "written_for": 1, "written_against": 1}
    assert not tally_of(award_type=counted, **nine).passed  # 8 + 1 = 9 of 11


def test_quorum_met_and_not_met():
    award = AwardType(vote_threshold=Decimal("0.5"), quorum=Decimal("0.667"), counts_written_opinions=True)
    met = tally_of(award_type=award, members_total=11, members_present=8, votes_for=8, votes_against=0)
    short = tally_of(award_type=award, members_total=11, members_present=7, votes_for=7, votes_against=0)
    assert met.needed_present == 8 and met.quorum_met and met.passed
    assert not short.quorum_met and not short.passed  # 7 for is above 50% of 11, but only 7 of 11 sat


def test_written_opinions_cannot_exceed_the_absent():
    award = AwardType(vote_threshold=Decimal("0.9"), quorum=Decimal("0.667"), counts_written_opinions=True)
    with pytest.raises(ValidationError) as excinfo:
        tally_of(
            award_type=award,
            members_total=11,
            members_present=10,
            votes_for=8,
            votes_against=0,
            written_for=2,
        )
    assert "written_for" in excinfo.value.message_dict


def test_catalogue_states_the_vote_basis(db):
    award = AwardType.version_on("chien_si_thi_dua_tinh")
    assert award.requires_council_vote and award.counts_written_opinions
    assert "98/2023" in award.vote_basis
    assert not AwardType.version_on("bang_khen_tinh").requires_council_vote


def test_standing_council_awards_skip_the_vote(people, council):
    """Tập thể lao động xuất sắc is vetted by the standing council (catalogue data with its basis): after appraisal
    it goes straight to signature, never onto a meeting's agenda."""
    award = AwardType.version_on("tap_the_lao_dong_xuat_sac")
    assert not award.requires_council_vote and award.vote_threshold == 0
    assert "Thường trực Hội đồng" in award.vote_basis
    council, _seats = council
    nomination = file_nomination(
        people.clerk, award_code="tap_the_lao_dong_xuat_sac", kind="collective", full_name="Tập thể vetted"
    )
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
    nomination.refresh_from_db()
    assert nomination.status == Status.AWAITING_SIGNATURE and open_task_of(nomination).step == "sign"
    assert not agenda_candidates(council).exists()
    with pytest.raises(ValidationError):
        open_meeting(people, council)
    decision_sign(actor=people.chairman, nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED


# ------------------------------------------------------------------------------------------------ paper meeting
def test_paper_meeting_moves_the_whole_agenda(people, council):
    council, seats = council
    set_threshold("0.9")
    first, second, third = to_vote(people, "Tập thể A", "Tập thể B", "Tập thể C")
    meeting = open_meeting(people, council)
    items = {item.nomination_id: item for item in meeting.items.all()}
    assert set(items) == {first.pk, second.pk, third.pk}
    assert meeting.members_total == 11 and meeting.attendance.count() == 11
    attendance_record(
        actor=people.secretary,
        meeting=meeting,
        present_ids=[s.pk for s in seats[:9]],
        written_ids=[s.pk for s in seats[9:]],
    )
    # A row that does not add up is refused with its own message, and nothing is stored.
    with pytest.raises(ValidationError) as excinfo:
        totals_record(
            actor=people.secretary,
            meeting=meeting,
            rows={
                items[first.pk].pk: {
                    "votes_for": 8,
                    "votes_against": 1,
                    "written_for": 2,
                    "written_against": 0,
                },
                items[second.pk].pk: {
                    "votes_for": 8,
                    "votes_against": 2,
                    "written_for": 0,
                    "written_against": 0,
                },
                items[third.pk].pk: {
                    "votes_for": 5,
                    "votes_against": 0,
                    "written_for": 3,
                    "written_against": 0,
                },
            },
        )
    errors = excinfo.value.message_dict
    assert set(errors) == {f"item-{items[second.pk].pk}", f"item-{items[third.pk].pk}"}
    assert "vượt quá số thành viên có mặt" in errors[f"item-{items[second.pk].pk}"][0]
    assert AgendaItem.objects.get(pk=items[first.pk].pk).votes_for is None
    totals_record(
        actor=people.secretary,
        meeting=meeting,
        rows={
            items[first.pk].pk: {"votes_for": 8, "votes_against": 1, "written_for": 2, "written_against": 0},
            items[second.pk].pk: {"votes_for": 7, "votes_against": 2, "written_for": 2, "written_against": 0},
            items[third.pk].pk: {"votes_for": 9, "votes_against": 0, "written_for": 1, "written_against": 1},
        },
    )
    meeting_close(actor=people.secretary, meeting=meeting)
    for nomination in (first, second, third):
        nomination.refresh_from_db()
    assert first.status == Status.AWAITING_SIGNATURE  # 8 + 2 written = 10 of 11
    assert second.status == Status.NOT_APPROVED  # 7 + 2 = 9 of 11
    assert third.status == Status.AWAITING_SIGNATURE  # 9 + 1 = 10 of 11
    vote = VoteRecord.objects.get(nomination=first)
    assert (vote.members_total, vote.members_present, vote.written_for) == (11, 9, 2)
    assert vote.council == council and vote.agenda_item.meeting == meeting
    meeting.refresh_from_db()
    assert meeting.status == "closed"
    actions = list(Event.objects.filter(object_type="approvals.meeting").values_list("action", flat=True))
    assert actions == ["meeting.open", "meeting.attendance", "meeting.totals", "meeting.close"]
    assert Event.objects.filter(nomination_id=first.pk, action="task.record_vote").exists()


def test_closing_without_every_total_moves_nothing(people, council):
    council, seats = council
    first, second = to_vote(people, "Tập thể A", "Tập thể B")
    meeting = open_meeting(people, council)
    attendance_record(actor=people.secretary, meeting=meeting, present_ids=[s.pk for s in seats])
    item = meeting.items.get(nomination=first)
    totals_record(
        actor=people.secretary,
        meeting=meeting,
        rows={item.pk: {"votes_for": 11, "votes_against": 0, "written_for": 0, "written_against": 0}},
    )
    with pytest.raises(ValidationError) as excinfo:
        meeting_close(actor=people.secretary, meeting=meeting)
    assert list(excinfo.value.message_dict) == [f"item-{meeting.items.get(nomination=second).pk}"]
    assert open_task_of(first).step == "tally_vote"
    assert Meeting.objects.get(pk=meeting.pk).status == "open"


def test_quorum_not_met_fails_every_item(people, council):
    council, seats = council
    nomination = to_vote(people, "Tập thể A")
    meeting = open_meeting(people, council)
    attendance_record(actor=people.secretary, meeting=meeting, present_ids=[s.pk for s in seats[:7]])
    item = meeting.items.get()
    totals_record(
        actor=people.secretary,
        meeting=meeting,
        rows={item.pk: {"votes_for": 7, "votes_against": 0, "written_for": 0, "written_against": 0}},
    )
    meeting_close(actor=people.secretary, meeting=meeting)
    nomination.refresh_from_db()
    assert nomination.status == Status.NOT_APPROVED
    assert not VoteRecord.objects.get(nomination=nomination).quorum_met


def test_agenda_filter_by_award_type_and_not_twice(people, council):
    council, _seats = council
    to_vote(people, "Tập thể A")
    assert agenda_candidates(council, ["chien_si_thi_dua_tinh"]).count() == 0
    with pytest.raises(ValidationError) as excinfo:
        open_meeting(people, council, award_codes=["chien_si_thi_dua_tinh"])
    assert "award_types" in excinfo.value.message_dict
    meeting = open_meeting(people, council, award_codes=[VOTED])
    with pytest.raises(ValidationError):  # already on the agenda of an open meeting
        open_meeting(people, council)
    from workflows.services import vote_record

    with pytest.raises(ValidationError, match="chương trình một cuộc họp"):
        vote_record(
            actor=people.secretary,
            task_id=meeting.items.get().task_id,
            members_total=11,
            members_present=11,
            votes_for=11,
            votes_against=0,
        )


def test_a_long_list_is_voted_over_several_meetings_of_chosen_nominations(people, council):
    council, _seats = council
    first, second, third = to_vote(people, "Tập thể A", "Tập thể B", "Tập thể C")
    meeting = open_meeting(people, council, nominations=[first.pk, third.pk])
    assert sorted(meeting.items.values_list("nomination_id", flat=True)) == [first.pk, third.pk]
    with pytest.raises(ValidationError) as excinfo:  # both are on the first meeting's agenda
        open_meeting(people, council, nominations=[first.pk, third.pk])
    assert "award_types" in excinfo.value.message_dict
    assert list(open_meeting(people, council).items.values_list("nomination_id", flat=True)) == [second.pk]


# ------------------------------------------------------------------------------------------------ permissions
def test_only_the_secretary_opens_records_and_closes(people, council):
    council, seats = council
    to_vote(people, "Tập thể A")
    for outsider in (people.council_member, people.province_reviewer, people.vl_secretary, people.outsider):
        with pytest.raises(PermissionDenied):
            meeting_open(actor=outsider, council=council, held_on=timezone.localdate(), place="X")
    meeting = open_meeting(people, council)
    with pytest.raises(PermissionDenied):
        attendance_record(actor=people.council_member, meeting=meeting, present_ids=[])
    with pytest.raises(PermissionDenied):
        totals_record(actor=people.vl_secretary, meeting=meeting, rows={})
    with pytest.raises(PermissionDenied):
        meeting_close(actor=people.council_member, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == "open"


# ------------------------------------------------------------------------------------------------ secret ballots
def test_members_vote_secretly_and_once(people, council):
    council, seats = council
    set_threshold("0.9")
    first, second = to_vote(people, "Tập thể A", "Tập thể B")
    meeting = open_meeting(people, council, mode=BallotMode.DEVICE)
    attendance_record(actor=people.secretary, meeting=meeting, present_ids=[s.pk for s in seats])
    items = {item.nomination_id: item.pk for item in meeting.items.all()}
    for index, seat in enumerate(seats):
        choice_second = "for" if index < 9 else "against"
        ballot_cast(
            actor=seat.user,
            meeting=meeting,
            choices={items[first.pk]: "for", items[second.pk]: choice_second},
        )
    with pytest.raises(ValidationError):
        ballot_cast(actor=seats[0].user, meeting=meeting, choices={items[first.pk]: "against"})
    assert Ballot.objects.filter(item_id=items[first.pk]).count() == 11
    assert BallotCast.objects.filter(item_id=items[first.pk]).count() == 11
    with pytest.raises(PermissionDenied):  # not a member of this council
        ballot_cast(actor=people.province_reviewer, meeting=meeting, choices={items[first.pk]: "for"})
    meeting_close(actor=people.secretary, meeting=meeting)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.AWAITING_SIGNATURE  # 11 of 11
    assert second.status == Status.NOT_APPROVED  # 9 of 11 < 90%
    assert VoteRecord.objects.get(nomination=second).votes_for == 9
    with pytest.raises(ValidationError):  # the ballot is closed
        ballot_cast(actor=seats[1].user, meeting=meeting, choices={items[first.pk]: "for"})


def test_absent_member_cannot_vote_on_device(people, council):
    council, seats = council
    to_vote(people, "Tập thể A")
    meeting = open_meeting(people, council, mode=BallotMode.DEVICE)
    attendance_record(actor=people.secretary, meeting=meeting, present_ids=[s.pk for s in seats[1:]])
    with pytest.raises(ValidationError):
        ballot_cast(actor=seats[0].user, meeting=meeting, choices={meeting.items.get().pk: "for"})
    assert not Ballot.objects.exists() and not BallotCast.objects.exists()


def test_ballot_table_cannot_lead_to_a_member():
    """Schema: the ballot row holds the item and the choice only (no user, member, time or sequence)."""
    columns = {field.column for field in Ballot._meta.concrete_fields}
    assert columns == {"id", "item_id", "choice"}
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"
    related = {field.related_model for field in Ballot._meta.concrete_fields if field.is_relation}
    assert related == {AgendaItem}
    cast_columns = {field.column for field in BallotCast._meta.concrete_fields}
    assert "choice" not in cast_columns


@pytest.mark.django_db
def test_ballot_table_in_the_database_has_no_member_column():
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, Ballot._meta.db_table)
        constraints = connection.introspection.get_constraints(cursor, Ballot._meta.db_table)
    assert {column.name for column in description} == {"id", "item_id", "choice"}
    targets = {c["foreign_key"][0] for c in constraints.values() if c.get("foreign_key")}
    assert targets == {AgendaItem._meta.db_table}


# ------------------------------------------------------------------------------------------------ minutes
def test_signing_needs_the_signed_minutes(people, council):
    council, seats = council
    nomination = to_vote(people, "Tập thể A")
    meeting = open_meeting(people, council)
    attendance_record(actor=people.secretary, meeting=meeting, present_ids=[s.pk for s in seats])
    item = meeting.items.get()
    totals_record(
        actor=people.secretary,
        meeting=meeting,
        rows={item.pk: {"votes_for": 11, "votes_against": 0, "written_for": 0, "written_against": 0}},
    )
    with pytest.raises(ValidationError):  # not before the ballot is closed
        minutes_signed_upload(actor=people.secretary, meeting=meeting, uploaded=pdf_upload("bb.pdf"))
    meeting_close(actor=people.secretary, meeting=meeting)
    with pytest.raises(ValidationError, match="biên bản"):
        decision_sign(actor=people.chairman, nominations=[nomination])
    with pytest.raises(PermissionDenied):
        minutes_signed_upload(actor=people.council_member, meeting=meeting, uploaded=pdf_upload("bb.pdf"))
    minutes_signed_upload(actor=people.secretary, meeting=meeting, uploaded=pdf_upload("bb.pdf"))
    decision_sign(actor=people.chairman, nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED


def test_single_vote_form_checks_the_configured_membership(people, council):
    from workflows.services import vote_record

    council, seats = council
    nomination = to_vote(people, "Tập thể A")
    task = open_task_of(nomination).task_id
    totals = {"members_present": 10, "votes_for": 10, "votes_against": 0}
    with pytest.raises(ValidationError) as excinfo:
        vote_record(actor=people.secretary, task_id=task, members_total=15, **totals)
    assert "11 thành viên" in excinfo.value.message_dict["members_total"][0]
    vote = vote_record(actor=people.secretary, task_id=task, members_total=11, **totals)
    assert vote.passed and vote.council == council
