"""Units, award types and movements: reference data by code."""

from nominations.catalogue import AWARD_TYPES


def _all(client, path):
    rows, url = [], path
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


def test_units_carry_tier_and_parent_codes(people, as_user):
    units = {u["code"]: u for u in _all(as_user(people.outsider), "/api/v1/units/?page_size=20")}
    assert units["BT"] == {"code": "BT", "name": "Tỉnh Bến Tre", "tier": "province", "parent": None}
    assert units["BT.MCN"]["tier"] == "district" and units["BT.MCN"]["parent"] == "BT"
    assert units["BT.MCN.DINHTHUY"]["tier"] == "base" and units["BT.MCN.DINHTHUY"]["parent"] == "BT.MCN"
    assert units["BT.SGDDT"]["tier"] == "department"
    assert units["BT.CUM1"]["tier"] == "cluster"


def test_units_are_paginated(people, as_user):
    page = as_user(people.clerk).get("/api/v1/units/?page_size=5").json()
    assert len(page["results"]) == 5 and page["count"] > 5 and page["next"]


def test_award_types_in_force_by_catalogue_code(people, as_user):
    rows = _all(as_user(people.clerk), "/api/v1/award-types/")
    codes = [a["code"] for a in rows]
    assert len(codes) == len(set(codes))
    assert {"bang_khen_tinh", "chien_si_thi_dua_co_so", "tap_the_lao_dong_xuat_sac"} <= set(codes)
    assert set(codes) <= {a["code"] for a in AWARD_TYPES}
    merit = next(a for a in rows if a["code"] == "bang_khen_tinh")
    assert merit["deciding_tier"] == "province" and merit["effective_to"] is None


def test_award_types_for_a_unit_and_unknown_unit(people, as_user):
    client = as_user(people.clerk)
    codes = {a["code"] for a in _all(client, "/api/v1/award-types/?unit=BT.MCN.DINHTHUY")}
    assert "bang_khen_tinh" in codes and "cong_dan_dong_khoi" not in codes
    response = client.get("/api/v1/award-types/?unit=NOPE")
    assert response.status_code == 400 and "unit" in response.json()


def test_movements_with_content_areas(people, as_user):
    rows = _all(as_user(people.clerk), "/api/v1/movements/")
    movement = next(m for m in rows if m["code"] == "dong_khoi_moi_2020_2025")
    assert movement["content_areas"]
    assert set(movement["content_areas"][0]) == {"code", "name", "parent"}
