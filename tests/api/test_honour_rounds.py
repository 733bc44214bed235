"""The Công dân Đồng Khởi round over the API: open and close (province appraisers only), file a nomination in it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from nominations.models import HonourRound, Nomination, Route
from organisation.models import Council, CouncilKind
from tests.api.conftest import nomination_payload


def _open_payload(today):
    council = Council.objects.get(unit__code="BT", kind=CouncilKind.ADVISORY)
    return {
        "year": today.year,
        "council": council.pk,
        "opens_on": (today - timedelta(days=1)).isoformat(),
        "closes_on": (today + timedelta(days=10)).isoformat(),
    }


def test_round_opened_filed_in_and_closed_over_the_api(people, as_user):
    today = timezone.localdate()
    response = as_user(people.province_reviewer).post(
        "/api/v1/honour-rounds/", _open_payload(today), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "open" and response.json()["year"] == today.year

    payload = nomination_payload(award_type="cong_dan_dong_khoi", round=today.year)
    payload["variant"] = "tieu_bieu"
    payload["period_year"] = today.year
    response = as_user(people.clerk).post("/api/v1/nominations/", payload, format="json")
    assert response.status_code == 201, response.json()
    nomination = Nomination.objects.get(pk=response.json()["id"])
    assert nomination.route == Route.DONG_KHOI and nomination.round.year == today.year

    response = as_user(people.province_reviewer).post(
        f"/api/v1/honour-rounds/{today.year}/close/", format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_unknown_round_is_a_field_error(people, as_user):
    payload = nomination_payload(award_type="cong_dan_dong_khoi", round=1999)
    response = as_user(people.clerk).post("/api/v1/nominations/", payload, format="json")
    assert response.status_code == 400 and "round" in response.json()


@pytest.mark.parametrize("who", ["clerk", "district_reviewer", "outsider"])
def test_only_province_appraisers_open_or_close_rounds(people, as_user, who):
    today = timezone.localdate()
    response = as_user(getattr(people, who)).post(
        "/api/v1/honour-rounds/", _open_payload(today), format="json"
    )
    assert response.status_code == 403
    assert not HonourRound.objects.filter(year=today.year).exists()
    as_user(people.province_reviewer).post("/api/v1/honour-rounds/", _open_payload(today), format="json")
    response = as_user(getattr(people, who)).post(f"/api/v1/honour-rounds/{today.year}/close/", format="json")
    assert response.status_code == 403
    assert HonourRound.objects.get(year=today.year).status == "open"
