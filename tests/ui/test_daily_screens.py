"""The daily screens as officials use them (issue #22), one journey per defect found in a real browser.

Screenshots go to test-artifacts/screenshots/ (kept by CI with the other browser screenshots).
"""

import pytest
from playwright.sync_api import expect

from nominations.models import Nomination, Status
from tests.factories import PDF_BYTES, file_nomination
from workflows.services import nomination_submit, open_task_of, review_forward

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def selected_label(page, selector):
    return page.eval_on_selector(selector, "el => el.options[el.selectedIndex].text")


def option_labels(page, selector):
    return page.eval_on_selector_all(f"{selector} option", "els => els.map(e => e.textContent.trim())")


def test_bulk_refusal_names_the_nomination_and_keeps_action_and_ticks(
    tpeople, live_server, login_as, screenshot
):
    people = tpeople
    names = ("Nguyễn Văn Bình", "Nguyễn Văn Cường", "Trần Thị Dung")
    nominations = {}
    for name in names:
        nominations[name] = file_nomination(people.clerk, full_name=name)
        nomination_submit(actor=people.head, nomination=nominations[name])
    first, second = nominations["Nguyễn Văn Bình"], nominations["Nguyễn Văn Cường"]

    page = login_as(people.district_reviewer)
    page.check(f"input[aria-label='Chọn #{first.pk}']")
    page.check(f"input[aria-label='Chọn #{second.pk}']")
    page.select_option("#id_action", "return")
    page.click("[data-testid=bulk-apply]")
    # A return needs a reason: each refusal names the nomination, not the task behind it.
    messages = page.locator(".messages")
    expect(messages).to_contain_text(f"#{first.pk} Nguyễn Văn Bình: Phải nêu lý do trả lại hồ sơ.")
    expect(messages).to_contain_text(f"#{second.pk} Nguyễn Văn Cường")
    expect(messages).not_to_contain_text("Công việc #")
    # The chosen action and the ticks are kept: the reviewer adds the reason and applies again.
    assert page.eval_on_selector("#id_action", "el => el.value") == "return"
    expect(page.locator(f"input[aria-label='Chọn #{first.pk}']")).to_be_checked()
    expect(page.locator(f"input[aria-label='Chọn #{second.pk}']")).to_be_checked()
    expect(page.locator(f"input[aria-label='Chọn #{nominations['Trần Thị Dung'].pk}']")).not_to_be_checked()
    screenshot(page, "22-01-bulk-refusal-kept")
    page.fill("#id_reason", "Bổ sung biên bản họp xét.")
    page.click("[data-testid=bulk-apply]")
    expect(messages).to_contain_text("Đã xử lý 2 hồ sơ")
    statuses = dict(Nomination.objects.values_list("nominee__full_name", "status"))
    assert statuses == {
        "Nguyễn Văn Bình": Status.RETURNED,
        "Nguyễn Văn Cường": Status.RETURNED,
        "Trần Thị Dung": Status.IN_REVIEW,
    }

    # The province appraises: its inbox offers the words its detail page uses at that step.
    third = nominations["Trần Thị Dung"]
    review_forward(actor=people.district_reviewer, task_id=open_task_of(third).task_id)
    page = login_as(people.province_reviewer)
    bulk = option_labels(page, "#id_action")
    assert "Thẩm định đạt" in bulk and "Chuyển cấp trên" not in bulk
    page.check(f"input[aria-label='Chọn #{third.pk}']")
    page.select_option("#id_action", label="Thẩm định đạt")
    screenshot(page, "22-01-province-bulk-appraise")
    page.click("[data-testid=bulk-apply]")
    expect(page.locator(".messages")).to_contain_text("Đã xử lý 1 hồ sơ")
    third.refresh_from_db()
    assert third.status != Status.APPRAISAL
    page.goto(f"{live_server.url}/de-nghi/{third.pk}/")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("Thẩm định đạt")


def test_returned_nomination_is_a_task_of_the_proposing_unit_with_its_reason_first(
    tpeople, live_server, login_as, screenshot
):
    people = tpeople
    nomination = file_nomination(people.clerk, full_name="Nguyễn Văn Bảy")
    nomination_submit(actor=people.head, nomination=nomination)
    from workflows.services import review_return

    review_return(
        actor=people.district_reviewer,
        task_id=open_task_of(nomination).task_id,
        reason="Bổ sung biên bản họp xét của xã.",
    )

    # The clerk's "Việc cần xử lý" counts it, and the home page lists it first with the reason.
    page = login_as(people.clerk, viewport=PHONE)
    expect(page.locator("[data-testid=inbox-count]")).to_have_text("1")
    returned = page.locator("[data-testid=returned-tasks]")
    expect(returned).to_contain_text(f"#{nomination.pk} Nguyễn Văn Bảy")
    expect(returned.locator("[data-testid=return-reason]")).to_contain_text(
        "Bổ sung biên bản họp xét của xã."
    )
    first_section = page.locator("main section").first
    expect(first_section).to_have_attribute("data-testid", "returned-tasks")
    screenshot(page, "22-02-clerk-home-returned-phone")

    # The nomination page shows the reason above everything else.
    page.click("[data-testid=returned-tasks] >> text=Nguyễn Văn Bảy")
    reason = page.locator("[data-testid=returned-reason]")
    expect(reason).to_contain_text("Bổ sung biên bản họp xét của xã.")
    expect(reason).to_contain_text("Huyện Mỏ Cày Nam")
    assert reason.bounding_box()["y"] < page.locator("[data-testid=timeline]").bounding_box()["y"]
    assert reason.bounding_box()["y"] < page.locator("[data-testid=route-chain]").bounding_box()["y"]
    screenshot(page, "22-02-detail-returned-phone")

    # The head sees it as a task too; once resubmitted it leaves both lists.
    page = login_as(people.head)
    expect(page.locator("[data-testid=inbox-count]")).to_have_text("1")
    page.click("[data-testid=returned-tasks] >> text=Nguyễn Văn Bảy")
    page.select_option("#id_action", "resubmit")
    page.click("[data-testid=task-submit]")
    expect(page.locator("[data-testid=status]")).to_have_text("Đang xét duyệt")
    expect(page.locator("[data-testid=returned-reason]")).to_have_count(0)
    page = login_as(people.clerk)
    expect(page.locator("[data-testid=inbox-count]")).to_have_text("0")
    expect(page.locator("[data-testid=returned-tasks]")).to_have_count(0)


def test_signed_nomination_shows_one_appraisal_and_the_path_to_its_end(
    tpeople, live_server, login_as, screenshot
):
    from workflows.services import appraisal_approve

    people = tpeople
    nomination = file_nomination(people.clerk, full_name="Lê Văn Mười")
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)

    page = login_as(people.chairman)
    page.check(f"[data-testid=approver-home] input[value='{nomination.pk}']")
    page.click("[data-testid=sign-selected]")
    page.click("[data-testid=sign-confirmed]")  # the confirmation page (number, nominees, total) comes first
    expect(page.locator("[data-testid=decision-number]")).to_be_visible()
    number = page.locator("[data-testid=decision-number]").inner_text()
    page.goto(f"{live_server.url}/de-nghi/{nomination.pk}/")

    # "Ý kiến xét duyệt": one appraisal, then the signature with its decision — no second "Thẩm định đạt".
    opinions = page.locator("[data-testid=reviews] tbody tr")
    expect(opinions.filter(has_text="Thẩm định đạt")).to_have_count(1)
    expect(opinions.filter(has_text="Ký quyết định")).to_contain_text(number)

    # "Quy trình": the path taken, ending at the end reached; outcomes not reached are not listed as steps.
    flow = page.locator("[data-testid=flow-diagram]")
    titles = flow.locator("li").evaluate_all("els => els.map(e => e.dataset.step)")
    assert titles == ["start", "submit", "review", "appraise", "sign", "end"]
    expect(flow).not_to_contain_text("Bị từ chối")
    expect(flow).not_to_contain_text("Không được thông qua")
    expect(flow.locator("li.end")).to_have_text("Đã khen thưởng")
    expect(flow.locator("li[data-step=review]")).to_contain_text("Huyện Mỏ Cày Nam")
    expect(flow.locator("li.current")).to_have_count(0)
    screenshot(page, "22-03-signed-detail")


def test_flow_panel_shows_the_posting_as_current_while_it_runs(tpeople, live_server, login_as, screenshot):
    from workflows.services import appraisal_approve

    people = tpeople
    nomination = file_nomination(
        people.clerk, award_code="co_thi_dua_tinh", kind="collective", full_name="Hợp tác xã Phước Hiệp"
    )
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)

    page = login_as(people.province_reviewer, viewport=PHONE)
    page.goto(f"{live_server.url}/de-nghi/{nomination.pk}/")
    flow = page.locator("[data-testid=flow-diagram]")
    current = flow.locator("li.current")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Thời gian công khai")
    expect(flow.locator("li[data-step=posting_window]")).not_to_have_class("passed")
    expect(flow.locator("li.end")).to_have_count(0)
    expect(flow).not_to_contain_text("Bị từ chối")
    screenshot(page, "22-04-flow-posting-phone")


def test_public_pages_menu_golden_book_serial_lookup_and_posted_summary(
    tpeople, live_server, login_as, screenshot
):
    from approvals.models import Certificate
    from workflows.services import appraisal_approve, decision_sign

    people = tpeople
    awarded = file_nomination(people.clerk, full_name="Lê Văn Mười")
    nomination_submit(actor=people.head, nomination=awarded)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(awarded).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(awarded).task_id)
    decision_sign(actor=people.chairman, nominations=[awarded])
    certificate = Certificate.objects.get(nomination=awarded)
    posted = file_nomination(
        people.clerk, award_code="co_thi_dua_tinh", kind="collective", full_name="Hợp tác xã Bình Khánh"
    )
    nomination_submit(actor=people.head, nomination=posted)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(posted).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(posted).task_id)

    page = login_as(None, viewport=PHONE)
    page.goto(f"{live_server.url}/cong-khai/")
    # The posted list shows what each nominee achieved, so a citizen knows what to comment on.
    card = page.locator(f"[data-testid=posted-{posted.pk}]")
    expect(card.locator("[data-testid=posted-achievements]")).to_contain_text(
        "Hoàn thành xuất sắc nhiệm vụ năm."
    )
    screenshot(page, "22-05-posted-list-phone")

    # One "Sổ vàng" in the menu, and it is the Công dân Đồng Khởi golden book.
    nav = page.locator("nav")
    expect(nav.get_by_role("link", name="Sổ vàng", exact=True)).to_have_count(1)
    nav.locator("[data-testid=nav-golden-book]").click()
    expect(page).to_have_url(f"{live_server.url}/cong-dan-dong-khoi/")
    expect(page.locator("h1")).to_have_text("Sổ vàng Công dân Đồng Khởi")
    page.goto(f"{live_server.url}/cong-khai/so-vang/")
    expect(page.locator("h1")).not_to_contain_text("Sổ vàng")

    # A certificate is found by the serial printed on it, not only by its QR code.
    page.goto(f"{live_server.url}/cong-khai/xac-minh/")
    page.click("[data-testid=verify-lookup] button")
    expect(page.locator("[data-field=serial]")).to_contain_text("Nhập số hiệu")
    page.fill("#id_serial", "KHONG-CO-123")
    page.click("[data-testid=verify-lookup] button")
    expect(page.locator("[data-field=serial]")).to_contain_text("Không tìm thấy")
    page.fill("#id_serial", certificate.serial)
    page.click("[data-testid=verify-lookup] button")
    expect(page.locator("[data-testid=verify-holder]")).to_have_text("Lê Văn Mười")
    expect(page.locator("[data-testid=verify-state]")).to_have_text("Hợp lệ")
    screenshot(page, "22-05-verify-by-serial-phone")


def open_round_now(actor):
    """Open this year's Công dân Đồng Khởi round with a window around today (the tests run on any date)."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import open_dong_khoi_round

    today = timezone.localdate()
    return open_dong_khoi_round(
        actor, year=today.year, opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=20)
    )


def test_golden_book_reads_on_a_phone(tpeople, live_server, login_as, screenshot):
    from tests.factories import file_dong_khoi
    from workflows.services import appraisal_approve, decision_sign, vote_record

    people = tpeople
    honour_round = open_round_now(people.province_reviewer)
    holders = []
    for name in ("Nguyễn Thị Định", "Trần Văn Đồng Khởi Tiêu Biểu Có Tên Rất Dài"):
        nomination = file_dong_khoi(people.clerk, honour_round, full_name=name)
        nomination_submit(actor=people.head, nomination=nomination)
        appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)
        vote_record(
            actor=people.secretary,
            task_id=open_task_of(nomination).task_id,
            members_total=11,
            members_present=10,
            votes_for=9,
            votes_against=1,
        )
        holders.append(nomination)
    decision_sign(actor=people.chairman, nominations=holders)

    page = login_as(None, viewport=PHONE)
    page.goto(f"{live_server.url}/cong-dan-dong-khoi/")
    table = page.locator(f"[data-testid=golden-book-{honour_round.year}]")
    expect(table).to_contain_text("Nguyễn Thị Định")
    # Each holder reads as a card: every cell inside the phone's width, labelled.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    for cell in table.locator("td").all():
        box = cell.bounding_box()
        assert box is None or box["x"] + box["width"] <= PHONE["width"] + 0.5, cell.inner_text()
    expect(table.locator("td[data-label]").first).to_be_visible()
    screenshot(page, "22-05-golden-book-phone")


def test_filing_form_messages_and_the_fast_track_fields(tpeople, live_server, login_as, screenshot):
    from django.utils import timezone

    from nominations.models import DossierKind, Movement

    people = tpeople
    year = timezone.localdate().year
    page = login_as(people.clerk)
    page.goto(f"{live_server.url}/de-nghi/moi/?route=fast_track")
    # The file is filed as the tờ trình and the form says so; the day of the feat has its own field.
    expect(page.locator("label[for=id_file]")).to_contain_text(str(DossierKind.SUBMISSION.label))
    expect(page.locator("label[for=id_file]")).not_to_contain_text("Báo cáo thành tích")
    expect(page.locator("#id_event_on")).to_have_attribute("type", "date")
    # Only a movement in force is preselected (the 2020–2025 one is over).
    finished = Movement.objects.get(code="dong_khoi_moi_2020_2025")
    assert finished.end_year < year
    assert page.eval_on_selector("#id_movement", "el => el.value") != str(finished.pk)

    page.select_option("#id_award_type", "")
    page.fill("#id_full_name", "Lê Văn Cứu")
    page.fill("#id_birth_year", "1850")
    page.fill("#id_achievements", "Cứu 3 người bị nạn trong lũ.")
    page.click("[data-testid=save-nomination]")
    expect(page.locator("[data-field=award_type]")).to_have_text("Vui lòng chọn một mục trong danh sách.")
    expect(page.locator("[data-field=event_on]")).to_have_text("Vui lòng nhập ngày lập thành tích đột xuất.")
    screenshot(page, "22-06-fast-track-form-errors")

    page.select_option("#id_award_type", label="Bằng khen của Chủ tịch UBND tỉnh")
    page.fill("#id_event_on", f"{year}-01-05")
    page.set_input_files(
        "#id_file", {"name": "to-trinh.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.click("[data-testid=save-nomination]")
    # The birth year names the range it accepts.
    expect(page.locator("[data-field=birth_year]")).to_have_text(f"Năm sinh phải từ 1900 đến {year}.")
    page.fill("#id_birth_year", "1990")
    page.click("[data-testid=save-nomination]")
    expect(page.locator("[data-testid=event-on]")).to_have_text(f"05/01/{year}")
    nomination = Nomination.objects.get(nominee__full_name="Lê Văn Cứu")
    assert nomination.is_ad_hoc and nomination.event_on.day == 5
    assert list(nomination.files.values_list("kind", flat=True)) == [DossierKind.SUBMISSION]
    screenshot(page, "22-06-fast-track-filed")


def test_small_things_favicon_skip_link_and_done_task_notices(tpeople, live_server, login_as, screenshot):
    people = tpeople
    nomination = file_nomination(people.clerk, full_name="Phạm Văn Nhỏ")
    nomination_submit(actor=people.head, nomination=nomination)

    page = login_as(people.district_reviewer)
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.ok and "svg" in icon.headers["content-type"]
    expect(page.locator("link[rel=icon]")).to_have_count(1)
    # The first Tab reaches the skip link; it jumps past the menu to the content.
    page.keyboard.press("Tab")
    skip = page.locator("[data-testid=skip-link]")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    screenshot(page, "22-07-skip-link")
    page.keyboard.press("Enter")
    assert page.url.endswith("#noi-dung")

    # The new-task notice is resolved once the reviewer has done the task.
    expect(page.locator("[data-testid=unread-count]")).to_have_text("1")
    page.goto(f"{live_server.url}/de-nghi/{nomination.pk}/")
    page.select_option("#id_action", "forward")
    page.click("[data-testid=task-submit]")
    expect(page.locator("[data-testid=status]")).to_have_text("Đang thẩm định")
    expect(page.locator("[data-testid=unread-count]")).to_have_text("0")

    # The nomination page fits a 390 px phone.
    page = login_as(people.clerk, viewport=PHONE)
    page.goto(f"{live_server.url}/de-nghi/{nomination.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "22-07-detail-phone")


def test_dong_khoi_round_open_file_and_close_from_the_screens(tpeople, live_server, login_as, screenshot):
    from datetime import timedelta

    from django.utils import timezone

    from nominations.models import HonourRound, Route

    people = tpeople
    today = timezone.localdate()
    year = today.year

    # The province appraiser opens the round; a wrong window is answered on its field.
    page = login_as(people.province_reviewer)
    page.click("[data-testid=nav-rounds]")
    page.fill("#id_year", str(year))
    page.fill("#id_opens_on", (today + timedelta(days=3)).isoformat())
    page.fill("#id_closes_on", (today - timedelta(days=3)).isoformat())
    page.click("[data-testid=round-open]")
    expect(page.locator("[data-field=closes_on]")).to_contain_text("phải sau ngày bắt đầu")
    page.fill("#id_opens_on", (today - timedelta(days=3)).isoformat())
    page.fill("#id_closes_on", (today + timedelta(days=20)).isoformat())
    page.click("[data-testid=round-open]")
    expect(page.locator(".messages")).to_contain_text(f"Đã mở đợt xét Công dân Đồng Khởi năm {year}")
    expect(page.locator(f"[data-testid=round-{year}] [data-testid=round-status]")).to_have_text(
        "Đang nhận hồ sơ"
    )
    screenshot(page, "22-07-dong-khoi-round-open")

    # A commune clerk files a nomination in it, with the achievement report.
    page = login_as(people.clerk, viewport=PHONE)
    page.click("[data-testid=nav-rounds]")
    page.click(f"[data-testid=round-{year}] [data-testid=round-nominate]")
    page.fill("#id_full_name", "Nguyễn Thị Định")
    page.click("[data-testid=save-honour-nomination]")
    expect(page.locator("[data-field=file]")).to_be_visible()
    page.fill("#id_full_name", "Nguyễn Thị Định")
    page.fill("#id_position", "Nguyên Bí thư Đảng ủy xã")
    page.fill("#id_achievements", "Đóng góp đặc biệt xuất sắc cho sự phát triển của tỉnh.")
    page.set_input_files(
        "#id_file", {"name": "bao-cao-thanh-tich.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    screenshot(page, "22-07-dong-khoi-nominate-phone")
    page.click("[data-testid=save-honour-nomination]")
    expect(page.locator("[data-testid=status]")).to_have_text("Dự thảo")
    nomination = Nomination.objects.get(nominee__full_name="Nguyễn Thị Định")
    assert nomination.route == Route.DONG_KHOI and nomination.round.year == year
    assert nomination.files.get().kind == "achievement_report"

    # The appraiser closes the round; the clerk can no longer file in it.
    page = login_as(people.province_reviewer)
    page.click("[data-testid=nav-rounds]")
    page.click(f"[data-testid=round-{year}] [data-testid=round-close]")
    expect(page.locator(".messages")).to_contain_text(f"Đã kết thúc đợt xét năm {year}")
    assert HonourRound.objects.get(year=year).status == "closed"
    page = login_as(people.clerk)
    page.click("[data-testid=nav-rounds]")
    expect(page.locator(f"[data-testid=round-{year}] [data-testid=round-nominate]")).to_have_count(0)
