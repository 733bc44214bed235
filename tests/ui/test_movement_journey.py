"""Browser journey of the movement's year (issue 24): the province launches the 2026–2030 movement with a target; a
commune and a department register commitments that their tiers acknowledge; the commune reports its result with
evidence; the district's reviewer marks an exemplary model that appears on the public page; the cluster's members
score each other and the leader is proposed for the Cờ thi đua; the review's report downloads and the proposal is a
nomination on the standard route."""

import pytest
from playwright.sync_api import expect

from nominations.models import Movement, Nomination, Registration
from tests.factories import PDF_BYTES, unit
from tests.movement_factories import movement_cast, this_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def register(page, url, movement, unit_code, area_code, description, value):
    """The unit's clerk starts the registration and adds one commitment."""
    page.goto(f"{url}/phong-trao/dang-ky/")
    page.select_option("#id_movement", str(movement.pk))
    page.select_option("#id_unit", str(unit(unit_code).pk))
    page.click("[data-testid=register]")
    expect(page.locator("[data-testid=registration-status]")).to_have_text("Đang soạn")
    page.select_option("#id_content_area", str(movement.content_areas.get(code=area_code).pk))
    page.fill("#id_description", description)
    page.select_option("#id_kind", "number")
    page.fill("#id_value", value)
    page.fill("#id_actions", "Huy động nguồn lực, phân công từng bộ phận.")
    page.click("[data-testid=commitment-add]")
    expect(page.locator("[data-testid=commitments]")).to_contain_text(description)
    return Registration.objects.get(unit__code=unit_code)


def sign_and_acknowledge(login_as, url, registration, head, reviewer):
    page = login_as(head)
    page.goto(f"{url}/phong-trao/dang-ky/{registration.pk}/")
    page.click("[data-testid=registration-submit]")
    expect(page.locator("[data-testid=registration-status]")).to_have_text("Chờ cấp trên ghi nhận")
    page = login_as(reviewer)
    page.goto(f"{url}/phong-trao/dang-ky/")
    page.click(f"[data-testid=waiting] a[href='/phong-trao/dang-ky/{registration.pk}/']")
    page.click("[data-testid=registration-acknowledge]")
    expect(page.locator("[data-testid=registration-status]")).to_have_text("Đã được cấp trên ghi nhận")
    return page


def test_a_year_of_the_movement(tpeople, live_server, login_as, screenshot, tmp_path):
    people, url = tpeople, live_server.url
    cast = movement_cast()

    # The province launches the successor movement, reusing the 2020–2025 tree, and sets a target.
    page = login_as(people.province_reviewer)
    page.goto(f"{url}/phong-trao/")
    page.fill("#id_code", "dong_khoi_moi_2026_2030")
    page.fill("#id_name", "Đồng khởi mới 2026–2030")
    page.fill("#id_start_year", "2026")
    page.fill("#id_end_year", "2030")
    page.fill("#id_vision_year", "2035")
    page.fill("#id_launch_document", "Chỉ thị 05-CT/TU ngày 17/01/2026 của Tỉnh ủy")
    page.fill("#id_launched_on", "2026-01-17")
    page.select_option("#id_predecessor", str(Movement.objects.get(code="dong_khoi_moi_2020_2025").pk))
    page.click("[data-testid=launch]")
    expect(page.locator("[data-testid=movement-name]")).to_have_text("Đồng khởi mới 2026–2030")
    movement = Movement.objects.get(code="dong_khoi_moi_2026_2030")
    page.select_option("#id_content_area", str(movement.content_areas.get(code="chan_2.1").pk))
    page.fill("#id_description", "Xã đạt chuẩn nông thôn mới nâng cao")
    page.select_option("#id_kind", "number")
    page.fill("#id_value", "20")
    page.fill("#id_unit_label", "xã")
    page.click("[data-testid=target-add]")
    expect(page.locator("[data-testid=target]")).to_contain_text("Xã đạt chuẩn nông thôn mới nâng cao: 20 xã")
    screenshot(page, "movement-01-launched")

    # A commune registers, its head signs, the district acknowledges; a department, acknowledged by the province.
    page = login_as(people.clerk)
    commune = register(
        page, url, movement, "BT.MCN.DINHTHUY", "chan_2.1", "Hai ấp nông thôn mới kiểu mẫu", "2"
    )
    sign_and_acknowledge(login_as, url, commune, people.head, people.district_reviewer)
    page = login_as(people.dept_clerk)
    department = register(page, url, movement, "BT.SGDDT", "chan_2.8", "Trường đạt chuẩn quốc gia", "10")
    sign_and_acknowledge(login_as, url, department, people.dept_head, people.province_reviewer)
    screenshot(page, "movement-02-acknowledged")

    # The commune reports its result with evidence.
    evidence = tmp_path / "minh-chung.pdf"
    evidence.write_bytes(PDF_BYTES)
    page = login_as(people.clerk)
    page.goto(f"{url}/phong-trao/dang-ky/{commune.pk}/")
    page.fill("[data-testid=result-form] #id_description", "Hai ấp đạt chuẩn kiểu mẫu")
    page.fill("[data-testid=result-form] #id_value", "2")
    page.set_input_files("[data-testid=result-form] #id_file", str(evidence))
    page.click("[data-testid=result-add]")
    expect(page.locator("[data-testid=latest-result]")).to_contain_text("Đạt")

    # The district's reviewer marks the exemplary model; everyone sees it on the public page.
    page = login_as(people.district_reviewer)
    page.goto(f"{url}/phong-trao/dang-ky/{commune.pk}/")
    page.fill("[data-testid=exemplary-form] #id_title", "Ấp kiểu mẫu Phú Hữu")
    page.fill("[data-testid=exemplary-form] #id_description", "Người dân hiến đất, góp công làm đường.")
    page.click("[data-testid=exemplary-mark]")
    expect(page.locator("[data-testid=exemplary]")).to_contain_text("Ấp kiểu mẫu Phú Hữu")
    public = login_as(None)
    public.goto(f"{url}/cong-khai/dien-hinh/")
    expect(public.locator("[data-testid=exemplary-model]")).to_contain_text("Ấp kiểu mẫu Phú Hữu")
    screenshot(public, "movement-03-public-exemplary")

    # The cluster sets its criterion, its members score each other.
    cluster = unit("BT.CUM1")
    cluster_url = f"{url}/phong-trao/{movement.pk}/cum/{cluster.pk}/{this_year()}/"
    page = login_as(cast["cluster_head"])
    page.goto(cluster_url)
    page.fill("#id_name", "Kết quả thực hiện chỉ tiêu")
    page.fill("#id_max_points", "100")
    page.click("[data-testid=criterion-add]")
    expect(page.locator("[data-testid=ranking]")).to_contain_text("Kết quả thực hiện chỉ tiêu")
    given = {
        "mcn_head": {"BT.BATRI": 80, "BT.BINHDAI": 70},
        "batri_head": {"BT.MCN": 95, "BT.BINHDAI": 75},
        "binhdai_head": {"BT.MCN": 90, "BT.BATRI": 85},
    }
    criterion = movement.cluster_criteria.get()
    for username, sheet in given.items():
        page = login_as(cast[username])
        page.goto(cluster_url)
        for code, points in sheet.items():
            page.fill(f"input[name=points-{criterion.pk}-{unit(code).pk}]", str(points))
        page.click("[data-testid=score-submit]")
        expect(page.locator(".messages")).to_contain_text("Đã ghi điểm chấm")
    expect(page.locator("[data-testid=ranking] tbody tr").first).to_contain_text("Huyện Mỏ Cày Nam")
    screenshot(page, "movement-04-cluster-ranking")

    # The province opens the review before 17/1; the cluster proposes its leader for the Cờ thi đua.
    page = login_as(people.province_reviewer)
    page.goto(f"{url}/phong-trao/{movement.pk}/so-ket/")
    page.fill("#id_year", str(this_year()))
    page.click("[data-testid=review-open]")
    expect(page.locator("[data-testid=review-status]")).to_have_text("Đang tổng hợp")
    page = login_as(cast["cluster_head"])
    page.goto(cluster_url)
    page.click("[data-testid=flag-propose]")
    expect(page.locator(".messages")).to_contain_text("tặng Cờ thi đua cho Huyện Mỏ Cày Nam")
    nomination = Nomination.objects.get(award_type__code="co_thi_dua_tinh")
    assert nomination.route == "standard" and nomination.unit.code == "BT.CUM1"

    # The review gathers the year and its report downloads.
    page = login_as(people.province_reviewer)
    review = movement.reviews.get()
    page.goto(f"{url}/phong-trao/so-ket/{review.pk}/")
    expect(page.locator("[data-testid=review-units]")).to_contain_text("Xã Định Thủy")
    expect(page.locator("[data-testid=review-clusters]")).to_contain_text(f"#{nomination.pk}")
    with page.expect_download() as download:
        page.click("[data-testid=report-pdf]")
    assert download.value.suggested_filename.endswith(".pdf")
    screenshot(page, "movement-05-review")
