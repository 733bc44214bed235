"""Emulation registrations over the API (issue 24): the same services as the pages, the same refusals."""

from decimal import Decimal

import pytest

from nominations.models import Registration, RegistrationStatus
from tests.factories import pdf_upload
from tests.movement_factories import launch_successor, this_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def movement(people):
    return launch_successor(people)


def test_a_commune_registers_reports_and_is_acknowledged_over_the_api(people, as_user, movement):
    payload = {"movement": movement.code, "unit": "BT.MCN.DINHTHUY", "year": this_year()}
    assert (
        as_user(people.district_reviewer).post("/api/v1/registrations/", payload, format="json").status_code
        == 403
    )
    response = as_user(people.clerk).post("/api/v1/registrations/", payload, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["reviewer_unit"] == "BT.MCN"
    commitment = {"content_area": "chan_2.1", "description": "Hai ấp kiểu mẫu", "kind": "number"}
    response = as_user(people.clerk).post(
        f"/api/v1/registrations/{pk}/commitments/", commitment, format="json"
    )
    assert response.status_code == 400 and "value" in response.json()
    response = as_user(people.clerk).post(
        f"/api/v1/registrations/{pk}/commitments/", {**commitment, "value": "2"}, format="json"
    )
    assert response.status_code == 201, response.json()
    commitment_id = response.json()["id"]
    for persona in ("other_clerk", "district_reviewer"):  # not its preparers: unseen, or seen but refused
        response = as_user(getattr(people, persona)).post(
            f"/api/v1/registrations/{pk}/commitments/", {**commitment, "value": "2"}, format="json"
        )
        assert response.status_code in (403, 404)
    assert (
        as_user(people.clerk).post(f"/api/v1/registrations/{pk}/submit/", {}, format="json").status_code
        == 403
    )
    response = as_user(people.head).post(f"/api/v1/registrations/{pk}/submit/", {}, format="json")
    assert response.json()["status"] == RegistrationStatus.SUBMITTED
    # Another district's reviewer does not see it; the province is not the tier above a commune.
    assert as_user(people.other_reviewer).get(f"/api/v1/registrations/{pk}/").status_code == 404
    response = as_user(people.province_reviewer).post(
        f"/api/v1/registrations/{pk}/acknowledge/", {}, format="json"
    )
    assert response.status_code in (403, 404)
    response = as_user(people.district_reviewer).post(
        f"/api/v1/registrations/{pk}/return/", {}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()
    response = as_user(people.district_reviewer).post(
        f"/api/v1/registrations/{pk}/acknowledge/", {}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == RegistrationStatus.ACKNOWLEDGED
    assert as_user(people.district_reviewer).post(f"/api/v1/registrations/{pk}/bogus/", {}).status_code == 404

    url = f"/api/v1/registrations/{pk}/results/"
    result = {"commitment": commitment_id, "description": "Đạt", "value": "2"}
    response = as_user(people.district_reviewer).post(
        url, {**result, "file": pdf_upload()}, format="multipart"
    )
    assert response.status_code == 403
    response = as_user(people.clerk).post(url, {**result, "file": pdf_upload()}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["is_met"] is True and response.json()["evidence"] == "bao-cao-thanh-tich.pdf"
    listed = as_user(people.clerk).get("/api/v1/registrations/").json()
    assert [row["id"] for row in listed] == [pk]
    assert listed[0]["commitments"][0]["results"][0]["value"] == "2.00"
    assert Registration.objects.get(pk=pk).commitments.get().results.get().value == Decimal(2)
    assert as_user(people.outsider).get("/api/v1/registrations/").json() == []
