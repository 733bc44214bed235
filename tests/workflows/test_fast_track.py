"""Scenario tests of the fast track (khen thưởng đột xuất): any tier proposes, the head certifies by submitting,
the deciding authority appraises and signs at once, with short deadlines; the award is ad hoc."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from approvals.models import Certificate, Decision, ReviewRecord
from audit.models import Event
from nominations.models import AwardHistory, DossierFile, Nomination, Nominee, Route, Status
from nominations.services import award_types_for, dossier_file_add, merit_streak
from organisation.models import Role
from organisation.services import membership_grant
from tests.factories import award, file_nomination, pdf_upload, unit
from workflows.models import DeadlineRule, TaskScope
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
)

FAST = Route.FAST_TRACK
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# Friday 24/04/2026: the weekend, then Hùng Kings' day observed on Monday 27/04, then 30/04 and 01/05.
FRIDAY_BEFORE_HOLIDAYS = datetime(2026, 4, 24, 9, 0, tzinfo=HCM)


def trail(nomination):
    return [t.flow_task.name for t in process_of(nomination).task_set.order_by("created", "pk")]


def task_id(nomination, step):
    scope = open_task_of(nomination)
    assert scope is not None and scope.step == step, (scope and scope.step, step)
    return scope.task_id


def snapshot():
    """Counts of every table a fast-track write touches, to prove a refused write changed nothing."""
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
            Decision,
            Certificate,
            AwardHistory,
            Event,
        )
    }


def new_user(username, role, unit_code):
    user = get_user_model().objects.create_user(username, password="x")
    membership_grant(user=user, unit=unit(unit_code), role=role)
    return get_user_model().objects.get(pk=user.pk)


def test_fast_track_from_a_commune_skips_the_district_and_is_awarded_ad_hoc(people):
    nomination = file_nomination(people.clerk, route=FAST, full_name="Lê Văn Cứu")
    assert nomination.is_ad_hoc and nomination.route_units == []
    assert nomination.deciding_unit.code == "BT"

    nomination_submit(actor=people.head, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL and nomination.current_unit.code == "BT"
    # The district is an intermediate tier: nothing reaches it.
    assert list(inbox_for(people.district_reviewer)) == []
    submit = ReviewRecord.objects.get(nomination=nomination, action="submit")
    assert submit.actor == people.head and "Thủ trưởng đơn vị xác nhận" in submit.reason
    certified = Event.objects.get(nomination_id=nomination.pk, action="task.submit")
    assert certified.data["certified_by_head"] is True and certified.actor_id == people.head.pk

    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"))
    decision = decision_sign(actor=people.chairman, nominations=[nomination])

    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED
    assert decision.is_ad_hoc and decision.number == "01/QĐ-UBND" and decision.issuer.code == "BT"
    assert decision.title == "Về việc khen thưởng đột xuất"
    assert Certificate.objects.get(nomination=nomination).amount == 2340000
    history = AwardHistory.objects.get(nomination=nomination)
    assert history.is_ad_hoc and history.decision_number == decision.number
    assert trail(nomination) == [
        "start",
        "submit",
        "advance",
        "appraise",
        "after_appraisal",
        "sign",
        "commend",
        "end",
    ]
    assert process_of(nomination).status == "DONE"
    assert set(TaskScope.objects.filter(nomination=nomination).values_list("route", flat=True)) == {FAST}
    assert Event.objects.get(action="decision.sign").data["is_ad_hoc"] is True
    assert (
        Event.objects.get(nomination_id=nomination.pk, action="nomination.awarded").data["is_ad_hoc"] is True
    )
    assert not Event.objects.filter(nomination_id=nomination.pk, action="task.forward").exists()


def test_fast_track_from_a_department_is_rejected_with_a_reason(people):
    nomination = file_nomination(
        people.dept_clerk, unit_code="BT.SGDDT", route=FAST, full_name="Phạm Thị Giỏi", position="Giáo viên"
    )
    nomination_submit(actor=people.dept_head, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL and nomination.current_unit.code == "BT"
    with pytest.raises(ValidationError) as excinfo:
        review_reject(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"), reason=" ")
    assert "reason" in excinfo.value.message_dict
    review_reject(
        actor=people.province_reviewer,
        task_id=task_id(nomination, "appraise"),
        reason="Thành tích chưa đủ tính đột xuất, đề nghị xét khen thưởng cuối năm.",
    )
    nomination.refresh_from_db()
    assert nomination.status == Status.REJECTED
    assert trail(nomination) == ["start", "submit", "advance", "appraise", "after_appraisal", "rejected"]
    assert process_of(nomination).status == "DONE"
    assert not Decision.objects.exists() and not AwardHistory.objects.exists()
    assert list(ReviewRecord.objects.filter(nomination=nomination).values_list("action", flat=True)) == [
        "submit",
        "reject",
    ]


def test_fast_track_from_a_district_for_its_own_giay_khen(people):
    district_clerk = new_user("mcn_clerk", Role.UNIT_CLERK, "BT.MCN")
    district_head = new_user("mcn_head", Role.UNIT_HEAD, "BT.MCN")
    nomination = file_nomination(
        district_clerk,
        unit_code="BT.MCN",
        route=FAST,
        award_code="giay_khen",
        full_name="Đội dân phòng ấp 3",
        kind="collective",
    )
    assert nomination.deciding_unit.code == "BT.MCN"
    nomination_submit(actor=district_head, nomination=nomination)
    appraisal_approve(actor=people.district_reviewer, task_id=task_id(nomination, "appraise"))
    with pytest.raises(PermissionDenied):
        decision_sign(actor=people.chairman, nominations=[nomination])
    decision = decision_sign(actor=people.district_chairman, nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED
    assert decision.issuer.code == "BT.MCN" and decision.is_ad_hoc


def test_returned_fast_track_comes_back_to_the_decider_not_up_the_tree(people):
    nomination = file_nomination(people.clerk, route=FAST)
    nomination_submit(actor=people.head, nomination=nomination)
    review_return(
        actor=people.province_reviewer,
        task_id=task_id(nomination, "appraise"),
        reason="Bổ sung xác nhận của công an xã.",
    )
    nomination.refresh_from_db()
    assert nomination.status == Status.RETURNED and nomination.current_unit.code == "BT.MCN.DINHTHUY"
    with pytest.raises(PermissionDenied):
        nomination_resubmit(actor=people.clerk, task_id=task_id(nomination, "revise"))
    dossier_file_add(
        actor=people.clerk, nomination=nomination, kind="evidence", uploaded=pdf_upload("xac-nhan.pdf")
    )
    nomination_resubmit(actor=people.head, task_id=task_id(nomination, "revise"))
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL and nomination.current_unit.code == "BT"
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"))
    decision_sign(actor=people.chairman, nominations=[nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED and nomination.revision_count == 1
    assert trail(nomination) == [
        "start",
        "submit",
        "advance",
        "appraise",
        "after_appraisal",
        "revise",
        "advance",
        "appraise",
        "after_appraisal",
        "sign",
        "commend",
        "end",
    ]


def test_fast_track_deadlines_count_working_days_over_weekend_and_holidays(people):
    with time_machine.travel(FRIDAY_BEFORE_HOLIDAYS, tick=False):
        nomination = file_nomination(people.clerk, route=FAST)
        # submit: 2 working days after Friday 24/04, skipping the weekend and Monday 27/04 (holiday observed).
        submit = TaskScope.objects.get(nomination=nomination, step="submit")
        assert submit.due_on == date(2026, 4, 29) and submit.route == FAST
        nomination_submit(actor=people.head, nomination=nomination)
        # appraise: 3 working days: 28/04, 29/04, then 30/04, 01/05 and the weekend are off, so Monday 04/05.
        appraise = TaskScope.objects.get(nomination=nomination, step="appraise")
        assert appraise.due_on == date(2026, 5, 4)
        nomination.refresh_from_db()
        assert nomination.due_on == date(2026, 5, 4)
        assert Event.objects.filter(
            nomination_id=nomination.pk, action="task.open", data__due_on="2026-05-04"
        ).exists()


def test_fast_track_deadlines_follow_the_configured_rule(people):
    DeadlineRule.objects.create(route=FAST, step="appraise", working_days=1)
    with time_machine.travel(FRIDAY_BEFORE_HOLIDAYS, tick=False):
        nomination = file_nomination(people.clerk, route=FAST)
        nomination_submit(actor=people.head, nomination=nomination)
        assert TaskScope.objects.get(nomination=nomination, step="appraise").due_on == date(2026, 4, 28)
        # The standard route keeps its own, longer deadline for the same step.
        standard = file_nomination(people.clerk, full_name="Trần Văn Thường")
        assert TaskScope.objects.get(nomination=standard, step="submit").due_on == date(2026, 5, 13)


def test_ad_hoc_cstdcs_does_not_count_toward_cstd_tinh(people):
    """Three consecutive CSTĐCS years where the middle one was ad hoc do not make three merit years."""
    cstdcs = award("chien_si_thi_dua_co_so")
    cstdcs.allowed_on_fast_track = True  # a province may configure it; the principle must hold regardless
    cstdcs.save(update_fields=["allowed_on_fast_track"])
    commune_officer = new_user("dt_reviewer", Role.REVIEWER, "BT.MCN.DINHTHUY")
    commune_chair = new_user("dt_chair", Role.APPROVER, "BT.MCN.DINHTHUY")
    year = timezone.localdate().year
    ad_hoc = file_nomination(
        people.clerk,
        route=FAST,
        award_code="chien_si_thi_dua_co_so",
        year=year - 1,
        full_name="Võ Văn Liên Tục",
    )
    nominee = ad_hoc.nominee
    nomination_submit(actor=people.head, nomination=ad_hoc)
    appraisal_approve(actor=commune_officer, task_id=task_id(ad_hoc, "appraise"))
    decision_sign(actor=commune_chair, nominations=[ad_hoc])
    for merit_year in (year - 2, year):
        AwardHistory.objects.create(
            person=nominee.person,  # history is the person's, whichever nomination it came from
            nominee=nominee,
            award_code="chien_si_thi_dua_co_so",
            year=merit_year,
            decision_number=f"{merit_year % 100}/QĐ-UBND",
            is_ad_hoc=False,
        )
    assert AwardHistory.objects.get(nomination=ad_hoc).is_ad_hoc
    assert merit_streak(nominee=nominee, award_code="chien_si_thi_dua_co_so", year=year) == 1

    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        file_nomination(
            people.clerk, award_code="chien_si_thi_dua_tinh", full_name="Võ Văn Liên Tục", year=year
        )
    assert "không tính khen thưởng đột xuất" in excinfo.value.message_dict["award_type"][0]
    assert snapshot() == before

    # The same three years as merit awards do satisfy it: the ad-hoc mark is the only difference.
    AwardHistory.objects.filter(nomination=ad_hoc).update(is_ad_hoc=False)
    assert merit_streak(nominee=nominee, award_code="chien_si_thi_dua_co_so", year=year) == 3
    file_nomination(people.clerk, award_code="chien_si_thi_dua_tinh", full_name="Võ Văn Liên Tục", year=year)


def test_ad_hoc_and_merit_nominations_are_not_signed_together(people):
    fast = file_nomination(people.clerk, route=FAST, full_name="Người Đột Xuất")
    standard = file_nomination(people.vl_clerk, unit_code="VL.DINHTHUY", full_name="Người Thường Xuyên")
    nomination_submit(actor=people.head, nomination=fast)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(fast, "appraise"))
    nomination_submit(actor=people.vl_head, nomination=standard)
    appraisal_approve(actor=people.vl_reviewer, task_id=task_id(standard, "appraise"))
    before = snapshot()
    with pytest.raises(ValidationError):
        decision_sign(actor=people.chairman, nominations=[fast, standard])
    assert snapshot() == before


# Bad input: clear Vietnamese errors, nothing changed.


def test_non_fast_track_award_type_is_refused(people):
    assert "chien_si_thi_dua_tinh" not in [
        a.code for a in award_types_for(unit("BT.MCN.DINHTHUY"), fast_track=True)
    ]
    assert {"bang_khen_tinh", "giay_khen"} <= {
        a.code for a in award_types_for(unit("BT.MCN.DINHTHUY"), fast_track=True)
    }
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        file_nomination(people.clerk, route=FAST, award_code="chien_si_thi_dua_tinh")
    assert excinfo.value.message_dict["award_type"] == [
        "Loại hình “Chiến sĩ thi đua cấp tỉnh” không được khen thưởng đột xuất."
    ]
    assert snapshot() == before


def test_proposing_outside_ones_tier_is_refused(people):
    """An emulation cluster is neither under a district nor an authority itself: it cannot propose a Giấy khen."""
    cluster_clerk = new_user("cluster_clerk", Role.UNIT_CLERK, "BT.CUM1")
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        file_nomination(cluster_clerk, unit_code="BT.CUM1", route=FAST, award_code="giay_khen")
    message = excinfo.value.message_dict["award_type"][0]
    assert message == (
        "“Giấy khen” do Chủ tịch UBND huyện, Giám đốc sở quyết định; “Cụm thi đua các huyện, thành phố” không "
        "trực thuộc cấp có thẩm quyền này nên không thể đề nghị."
    )
    assert snapshot() == before


@pytest.mark.parametrize("proposer", ["other_clerk", "dept_clerk", "district_reviewer", "outsider"])
def test_proposing_for_a_unit_where_one_holds_no_role_is_denied(people, proposer):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        file_nomination(
            getattr(people, proposer), unit_code="BT.MCN.DINHTHUY", route=FAST, with_dossier=False
        )
    assert snapshot() == before


# Negative permission tests, one per write of the route.


def test_only_the_proposing_units_head_certifies(people):
    nomination = file_nomination(people.clerk, route=FAST)
    before = snapshot()
    for actor in (people.clerk, people.dept_head, people.vl_head, people.province_reviewer, people.outsider):
        with pytest.raises(PermissionDenied):
            nomination_submit(actor=actor, nomination=nomination)
    assert snapshot() == before
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT


def test_only_the_deciding_authority_appraises(people):
    nomination = file_nomination(people.clerk, route=FAST)
    nomination_submit(actor=people.head, nomination=nomination)
    appraise = task_id(nomination, "appraise")
    before = snapshot()
    for actor in (
        people.district_reviewer,
        people.dept_reviewer,
        people.vl_reviewer,
        people.head,
        people.chairman,
    ):
        with pytest.raises(PermissionDenied):
            appraisal_approve(actor=actor, task_id=appraise)
        with pytest.raises(PermissionDenied):
            review_return(actor=actor, task_id=appraise, reason="Không có quyền.")
        with pytest.raises(PermissionDenied):
            review_reject(actor=actor, task_id=appraise, reason="Không có quyền.")
    assert snapshot() == before


def test_only_the_deciding_authority_signs(people):
    nomination = file_nomination(people.clerk, route=FAST)
    nomination_submit(actor=people.head, nomination=nomination)
    appraisal_approve(actor=people.province_reviewer, task_id=task_id(nomination, "appraise"))
    before = snapshot()
    for actor in (people.province_reviewer, people.district_chairman, people.vl_chairman, people.head):
        with pytest.raises(PermissionDenied):
            decision_sign(actor=actor, nominations=[nomination])
    assert snapshot() == before


def test_only_the_proposing_unit_adds_evidence(people):
    nomination = file_nomination(people.clerk, route=FAST, with_dossier=False)
    before = snapshot()
    for actor in (people.other_clerk, people.province_reviewer, people.outsider):
        with pytest.raises(PermissionDenied):
            dossier_file_add(actor=actor, nomination=nomination, kind="evidence", uploaded=pdf_upload())
    assert snapshot() == before


def test_fast_track_dossier_needs_the_submission(people):
    nomination = file_nomination(people.clerk, route=FAST, with_dossier=False)
    dossier_file_add(
        actor=people.clerk, nomination=nomination, kind="evidence", uploaded=pdf_upload("anh.pdf")
    )
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        nomination_submit(actor=people.head, nomination=nomination)
    assert excinfo.value.message_dict["files"] == ["Hồ sơ còn thiếu: Tờ trình."]
    assert snapshot() == before
    # No achievement report, no minutes, no initiative certificate: the submission and evidence are enough.
    dossier_file_add(
        actor=people.clerk, nomination=nomination, kind="submission", uploaded=pdf_upload("to-trinh.pdf")
    )
    nomination_submit(actor=people.head, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.APPRAISAL
