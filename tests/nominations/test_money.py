"""Cash to the đồng: rates per award and subject, rounded up to 10,000 đồng, base salary by decision date, only the
highest title of one period paid (NĐ 152/2025 Điều 49–54; NĐ 98/2023 before 1/7/2025)."""

from datetime import date
from decimal import Decimal

import pytest

from nominations.models import AwardHistory, AwardType, CashRate, CashRounding, Nomination, Nominee
from nominations.money import cash_for, cash_for_nominations
from tests.factories import unit

pytestmark = pytest.mark.django_db

NĐ98_DAY = date(2024, 3, 1)  # base salary 1,800,000 (NĐ 24/2023)
NĐ98_LATER = date(2024, 8, 1)  # base salary 2,340,000 (NĐ 73/2024), still NĐ 98
NĐ152_DAY = date(2025, 9, 1)  # base salary 2,340,000, NĐ 152


def version(code, day):
    """The award type version of `day` (the catalogue versions only the types the law changed; rates are dated
    on their own)."""
    return AwardType.version_on(code, day) or AwardType.objects.filter(code=code).first()


def amount(code, subject, day):
    return cash_for(award_type=version(code, day), subject_type=subject, day=day).amount


@pytest.mark.parametrize(
    "code, subject, day, expected",
    [
        # LĐTT 0.3: 540,000 exact; 702,000 rounded up to 710,000.
        ("lao_dong_tien_tien", "individual", NĐ98_DAY, 540_000),
        ("lao_dong_tien_tien", "individual", NĐ98_LATER, 710_000),
        ("lao_dong_tien_tien", "individual", NĐ152_DAY, 710_000),
        ("chien_si_thi_dua_co_so", "individual", NĐ98_DAY, 1_800_000),
        ("chien_si_thi_dua_co_so", "individual", NĐ152_DAY, 2_340_000),
        ("chien_si_thi_dua_tinh", "individual", NĐ98_DAY, 5_400_000),
        ("chien_si_thi_dua_tinh", "individual", NĐ152_DAY, 7_020_000),
        # TTLĐTT 0.8 × 2,340,000 = 1,872,000 → 1,880,000; TTLĐXS 1.5 × 2,340,000 = 3,510,000.
        ("tap_the_lao_dong_tien_tien", "collective", NĐ98_DAY, 1_440_000),
        ("tap_the_lao_dong_tien_tien", "collective", NĐ152_DAY, 1_880_000),
        ("tap_the_lao_dong_xuat_sac", "collective", NĐ98_DAY, 2_700_000),
        ("tap_the_lao_dong_xuat_sac", "collective", NĐ152_DAY, 3_510_000),
        ("co_thi_dua_tinh", "collective", NĐ98_DAY, 14_400_000),
        ("co_thi_dua_tinh", "collective", NĐ152_DAY, 18_720_000),
        # Bằng khen tỉnh: individual 1.0, collective 2.0, household 1.5.
        ("bang_khen_tinh", "individual", NĐ98_DAY, 1_800_000),
        ("bang_khen_tinh", "collective", NĐ98_DAY, 3_600_000),
        ("bang_khen_tinh", "household", NĐ98_DAY, 2_700_000),
        ("bang_khen_tinh", "individual", NĐ152_DAY, 2_340_000),
        ("bang_khen_tinh", "collective", NĐ152_DAY, 4_680_000),
        ("bang_khen_tinh", "household", NĐ152_DAY, 3_510_000),
        # Giấy khen: individual 0.3 (702,000 → 710,000), collective 0.6 (1,404,000 → 1,410,000),
        # household 0.45 (1,053,000 → 1,060,000).
        ("giay_khen", "individual", NĐ98_DAY, 540_000),
        ("giay_khen", "collective", NĐ98_DAY, 1_080_000),
        ("giay_khen", "household", NĐ98_DAY, 810_000),
        ("giay_khen", "individual", NĐ152_DAY, 710_000),
        ("giay_khen", "collective", NĐ152_DAY, 1_410_000),
        ("giay_khen", "household", NĐ152_DAY, 1_060_000),
        ("cong_dan_dong_khoi", "individual", NĐ152_DAY, 20_000_000),
    ],
)
def test_amount_per_award_subject_and_base_salary_date(code, subject, day, expected):
    assert amount(code, subject, day) == Decimal(expected)


def test_collective_is_paid_more_than_individual():
    for code in ("bang_khen_tinh", "giay_khen"):
        assert amount(code, "collective", NĐ152_DAY) > amount(code, "individual", NĐ152_DAY)


def test_basis_names_the_calculation_and_the_decree():
    cash = cash_for(
        award_type=AwardType.version_on("lao_dong_tien_tien", NĐ152_DAY),
        subject_type="individual",
        day=NĐ152_DAY,
    )
    assert "0,3 × 2.340.000 = 702.000, làm tròn 710.000" in cash.basis
    assert "152/2025" in cash.basis and "Điều 49 khoản 2" in cash.basis


def test_a_new_rate_row_changes_the_amount_from_its_date_only():
    CashRate.objects.create(
        award_code="giay_khen",
        subject_type="individual",
        multiplier=Decimal("0.5"),
        effective_from=date(2026, 1, 1),
        legal_basis="Văn bản giả định",
    )
    assert amount("giay_khen", "individual", date(2025, 12, 31)) == Decimal("710000")
    assert amount("giay_khen", "individual", date(2026, 1, 2)) == Decimal("1170000")


def test_rounding_step_is_dated_data():
    CashRounding.objects.create(step=100_000, effective_from=date(2026, 1, 1), legal_basis="Văn bản giả định")
    assert amount("lao_dong_tien_tien", "individual", date(2026, 1, 2)) == Decimal("800000")
    assert amount("lao_dong_tien_tien", "individual", date(2025, 12, 31)) == Decimal("710000")


def _nomination(pk, nominee, code, day, year=2025):
    return Nomination(pk=pk, nominee=nominee, award_type=version(code, day), period_year=year)


def test_only_the_highest_title_of_one_period_is_paid():
    person = Nominee.objects.create(kind="individual", full_name="Lê Văn Bình", unit=unit("BT"))
    other = Nominee.objects.create(kind="individual", full_name="Phạm Thị Cúc", unit=unit("BT"))
    rows = [
        _nomination(9001, person, "lao_dong_tien_tien", NĐ152_DAY),
        _nomination(9002, person, "chien_si_thi_dua_co_so", NĐ152_DAY),
        _nomination(9003, other, "lao_dong_tien_tien", NĐ152_DAY),
        _nomination(9004, person, "bang_khen_tinh", NĐ152_DAY),  # a commendation is not a competing title
    ]
    cash = cash_for_nominations(rows, NĐ152_DAY)
    assert cash[9001].amount == 0 and "Điều 49 khoản 5" in cash[9001].basis
    assert cash[9002].amount == Decimal("2340000")
    assert cash[9003].amount == Decimal("710000")
    assert cash[9004].amount == Decimal("2340000")


def test_a_title_already_outranked_earlier_in_the_year_carries_no_money():
    person = Nominee.objects.create(kind="individual", full_name="Võ Văn Dũng", unit=unit("BT"))
    AwardHistory.objects.create(nominee=person, award_code="chien_si_thi_dua_co_so", year=2025)
    cash = cash_for_nominations([_nomination(9101, person, "lao_dong_tien_tien", NĐ152_DAY)], NĐ152_DAY)
    assert cash[9101].amount == 0
    # A different year is a different period.
    cash = cash_for_nominations(
        [_nomination(9102, person, "lao_dong_tien_tien", NĐ152_DAY, year=2026)], NĐ152_DAY
    )
    assert cash[9102].amount == Decimal("710000")
