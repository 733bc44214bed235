"""Eligibility rules as dated data: prerequisites from back-filled history, collective member shares, structured
discipline, the CSTĐCS alternatives, the once-only title, and the rule set recorded on the nomination."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nominations.eligibility import (
    CONFIRM,
    FAIL,
    PASS,
    RULE_SETS,
    eligibility_evaluate,
    results_as_data,
    rule_set_on,
    subject_facts_load,
    subject_facts_preloaded,
    subject_key,
)
from nominations.history import history_add
from nominations.models import DisciplineLevel, DisciplineState, Nomination, Person
from nominations.registry import discipline_record
from tests.factories import file_nomination, unit
from workflows.services import nomination_submit

CCCD = "083085001111"


def _person(name="Trần Văn Bền", citizen_id=CCCD):
    return Person.objects.create(
        full_name=name, citizen_id=citizen_id, birth_year=1985, unit=unit("BT.MCN.DINHTHUY")
    )


def _backfill(people, person, years, code="chien_si_thi_dua_co_so"):
    for year in years:
        history_add(
            actor=people.clerk,
            person=person,
            award_code=code,
            year=year,
            decision_number=f"{year % 100}/QĐ-UBND",
            decided_on=date(year + 1, 1, 15),
            issuer="UBND xã Định Thủy",
        )


def _file_cstd_tinh(people, **kwargs):
    return file_nomination(
        people.clerk,
        award_code="chien_si_thi_dua_tinh",
        full_name="Trần Văn Bền",
        citizen_id=CCCD,
        birth_year=1985,
        **kwargs,
    )


def test_cstd_tinh_with_three_backfilled_cstdcs_years_files_and_is_accepted(people):
    year = timezone.localdate().year
    person = _person()
    _backfill(people, person, [year - 3, year - 2, year - 1])
    nomination = _file_cstd_tinh(people)
    assert nomination.nominee.person == person
    nomination_submit(actor=people.head, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.rule_set == rule_set_on(timezone.localdate()).code
    streak = next(r for r in nomination.eligibility if r["rule"] == "cstd_tinh_streak")
    assert streak["outcome"] == PASS and "Điều 22" in streak["basis"]
    assert any(
        r["outcome"] == CONFIRM for r in nomination.eligibility
    )  # the initiative's scope is a judgement


def test_cstd_tinh_with_a_gap_is_refused_citing_the_article(people):
    year = timezone.localdate().year
    _backfill(people, _person(), [year - 4, year - 3, year - 1])
    with pytest.raises(ValidationError) as excinfo:
        _file_cstd_tinh(people)
    message = excinfo.value.message_dict["award_type"][0]
    assert "3 lần liên tục" in message and "Điều 22" in message
    assert not Nomination.objects.exists()


def test_revoked_or_ad_hoc_history_does_not_count(people):
    year = timezone.localdate().year
    person = _person()
    _backfill(people, person, [year - 3, year - 1])
    history_add(
        actor=people.clerk,
        person=person,
        award_code="chien_si_thi_dua_co_so",
        year=year - 2,
        decision_number="1/QĐ",
        decided_on=None,
        issuer="UBND xã",
        is_ad_hoc=True,
    )
    with pytest.raises(ValidationError):
        _file_cstd_tinh(people)


def _members(n, advanced, fighters=1, incomplete=0, disciplined_level=None):
    rows = []
    for i in range(n):
        rows.append(
            {
                "full_name": f"Thành viên {i}",
                "completed_tasks": i >= incomplete,
                "is_advanced_worker": i < advanced,
                "is_grassroots_emulation_fighter": i < fighters,
                "discipline_level": disciplined_level if i == n - 1 else None,
            }
        )
    return rows


def _file_collective(people, members, award_code="tap_the_lao_dong_xuat_sac"):
    from nominations.services import dossier_file_add  # noqa: F401 — factories need the dossier helpers
    from tests.factories import award, movement
    from workflows.services import nomination_file

    return nomination_file(
        actor=people.clerk,
        unit=unit("BT.MCN.DINHTHUY"),
        award_type=award(award_code),
        movement=movement(),
        nominee_data={"kind": "collective", "full_name": "Tổ dân phố 1"},
        period_year=timezone.localdate().year,
        achievements="Hoàn thành xuất sắc nhiệm vụ.",
        members=members,
    )


def test_collective_below_the_member_share_is_refused(people):
    with pytest.raises(ValidationError) as excinfo:
        _file_collective(people, _members(10, advanced=6))
    message = excinfo.value.message_dict["members"][0]
    assert "6/10" in message and "70%" in message and "Điều 27" in message


def test_collective_meeting_the_shares_files_with_its_member_list(people):
    nomination = _file_collective(people, _members(10, advanced=7))
    assert nomination.members.count() == 10
    result = next(r for r in nomination.eligibility if r["rule"] == "ttldxs_members")
    assert result["outcome"] == PASS


def test_advanced_collective_refuses_a_member_disciplined_at_warning(people):
    with pytest.raises(ValidationError) as excinfo:
        _file_collective(
            people,
            _members(10, advanced=10, disciplined_level=DisciplineLevel.WARNING),
            "tap_the_lao_dong_tien_tien",
        )
    assert "cảnh cáo" in excinfo.value.message_dict["members"][0]


def test_discipline_blocks_only_while_in_effect(people):
    person = _person()
    today = timezone.localdate()
    record = discipline_record(
        actor=people.clerk,
        person=person,
        state=DisciplineState.DECIDED,
        level=DisciplineLevel.REPRIMAND,
        decision_number="5/QĐ-KL",
        decided_on=today - timedelta(days=30),
        effective_until=today + timedelta(days=300),
    )
    with pytest.raises(ValidationError) as excinfo:
        file_nomination(people.clerk, full_name="Trần Văn Bền", citizen_id=CCCD, birth_year=1985)
    assert "kỷ luật" in excinfo.value.message_dict["nominee"][0]
    record.effective_until = today - timedelta(days=1)
    record.save()
    nomination = file_nomination(people.clerk, full_name="Trần Văn Bền", citizen_id=CCCD, birth_year=1985)
    assert nomination.nominee.person == person


def test_pending_investigation_blocks_and_free_text_no_longer_does(people):
    file_nomination(people.clerk, full_name="Người Không Kỷ Luật", discipline_status="Không")
    person = _person()
    discipline_record(
        actor=people.clerk, person=person, state=DisciplineState.PENDING, decided_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        file_nomination(people.clerk, full_name="Trần Văn Bền", citizen_id=CCCD, birth_year=1985)


def test_discipline_of_another_units_person_cannot_be_recorded(people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        discipline_record(
            actor=people.other_clerk,
            person=_person(),
            state=DisciplineState.PENDING,
            decided_on=timezone.localdate(),
        )


def test_cstdcs_without_initiative_certificate_asks_for_confirmation(people):
    nomination = file_nomination(people.clerk, award_code="chien_si_thi_dua_co_so", with_dossier=False)
    from nominations.services import dossier_missing

    assert "Giấy chứng nhận sáng kiến" not in dossier_missing(nomination)
    result = next(r for r in nomination.eligibility if r["rule"] == "cstdcs_initiative_or_alternative")
    assert result["outcome"] == CONFIRM and "Điều 23" in result["basis"]


def test_duplicate_award_for_the_same_year_from_history_is_refused(people):
    year = timezone.localdate().year
    _backfill(people, _person(), [year], code="bang_khen_tinh")
    with pytest.raises(ValidationError) as excinfo:
        file_nomination(people.clerk, full_name="Trần Văn Bền", citizen_id=CCCD, birth_year=1985)
    assert "đã được tặng" in excinfo.value.message_dict["nominee"][0]


def test_rule_sets_switch_on_their_effective_dates():
    assert rule_set_on(date(2025, 6, 30)).code == "nd98_2023"
    assert rule_set_on(date(2025, 7, 1)).code == "nd152_2025"
    for rule_set in RULE_SETS:
        assert rule_set.effective_from and all(rule.basis for rule in rule_set.rules)


def test_evaluation_names_the_rule_set_of_the_day(people):
    nomination = file_nomination(people.clerk)
    old, _ = eligibility_evaluate(nomination, date(2025, 3, 1))
    new, results = eligibility_evaluate(nomination, date(2026, 3, 1))
    assert (old.code, new.code) == ("nd98_2023", "nd152_2025")
    assert all(r.outcome != FAIL for r in results)
    assert any("152/2025" in r.basis for r in results)


def test_detail_page_shows_each_result_with_its_article_and_the_person_link(client, people):
    from django.urls import reverse

    nomination = file_nomination(people.clerk, award_code="chien_si_thi_dua_co_so", with_dossier=False)
    client.force_login(people.clerk)
    body = client.get(reverse("nominations:detail", args=[nomination.pk])).content.decode()
    assert 'data-testid="eligibility"' in body and "Cần xác nhận" in body and "Điều 23" in body
    assert reverse("registry:person", args=[nomination.nominee.person_id]) in body
    client.force_login(people.other_clerk)
    assert client.get(reverse("nominations:detail", args=[nomination.pk])).status_code == 404


def test_one_evaluation_reads_each_kind_of_fact_once_and_agrees_with_preloaded_facts(people):
    """The streak and duplicate rules both read the award history: once per evaluation, and the results are the ones
    the facts preloaded for a whole list give."""
    year = timezone.localdate().year
    person = _person()
    _backfill(people, person, [year - 3, year - 2, year - 1])
    nomination = Nomination.objects.select_related("award_type", "nominee").get(pk=_file_cstd_tinh(people).pk)
    with CaptureQueriesContext(connection) as queries:
        _rule_set, results = eligibility_evaluate(nomination)
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0].strip('"') for q in queries if " FROM " in q["sql"]]
    assert tables.count("nominations_awardhistory") == 1
    assert tables.count("nominations_disciplinerecord") == 1
    assert tables.count("nominations_nomination") == 1
    key = subject_key(nomination.nominee)
    with subject_facts_preloaded(subject_facts_load({key})):
        _rule_set, preloaded = eligibility_evaluate(nomination)
    assert results_as_data(results) == results_as_data(preloaded)
    assert any(r.rule == "cstd_tinh_streak" and r.outcome == PASS for r in results)
