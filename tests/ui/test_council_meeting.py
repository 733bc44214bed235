"""Browser journey of a council meeting: the secretary opens a meeting of 20 agenda items and records attendance,
five members vote secretly from their own browsers, the secretary closes the ballot and the whole agenda moves on."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from approvals.models import Ballot, BallotCast, Meeting
from nominations.models import Nomination, Status
from organisation.models import Council, CouncilKind, CouncilMember, CouncilPosition
from tests.factories import VOTED_COLLECTIVE, to_council_vote
from tests.ui.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEMS = 20


def seat_five(people):
    council = Council.objects.get(unit__code="BT", kind=CouncilKind.FULL)
    User = get_user_model()
    extra = []
    for name in ("uv_an", "uv_binh"):
        user = User.objects.create_user(name, password=PASSWORD, first_name="Ủy viên", last_name=name)
        extra.append(user)
    users = [people.secretary, people.chairman, people.council_member, *extra]
    positions = [CouncilPosition.SECRETARY, CouncilPosition.CHAIRMAN] + [CouncilPosition.MEMBER] * 3
    day = timezone.localdate()
    for user, position in zip(users, positions, strict=True):
        CouncilMember.objects.create(council=council, user=user, position=position, valid_from=day)
    return council, users


def test_meeting_of_twenty_items_with_five_members_voting(tpeople, live_server, login_as, screenshot):
    people = tpeople
    council, voters = seat_five(people)
    nominations = to_council_vote(people, *(f"Tập thể số {n:02d}" for n in range(1, ITEMS + 1)))

    page = login_as(people.secretary)
    page.goto(f"{live_server.url}/hop-hoi-dong/")
    page.select_option("#id_council", str(council.pk))
    page.fill("#id_place", "Hội trường UBND tỉnh")
    page.select_option("#id_ballot_mode", "device")
    page.check(f"input[name=award_codes][value={VOTED_COLLECTIVE}]")
    page.click("[data-testid=meeting-open] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(f"{ITEMS} đề nghị")
    meeting = Meeting.objects.get()
    for box in page.locator("[data-testid=attendance] input[name=present]").all():
        box.check()
    page.click("[data-testid=attendance] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Đã ghi điểm danh")
    screenshot(page, "council-01-secretary")

    # Item 1 gets 3 of 5 (below 80%), item 2 gets 4 of 5, the rest 5 of 5.
    against = {voters[4].username: {1, 2}, voters[3].username: {1}}
    for voter in voters:
        page = login_as(voter)
        page.goto(f"{live_server.url}/hop-hoi-dong/{meeting.pk}/")
        for item in meeting.items.all():
            value = "against" if item.order in against.get(voter.username, ()) else "for"
            page.check(f"input[name=choice-{item.pk}][value={value}]")
        if voter is voters[2]:
            screenshot(page, "council-02-member-ballot")
        page.click("[data-testid=ballot] button[type=submit]")
        expect(page.locator("[data-testid=ballot-done]")).to_be_visible()
    assert Ballot.objects.count() == BallotCast.objects.count() == ITEMS * len(voters)

    page = login_as(people.secretary)
    page.goto(f"{live_server.url}/hop-hoi-dong/{meeting.pk}/")
    page.click("[data-testid=close] button[type=submit]")
    expect(page.locator("[data-testid=meeting-status]")).to_have_text("Đã kết thúc bỏ phiếu")
    screenshot(page, "council-03-closed")
    statuses = dict(Nomination.objects.filter(pk__in=[n.pk for n in nominations]).values_list("pk", "status"))
    first, second = meeting.items.get(order=1).nomination_id, meeting.items.get(order=2).nomination_id
    assert statuses.pop(first) == Status.NOT_APPROVED
    assert set(statuses.values()) == {Status.AWAITING_SIGNATURE} and second in statuses
    expect(page.locator("[data-testid=minutes]")).to_contain_text("Tải biên bản (PDF)")
