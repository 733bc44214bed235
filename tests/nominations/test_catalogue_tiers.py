"""The deciding tier of each award type is dated data with its basis: a two-tier commune awards a Giấy khen."""

from datetime import date

from django.contrib.auth import get_user_model

from nominations.models import AwardType, Status
from organisation.services import membership_grant
from tests.factories import file_nomination, unit
from workflows.services import appraisal_approve, decision_sign, nomination_submit, open_task_of


def test_giay_khen_has_a_version_before_and_after_1_july_2025_with_its_basis(db):
    before = AwardType.version_on("giay_khen", date(2025, 6, 30))
    after = AwardType.version_on("giay_khen", date(2025, 7, 1))
    assert before.pk != after.pk
    assert before.effective_to == date(2025, 6, 30) and after.effective_from == date(2025, 7, 1)
    for version in (before, after):
        assert version.deciding_tier == "district" and version.fallback_tier == "base"
        assert "Điều 80" in version.legal_basis
    assert "98/2023" in before.legal_basis and "152/2025" in after.legal_basis
    cstdcs_before = AwardType.version_on("chien_si_thi_dua_co_so", date(2025, 6, 30))
    cstdcs_after = AwardType.version_on("chien_si_thi_dua_co_so", date(2025, 7, 1))
    assert (cstdcs_before.deciding_tier, cstdcs_after.deciding_tier) == ("district", "base")


def test_a_vinh_long_commune_awards_a_giay_khen(people):
    commune = unit("VL.DINHTHUY")
    User = get_user_model()
    reviewer = User.objects.create_user("vl_dinhthuy_reviewer")
    chair = User.objects.create_user("vl_dinhthuy_chairman")
    membership_grant(user=reviewer, unit=commune, role="reviewer")
    membership_grant(user=chair, unit=commune, role="approver")
    nomination = file_nomination(people.vl_clerk, unit_code="VL.DINHTHUY", award_code="giay_khen")
    assert nomination.deciding_unit == commune and nomination.route_units == []
    nomination_submit(actor=people.vl_head, nomination=nomination)
    appraisal_approve(actor=User.objects.get(pk=reviewer.pk), task_id=open_task_of(nomination).task_id)
    decision = decision_sign(actor=User.objects.get(pk=chair.pk), nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED and decision.issuer == commune
