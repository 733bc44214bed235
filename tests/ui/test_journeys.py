"""Browser journeys through the real pages: the full approval with a council vote, a return for revision, an
outsider refused. Screenshots of the main pages go to test-artifacts/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from approvals.models import Certificate
from nominations.models import Nomination, Status
from tests import factories
from tests.factories import PDF_BYTES, file_nomination
from workflows.services import nomination_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def open_detail(page, live_server, nomination):
    page.goto(f"{live_server.url}/de-nghi/{nomination.pk}/")
    expect(page.locator("h1")).to_contain_text(f"#{nomination.pk}")


def act(page, action, reason=""):
    page.select_option("#id_action", action)
    if reason:
        page.fill("#id_reason", reason)
    page.click("[data-testid=task-submit]")


def test_full_journey_with_council_vote(tpeople, live_server, login_as, screenshot):
    people = tpeople
    # The clerk files a collective for "Cờ thi đua của UBND tỉnh" (public posting, then the council's vote) with a PDF.
    page = login_as(people.clerk)
    screenshot(page, "01-clerk-home")
    page.click("[data-testid=new-nomination]")
    page.select_option("#id_kind", "collective")
    page.fill("#id_full_name", "Trường Tiểu học Định Thủy")
    page.select_option("#id_award_type", label="Cờ thi đua của UBND tỉnh")
    page.check("text=Nông thôn mới, đô thị văn minh")
    page.fill("#id_achievements", "Hoàn thành xuất sắc nhiệm vụ năm học; 100% học sinh lên lớp.")
    page.set_input_files("#id_file", pdf("bao-cao-thanh-tich.pdf"))
    screenshot(page, "02-filing-form")
    page.click("[data-testid=save-nomination]")
    expect(page.locator("[data-testid=status]")).to_have_text("Dự thảo")
    expect(page.locator("[data-testid=files]")).to_contain_text("bao-cao-thanh-tich.pdf")
    nomination = Nomination.objects.get(nominee__full_name="Trường Tiểu học Định Thủy")
    assert nomination.files.count() == 1

    # The head submits it from the unit home (select and submit).
    page = login_as(people.head)
    page.check(f"input[name=nomination][value='{nomination.pk}']")
    page.fill("#id_number", "15/TTr-UBND")
    page.click("[data-testid=submit-selected]")
    expect(page.locator(".messages")).to_contain_text("Đã trình 1 đề nghị")

    # The district reviewer sees it in the inbox (accent-insensitive search) and forwards it.
    page = login_as(people.district_reviewer)
    expect(page.locator("[data-testid=inbox-count]")).to_have_text("1")
    page.fill("#f-q", "truong tieu hoc")
    page.click("form.filters button")
    expect(page.locator("[data-testid=reviewer-inbox]")).to_contain_text("Trường Tiểu học Định Thủy")
    screenshot(page, "03-reviewer-inbox")
    page.click("[data-testid=reviewer-inbox] >> text=Trường Tiểu học Định Thủy")
    screenshot(page, "04-detail-district-review")
    act(page, "forward", "Đủ điều kiện, chuyển tỉnh.")
    expect(page.locator("[data-testid=status]")).to_have_text("Đang thẩm định")

    # The province reviewer appraises.
    page = login_as(people.province_reviewer)
    open_detail(page, live_server, nomination)
    act(page, "approve")
    # The list is posted for public comment; when the window closes (the beat fires its timer) the vote is due.
    factories.posting_window_pass([nomination])
    page.reload()
    expect(page.locator("[data-testid=status]")).to_have_text("Chờ Hội đồng bỏ phiếu")

    # The council secretary records the tally with the minutes; a wrong tally is answered on its field first.
    page = login_as(people.secretary)
    expect(page.locator("[data-testid=secretary-home]")).to_contain_text("Trường Tiểu học Định Thủy")
    open_detail(page, live_server, nomination)
    page.fill("#id_members_total", "15")
    page.fill("#id_members_present", "10")
    page.fill("#id_votes_for", "12")
    page.fill("#id_votes_against", "0")
    page.click("[data-testid=vote-submit]")
    expect(page.locator("[data-field=votes_for]")).to_contain_text("vượt quá số thành viên có mặt")
    screenshot(page, "05-vote-form-error")
    page.fill("#id_members_present", "13")
    page.fill("#id_votes_for", "12")
    page.fill("#id_votes_against", "1")
    page.set_input_files("#id_minutes", pdf("bien-ban-hoi-dong.pdf"))
    page.click("[data-testid=vote-submit]")
    expect(page.locator("[data-testid=status]")).to_have_text("Chờ ký quyết định")

    # The chairman selects it and signs one decision; the page shows the decision number.
    page = login_as(people.chairman)
    screenshot(page, "06-approver-home")
    page.check(f"[data-testid=approver-home] input[value='{nomination.pk}']")
    page.click("[data-testid=sign-selected]")
    # Confirmation first: the number, the nominee and the total money; the draft PDF opens from there.
    expect(page.locator("[data-testid=confirm-number]")).to_have_text(re.compile(r"^\d+/QĐ-UBND$"))
    expect(page.locator("[data-testid=sign-confirm]")).to_contain_text("Trường Tiểu học Định Thủy")
    expect(page.locator("[data-testid=confirm-total]")).to_contain_text("đ")
    expect(page.locator("[data-testid=sign-draft]")).to_be_visible()
    page.click("[data-testid=sign-confirmed]")
    expect(page.locator("[data-testid=decision-number]")).to_have_text(re.compile(r"^\d+/QĐ-UBND$"))
    screenshot(page, "07-decision")
    certificate = Certificate.objects.get(nomination=nomination)
    # The signed decision PDF opens from the nomination page.
    open_detail(page, live_server, nomination)
    link = page.locator("[data-testid=certificate] [data-testid=decision-pdf]")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status in (200, 202)
    if response.status == 200:
        assert response.body().startswith(b"%PDF")

    # Anyone can verify the certificate from its QR code, without logging in.
    page = login_as(None, viewport=PHONE)
    page.goto(f"{live_server.url}/cong-khai/xac-minh/{certificate.verification_code}/")
    expect(page.locator("[data-testid=verify-holder]")).to_have_text("Trường Tiểu học Định Thủy")
    expect(page.locator("[data-testid=verify-decision]")).to_have_text(certificate.decision.number)
    expect(page.locator("[data-testid=verify-state]")).to_have_text("Hợp lệ")
    screenshot(page, "08-verify-phone")

    # The clerk's detail page now links the decision and the certificate; the timeline tells the story.
    page = login_as(people.clerk, viewport=PHONE)
    open_detail(page, live_server, nomination)
    expect(page.locator("[data-testid=certificate]")).to_contain_text(certificate.decision.number)
    expect(page.locator("[data-testid=timeline]")).to_contain_text("Ghi kết quả bỏ phiếu")
    screenshot(page, "09-detail-awarded-phone")
    nomination.refresh_from_db()
    assert nomination.status == Status.AWARDED


def test_returned_for_revision_journey(tpeople, live_server, login_as, screenshot):
    people = tpeople
    nomination = file_nomination(people.clerk, full_name="Nguyễn Văn Bảy")
    nomination_submit(actor=people.head, nomination=nomination)

    page = login_as(people.district_reviewer)
    open_detail(page, live_server, nomination)
    act(page, "return")
    expect(page.locator("[data-field=reason]")).to_contain_text("Phải nêu lý do trả lại hồ sơ.")
    act(page, "return", "Bổ sung biên bản họp xét của xã.")
    expect(page.locator("[data-testid=status]")).to_have_text("Trả lại bổ sung")

    # The clerk finds it first on the home page, reads the reason, edits and adds the minutes.
    page = login_as(people.clerk, viewport=PHONE)
    expect(page.locator("[data-testid=unit-home] tbody tr").first).to_contain_text("Nguyễn Văn Bảy")
    screenshot(page, "10-clerk-home-returned-phone")
    page.click("[data-testid=unit-home] >> text=Nguyễn Văn Bảy")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("Bổ sung biên bản họp xét của xã.")
    page.click("text=Sửa")
    page.fill("#id_achievements", "Hoàn thành xuất sắc nhiệm vụ; đã bổ sung biên bản.")
    page.click("button[type=submit] >> text=Lưu thay đổi")
    expect(page.locator(".messages")).to_contain_text("Đã lưu thay đổi")
    page.select_option("#id_kind", "minutes")
    page.set_input_files("#id_file", pdf("bien-ban-hop-xet.pdf"))
    page.click("[data-testid=upload-submit]")
    expect(page.locator("[data-testid=files]")).to_contain_text("bien-ban-hop-xet.pdf")

    # The head resubmits from the detail page; it climbs the route again from the district.
    page = login_as(people.head)
    open_detail(page, live_server, nomination)
    act(page, "resubmit")
    expect(page.locator(".messages")).to_contain_text("Trình lại", timeout=15000)  # the POST answered
    expect(page.locator("[data-testid=status]")).to_have_text("Đang xét duyệt")
    nomination.refresh_from_db()
    assert nomination.current_unit.code == "BT.MCN" and nomination.revision_count == 1


def test_outsider_is_denied(tpeople, live_server, login_as, screenshot):
    people = tpeople
    nomination = file_nomination(people.clerk, full_name="Nguyễn Văn Tám")
    nomination_submit(actor=people.head, nomination=nomination)

    page = login_as(None)
    page.goto(f"{live_server.url}/de-nghi/{nomination.pk}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    screenshot(page, "11-login")

    page = login_as(people.outsider)
    expect(page.locator("[data-testid=no-role]")).to_be_visible()
    response = page.goto(f"{live_server.url}/de-nghi/{nomination.pk}/")
    assert response.status == 404
    expect(page.locator("[data-testid=error-404]")).to_be_visible()
    response = page.goto(f"{live_server.url}/de-nghi/moi/")
    assert response.status == 403
    expect(page.locator("[data-testid=error-403]")).to_contain_text("Không có quyền truy cập")
    screenshot(page, "16-outsider-denied")
    response = page.goto(f"{live_server.url}/thong-ke/")
    assert response.status == 403

    page = login_as(people.other_reviewer)
    response = page.goto(f"{live_server.url}/de-nghi/{nomination.pk}/")
    assert response.status == 404
    nomination.refresh_from_db()
    assert nomination.status == Status.IN_REVIEW


def test_language_switch_and_dashboard(tpeople, live_server, login_as, screenshot):
    people = tpeople
    nomination = file_nomination(people.clerk, full_name="Lê Thị Chín")
    nomination_submit(actor=people.head, nomination=nomination)
    page = login_as(people.inspector)
    page.click("nav >> text=Thống kê")
    expect(page.locator("[data-testid=total]")).to_have_text("1")
    screenshot(page, "12-dashboard")
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav")).to_contain_text("Dashboard")
    expect(page.locator("[data-testid=chart-status] h2")).to_have_text("By status")
    screenshot(page, "13-dashboard-english")
    page.select_option("#lang-select", "vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("nav")).to_contain_text("Thống kê")


def test_public_posting_feedback_journey(tpeople, live_server, login_as, screenshot):
    people = tpeople
    from approvals.models import PostingFeedback
    from workflows.services import appraisal_approve, open_task_of, review_forward

    nomination = file_nomination(
        people.clerk,
        award_code="co_thi_dua_tinh",
        kind="collective",
        full_name="Hợp tác xã Định Thủy",
        citizen_id="079123456789",
    )
    nomination_submit(actor=people.head, nomination=nomination)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(nomination).task_id)

    # A citizen, on a phone and without an account, reads the posted list and sends feedback.
    page = login_as(None, viewport=PHONE)
    page.goto(f"{live_server.url}/cong-khai/")
    card = page.locator(f"[data-testid=posted-{nomination.pk}]")
    expect(card).to_contain_text("Hợp tác xã Định Thủy")
    expect(card).to_contain_text("Cờ thi đua của UBND tỉnh")
    assert "079123456789" not in page.content()
    card.locator("summary").click()
    card.locator("button[type=submit]").click()
    expect(page.locator("[data-field=sender_name]")).to_contain_text("Vui lòng nhập họ tên.")
    screenshot(page, "14-public-feedback-error-phone")
    card = page.locator(f"[data-testid=posted-{nomination.pk}]")
    card.locator("input[name=sender_name]").fill("Trần Văn Dân")
    card.locator("textarea[name=content]").fill("Hợp tác xã còn nợ thuế năm trước, đề nghị xác minh.")
    # The anti-spam question (web.challenge): "Kiểm tra chống thư rác: a + b = ?".
    question = card.locator("label[for=id_challenge_answer]").inner_text()
    a, b = (int(n) for n in re.findall(r"(\d+) \+ (\d+)", question)[0])
    card.locator("input[name=challenge_answer]").fill(str(a + b))
    card.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("góp ý của bạn đã được ghi nhận")

    # The province reviewer answers it on the nomination's page.
    page = login_as(people.province_reviewer)
    open_detail(page, live_server, nomination)
    expect(page.locator("#gop-y")).to_contain_text("Hợp tác xã còn nợ thuế năm trước")
    page.fill("#gop-y textarea[name=answer]", "Đã xác minh: hợp tác xã đã nộp đủ thuế.")
    page.click("#gop-y button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Đã trả lời góp ý")
    assert PostingFeedback.objects.get().is_answered


def test_reviewer_bulk_forwards_selected(tpeople, live_server, login_as, screenshot):
    people = tpeople
    for name in ("Nguyễn Văn Một", "Nguyễn Văn Hai", "Trần Thị Ba"):
        nomination_submit(actor=people.head, nomination=file_nomination(people.clerk, full_name=name))
    page = login_as(people.district_reviewer, viewport=PHONE)
    page.fill("#f-q", "nguyen van")
    page.click("form.filters button")
    expect(page.locator("[data-testid=reviewer-inbox] tbody tr")).to_have_count(2)
    page.check("input[data-select-all=task]")
    page.select_option("#id_action", "forward")
    page.fill("#id_reason", "Đủ điều kiện.")
    screenshot(page, "15-reviewer-bulk-phone")
    page.click("[data-testid=bulk-apply]")
    expect(page.locator(".messages")).to_contain_text("Đã xử lý 2 hồ sơ")
    statuses = dict(Nomination.objects.values_list("nominee__full_name", "status"))
    assert statuses == {
        "Nguyễn Văn Một": Status.APPRAISAL,
        "Nguyễn Văn Hai": Status.APPRAISAL,
        "Trần Thị Ba": Status.IN_REVIEW,
    }
