"""The council meeting over the API: the same services as the meeting page, per-row field errors, secret ballots,
and every write refused to outsiders, to members of another council and (for the secretary's writes) to members."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from approvals.meetings import attendance_record
from approvals.models import AgendaItem, Ballot, BallotCast, BallotMode, Meeting
from nominations.models import Nominee, Status
from organisation.models import Council, CouncilKind, CouncilMember, CouncilPosition
from tests.factories import to_council_vote
from workflows.meetings import meeting_open


def _seat(council, user, position=CouncilPosition.MEMBER):
    day = timezone.localdate()
    return CouncilMember.objects.create(
        council=council, user=user, position=position, valid_from=day.replace(year=day.year - 1)
    )


@pytest.fixture
def seated(people):
    """The province's full council of five (secretary, chairman, the member persona, two more) and a member of the
    Mỏ Cày Nam district council, who sits in no meeting of the province."""
    council = Council.objects.get(unit__code="BT", kind=CouncilKind.FULL)
    User = get_user_model()
    users = [people.secretary, people.chairman, people.council_member]
    users += [User.objects.create_user(f"uv_api_{n}", password="x") for n in range(2)]
    positions = [CouncilPosition.SECRETARY, CouncilPosition.CHAIRMAN] + [CouncilPosition.MEMBER] * 3
    seats = [_seat(council, user, position) for user, position in zip(users, positions, strict=True)]
    district = Council.objects.get(unit__code="BT.MCN", kind=CouncilKind.FULL)
    other_member = User.objects.create_user("uv_mcn", password="x")
    _seat(district, other_member)
    return council, seats, other_member


def _meeting(people, council, mode):
    first, second = to_council_vote(people, "Tập thể Một", "Tập thể Hai")
    meeting = meeting_open(
        actor=people.secretary,
        council=council,
        held_on=timezone.localdate(),
        place="Hội trường UBND tỉnh",
        ballot_mode=mode,
    )
    items = {item.nomination_id: item.pk for item in meeting.items.all()}
    return meeting, items[first.pk], items[second.pk]


@pytest.fixture
def paper(people, seated):
    council, seats, _other = seated
    meeting, first, second = _meeting(people, council, BallotMode.PAPER)
    attendance_record(
        actor=people.secretary,
        meeting=meeting,
        present_ids=[s.pk for s in seats[:4]],
        written_ids=[seats[4].pk],
    )
    return meeting, first, second


@pytest.fixture
def device(people, seated):
    council, seats, _other = seated
    meeting, first, second = _meeting(people, council, BallotMode.DEVICE)
    attendance_record(actor=people.secretary, meeting=meeting, present_ids=[s.pk for s in seats[:4]])
    return meeting, first, second


def _row(item, votes_for, votes_against, written_for=0, written_against=0):
    return {
        "item": item,
        "votes_for": votes_for,
        "votes_against": votes_against,
        "written_for": written_for,
        "written_against": written_against,
    }


# ------------------------------------------------------------------------------------------------ reading
def test_members_list_their_meetings_and_read_the_agenda_without_sensitive_fields(people, as_user, paper):
    meeting, first, _second = paper
    item = AgendaItem.objects.get(pk=first)
    Nominee.objects.filter(pk=item.nomination.nominee_id).update(
        citizen_id="083090001234", discipline_status="Khiển trách năm 2025"
    )
    member = as_user(people.council_member)
    listed = member.get("/api/v1/meetings/").json()["results"]
    assert [row["id"] for row in listed] == [meeting.pk]
    response = member.get(f"/api/v1/meetings/{meeting.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["me"] == {"is_secretary": False, "position": "member", "is_present": True, "can_vote": False}
    assert (body["members_total"], body["members_present"], body["written_opinions"]) == (5, 4, 1)
    row = body["items"][0]
    assert row["nominee"]["full_name"] == "Tập thể Một" and row["award_type"] == "co_thi_dua_tinh"
    assert {f["kind"] for f in row["files"]} == {"achievement_report", "submission"}
    assert row["achievements"] == "Hoàn thành xuất sắc nhiệm vụ năm."
    text = response.content.decode()
    assert "083090001234" not in text and "Khiển trách" not in text
    assert as_user(people.secretary).get(f"/api/v1/meetings/{meeting.pk}/").json()["me"]["is_secretary"]


@pytest.mark.parametrize("who", ["outsider", "province_reviewer", "vl_secretary", "other_council"])
def test_who_sits_in_no_seat_of_the_council_sees_no_meeting(people, as_user, seated, paper, who):
    meeting, _first, _second = paper
    user = seated[2] if who == "other_council" else getattr(people, who)
    client = as_user(user)
    assert client.get("/api/v1/meetings/").json()["results"] == []
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert as_user(None).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 401


# ------------------------------------------------------------------------------------------------ paper totals
def test_totals_that_do_not_add_up_are_refused_row_by_row_in_vietnamese(people, paper):
    meeting, first, second = paper
    client = APIClient()  # no Accept-Language: Vietnamese, the default
    client.force_authenticate(people.secretary)
    url = f"/api/v1/meetings/{meeting.pk}/totals/"
    response = client.post(url, {"items": [_row(first, 4, 0), _row(second, 4, 1)]}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "items": {
            "1": {
                "votes_for": ["Tổng số phiếu đồng ý và không đồng ý (5) vượt quá số thành viên có mặt (4)."]
            }
        }
    }
    assert AgendaItem.objects.get(pk=first).votes_for is None  # a bad row refuses all
    response = client.post(url, {"items": [_row(first, "bốn", 0), {"item": second}]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"items": {"0": {"votes_for": ["Cần một số nguyên hợp lệ."]}}}
    response = client.post(url, {"items": [_row(first, 4, 0), _row(first, 3, 1)]}, format="json")
    assert response.status_code == 400 and "items" in response.json()
    response = client.post(url, {"items": [_row(first, 4, 0), {"item": second}]}, format="json")
    assert response.json() == {
        "items": {"1": {"votes_for": ["Nhập số phiếu."], "votes_against": ["Nhập số phiếu."]}}
    }
    response = client.post(url, {"items": [_row(2**31 - 2, 1, 0)]}, format="json")
    assert response.json() == {"items": {"0": {"item": ["Đề nghị không thuộc chương trình họp."]}}}


def test_totals_errors_follow_the_callers_language(people, as_user, paper):
    meeting, first, second = paper
    response = as_user(people.secretary, language="en").post(
        f"/api/v1/meetings/{meeting.pk}/totals/",
        {"items": [_row(first, 4, 0), _row(second, 4, 1)]},
        format="json",
    )
    assert response.status_code == 400
    assert "exceeds" in response.json()["items"]["1"]["votes_for"][0]


def test_paper_meeting_over_the_api_moves_the_whole_agenda(people, as_user, paper):
    meeting, first, second = paper
    secretary = as_user(people.secretary)
    # 5 members at 80%: 4 needed. First: 4 present for. Second: 3 for + 1 written for = 4, counted (NĐ 98 Điều 30.7).
    rows = [_row(first, 4, 0), _row(second, 3, 1, written_for=1)]
    response = secretary.post(f"/api/v1/meetings/{meeting.pk}/totals/", {"items": rows}, format="json")
    assert response.status_code == 200
    assert [(i["votes_for"], i["written_for"]) for i in response.json()["items"]] == [(4, 0), (3, 1)]
    response = secretary.post(f"/api/v1/meetings/{meeting.pk}/close/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "closed" and [i["passed"] for i in body["items"]] == [True, True]
    statuses = {AgendaItem.objects.get(pk=pk).nomination.status for pk in (first, second)}
    assert statuses == {Status.AWAITING_SIGNATURE}
    again = secretary.post(f"/api/v1/meetings/{meeting.pk}/close/")
    assert again.status_code == 400 and "non_field_errors" in again.json()


def test_closing_with_an_item_uncounted_names_it_and_moves_nothing(people, as_user, paper):
    meeting, first, second = paper
    secretary = as_user(people.secretary)
    secretary.post(f"/api/v1/meetings/{meeting.pk}/totals/", {"items": [_row(first, 4, 0)]}, format="json")
    response = secretary.post(f"/api/v1/meetings/{meeting.pk}/close/")
    assert response.status_code == 400 and list(response.json()) == [f"item-{second}"]
    assert Meeting.objects.get(pk=meeting.pk).status == "open"


# ------------------------------------------------------------------------------------------------ device ballots
def test_a_member_votes_secretly_once_per_item(people, as_user, device):
    meeting, first, second = device
    member = as_user(people.council_member)
    url = f"/api/v1/meetings/{meeting.pk}/ballots/"
    choices = {"items": [{"item": first, "choice": "for"}, {"item": second, "choice": "against"}]}
    response = member.post(url, choices, format="json")
    assert response.status_code == 201 and response.json() == {"cast": 2}
    again = member.post(url, {"items": [{"item": first, "choice": "against"}]}, format="json")
    assert again.status_code == 400 and "choices" in again.json()
    assert Ballot.objects.count() == BallotCast.objects.count() == 2
    detail = member.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert detail["me"]["can_vote"] and [i["voted_by_me"] for i in detail["items"]] == [True, True]
    assert [i["votes_for"] for i in detail["items"]] == [None, None]  # counted when the ballot closes
    assert all("choice" not in item for item in detail["items"])
    bad = member.post(url, {"items": [{"item": first, "choice": "abstain"}]}, format="json")
    assert bad.status_code == 400 and "choice" in bad.json()["items"]["0"]


def test_an_absent_member_cannot_vote(people, as_user, seated, device):
    meeting, first, _second = device
    absent = seated[1][4].user  # not marked present
    response = as_user(absent).post(
        f"/api/v1/meetings/{meeting.pk}/ballots/",
        {"items": [{"item": first, "choice": "for"}]},
        format="json",
    )
    assert response.status_code == 400
    assert not BallotCast.objects.exists()


def test_device_ballots_are_counted_when_the_secretary_closes(people, as_user, seated, device):
    meeting, first, second = device
    for seat in seated[1][:4]:
        choice = "against" if seat.user == people.chairman else "for"
        as_user(seat.user).post(
            f"/api/v1/meetings/{meeting.pk}/ballots/",
            {"items": [{"item": first, "choice": "for"}, {"item": second, "choice": choice}]},
            format="json",
        )
    body = as_user(people.secretary).post(f"/api/v1/meetings/{meeting.pk}/close/").json()
    # 5 members at 80%: 4 needed; the first has 4 for, the second 3 for.
    assert [(i["votes_for"], i["votes_against"], i["passed"]) for i in body["items"]] == [
        (4, 0, True),
        (3, 1, False),
    ]
    assert AgendaItem.objects.get(pk=second).nomination.status == Status.NOT_APPROVED


# ------------------------------------------------------------------------------------------------ refused writes
@pytest.mark.parametrize("who", ["outsider", "vl_secretary", "other_council"])
def test_writes_by_who_sits_in_no_seat_answer_404_and_change_nothing(people, as_user, seated, device, who):
    meeting, first, _second = device
    client = as_user(seated[2] if who == "other_council" else getattr(people, who))
    base = f"/api/v1/meetings/{meeting.pk}"
    assert (
        client.post(f"{base}/totals/", {"items": [_row(first, 0, 0, 1, 0)]}, format="json").status_code == 404
    )
    assert (
        client.post(
            f"{base}/ballots/", {"items": [{"item": first, "choice": "for"}]}, format="json"
        ).status_code
        == 404
    )
    assert client.post(f"{base}/close/").status_code == 404
    assert not BallotCast.objects.exists() and AgendaItem.objects.get(pk=first).written_for == 0
    assert Meeting.objects.get(pk=meeting.pk).status == "open"


def test_a_member_who_is_not_the_secretary_cannot_enter_totals_nor_close(people, as_user, paper):
    meeting, first, _second = paper
    member = as_user(people.council_member)
    base = f"/api/v1/meetings/{meeting.pk}"
    assert member.post(f"{base}/totals/", {"items": [_row(first, 4, 0)]}, format="json").status_code == 403
    assert member.post(f"{base}/close/").status_code == 403
    assert AgendaItem.objects.get(pk=first).votes_for is None
    assert Meeting.objects.get(pk=meeting.pk).status == "open"


def test_the_secretary_of_a_paper_meeting_gets_no_device_ballot(people, as_user, paper):
    meeting, first, _second = paper
    response = as_user(people.secretary).post(
        f"/api/v1/meetings/{meeting.pk}/ballots/",
        {"items": [{"item": first, "choice": "for"}]},
        format="json",
    )
    assert response.status_code == 400 and not Ballot.objects.exists()
