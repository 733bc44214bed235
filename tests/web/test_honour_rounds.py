"""The Công dân Đồng Khởi round screens refuse whoever does not run rounds or file nominations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nominations.models import HonourRound, Nomination
from organisation.models import Council, CouncilKind
from tests.factories import open_dong_khoi_round, pdf_upload, unit


def login(client, user):
    client.force_login(user)
    return client


def _open_now(people):
    today = timezone.localdate()
    return open_dong_khoi_round(
        people.province_reviewer,
        year=today.year,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
    )


@pytest.mark.parametrize("persona", ["clerk", "district_reviewer", "outsider", "inspector"])
def test_only_the_province_appraisers_open_a_round(client, people, persona):
    today = timezone.localdate()
    council = Council.objects.get(unit__code="BT", kind=CouncilKind.ADVISORY)
    response = login(client, getattr(people, persona)).post(
        reverse("honours:round_open"),
        {
            "year": today.year,
            "council": council.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 403
    assert not HonourRound.objects.filter(year=today.year).exists()


@pytest.mark.parametrize("persona", ["clerk", "district_reviewer", "outsider"])
def test_only_the_province_appraisers_close_a_round(client, people, persona):
    honour_round = _open_now(people)
    response = login(client, getattr(people, persona)).post(
        reverse("honours:round_close", args=[honour_round.year])
    )
    assert response.status_code == 403
    honour_round.refresh_from_db()
    assert honour_round.status == "open"


def test_outsider_cannot_file_in_a_round(client, people):
    honour_round = _open_now(people)
    response = login(client, people.outsider).post(
        reverse("honours:round_nominate", args=[honour_round.year]),
        {
            "unit": unit("BT.MCN.DINHTHUY").pk,
            "variant": "tieu_bieu",
            "full_name": "Người Ngoài",
            "achievements": "x",
            "file": pdf_upload(),
        },
    )
    assert response.status_code == 403
    assert not Nomination.objects.exists()


def test_other_unit_clerk_cannot_file_for_my_unit_in_a_round(client, people):
    honour_round = _open_now(people)
    response = login(client, people.other_clerk).post(
        reverse("honours:round_nominate", args=[honour_round.year]),
        {
            "unit": unit("BT.MCN.DINHTHUY").pk,
            "variant": "tieu_bieu",
            "full_name": "Người Khác",
            "achievements": "x",
            "file": pdf_upload(),
        },
    )
    assert response.status_code == 400 and 'data-field="unit"' in response.content.decode()
    assert not Nomination.objects.exists()


def test_round_open_answers_bad_dates_on_the_field(client, people):
    today = timezone.localdate()
    council = Council.objects.get(unit__code="BT", kind=CouncilKind.ADVISORY)
    response = login(client, people.province_reviewer).post(
        reverse("honours:round_open"),
        {
            "year": today.year,
            "council": council.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today - timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 400 and 'data-field="closes_on"' in response.content.decode()
