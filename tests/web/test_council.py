"""Council meeting pages: open, attendance, the totals screen with row errors, device ballots, close, minutes."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import Ballot, BallotCast, Meeting
from nominations.models import Status
from organisation.models import CouncilMember, CouncilPosition
from tests.factories import pdf_upload
from tests.workflows.test_council_meetings import VOTED, seat_council, to_vote


@pytest.fixture
def setup(people):
    council, seats = seat_council(people)
    nominations = to_vote(people, "Tập thể A", "Tập thể B")
    return council, seats, nominations


def _open(client, people, council, mode="paper"):
    client.force_login(people.secretary)
    response = client.post(
        reverse("council:meeting_open"),
        {
            "council": council.pk,
            "held_on": timezone.localdate().isoformat(),
            "place": "Hội trường",
            "ballot_mode": mode,
            "award_codes": [VOTED],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Meeting.objects.get()


def test_paper_meeting_through_the_pages(client, people, setup):
    council, seats, (first, second) = setup
    meeting = _open(client, people, council)
    page = client.get(reverse("council:meeting", args=[meeting.pk]))
    assert page.status_code == 200 and "Tập thể A" in page.content.decode()
    response = client.post(
        reverse("council:attendance", args=[meeting.pk]), {"present": [s.pk for s in seats[:10]]}
    )
    assert response.status_code == 302
    items = {item.nomination_id: item.pk for item in meeting.items.all()}

    def row(item_id, votes_for, votes_against):
        return {
            f"item-{item_id}-votes_for": str(votes_for),
            f"item-{item_id}-votes_against": str(votes_against),
            f"item-{item_id}-written_for": "0",
            f"item-{item_id}-written_against": "0",
        }

    bad = {**row(items[first.pk], 9, 1), **row(items[second.pk], 9, 5)}
    response = client.post(reverse("council:totals", args=[meeting.pk]), bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'data-field="item-{items[second.pk]}"' in body
    assert f'data-field="item-{items[first.pk]}"' not in body
    assert "vượt quá số thành viên có mặt" in body
    response = client.post(reverse("council:totals", args=[meeting.pk]), {**row(items[first.pk], "x", 1)})
    assert response.status_code == 400 and "số nguyên không âm" in response.content.decode()
    good = {**row(items[first.pk], 10, 0), **row(items[second.pk], 6, 4)}
    assert client.post(reverse("council:totals", args=[meeting.pk]), good).status_code == 302
    assert client.post(reverse("council:close", args=[meeting.pk])).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.AWAITING_SIGNATURE, Status.NOT_APPROVED)
    pdf = client.get(reverse("council:minutes", args=[meeting.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    docx = client.get(reverse("council:minutes", args=[meeting.pk, "docx"]))
    assert docx.status_code == 200
    from docx import Document

    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(b"".join(docx.streaming_content))).tables
        for row_ in table.rows
        for cell in row_.cells
    )
    assert "Tập thể A" in text and "Tập thể B" in text and "Đạt" in text and "Không đạt" in text
    assert "90%" not in text and "80%" in text
    response = client.post(
        reverse("council:minutes_signed", args=[meeting.pk]), {"file": pdf_upload("bb.pdf")}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_signed


def test_members_vote_on_their_devices(client, people, setup):
    council, seats, (first, _second) = setup
    meeting = _open(client, people, council, mode="device")
    client.post(reverse("council:attendance", args=[meeting.pk]), {"present": [s.pk for s in seats]})
    items = list(meeting.items.all())
    client.force_login(people.council_member)
    page = client.get(reverse("council:meeting", args=[meeting.pk]))
    assert 'data-testid="ballot"' in page.content.decode()
    choices = {f"choice-{item.pk}": "for" for item in items}
    assert client.post(reverse("council:vote", args=[meeting.pk]), choices).status_code == 302
    assert Ballot.objects.count() == BallotCast.objects.count() == 2
    client.force_login(people.secretary)
    page = client.get(reverse("council:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="cast-1">1/11<' in page
    client.force_login(people.council_member)
    response = client.post(reverse("council:vote", args=[meeting.pk]), choices, follow=True)
    assert "chỉ bỏ một phiếu" in response.content.decode()
    assert Ballot.objects.count() == 2


def test_outsiders_are_refused(client, people, setup):
    council, seats, _ = setup
    meeting = _open(client, people, council)
    item = meeting.items.first()
    client.force_login(people.outsider)
    for name, args in [("meeting", [meeting.pk]), ("item", [meeting.pk, item.pk])]:
        assert client.get(reverse(f"council:{name}", args=args)).status_code == 404
    assert (
        client.post(reverse("council:vote", args=[meeting.pk]), {f"choice-{item.pk}": "for"}).status_code
        == 404
    )
    assert client.post(reverse("council:meeting_open"), {}).status_code == 403
    # A seated member reads the agenda but may not record, total or close.
    client.force_login(people.council_member)
    assert client.get(reverse("council:item", args=[meeting.pk, item.pk])).status_code == 200
    assert client.post(reverse("council:attendance", args=[meeting.pk]), {}).status_code == 403
    assert client.post(reverse("council:totals", args=[meeting.pk]), {}).status_code == 403
    assert client.post(reverse("council:close", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("council:meeting_open"), {}).status_code == 403
    # The secretary of another province's council neither.
    client.force_login(people.vl_secretary)
    assert client.post(reverse("council:close", args=[meeting.pk])).status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).status == "open"


def test_agenda_item_page_masks_sensitive_fields(client, people, setup):
    council, seats, (first, _) = setup
    first.nominee.citizen_id = "079123456789"
    first.nominee.discipline_status = "Khiển trách 2020"
    first.nominee.save()
    meeting = _open(client, people, council)
    client.force_login(people.council_member)
    body = client.get(
        reverse("council:item", args=[meeting.pk, meeting.items.get(nomination=first).pk])
    ).content.decode()
    assert "Tập thể A" in body and "079123456789" not in body and "Khiển trách" not in body
    # The policy, not the page, decides: an inspector seated in the council reads them, as on the nomination page.
    CouncilMember.objects.create(
        council=council,
        user=people.inspector,
        position=CouncilPosition.MEMBER,
        valid_from=seats[0].valid_from,
    )
    client.force_login(people.inspector)
    body = client.get(
        reverse("council:item", args=[meeting.pk, meeting.items.get(nomination=first).pk])
    ).content.decode()
    assert "079123456789" in body and "Khiển trách 2020" in body


def test_members_read_the_agenda_before_the_meeting_and_no_one_else(client, people, setup):
    """A meeting called for next week: its members read each dossier now (read-only); a reviewer who reads the
    nomination itself, the secretary of another province's council and an outsider do not see the agenda."""
    from workflows.meetings import meeting_open

    council, seats, (first, _) = setup
    meeting = meeting_open(
        actor=people.secretary,
        council=council,
        held_on=timezone.localdate() + timedelta(days=7),
        place="Hội trường",
    )
    item = meeting.items.get(nomination=first)
    client.force_login(people.council_member)
    body = client.get(reverse("council:item", args=[meeting.pk, item.pk])).content.decode()
    assert "Tập thể A" in body and "achievement_report.pdf" in body and "<form" not in body.split("<main")[-1]
    for outsider in (people.province_reviewer, people.vl_secretary, people.outsider):
        client.force_login(outsider)
        assert client.get(reverse("council:item", args=[meeting.pk, item.pk])).status_code == 404
        assert client.get(reverse("council:meeting", args=[meeting.pk])).status_code == 404


def test_decision_can_cite_the_minutes(client, people, setup):
    from approvals.decision_text import minutes_citations

    council, seats, (first, second) = setup
    meeting = _open(client, people, council)
    client.post(reverse("council:attendance", args=[meeting.pk]), {"present": [s.pk for s in seats]})
    rows = {}
    for item in meeting.items.all():
        votes = 11 if item.nomination_id == first.pk else 2
        rows.update(
            {f"item-{item.pk}-votes_for": str(votes), f"item-{item.pk}-votes_against": str(11 - votes)}
        )
    assert client.post(reverse("council:totals", args=[meeting.pk]), rows).status_code == 302
    client.post(reverse("council:close", args=[meeting.pk]))
    assert minutes_citations([second.pk]) == []
    (line,) = minutes_citations([first.pk, second.pk])
    assert line.startswith("Biên bản họp Hội đồng Thi đua – Khen thưởng tỉnh Bến Tre ngày")
