"""The movement's pages (issue 24): every write through its page, and the refusals of who may not."""

from decimal import Decimal

import pytest
from django.urls import reverse

from nominations.models import ClusterScore, Movement, Registration, RegistrationStatus, ReviewStatus
from tests.factories import pdf_upload, unit
from tests.movement_factories import launch_successor, movement_cast, registered, this_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def movement(people):
    return launch_successor(people)


def login(client, user):
    client.force_login(user)
    return client


def test_province_office_launches_through_the_page_and_others_are_refused(client, people):
    data = {
        "code": "dk_2026",
        "name": "Đồng khởi mới 2026–2030",
        "start_year": 2026,
        "end_year": 2030,
        "launch_document": "Chỉ thị 05-CT/TU",
        "launched_on": "2026-01-17",
        "predecessor": Movement.objects.get(code="dong_khoi_moi_2020_2025").pk,
        "areas": "",
    }
    login(client, people.clerk)
    assert client.post(reverse("movement:launch"), data).status_code == 403
    login(client, people.province_reviewer)
    page = client.get(reverse("movement:list"))
    assert b'data-testid="launch-form"' in page.content
    bad = client.post(reverse("movement:launch"), {**data, "end_year": 2020})
    assert bad.status_code == 400 and "Năm kết thúc" in bad.content.decode()
    response = client.post(reverse("movement:launch"), data)
    movement = Movement.objects.get(code="dk_2026")
    assert response.status_code == 302 and response["Location"] == reverse(
        "movement:detail", args=[movement.pk]
    )
    area = movement.content_areas.get(code="chan_2.1")
    target = {"content_area": area.pk, "description": "Xã nông thôn mới", "kind": "number", "value": "20"}
    login(client, people.district_reviewer)
    assert client.post(reverse("movement:target_add", args=[movement.pk]), target).status_code == 403
    login(client, people.province_reviewer)
    assert (
        client.post(reverse("movement:target_add", args=[movement.pk]), {**target, "value": ""}).status_code
        == 400
    )
    assert client.post(reverse("movement:target_add", args=[movement.pk]), target).status_code == 302
    assert b'data-testid="target"' in client.get(reverse("movement:detail", args=[movement.pk])).content


def test_registration_through_the_pages_acknowledged_by_the_district(client, people, movement):
    login(client, people.clerk)
    response = client.post(
        reverse("movement:register"),
        {"movement": movement.pk, "unit": unit("BT.MCN.DINHTHUY").pk, "year": this_year()},
    )
    registration = Registration.objects.get(unit__code="BT.MCN.DINHTHUY")
    act = reverse("movement:registration_act", args=[registration.pk])
    assert response["Location"] == reverse("movement:registration", args=[registration.pk])
    area = movement.content_areas.get(code="chan_2.1")
    commitment = {
        "action": "commitment",
        "content_area": area.pk,
        "description": "Hai ấp nông thôn mới kiểu mẫu",
        "kind": "number",
        "value": "2",
    }
    login(client, people.district_reviewer)  # a draft is the unit's own business
    assert client.post(act, commitment).status_code == 404
    login(client, people.clerk)
    assert client.post(act, {**commitment, "value": ""}).status_code == 400
    assert client.post(act, commitment).status_code == 302
    assert client.post(act, {"action": "submit"}).status_code == 403  # the clerk does not sign
    login(client, people.head)
    assert client.post(act, {"action": "submit"}).status_code == 302
    # Another district's reviewer does not even learn it exists; the outsider neither.
    for persona in ("other_reviewer", "outsider"):
        login(client, getattr(people, persona))
        assert client.get(reverse("movement:registration", args=[registration.pk])).status_code == 404
        assert client.post(act, {"action": "acknowledge"}).status_code == 404
    login(client, people.district_reviewer)
    waiting = client.get(reverse("movement:registrations"))
    assert "Xã Định Thủy" in waiting.content.decode()
    assert client.post(act, {"action": "return", "reason": ""}).status_code == 400
    assert client.post(act, {"action": "acknowledge"}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACKNOWLEDGED
    assert client.post(act, {"action": "bogus"}).status_code == 404


def test_results_with_evidence_and_the_exemplary_model_on_the_public_page(client, people, movement):
    registration = registered(
        movement, "BT.MCN.DINHTHUY", people.clerk, people.head, people.district_reviewer
    )
    commitment = registration.commitments.get()
    url = reverse("movement:result_add", args=[registration.pk])
    data = {"commitment": commitment.pk, "description": "Ba ấp đạt chuẩn", "value": "3", "is_met": "unknown"}
    login(client, people.district_reviewer)
    assert client.post(url, {**data, "file": pdf_upload()}).status_code == 403
    login(client, people.clerk)
    fake = client.post(url, {**data, "file": pdf_upload("ok.docx")})
    assert fake.status_code == 400
    assert client.post(url, {**data, "file": pdf_upload("minh-chung.pdf")}).status_code == 302
    report = commitment.results.get()
    download = client.get(reverse("movement:evidence", args=[report.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    login(client, people.outsider)
    assert client.get(reverse("movement:evidence", args=[report.pk])).status_code == 404

    mark = {
        "action": "exemplary",
        "content_area": commitment.content_area_id,
        "title": "Ấp nông thôn mới kiểu mẫu Phú Hữu",
        "description": "Người dân hiến đất, góp công làm đường.",
    }
    act = reverse("movement:registration_act", args=[registration.pk])
    login(client, people.clerk)
    assert client.post(act, mark).status_code == 403
    login(client, people.district_reviewer)
    assert client.post(act, mark).status_code == 302
    client.logout()
    public = client.get(reverse("public:exemplary")).content.decode()
    assert "Ấp nông thôn mới kiểu mẫu Phú Hữu" in public and "Xã Định Thủy" in public


def test_cluster_scoring_proposal_and_review_report_through_the_pages(client, people, movement):
    cast = movement_cast()
    cluster = unit("BT.CUM1")
    year = this_year()
    page = reverse("movement:cluster", args=[movement.pk, cluster.pk, year])
    act = reverse("movement:cluster_act", args=[movement.pk, cluster.pk, year])
    login(client, people.clerk)
    assert client.get(page).status_code == 403
    assert client.post(act, {"action": "criterion", "name": "x", "max_points": "10"}).status_code == 403
    login(client, cast["cluster_head"])
    assert (
        client.post(act, {"action": "criterion", "name": "Kết quả", "max_points": "100"}).status_code == 302
    )
    criterion = movement.cluster_criteria.get()
    members = {code: unit(code) for code in ("BT.MCN", "BT.BATRI", "BT.BINHDAI")}
    sheets = {
        "mcn_head": ("BT.MCN", {"BT.BATRI": 80, "BT.BINHDAI": 70}),
        "batri_head": ("BT.BATRI", {"BT.MCN": 95, "BT.BINHDAI": 75}),
        "binhdai_head": ("BT.BINHDAI", {"BT.MCN": 90, "BT.BATRI": 85}),
    }
    for username, (scorer, given) in sheets.items():
        login(client, cast[username])
        post = {"action": "score", "scorer": members[scorer].pk}
        post.update(
            {f"points-{criterion.pk}-{members[code].pk}": str(points) for code, points in given.items()}
        )
        assert client.post(act, post).status_code == 302
    assert ClusterScore.objects.count() == 6
    sheet = client.get(page).content.decode()  # the last scorer's sheet keeps what they gave
    assert sheet.count('data-testid="ranking"') == 1 and 'value="85"' in sheet
    login(client, cast["batri_head"])  # scoring for another member is refused
    assert client.post(act, {"action": "score", "scorer": members["BT.MCN"].pk}).status_code == 403

    login(client, people.district_reviewer)
    assert (
        client.post(
            reverse("movement:review_open", args=[movement.pk]), {"year": year, "kind": "interim"}
        ).status_code
        == 403
    )
    login(client, people.province_reviewer)
    response = client.post(
        reverse("movement:review_open", args=[movement.pk]), {"year": year, "kind": "interim"}
    )
    review = movement.reviews.get()
    assert response["Location"] == reverse("movement:review", args=[review.pk])

    login(client, cast["mcn_head"])  # a member scores; only the cluster files its proposal
    assert client.post(act, {"action": "propose"}).status_code == 403
    login(client, cast["cluster_head"])
    response = client.post(act, {"action": "propose"})
    proposal = review.flag_proposals.get()
    assert proposal.unit.code == "BT.MCN" and proposal.points == Decimal("92.50")
    assert response["Location"] == reverse("nominations:detail", args=[proposal.nomination_id])

    for persona, status in (("clerk", 404), ("outsider", 404)):
        login(client, getattr(people, persona))
        assert client.get(reverse("movement:review_report", args=[review.pk, "pdf"])).status_code == status
        assert client.get(reverse("movement:review", args=[review.pk])).status_code == 403
    for persona in ("province_reviewer", "chairman"):
        login(client, getattr(people, persona))
        detail = client.get(reverse("movement:review", args=[review.pk])).content.decode()
        assert "Huyện Mỏ Cày Nam" in detail
        pdf = client.get(reverse("movement:review_report", args=[review.pk, "pdf"]))
        assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    docx = client.get(reverse("movement:review_report", args=[review.pk, "docx"]))
    assert b"".join(docx.streaming_content).startswith(b"PK")
    assert client.post(reverse("movement:review_close", args=[review.pk])).status_code == 403  # the chairman
    login(client, people.province_reviewer)
    assert client.get(reverse("movement:dashboard", args=[movement.pk])).status_code == 200
    assert (
        client.post(reverse("movement:review_close", args=[review.pk]), {"summary": "Tốt"}).status_code == 302
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED


def test_dashboard_is_for_reviewers_and_the_province(client, people, movement):
    registered(movement, "BT.MCN.DINHTHUY", people.clerk, people.head, people.district_reviewer)
    login(client, people.clerk)
    assert client.get(reverse("movement:dashboard", args=[movement.pk])).status_code == 403
    login(client, people.district_reviewer)
    page = client.get(reverse("movement:dashboard", args=[movement.pk]), {"nam": this_year()})
    assert page.status_code == 200 and b'data-testid="coverage"' in page.content


def test_an_exemplary_model_is_withdrawn_by_its_reviewer_only(client, people, movement):
    from nominations import movement as rules

    registration = registered(
        movement, "BT.MCN.DINHTHUY", people.clerk, people.head, people.district_reviewer
    )
    model = rules.exemplary_mark(
        actor=people.district_reviewer,
        registration=registration,
        content_area=registration.commitments.get().content_area,
        title="Ấp kiểu mẫu",
        description="Nhân rộng.",
    )
    act = reverse("movement:registration_act", args=[registration.pk])
    login(client, people.clerk)
    assert client.post(act, {"action": "withdraw", "model": model.pk, "reason": "x"}).status_code == 403
    login(client, people.district_reviewer)
    assert client.post(act, {"action": "withdraw", "model": model.pk, "reason": ""}).status_code == 400
    assert (
        client.post(act, {"action": "withdraw", "model": model.pk, "reason": "Trùng lặp"}).status_code == 302
    )
    client.logout()
    assert b'data-testid="exemplary-empty"' in client.get(reverse("public:exemplary")).content


def test_launch_addresses_chosen_units_only(client, people):
    login(client, people.province_reviewer)
    data = {
        "code": "chuyen_de",
        "name": "Thi đua chuyên đề chuyển đổi số",
        "start_year": 2026,
        "end_year": 2026,
        "launch_document": "Kế hoạch 12/KH-UBND",
        "launched_on": "2026-02-01",
        "areas": "cds | Chuyển đổi số |\ncds.1 | Dịch vụ công trực tuyến | cds",
        "addressed_units": [unit("BT.SGDDT").pk],
    }
    assert client.post(reverse("movement:launch"), data).status_code == 302
    movement = Movement.objects.get(code="chuyen_de")
    assert movement.content_areas.get(code="cds.1").parent.code == "cds"
    from nominations import movement as rules

    assert rules.is_addressed(movement, unit("BT.SGDDT.THPT-BT"))
    assert not rules.is_addressed(movement, unit("BT.MCN.DINHTHUY"))
