"""The citizen-ID probe through the API: nothing of another unit's person is returned or editable."""

import json

from nominations.models import Nomination
from tests.api.conftest import nomination_payload
from tests.factories import file_nomination
from workflows.services import nomination_submit

VICTIM_ID = "083090001234"


def test_api_probe_with_a_known_citizen_id_returns_nothing_of_the_other_record(people, as_user):
    victim = file_nomination(
        people.clerk,
        full_name="Võ Thị Nạn Nhân",
        birth_year=1957,
        position="Hiệu trưởng",
        citizen_id=VICTIM_ID,
    )
    nomination_submit(actor=people.head, nomination=victim)
    payload = nomination_payload(unit="BT.BATRI.ANNGAITRUNG")
    payload["nominee"] = {
        "kind": "individual",
        "full_name": "Người Dò Tìm",
        "birth_year": 1990,
        "position": "Cán bộ",
        "citizen_id": VICTIM_ID,
    }
    response = as_user(people.other_clerk).post("/api/v1/nominations/", payload, format="json")
    assert response.status_code == 201, response.json()
    text = json.dumps(response.json(), ensure_ascii=False)
    for secret in ("Nạn Nhân", "1957", "Hiệu trưởng", "Khiển trách", VICTIM_ID):
        assert secret not in text
    probe = Nomination.objects.get(pk=response.json()["id"])
    assert probe.nominee.person_id != victim.nominee.person_id
    victim.nominee.refresh_from_db()
    assert victim.nominee.full_name == "Võ Thị Nạn Nhân" and victim.nominee.birth_year == 1957


def test_api_citizen_id_must_have_twelve_digits(people, as_user):
    payload = nomination_payload()
    payload["nominee"]["citizen_id"] = "12345"
    response = as_user(people.clerk).post("/api/v1/nominations/", payload, format="json")
    assert response.status_code == 400
    assert "12 chữ số" in json.dumps(response.json(), ensure_ascii=False)
    assert not Nomination.objects.exists()


def test_api_collective_with_its_member_list_reports_the_rule_results(people, as_user):
    payload = nomination_payload(award_type="tap_the_lao_dong_xuat_sac")
    payload["nominee"] = {"kind": "collective", "full_name": "Tổ dân phố 2"}
    payload["members"] = [
        {"full_name": f"TV {i}", "is_advanced_worker": i < 5, "is_grassroots_emulation_fighter": i == 0}
        for i in range(10)
    ]
    response = as_user(people.clerk).post("/api/v1/nominations/", payload, format="json")
    assert response.status_code == 400
    assert "5/10" in json.dumps(response.json(), ensure_ascii=False)
    payload["members"] = [dict(member, is_advanced_worker=True) for member in payload["members"]]
    response = as_user(people.clerk).post("/api/v1/nominations/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rule_set"] == "nd152_2025"
    members_rule = next(r for r in body["eligibility"] if r["rule"] == "ttldxs_members")
    assert members_rule["outcome"] == "pass" and "Điều 27" in members_rule["basis"]
