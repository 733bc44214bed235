"""Dossier requirements are dated catalogue rows: submit is refused with what is missing; lists show completeness."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nominations.models import DossierKind, DossierRequirement, Nomination, Status
from nominations.services import dossier_file_add, dossier_missing, dossier_missing_many
from tests.factories import award, file_nomination, pdf_upload
from workflows.services import nomination_submit

pytestmark = pytest.mark.django_db

BASIS = "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 84"


def require(kind, award_code="bang_khen_tinh", **fields):
    return DossierRequirement.objects.create(
        kind=kind, award_code=award_code, effective_from=date(2024, 1, 1), legal_basis=BASIS, **fields
    )


def test_bang_khen_without_its_required_documents_is_refused_with_the_list(people):
    require(DossierKind.MINUTES, form_name="biên bản họp xét ở cơ sở")
    require(DossierKind.LOCAL_OPINION)
    nomination = file_nomination(people.clerk, award_code="bang_khen_tinh", with_dossier=False)
    with pytest.raises(ValidationError) as refused:
        nomination_submit(actor=people.head, nomination=nomination)
    message = " ".join(refused.value.message_dict["files"])
    assert "Báo cáo thành tích" in message
    assert "Biên bản họp xét (biên bản họp xét ở cơ sở)" in message
    assert "Ý kiến của cấp ủy, chính quyền địa phương" in message
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT
    for kind in (DossierKind.ACHIEVEMENT_REPORT, DossierKind.MINUTES, DossierKind.LOCAL_OPINION):
        dossier_file_add(
            actor=people.clerk, nomination=nomination, kind=kind, uploaded=pdf_upload(f"{kind}.pdf")
        )
    nomination_submit(actor=people.head, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


def test_a_requirement_binds_only_its_award_and_route(people):
    require(DossierKind.MINUTES)
    other = file_nomination(people.clerk, award_code="lao_dong_tien_tien", with_dossier=False)
    assert dossier_missing(other) == ["Báo cáo thành tích"]
    fast = file_nomination(
        people.clerk, award_code="bang_khen_tinh", route="fast_track", with_dossier=False, full_name="Lê Đột"
    )
    require(DossierKind.EVIDENCE, route="standard")
    assert "Tài liệu chứng minh" not in dossier_missing(fast)


def test_a_requirement_out_of_force_does_not_bind(people):
    yesterday = timezone.localdate() - timedelta(days=1)
    require(DossierKind.MINUTES, effective_to=yesterday)
    nomination = file_nomination(people.clerk, award_code="bang_khen_tinh")
    assert dossier_missing(nomination) == []
    assert dossier_missing(nomination, day=yesterday) == ["Biên bản họp xét"]


def test_a_requirement_for_households_only_binds_households(people):
    require(DossierKind.LOCAL_OPINION, award_code="", subject_types=["household"])
    person = file_nomination(people.clerk, award_code="bang_khen_tinh")
    household = file_nomination(
        people.clerk, award_code="bang_khen_tinh", kind="household", full_name="Hộ ông Tư", position=""
    )
    assert dossier_missing(person) == []
    assert dossier_missing(household) == ["Ý kiến của cấp ủy, chính quyền địa phương"]


def test_cstd_tinh_keeps_the_initiative_rule_as_data(people):
    row = DossierRequirement.objects.get(award_code="chien_si_thi_dua_tinh", kind="initiative_certificate")
    assert "Điều 22" in row.legal_basis and row.route == "standard"
    # Filing CSTĐ tỉnh needs three years of history; the dossier rule reads only the award, so relabel a draft.
    nomination = file_nomination(people.clerk, award_code="chien_si_thi_dua_co_so", with_dossier=False)
    Nomination.objects.filter(pk=nomination.pk).update(award_type=award("chien_si_thi_dua_tinh"))
    nomination.refresh_from_db()
    dossier_file_add(
        actor=people.clerk, nomination=nomination, kind="achievement_report", uploaded=pdf_upload()
    )
    assert dossier_missing(nomination) == ["Giấy chứng nhận sáng kiến"]
    cstdcs = file_nomination(
        people.clerk, award_code="chien_si_thi_dua_co_so", with_dossier=False, full_name="B"
    )
    dossier_file_add(actor=people.clerk, nomination=cstdcs, kind="achievement_report", uploaded=pdf_upload())
    assert dossier_missing(cstdcs) == []


def test_many_agrees_with_one(people):
    require(DossierKind.MINUTES)
    complete = file_nomination(people.clerk, award_code="lao_dong_tien_tien", full_name="Đủ")
    lacking = file_nomination(people.clerk, award_code="bang_khen_tinh", full_name="Thiếu")
    gaps = dossier_missing_many([complete, lacking])
    assert gaps == {complete.pk: dossier_missing(complete), lacking.pk: dossier_missing(lacking)}
    assert gaps[complete.pk] == [] and gaps[lacking.pk] == ["Biên bản họp xét"]


def test_reviewer_sees_completeness_on_the_inbox_and_the_page(client, people):
    nomination = file_nomination(people.clerk, award_code="bang_khen_tinh")
    nomination_submit(actor=people.head, nomination=nomination)
    nomination.refresh_from_db()
    client.force_login(people.district_reviewer)
    home = client.get(reverse("nominations:home")).content.decode()
    assert 'data-testid="dossier-state"><span class="pill awarded">Đủ</span>' in home
    # A row added later binds dossiers received from its date: the page and the list say what is now lacking.
    DossierRequirement.objects.create(
        kind=DossierKind.MINUTES,
        award_code="bang_khen_tinh",
        effective_from=nomination.received_on,
        legal_basis=BASIS,
    )
    home = client.get(reverse("nominations:home")).content.decode()
    assert "Thiếu 1" in home and "Biên bản họp xét" in home
    page = client.get(reverse("nominations:detail", args=[nomination.pk])).content.decode()
    assert "Thiếu 1" in page and 'data-testid="missing-files"' in page


def test_the_admin_lists_and_edits_requirements(client, people):
    client.force_login(people.admin)
    response = client.get(reverse("admin:nominations_dossierrequirement_changelist"))
    assert response.status_code == 200 and "chien_si_thi_dua_tinh" in response.content.decode()


def test_a_list_is_refused_naming_each_incomplete_dossier(people):
    from workflows.batch import submission_create

    complete = file_nomination(people.clerk, full_name="Đủ Hồ Sơ")
    lacking = file_nomination(people.clerk, full_name="Thiếu Hồ Sơ", with_dossier=False)
    with pytest.raises(ValidationError) as refused:
        submission_create(actor=people.head, unit=complete.unit, nominations=[complete, lacking], number="3")
    message = " ".join(refused.value.message_dict["files"])
    assert f"#{lacking.pk} Thiếu Hồ Sơ: Báo cáo thành tích" in message and "Đủ Hồ Sơ" not in message
    complete.refresh_from_db()
    assert complete.status == Status.DRAFT and complete.submission_id is None
