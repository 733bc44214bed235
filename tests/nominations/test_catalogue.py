"""The award catalogue is versioned by effective date; the law changed on 1/7/2025."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from nominations.models import AwardType, BaseSalary, LegalBasis, Movement


@pytest.mark.django_db
def test_cstdcs_is_decided_at_district_before_july_2025_and_at_base_after():
    before = AwardType.version_on("chien_si_thi_dua_co_so", date(2025, 6, 30))
    after = AwardType.version_on("chien_si_thi_dua_co_so", date(2025, 7, 1))
    assert before.deciding_tier == "district" and after.deciding_tier == "base"
    assert before.pk != after.pk


@pytest.mark.django_db
def test_legal_basis_in_force_on_the_receiving_day():
    assert LegalBasis.in_force_on(date(2025, 3, 1)).code == "98/2023/NĐ-CP"
    assert LegalBasis.in_force_on(date(2025, 8, 1)).code == "152/2025/NĐ-CP"


@pytest.mark.django_db
def test_cash_follows_the_base_salary_in_force_and_household_factor():
    bang_khen = AwardType.version_on("bang_khen_tinh")
    salary = BaseSalary.in_force_on(date(2026, 1, 1))
    assert salary == Decimal("2340000")
    assert bang_khen.cash_for("individual", salary) == Decimal("2340000")
    assert bang_khen.cash_for("household", salary) == Decimal("3510000")
    assert AwardType.version_on("co_thi_dua_tinh").cash_for("collective", salary) == Decimal("18720000")


@pytest.mark.django_db
def test_thresholds_count_all_members():
    assert AwardType.version_on("chien_si_thi_dua_tinh").vote_threshold == Decimal("0.900")
    assert AwardType.version_on("chien_si_thi_dua_co_so").vote_threshold == Decimal("0.800")


@pytest.mark.django_db
def test_movement_has_hai_chan_ba_mui():
    movement = Movement.objects.get(code="dong_khoi_moi_2020_2025")
    roots = list(movement.content_areas.filter(parent=None).values_list("code", flat=True))
    assert roots == ["chan_1", "chan_2", "mui_1", "mui_2", "mui_3"]
    assert movement.content_areas.filter(parent__code="chan_2").count() == 10


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    from organisation.models import Membership, Unit

    units, memberships = Unit.objects.count(), Membership.objects.count()
    call_command("seed_demo")
    assert (Unit.objects.count(), Membership.objects.count()) == (units, memberships)
    assert "Demo@2026" in capsys.readouterr().out


@pytest.mark.django_db
def test_cong_dan_dong_khoi_is_a_fixed_twenty_million():
    title = AwardType.version_on("cong_dan_dong_khoi")
    assert title.cash_for("individual", Decimal("2340000")) == Decimal("20000000")


@pytest.mark.django_db
def test_award_types_newest_gives_one_version_per_code_as_of_the_day():
    from nominations.selectors import award_types_newest

    code = "chien_si_thi_dua_co_so"
    for day in (date(2025, 6, 30), date(2025, 7, 1)):
        newest = list(award_types_newest(day))
        assert len({a.code for a in newest}) == len(newest)
        assert [a for a in newest if a.code == code] == [AwardType.version_on(code, day)]
    ever = {a.code: a for a in award_types_newest(in_force=False)}
    assert set(ever) == set(AwardType.objects.values_list("code", flat=True))
    assert ever[code] == AwardType.objects.filter(code=code).order_by("-effective_from").first()


def test_standing_council_data_migration_corrects_only_the_vote_fields_in_force(db):
    """0012_fill_standing_council_vets: a database loaded when TTLĐXS was voted gets the vote fields corrected; a
    name edited in the admin since stays."""
    from django.apps import apps as django_apps

    from nominations import catalogue

    code = "tap_the_lao_dong_xuat_sac"
    AwardType.objects.filter(code=code).update(
        requires_council_vote=True, vote_threshold="0.8", counts_written_opinions=True, name="TTLĐXS (sửa)"
    )
    catalogue.fill_council_votes(django_apps, {code}, date(2026, 12, 1))
    award = AwardType.version_on(code)
    assert (award.requires_council_vote, award.vote_threshold, award.counts_written_opinions) == (
        False,
        0,
        False,
    )
    assert award.vote_basis == catalogue.STANDING_COUNCIL_VETS and award.name == "TTLĐXS (sửa)"
    voted = AwardType.version_on("co_thi_dua_tinh")
    assert voted.requires_council_vote and voted.vote_threshold == Decimal("0.8")
