"""The movement's own life (issue 24): launch with targets, registrations acknowledged by the tier above, results with
evidence, exemplary models, cluster scoring and the yearly review with its report and the Cờ thi đua hand-over."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import Event
from nominations import movement as rules
from nominations.models import (
    ClusterCriterion,
    Movement,
    RegistrationStatus,
    ReviewKind,
    ReviewStatus,
    Status,
    TargetKind,
)
from tests.factories import pdf_upload, unit
from tests.movement_factories import launch_successor, movement_cast, registered, this_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(people):
    return movement_cast()


@pytest.fixture
def movement(people):
    return launch_successor(people)


def actions_of(obj):
    return list(
        Event.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).values_list(
            "action", flat=True
        )
    )


# ---------------------------------------------------------------------------------------------------- launch
def test_province_launches_a_successor_with_the_predecessors_areas_and_targets(people, movement):
    predecessor = Movement.objects.get(code="dong_khoi_moi_2020_2025")
    assert movement.predecessor == predecessor and movement.launched_by.code == "BT"
    assert movement.content_areas.count() == predecessor.content_areas.count()
    area = movement.content_areas.get(code="chan_2.1")
    assert area.parent.code == "chan_2" and area.movement_id == movement.pk
    assert movement.targets.get().value == Decimal(20)
    assert actions_of(movement) == ["movement.launch"]
    # Both periods coexist; the catalogue's 2020–2025 movement keeps its own tree.
    assert predecessor.content_areas.filter(code="chan_2.1").exists()
    assert predecessor.launch_document.startswith("Chỉ thị 01-CT/TU")


def test_launch_refuses_an_overlapping_successor_and_a_percent_over_100(people, movement):
    with pytest.raises(ValidationError) as caught:
        rules.movement_launch(
            actor=people.province_reviewer,
            unit=unit("BT"),
            code="trung",
            name="Trùng giai đoạn",
            start_year=2025,
            end_year=2030,
            launch_document="Chỉ thị",
            launched_on=date(2025, 1, 1),
            predecessor=Movement.objects.get(code="dong_khoi_moi_2020_2025"),
        )
    assert "start_year" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        rules.target_set(
            actor=people.province_reviewer,
            movement=movement,
            content_area=movement.content_areas.first(),
            description="Tỷ lệ",
            kind=TargetKind.PERCENT,
            value=Decimal(120),
        )
    assert "value" in caught.value.message_dict


@pytest.mark.parametrize(
    "persona", ["clerk", "head", "district_reviewer", "chairman", "inspector", "outsider"]
)
def test_only_the_province_office_launches_and_sets_targets(people, movement, persona):
    actor = getattr(people, persona)
    with pytest.raises(PermissionDenied):
        rules.movement_launch(
            actor=actor,
            unit=unit("BT"),
            code="x",
            name="x",
            start_year=2031,
            end_year=2035,
            launch_document="x",
            launched_on=date(2031, 1, 1),
            areas=[("a", "A", "")],
        )
    with pytest.raises(PermissionDenied):
        rules.target_set(
            actor=actor,
            movement=movement,
            content_area=movement.content_areas.first(),
            description="x",
            kind=TargetKind.YES_NO,
        )


# ---------------------------------------------------------------------------------------------- registration
def test_commune_registration_is_signed_by_its_head_and_acknowledged_by_the_district(people, movement):
    registration = registered(
        movement, "BT.MCN.DINHTHUY", people.clerk, people.head, people.district_reviewer
    )
    assert registration.status == RegistrationStatus.ACKNOWLEDGED
    assert registration.reviewer_unit.code == "BT.MCN"
    assert registration.signed_by == people.head and registration.acknowledged_by == people.district_reviewer
    chain = Event.objects.filter(chain=f"registration:{registration.pk}").order_by("seq")
    assert list(chain.values_list("action", flat=True)) == [
        "registration.create",
        "registration.commitment",
        "registration.submit",
        "registration.acknowledge",
    ]


def test_department_registration_is_acknowledged_by_the_province(people, movement):
    registration = registered(
        movement, "BT.SGDDT", people.dept_clerk, people.dept_head, people.province_reviewer
    )
    assert registration.reviewer_unit.code == "BT"
    # The district's reviewer is not the tier above a department.
    other = rules.registration_create(
        actor=people.other_clerk, movement=movement, unit=unit("BT.BATRI.ANNGAITRUNG"), year=this_year()
    )
    assert other.reviewer_unit.code == "BT.BATRI"


def test_a_returned_registration_is_completed_and_signed_again(people, movement):
    registration = rules.registration_create(
        actor=people.clerk, movement=movement, unit=unit("BT.MCN.DINHTHUY"), year=this_year()
    )
    with pytest.raises(ValidationError):  # nothing committed yet
        rules.registration_submit(actor=people.head, registration=registration)
    area = movement.content_areas.get(code="mui_1.1")
    rules.commitment_add(
        actor=people.clerk,
        registration=registration,
        content_area=area,
        description="Giải quyết hồ sơ đúng hạn",
        kind=TargetKind.PERCENT,
        value=Decimal(98),
    )
    rules.registration_submit(actor=people.head, registration=registration)
    with pytest.raises(ValidationError):
        rules.registration_return(actor=people.district_reviewer, registration=registration, reason=" ")
    rules.registration_return(
        actor=people.district_reviewer, registration=registration, reason="Thiếu giải pháp"
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.RETURNED
    rules.registration_submit(actor=people.head, registration=registration)
    rules.registration_acknowledge(actor=people.district_reviewer, registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACKNOWLEDGED and registration.return_reason == ""
    with pytest.raises(ValidationError):  # acknowledged: no more commitments
        rules.commitment_add(
            actor=people.clerk, registration=registration, content_area=area, description="x", kind="yes_no"
        )


def test_registration_refuses_the_province_a_duplicate_and_a_year_outside_the_period(people, movement):
    with pytest.raises(ValidationError):
        rules.registration_create(
            actor=people.clerk, movement=movement, unit=unit("BT.MCN.DINHTHUY"), year=2025
        )
    rules.registration_create(
        actor=people.clerk, movement=movement, unit=unit("BT.MCN.DINHTHUY"), year=this_year()
    )
    with pytest.raises(ValidationError):
        rules.registration_create(
            actor=people.clerk, movement=movement, unit=unit("BT.MCN.DINHTHUY"), year=this_year()
        )


@pytest.mark.parametrize(
    "persona", ["district_reviewer", "province_reviewer", "other_clerk", "inspector", "outsider"]
)
def test_only_the_units_own_staff_prepare_a_registration(people, movement, persona):
    with pytest.raises(PermissionDenied):
        rules.registration_create(
            actor=getattr(people, persona), movement=movement, unit=unit("BT.MCN.DINHTHUY"), year=this_year()
        )


def test_only_the_head_signs_and_only_the_tier_above_acknowledges(people, movement):
    registration = rules.registration_create(
        actor=people.clerk, movement=movement, unit=unit("BT.MCN.DINHTHUY"), year=this_year()
    )
    rules.commitment_add(
        actor=people.clerk,
        registration=registration,
        content_area=movement.content_areas.first(),
        description="x",
        kind=TargetKind.YES_NO,
    )
    for persona in ("clerk", "district_reviewer", "outsider"):
        with pytest.raises(PermissionDenied):
            rules.registration_submit(actor=getattr(people, persona), registration=registration)
    for persona in ("district_reviewer", "other_clerk"):
        with pytest.raises(PermissionDenied):
            rules.commitment_add(
                actor=getattr(people, persona),
                registration=registration,
                content_area=movement.content_areas.first(),
                description="x",
                kind=TargetKind.YES_NO,
            )
    rules.registration_submit(actor=people.head, registration=registration)
    for persona in ("head", "clerk", "other_reviewer", "province_reviewer", "outsider"):
        with pytest.raises(PermissionDenied):
            rules.registration_acknowledge(actor=getattr(people, persona), registration=registration)
        with pytest.raises(PermissionDenied):
            rules.registration_return(actor=getattr(people, persona), registration=registration, reason="x")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


def test_cluster_registers_jointly_and_must_sign_a_pledge(people, cast, movement):
    cluster = unit("BT.CUM1")
    registration = rules.registration_create(
        actor=cast["cluster_head"], movement=movement, unit=cluster, year=this_year()
    )
    assert sorted(registration.signatories) == sorted(
        unit(code).pk for code in ("BT.MCN", "BT.BATRI", "BT.BINHDAI")
    )
    assert registration.reviewer_unit.code == "BT"
    rules.commitment_add(
        actor=cast["cluster_head"],
        registration=registration,
        content_area=movement.content_areas.get(code="mui_1.1"),
        description="100% thủ tục hành chính trực tuyến toàn trình",
        kind=TargetKind.PERCENT,
        value=Decimal(100),
    )
    with pytest.raises(ValidationError) as caught:
        rules.registration_submit(actor=cast["cluster_head"], registration=registration)
    assert "pledge" in caught.value.message_dict
    rules.registration_submit(
        actor=cast["cluster_head"],
        registration=registration,
        pledge="Các đơn vị trong cụm cùng giao ước thi đua.",
    )
    rules.registration_acknowledge(actor=people.province_reviewer, registration=registration)


# ------------------------------------------------------------------------------------------ results, models
def test_results_with_evidence_and_an_exemplary_model_on_the_public_list(people, movement):
    registration = registered(
        movement, "BT.MCN.DINHTHUY", people.clerk, people.head, people.district_reviewer
    )
    commitment = registration.commitments.get()
    with pytest.raises(ValidationError) as caught:  # the evidence is checked by content, like a dossier file
        rules.result_report(
            actor=people.clerk,
            commitment=commitment,
            description="Đạt",
            value=Decimal(3),
            uploaded=SimpleUploadedFile("minh-chung.pdf", b"MZ not a pdf", content_type="application/pdf"),
        )
    assert "file" in caught.value.message_dict
    report = rules.result_report(
        actor=people.clerk,
        commitment=commitment,
        description="Ba ấp đạt chuẩn",
        value=Decimal(3),
        uploaded=pdf_upload("minh chứng.pdf"),
    )
    assert report.is_met is True and report.evidence_sha256 and report.evidence_name == "minh chứng.pdf"
    with pytest.raises(PermissionDenied):
        rules.result_report(
            actor=people.district_reviewer, commitment=commitment, description="x", value=Decimal(1)
        )
    area = commitment.content_area
    with pytest.raises(PermissionDenied):
        rules.exemplary_mark(
            actor=people.other_reviewer,
            registration=registration,
            content_area=area,
            title="x",
            description="x",
        )
    with pytest.raises(PermissionDenied):
        rules.exemplary_mark(
            actor=people.clerk, registration=registration, content_area=area, title="x", description="x"
        )
    with pytest.raises(ValidationError):  # not a content area it took up
        rules.exemplary_mark(
            actor=people.district_reviewer,
            registration=registration,
            content_area=movement.content_areas.get(code="mui_3.1"),
            title="x",
            description="x",
        )
    model = rules.exemplary_mark(
        actor=people.district_reviewer,
        registration=registration,
        content_area=area,
        title="Mô hình “Ấp nông thôn mới kiểu mẫu”",
        description="Người dân hiến đất làm đường.",
    )
    assert rules.exemplary_current() == {area: [model]}
    with pytest.raises(PermissionDenied):
        rules.exemplary_withdraw(actor=people.clerk, model=model, reason="x")
    rules.exemplary_withdraw(actor=people.district_reviewer, model=model, reason="Trùng")
    assert rules.exemplary_current() == {}
    assert actions_of(model) == ["exemplary.mark", "exemplary.withdraw"]


def test_results_wait_for_the_acknowledgement(people, movement):
    registration = rules.registration_create(
        actor=people.clerk, movement=movement, unit=unit("BT.MCN.DINHTHUY"), year=this_year()
    )
    commitment = rules.commitment_add(
        actor=people.clerk,
        registration=registration,
        content_area=movement.content_areas.first(),
        description="x",
        kind=TargetKind.YES_NO,
    )
    with pytest.raises(ValidationError):
        rules.result_report(actor=people.clerk, commitment=commitment, description="x", is_met=True)


# ---------------------------------------------------------------------------------------------- clusters
def _score_cluster(people, cast, movement):
    cluster = unit("BT.CUM1")
    year = this_year()
    first = rules.criterion_add(
        actor=cast["cluster_head"],
        cluster=cluster,
        movement=movement,
        year=year,
        name="Kết quả",
        max_points=Decimal(60),
    )
    second = rules.criterion_add(
        actor=people.province_reviewer,
        cluster=cluster,
        movement=movement,
        year=year,
        name="Đổi mới",
        max_points=Decimal(40),
    )
    mcn, batri, binhdai = unit("BT.MCN"), unit("BT.BATRI"), unit("BT.BINHDAI")
    sheets = {
        ("mcn_head", mcn): {batri: (50, 30), binhdai: (45, 30)},
        ("batri_head", batri): {mcn: (58, 38), binhdai: (40, 30)},
        ("binhdai_head", binhdai): {mcn: (56, 36), batri: (50, 32)},
    }
    for (username, scorer), given in sheets.items():
        points = {}
        for scored, (a, b) in given.items():
            points[(first.pk, scored.pk)] = Decimal(a)
            points[(second.pk, scored.pk)] = Decimal(b)
        rules.scores_record(
            actor=cast[username], cluster=cluster, movement=movement, year=year, scorer=scorer, points=points
        )
    return cluster, first, second


def test_cluster_members_score_each_other_and_the_leader_is_ranked_first(people, cast, movement):
    cluster, first, _second = _score_cluster(people, cast, movement)
    criteria, ranked = rules.cluster_ranking(cluster=cluster, movement=movement, year=this_year())
    assert [r.unit.code for r in ranked] == ["BT.MCN", "BT.BATRI", "BT.BINHDAI"]
    assert ranked[0].points == Decimal("94.00") and ranked[0].scorers == 2
    with pytest.raises(ValidationError):  # scoring has started: the criteria are fixed
        rules.criterion_add(
            actor=cast["cluster_head"],
            cluster=cluster,
            movement=movement,
            year=this_year(),
            name="x",
            max_points=1,
        )


def test_cluster_scoring_refuses_self_scores_points_over_the_maximum_and_outsiders(people, cast, movement):
    cluster = unit("BT.CUM1")
    criterion = rules.criterion_add(
        actor=cast["cluster_head"],
        cluster=cluster,
        movement=movement,
        year=this_year(),
        name="Kết quả",
        max_points=10,
    )
    mcn, batri = unit("BT.MCN"), unit("BT.BATRI")
    kwargs = {"cluster": cluster, "movement": movement, "year": this_year()}
    with pytest.raises(ValidationError):
        rules.scores_record(
            actor=cast["mcn_head"], scorer=mcn, points={(criterion.pk, mcn.pk): Decimal(5)}, **kwargs
        )
    with pytest.raises(ValidationError):
        rules.scores_record(
            actor=cast["mcn_head"], scorer=mcn, points={(criterion.pk, batri.pk): Decimal(11)}, **kwargs
        )
    with pytest.raises(PermissionDenied):  # another unit's head scores only for their own unit
        rules.scores_record(
            actor=cast["batri_head"], scorer=mcn, points={(criterion.pk, batri.pk): Decimal(5)}, **kwargs
        )
    for persona in ("district_reviewer", "clerk", "outsider"):
        with pytest.raises(PermissionDenied):
            rules.criterion_add(actor=getattr(people, persona), name="x", max_points=1, **kwargs)
    # A commune is no member of the cluster.
    with pytest.raises(ValidationError):
        rules.scores_record(
            actor=people.head,
            scorer=unit("BT.MCN.DINHTHUY"),
            points={(criterion.pk, batri.pk): Decimal(5)},
            **kwargs,
        )
    assert ClusterCriterion.objects.filter(cluster=cluster).count() == 1


# ---------------------------------------------------------------------------------------------- the review
def test_review_opens_before_17_january_and_links_the_honour_round(people, movement):
    review = rules.review_open(actor=people.province_reviewer, movement=movement, year=this_year())
    assert review.held_on == date(this_year() + 1, 1, 17) and review.kind == ReviewKind.INTERIM
    with pytest.raises(ValidationError):
        rules.review_open(actor=people.province_reviewer, movement=movement, year=this_year())
    with pytest.raises(ValidationError):  # after the anniversary: too late to open it
        rules.review_open(
            actor=people.province_reviewer,
            movement=movement,
            year=2027,
            opened_on=date(2028, 1, 20),
            held_on=date(2028, 1, 17),
        )
    for persona in ("district_reviewer", "chairman", "clerk", "outsider"):
        with pytest.raises(PermissionDenied):
            rules.review_open(actor=getattr(people, persona), movement=movement, year=2027)
        with pytest.raises(PermissionDenied):
            rules.review_close(actor=getattr(people, persona), review=review)
    rules.review_close(actor=people.province_reviewer, review=review, summary="Hoàn thành.")
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED
    with pytest.raises(ValidationError):  # the year is closed: no more registrations
        rules.registration_create(
            actor=people.clerk, movement=movement, unit=unit("BT.MCN.DINHTHUY"), year=this_year()
        )


def test_review_gathers_the_year_and_the_flag_goes_to_the_standard_route(people, cast, movement):
    from approvals.movement_report import review_report_docx, review_report_text
    from nominations.services import dossier_file_add
    from workflows.movement import flag_propose
    from workflows.services import nomination_submit, open_task_of

    registration = registered(
        movement, "BT.MCN.DINHTHUY", people.clerk, people.head, people.district_reviewer
    )
    rules.result_report(
        actor=people.clerk, commitment=registration.commitments.get(), description="Đạt", value=Decimal(4)
    )
    rules.exemplary_mark(
        actor=people.district_reviewer,
        registration=registration,
        content_area=registration.commitments.get().content_area,
        title="Ấp kiểu mẫu",
        description="Nhân rộng.",
    )
    cluster, _first, _second = _score_cluster(people, cast, movement)
    review = rules.review_open(actor=people.province_reviewer, movement=movement, year=this_year())
    for persona in ("province_reviewer", "mcn_head"):  # the cluster files for itself
        actor = getattr(people, persona, None) or cast[persona]
        with pytest.raises(PermissionDenied):
            flag_propose(actor=actor, review=review, cluster=cluster)
    nomination = flag_propose(actor=cast["cluster_head"], review=review, cluster=cluster)
    assert nomination.route == "standard" and nomination.award_type.code == rules.FLAG_AWARD_CODE
    assert nomination.nominee.collective is not None and nomination.nominee.unit.code == "BT.MCN"
    assert nomination.deciding_unit.code == "BT" and nomination.status == Status.DRAFT
    assert review.flag_proposals.get().unit.code == "BT.MCN"
    with pytest.raises(ValidationError):
        flag_propose(actor=cast["cluster_head"], review=review, cluster=cluster)
    # The cluster's head submits it like any nomination: straight to the province's appraisal.
    dossier_file_add(
        actor=cast["cluster_head"], nomination=nomination, kind="achievement_report", uploaded=pdf_upload()
    )
    nomination_submit(actor=cast["cluster_head"], nomination=nomination)
    assert open_task_of(nomination).step == "appraise"

    gathering = rules.review_gather(review)
    assert [u.registration for u in gathering.units] == [registration]
    assert gathering.units[0].met == 1 and len(gathering.exemplary) == 1
    assert gathering.clusters[0][3].nomination_id == nomination.pk
    assert nomination in gathering.nominations
    text = review_report_text(review)
    paragraphs = "\n".join(text.paragraphs())
    assert "Sơ kết năm" in paragraphs and "Huyện Mỏ Cày Nam" in paragraphs
    assert review_report_docx(review)[:2] == b"PK"


def test_dashboards_count_coverage_by_tier_and_results_per_area(people, movement):
    registered(movement, "BT.MCN.DINHTHUY", people.clerk, people.head, people.district_reviewer)
    registered(movement, "BT.SGDDT", people.dept_clerk, people.dept_head, people.province_reviewer)
    coverage = {row.tier: row for row in rules.registration_coverage(movement, this_year())}
    assert coverage["base"].by_status == {"acknowledged": 1} and coverage["base"].addressed >= 27
    assert coverage["department"].by_status == {"acknowledged": 1}
    progress = {row.area.code: row for row in rules.area_progress(movement, this_year())}
    assert progress["chan_2.1"].commitments == 2 and progress["chan_2.1"].committed_value == Decimal(6)
    assert progress["chan_2.1"].targets[0].value == Decimal(20)


def test_only_an_administrator_seats_a_unit_in_a_cluster(people):
    from organisation.services import cluster_member_add

    cluster = unit("BT.CUM1")
    for persona in ("province_reviewer", "chairman", "clerk", "outsider"):
        with pytest.raises(PermissionDenied):
            cluster_member_add(
                actor=getattr(people, persona),
                cluster=cluster,
                unit=unit("BT.CHOLACH"),
                valid_from=date(2026, 1, 1),
            )
    with pytest.raises(ValidationError):  # a commune is not a cluster
        cluster_member_add(
            actor=people.admin,
            cluster=unit("BT.MCN.DINHTHUY"),
            unit=unit("BT.CHOLACH"),
            valid_from=date(2026, 1, 1),
        )
    member = cluster_member_add(
        actor=people.admin, cluster=cluster, unit=unit("BT.CHOLACH"), valid_from=date(2026, 1, 1)
    )
    assert unit("BT.CHOLACH") in rules.cluster_members(cluster, 2026)
    assert actions_of(member) == ["cluster.member_add"]
