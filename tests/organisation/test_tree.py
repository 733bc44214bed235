"""Routes come from the unit tree: three-tier and two-tier provinces need no code change."""

from datetime import date

from nominations.services import award_types_for, deciding_unit_for, route_between
from organisation.models import Tier, Unit
from tests.factories import award, unit


def test_three_tier_route_from_a_commune_to_the_province(people):
    commune = unit("BT.MCN.DINHTHUY")
    decider = deciding_unit_for(unit=commune, award_type=award("bang_khen_tinh"))
    assert decider.code == "BT"
    assert [u.code for u in route_between(unit=commune, deciding_unit=decider)] == ["BT.MCN"]


def test_two_tier_route_goes_straight_to_the_province(people):
    commune = unit("VL.DINHTHUY")
    decider = deciding_unit_for(unit=commune, award_type=award("bang_khen_tinh"))
    assert decider.code == "VL"
    assert route_between(unit=commune, deciding_unit=decider) == []


def test_school_under_a_department_is_reviewed_by_the_department(people):
    school = unit("BT.SGDDT.THPT-BT")
    decider = deciding_unit_for(unit=school, award_type=award("bang_khen_tinh"))
    assert [u.code for u in route_between(unit=school, deciding_unit=decider)] == ["BT.SGDDT"]


def test_district_level_award_is_decided_by_the_district_or_department(people):
    assert deciding_unit_for(unit=unit("BT.MCN.DINHTHUY"), award_type=award("giay_khen")).code == "BT.MCN"
    assert deciding_unit_for(unit=unit("BT.SGDDT.THPT-BT"), award_type=award("giay_khen")).code == "BT.SGDDT"


def test_two_tier_commune_decides_its_own_giay_khen(people):
    """No district above it: the Chủ tịch UBND cấp xã decides (Luật 06/2022/QH15 Điều 80.3)."""
    assert deciding_unit_for(unit=unit("VL.DINHTHUY"), award_type=award("giay_khen")).code == "VL.DINHTHUY"
    codes = {a.code for a in award_types_for(unit("VL.DINHTHUY"))}
    assert "giay_khen" in codes and "bang_khen_tinh" in codes
    assert deciding_unit_for(unit=unit("BT.CUM1"), award_type=award("giay_khen")) is None


def test_base_title_is_decided_by_the_unit_itself(people):
    assert (
        deciding_unit_for(unit=unit("VL.DINHTHUY"), award_type=award("lao_dong_tien_tien")).code
        == "VL.DINHTHUY"
    )


def test_historical_units_stay_but_are_not_valid_today(people):
    old = Unit.objects.create(
        code="BT.OLD",
        name="Huyện cũ",
        tier=Tier.DISTRICT,
        parent=unit("BT"),
        valid_from=date(2000, 1, 1),
        valid_to=date(2025, 6, 30),
    )
    assert not old.is_active
    assert Unit.objects.valid_on(date(2024, 5, 1)).filter(code="BT.OLD").exists()
    assert not Unit.objects.valid_on(date(2025, 7, 1)).filter(code="BT.OLD").exists()


def test_lineage_is_nearest_first(people):
    assert [u.code for u in unit("BT.MCN.DINHTHUY").lineage()] == ["BT.MCN.DINHTHUY", "BT.MCN", "BT"]
