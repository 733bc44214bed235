"""Browser: the analytics, a statistical form and the inspector's decision list render with the demo awards and fit a
1366 px screen and a phone without sideways scrolling of the page."""

import pytest
from playwright.sync_api import expect

from workflows import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "phone"])
def test_analytics_and_forms_render_with_demo_data(tpeople, live_server, login_as, screenshot, viewport):
    demo.seed_awards()
    page = login_as(tpeople.province_reviewer, viewport=viewport)
    page.goto(f"{live_server.url}/bao-cao/phan-tich/")
    chart = page.locator("[data-testid=chart-award] svg")
    expect(chart).to_be_visible()
    expect(page.locator("[data-testid=section-award]")).to_contain_text("Bằng khen của Chủ tịch UBND tỉnh")
    assert chart.bounding_box()["width"] <= viewport["width"]
    assert fits(page)
    screenshot(page, f"reports-analytics-{viewport['width']}")
    page.goto(f"{live_server.url}/bao-cao/bieu/0603/?year={demo.DEMO_REPORT_YEAR}")
    expect(page.locator("[data-testid=form-0603]")).to_contain_text("Doanh nghiệp")
    assert fits(page)
    page.goto(f"{live_server.url}/bao-cao/bieu/0602/?year={demo.DEMO_REPORT_YEAR}")
    expect(page.locator("[data-testid=form-0602]")).to_contain_text("Các loại huân chương, huy chương")
    assert fits(page)
    page.goto(f"{live_server.url}/bao-cao/tien-thuong/?year={demo.DEMO_REPORT_YEAR}")
    expect(page.locator("[data-testid=fund-reconciliation]")).to_contain_text("Khớp đến từng đồng")
    assert fits(page)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "phone"])
def test_inspector_finds_a_decision_by_a_number_typed_without_diacritics(
    tpeople, live_server, login_as, screenshot, viewport
):
    decisions = demo.seed_awards()
    page = login_as(tpeople.inspector, viewport=viewport)
    page.goto(f"{live_server.url}/inspect/decisions/list/")
    page.fill("#id_q", "02/QD-UBND")
    page.click("form[role=search] button[type=submit]")
    rows = page.locator("[data-testid=decision-list] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(decisions[1].number)
    assert fits(page)
    page.locator("[data-testid=decision-list] tbody tr a").first.click()
    expect(page.locator("h1")).to_contain_text("Truy vết quyết định")
    expect(page.locator("main, body").first).to_contain_text("Lê Văn Cứu")
    assert "decision.sign" not in page.content()
    screenshot(page, f"inspect-decision-{viewport['width']}")
    page.goto(f"{live_server.url}/inspect/")
    expect(page.locator("select#id_action")).to_be_visible()
    assert fits(page)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "phone"])
def test_province_reviewer_enters_the_civil_servants_and_reads_form_0605(
    tpeople, live_server, login_as, screenshot, viewport
):
    page = login_as(tpeople.province_reviewer, viewport=viewport)
    page.goto(f"{live_server.url}/bao-cao/bieu/0605/nhap/?year={demo.DEMO_REPORT_YEAR}")
    page.select_option("#id_unit", label="Sở Nội vụ")
    page.click("form.audit-filters button[type=submit]")
    form = page.locator("[data-testid=figures-form]")
    expect(form).to_contain_text("Sở Nội vụ")
    for code, (value, women) in demo.DEMO_CIVIL_SERVANTS.items():
        form.locator(f"#id_value_{code}").fill(str(value))
        form.locator(f"#id_women_{code}").fill(str(women))
    assert fits(page)
    screenshot(page, f"reports-entry-0605-{viewport['width']}")
    with page.expect_navigation():
        form.locator("#id_women_15").press(
            "Enter"
        )  # submit from the keyboard, as a clerk typing figures does
    expect(page.locator("main")).to_contain_text("Đã lưu số liệu năm")
    table = page.locator("[data-testid=form-0605]")
    expect(table).to_contain_text("Trên đại học")
    expect(table.locator("tbody tr").first).to_contain_text("9")
    assert fits(page)
