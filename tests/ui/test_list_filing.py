"""Browser journey: a clerk files a list quickly ("Lưu và lập tiếp", the file kept across an error), the head
submits it under one tờ trình, and the nomination page offers the drafted tờ trình."""

import pytest
from playwright.sync_api import expect

from nominations.models import Nomination, Status
from tests.factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def fill_nominee(page, name, achievements="Hoàn thành xuất sắc nhiệm vụ năm."):
    page.fill("#id_full_name", name)
    page.fill("#id_achievements", achievements)


def test_clerk_files_a_list_with_save_and_new_and_the_head_submits_it(
    tpeople, live_server, login_as, screenshot
):
    people = tpeople
    page = login_as(people.clerk)
    page.click("[data-testid=new-nomination]")
    page.select_option("#id_award_type", label="Lao động tiên tiến")
    # A refused post (no achievements) keeps the chosen file: the corrected post needs no second upload.
    fill_nominee(page, "Nguyễn Văn Một", achievements="")
    page.set_input_files("#id_file", pdf("bao-cao-mot.pdf"))
    page.click("[data-testid=save-and-new]")
    expect(page.locator("[data-testid=pending-file]")).to_contain_text("bao-cao-mot.pdf")
    page.fill("#id_achievements", "Hoàn thành xuất sắc nhiệm vụ năm.")
    page.click("[data-testid=save-and-new]")
    # A fresh form with the same award.
    expect(page.locator("#id_full_name")).to_have_value("")
    expect(page.locator("#id_award_type option:checked")).to_have_text("Lao động tiên tiến")
    fill_nominee(page, "Trần Thị Hai")
    page.set_input_files("#id_file", pdf("bao-cao-hai.pdf"))
    screenshot(page, "list-filing-save-and-new")
    page.click("[data-testid=save-nomination]")
    expect(page.locator("h1")).to_contain_text("Trần Thị Hai")
    filed = list(Nomination.objects.filter(nominee__full_name__in=["Nguyễn Văn Một", "Trần Thị Hai"]))
    assert len(filed) == 2 and all(n.files.count() == 1 for n in filed)

    head = login_as(people.head)
    for nomination in filed:
        head.check(f"input[name=nomination][value='{nomination.pk}']")
    head.fill("#id_number", "21/TTr-UBND")
    head.click("[data-testid=submit-selected]")
    expect(head.locator(".messages")).to_contain_text("21/TTr-UBND")
    for nomination in filed:
        nomination.refresh_from_db()
        assert nomination.submission is not None and nomination.submission.number == "21/TTr-UBND"
        assert nomination.status != Status.DRAFT
    head.goto(f"{live_server.url}/de-nghi/{filed[0].pk}/")
    expect(head.locator("[data-testid=submission]")).to_contain_text("Tờ trình số 21/TTr-UBND")
    with head.expect_download() as download:
        head.click("[data-testid=submission] >> text=Word (.docx)")
    assert download.value.suggested_filename.endswith(".docx")


def test_clerk_files_an_excel_list_fixes_its_bad_row_and_the_head_submits_it(
    tpeople, live_server, login_as, screenshot, tmp_path
):
    """The list page: the file with a bad row is previewed with the error by row and column and nothing filed; the
    fixed file files every row as a draft in one batch; the head submits them under one numbered tờ trình."""
    from nominations.models import DossierKind
    from nominations.services import dossier_file_add
    from tests.factories import pdf_upload
    from tests.workflows.test_list_import import _row, _xlsx

    people = tpeople
    rows = [_row(index) for index in range(3)]
    bad = tmp_path / "danh-sach-loi.xlsx"
    bad.write_bytes(_xlsx([rows[0], _row(1, **{"Số CCCD": "12345"}), rows[2]]).read())
    good = tmp_path / "danh-sach.xlsx"
    good.write_bytes(_xlsx(rows).read())

    page = login_as(people.clerk)
    page.click("[data-testid=list-import]")
    page.set_input_files("#id_file", str(bad))
    page.click("text=Kiểm tra tệp")
    expect(page.locator("[data-testid=preview]")).to_contain_text("2/3 dòng hợp lệ")
    expect(page.locator("tr[data-row='3']")).to_contain_text("Cột “Số CCCD”: Số CCCD phải gồm đúng 12 chữ số")
    screenshot(page, "list-import-preview-errors")
    assert not Nomination.objects.exists()
    page.set_input_files("#id_file", str(good))
    page.click("text=Kiểm tra tệp")
    page.click("[data-testid=file-list]")
    expect(page.locator(".messages")).to_contain_text("Đã lập 3/3 đề nghị")
    filed = list(Nomination.objects.order_by("pk"))
    assert len(filed) == 3 and {n.status for n in filed} == {Status.DRAFT}
    for (
        nomination
    ) in filed:  # the clerk attaches each nominee's report (the filing page's upload, tested above)
        dossier_file_add(
            actor=people.clerk,
            nomination=nomination,
            kind=DossierKind.ACHIEVEMENT_REPORT,
            uploaded=pdf_upload(),
        )
        dossier_file_add(
            actor=people.clerk, nomination=nomination, kind=DossierKind.SUBMISSION, uploaded=pdf_upload()
        )

    head = login_as(people.head)
    for nomination in filed:
        head.check(f"input[name=nomination][value='{nomination.pk}']")
    head.fill("#id_number", "35/TTr-UBND")
    head.click("[data-testid=submit-selected]")
    expect(head.locator(".messages")).to_contain_text("35/TTr-UBND")
    for nomination in filed:
        nomination.refresh_from_db()
        assert nomination.submission.number == "35/TTr-UBND" and nomination.status != Status.DRAFT
