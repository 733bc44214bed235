"""Scenario tests of the Công dân Đồng Khởi route: file in the round's window, province appraisal, advisory council
vote, chairman's decision while the round is open; refusals leave nothing changed."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.models import Process, Task

from approvals.models import Certificate, Decision, ReviewRecord, VoteRecord
from audit.models import Event
from nominations.honours import round_close
from nominations.models import AwardHistory, DossierFile, HonourRound, Nomination, Nominee, Route, Status
from organisation.models import Council, CouncilKind, Role
from organisation.services import membership_grant
from tests.factories import file_dong_khoi, file_nomination, open_dong_khoi_round, unit
from workflows.models import TaskScope
from workflows.selectors import inbox_for
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_resubmit,
    nomination_submit,
    open_task_of,
    process_of,
    review_reject,
    review_return,
    vote_record,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
IN_WINDOW = datetime(2026, 10, 15, 9, 0, tzinfo=HCM)  # a Thursday inside the 01/10 – 30/11/2026 window
AFTER_WINDOW = datetime(2026, 12, 2, 9, 0, tzinfo=HCM)
PASSING_VOTE = {"members_total": 11, "members_present": 10, "votes_for": 9, "votes_against": 1}


@pytest.fixture
def honour_round(people, time_machine):
    time_machine.move_to(IN_WINDOW, tick=False)
    return open_dong_khoi_round(people.province_reviewer)


def trail(nomination):
    return [t.flow_task.name for t in process_of(nomination).task_set.order_by("created", "pk")]


def task_id(nomination, step):
    scope = open_task_of(nomination)
    assert scope is not None and scope.step == step, (scope and scope.step, step)
    return scope.task_id


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (
            Nomination,
            Nominee,
            DossierFile,
            Process,
            Task,
            TaskScope,
            ReviewRecord,
            VoteRecord,
            Decision,
            Certificate,
            AwardHistory,
            HonourRound,
            Event,
        )
    }


def new_user(username, role, unit_code):
    user = get_user_model().objects.create_user(username, password="x")
    membership_grant(user=user, unit=unit(unit_code), role=role)
    return get_user_model().objects.get(pk=user.pk)


def to_sign(people, nomination, head=None):
    nomination_submit(actor=head or people.head, nomination=nomination)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"))
    vote_record(actor=people.secretary, task_id=task_id(nomination, "tally_vote"), **PASSING_VOTE)


def test_full_dong_khoi_path_from_a_commune(people, honour_round):
    nomination = file_dong_khoi(people.clerk, honour_round)
    assert nomination.route == Route.DONG_KHOI and nomination.round == honour_round
    assert nomination.variant == "tieu_bieu" and not nomination.is_ad_hoc
    assert nomination.deciding_unit.code == "BT" and nomination.route_units == []

    nomination_submit(actor=people.head, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL and nomination.current_unit.code == "BT"
    assert list(inbox_for(people.district_reviewer)) == []
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"))
    nomination.refresh_from_db()
    assert nomination.status == Status.COUNCIL
    assert [s.nomination_id for s in inbox_for(people.secretary)] == [nomination.pk]

    vote = vote_record(actor=people.secretary, task_id=task_id(nomination, "tally_vote"), **PASSING_VOTE)
    assert vote.passed and vote.council.kind == CouncilKind.ADVISORY and vote.threshold == Decimal("0.8")
    decision = decision_sign(actor=people.chairman, nominations=[nomination])

    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED
    assert decision.title == "Về việc tặng danh hiệu “Công dân Đồng Khởi” năm 2026"
    assert decision.number == "01/QĐ-UBND" and not decision.is_ad_hoc
    history = AwardHistory.objects.get(nomination=nomination)
    assert history.award_code == "cong_dan_dong_khoi" and history.year == 2026 and not history.is_ad_hoc
    assert trail(nomination) == [
        "start",
        "submit",
        "advance",
        "appraise",
        "after_appraisal",
        "tally_vote",
        "after_vote",
        "sign",
        "commend",
        "end",
    ]
    assert process_of(nomination).flow_class.__name__ == "DongKhoiFlow"
    assert process_of(nomination).status == "DONE"
    assert set(TaskScope.objects.filter(nomination=nomination).values_list("route", flat=True)) == {
        "dong_khoi"
    }
    assert (
        Event.objects.filter(nomination_id=nomination.pk, action="task.record_vote").get().data["votes_for"]
        == 9
    )


@pytest.mark.parametrize(
    ("clerk", "head", "unit_code"),
    [
        ("dept_clerk", "dept_head", "BT.SGDDT"),  # a department
        ("school_clerk", "school_head", "BT.SGDDT.THPT-BT"),  # an organisation
        ("district_clerk", "district_head", "BT.MCN"),  # a locality above the commune
    ],
)
def test_departments_localities_and_organisations_nominate(people, honour_round, clerk, head, unit_code):
    clerk = getattr(people, clerk, None) or new_user(clerk, Role.UNIT_CLERK, unit_code)
    head = getattr(people, head, None) or new_user(head, Role.UNIT_HEAD, unit_code)
    nomination = file_dong_khoi(
        clerk, honour_round, unit_code=unit_code, variant="danh_du", full_name="John Smith"
    )
    to_sign(people, nomination, head=head)
    decision_sign(actor=people.chairman, nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED and nomination.variant == "danh_du"


def test_returned_dong_khoi_comes_back_to_the_province(people, honour_round):
    nomination = file_dong_khoi(people.clerk, honour_round)
    nomination_submit(actor=people.head, nomination=nomination)
    review_return(
        actor=people.province_reviewer,
        task_id=task_id(nomination, "appraise"),
        reason="Bổ sung ý kiến địa phương.",
    )
    nomination.refresh_from_db()
    assert nomination.status == Status.RETURNED
    nomination_resubmit(actor=people.head, task_id=task_id(nomination, "revise"))
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL and nomination.current_unit.code == "BT"
    assert trail(nomination)[-3:] == ["revise", "advance", "appraise"]


def test_rejected_at_appraisal(people, honour_round):
    nomination = file_dong_khoi(people.clerk, honour_round)
    nomination_submit(actor=people.head, nomination=nomination)
    review_reject(
        actor=people.province_reviewer, task_id=task_id(nomination, "appraise"), reason="Chưa đủ tiêu chuẩn."
    )
    nomination.refresh_from_db()
    assert nomination.status == Status.REJECTED
    assert trail(nomination)[-1] == "rejected" and process_of(nomination).status == "DONE"


def test_vote_below_threshold_of_all_council_members_is_not_approved(people, honour_round):
    nomination = file_dong_khoi(people.clerk, honour_round)
    nomination_submit(actor=people.head, nomination=nomination)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"))
    # 8 of the 11 members is 72.7%: below 80% although 8 of the 9 present voted for.
    vote = vote_record(
        actor=people.secretary,
        task_id=task_id(nomination, "tally_vote"),
        members_total=11,
        members_present=9,
        votes_for=8,
        votes_against=1,
    )
    assert vote.quorum_met and not vote.passed
    nomination.refresh_from_db()
    assert nomination.status == Status.NOT_APPROVED and trail(nomination)[-1] == "not_approved"


def test_vote_counts_all_members_of_the_advisory_council(people, honour_round):
    nomination = file_dong_khoi(people.clerk, honour_round)
    nomination_submit(actor=people.head, nomination=nomination)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"))
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        vote_record(
            actor=people.secretary,
            task_id=task_id(nomination, "tally_vote"),
            members_total=9,
            members_present=9,
            votes_for=8,
            votes_against=1,
        )
    assert "có 11 thành viên" in excinfo.value.message_dict["members_total"][0]
    assert snapshot() == before


# Bad input: clear Vietnamese errors, nothing changed.


def test_signing_after_the_round_closed_is_refused(people, honour_round, time_machine):
    nomination = file_dong_khoi(people.clerk, honour_round)
    to_sign(people, nomination)
    time_machine.move_to(datetime(2027, 1, 20, 9, 0, tzinfo=HCM), tick=False)
    round_close(actor=people.province_reviewer, honour_round=honour_round)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        decision_sign(actor=people.chairman, nominations=[nomination])
    assert excinfo.value.message_dict["nominations"] == [
        "Đợt xét Công dân Đồng Khởi năm 2026 đã kết thúc: không thể ký quyết định."
    ]
    assert snapshot() == before
    nomination.refresh_from_db()
    assert nomination.status == Status.AWAITING_SIGNATURE


def test_signing_after_the_window_but_before_the_round_closes_is_allowed(people, honour_round, time_machine):
    nomination = file_dong_khoi(people.clerk, honour_round)
    to_sign(people, nomination)
    time_machine.move_to(AFTER_WINDOW, tick=False)
    decision = decision_sign(actor=people.chairman, nominations=[nomination])
    assert decision.signed_on == date(2026, 12, 2)


def test_nominating_the_same_person_twice_in_one_round_is_refused(people, honour_round):
    file_dong_khoi(people.clerk, honour_round, full_name="Nguyễn Thị Định", citizen_id="083160000001")
    before = snapshot()
    # Another unit, another spelling of the name: the citizen id tells it is the same person.
    with pytest.raises(ValidationError) as excinfo:
        file_dong_khoi(
            people.dept_clerk,
            honour_round,
            unit_code="BT.SGDDT",
            full_name="Nguyen Thi Dinh",
            citizen_id="083160000001",
        )
    assert excinfo.value.message_dict["nominee"] == [
        "Người này đã được đề nghị trong đợt xét Công dân Đồng Khởi năm 2026."
    ]
    # No citizen id: the same name and birth year, whatever the accents.
    with pytest.raises(ValidationError):
        file_dong_khoi(people.dept_clerk, honour_round, unit_code="BT.SGDDT", full_name="nguyễn thị  định")
    assert snapshot() == before
    # A namesake born in another year is another person.
    file_dong_khoi(
        people.dept_clerk, honour_round, unit_code="BT.SGDDT", full_name="Nguyễn Thị Định", birth_year=1990
    )


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (datetime(2026, 9, 30, 16, 0, tzinfo=HCM), "chỉ nhận hồ sơ từ 01/10/2026 đến 30/11/2026"),
        (AFTER_WINDOW, "chỉ nhận hồ sơ từ 01/10/2026 đến 30/11/2026"),
    ],
)
def test_filing_outside_the_window_is_refused(people, honour_round, time_machine, moment, message):
    time_machine.move_to(moment, tick=False)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        file_dong_khoi(people.clerk, honour_round)
    assert message in excinfo.value.message_dict["round"][0]
    assert snapshot() == before


def test_filing_in_a_closed_round_is_refused(people, honour_round):
    round_close(actor=people.province_reviewer, honour_round=honour_round)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        file_dong_khoi(people.clerk, honour_round)
    assert excinfo.value.message_dict["round"] == [
        "Đợt xét Công dân Đồng Khởi năm 2026 chưa mở hoặc đã kết thúc."
    ]
    assert snapshot() == before


def test_submitting_after_the_window_is_refused(people, honour_round, time_machine):
    nomination = file_dong_khoi(people.clerk, honour_round)
    time_machine.move_to(AFTER_WINDOW, tick=False)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        nomination_submit(actor=people.head, nomination=nomination)
    assert "30/11/2026" in excinfo.value.message_dict["round"][0]
    assert snapshot() == before


def test_bad_variant_year_and_route_are_refused(people, honour_round):
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        file_dong_khoi(people.clerk, honour_round, variant="")
    assert "tiêu biểu" in excinfo.value.message_dict["variant"][0]
    with pytest.raises(ValidationError) as excinfo:
        file_dong_khoi(people.clerk, honour_round, kind="collective", full_name="Hợp tác xã Định Thủy")
    assert "award_type" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        file_nomination(people.clerk, award_code="cong_dan_dong_khoi")
    assert excinfo.value.message_dict["award_type"] == [
        "Danh hiệu Công dân Đồng Khởi chỉ được đề nghị trong đợt xét hằng năm."
    ]
    with pytest.raises(ValidationError) as excinfo:
        file_nomination(people.clerk, award_code="bang_khen_tinh", route=Route.DONG_KHOI)
    assert "round" in excinfo.value.message_dict or "award_type" in excinfo.value.message_dict
    assert snapshot() == before


def test_units_outside_the_nominating_tiers_or_province_are_refused(people, honour_round):
    cluster_clerk = new_user("cluster_clerk", Role.UNIT_CLERK, "BT.CUM1")
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        file_dong_khoi(cluster_clerk, honour_round, unit_code="BT.CUM1")
    assert "sở, ban, ngành, địa phương" in excinfo.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as excinfo:
        file_dong_khoi(people.vl_clerk, honour_round, unit_code="VL.DINHTHUY")
    assert excinfo.value.message_dict["unit"] == ["Đơn vị không thuộc tỉnh tổ chức đợt xét."]
    assert snapshot() == before


# Negative permission tests, one per write of the route.


@pytest.mark.parametrize("actor", ["other_clerk", "dept_clerk", "province_reviewer", "outsider"])
def test_filing_for_a_unit_where_one_holds_no_role_is_denied(people, honour_round, actor):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        file_dong_khoi(getattr(people, actor), honour_round, with_dossier=False)
    assert snapshot() == before


def test_each_step_refuses_the_wrong_people(people, honour_round):
    nomination = file_dong_khoi(people.clerk, honour_round)
    before = snapshot()
    for actor in (people.clerk, people.dept_head, people.province_reviewer):
        with pytest.raises(PermissionDenied):
            nomination_submit(actor=actor, nomination=nomination)
    assert snapshot() == before

    nomination_submit(actor=people.head, nomination=nomination)
    before = snapshot()
    for actor in (people.district_reviewer, people.dept_reviewer, people.secretary, people.chairman):
        with pytest.raises(PermissionDenied):
            appraisal_approve(actor=actor, task_id=task_id(nomination, "appraise"))
    assert snapshot() == before

    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"))
    before = snapshot()
    for actor in (people.council_member, people.province_reviewer, people.vl_secretary, people.chairman):
        with pytest.raises(PermissionDenied):
            vote_record(actor=actor, task_id=task_id(nomination, "tally_vote"), **PASSING_VOTE)
    assert snapshot() == before

    vote_record(actor=people.secretary, task_id=task_id(nomination, "tally_vote"), **PASSING_VOTE)
    before = snapshot()
    for actor in (people.province_reviewer, people.secretary, people.district_chairman, people.vl_chairman):
        with pytest.raises(PermissionDenied):
            decision_sign(actor=actor, nominations=[nomination])
    assert snapshot() == before
    assert Council.objects.filter(kind=CouncilKind.ADVISORY, unit__code="BT").count() == 1


def test_a_round_decision_does_not_mix_other_awards(people, honour_round):
    nomination = file_dong_khoi(people.clerk, honour_round)
    to_sign(people, nomination)
    standard = file_nomination(people.dept_clerk, unit_code="BT.SGDDT", full_name="Người Bằng Khen")
    nomination_submit(actor=people.dept_head, nomination=standard)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(standard, "appraise"))
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        decision_sign(actor=people.chairman, nominations=[nomination, standard])
    assert excinfo.value.message_dict["nominations"] == [
        "Một quyết định tặng danh hiệu Công dân Đồng Khởi chỉ gồm các đề nghị của cùng một đợt xét."
    ]
    assert snapshot() == before


def test_a_round_nomination_keeps_the_round_year(people, honour_round):
    from nominations.services import nomination_update

    nomination = file_dong_khoi(people.clerk, honour_round)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        nomination_update(actor=people.clerk, nomination=nomination, period_year=2025)
    assert excinfo.value.message_dict["period_year"] == ["Năm đề nghị phải là năm của đợt xét (2026)."]
    assert snapshot() == before


def test_a_holder_of_an_earlier_round_cannot_be_nominated_again(people, honour_round):
    """Once per person across all rounds (the golden book is public, so saying so reveals nothing new)."""
    from nominations.models import Person

    holder = Person.objects.create(
        full_name="Nguyễn Thị Định", citizen_id="083160000009", birth_year=1960, unit=unit("BT.SGDDT")
    )
    AwardHistory.objects.create(
        person=holder,
        award_code="cong_dan_dong_khoi",
        year=2024,
        decision_number="1/QĐ-UBND",
        source="backfill",
    )
    with pytest.raises(ValidationError) as excinfo:
        file_dong_khoi(people.clerk, honour_round, citizen_id="083160000009")
    assert "chỉ tặng một lần" in excinfo.value.message_dict["nominee"][0]
    assert not Nomination.objects.exists()
    AwardHistory.objects.filter(person=holder).update(is_revoked=True)
    file_dong_khoi(people.clerk, honour_round, citizen_id="083160000009")
