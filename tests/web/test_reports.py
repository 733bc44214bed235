"""Report pages: only those who inspect, review or sign get in, each within their units; every page has its Excel."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from approvals.models import StatisticsFigure
from audit.models import Event
from organisation.models import Unit
from workflows import demo

PAGES = [
    ("reports:fund", []),
    ("reports:fund_xlsx", []),
    ("reports:statistics", ["0601"]),
    ("reports:statistics_xlsx", ["0603"]),
    ("reports:statistics_pdf", ["0603"]),
    ("reports:statistics", ["0602"]),
    ("reports:statistics_xlsx", ["0605"]),
    ("reports:statistics_entry", ["0604"]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize("persona", ["clerk", "head", "outsider"])
def test_people_without_a_reviewing_signing_or_inspecting_role_are_refused(
    client, people, name, args, persona
):
    client.force_login(getattr(people, persona))
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_is_sent_to_login(client, db, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_district_reviewer_cannot_report_on_the_province(client, people):
    client.force_login(people.district_reviewer)
    province = Unit.objects.get(code="BT").pk
    response = client.get(reverse("reports:fund"), {"unit": province})
    assert response.status_code == 400
    assert response.context["form"].errors["unit"] == ["Đơn vị này không thuộc phạm vi báo cáo của bạn."]
    assert client.get(reverse("reports:fund_xlsx"), {"unit": province}).status_code == 400
    assert (
        client.get(reverse("reports:statistics_xlsx", args=["0603"]), {"unit": province}).status_code == 400
    )
    mcn = Unit.objects.get(code="BT.MCN").pk
    assert client.get(reverse("reports:fund"), {"unit": mcn}).status_code == 200


def test_unknown_form_is_not_found(client, people):
    client.force_login(people.inspector)
    assert client.get(reverse("reports:statistics", args=["0699"])).status_code == 404


def test_bad_year_gets_a_vietnamese_error(client, people):
    client.force_login(people.inspector)
    response = client.get(reverse("reports:statistics", args=["0603"]), {"year": "năm ngoái"})
    assert response.status_code == 400
    assert response.context["filters"].errors["year"] == ["Năm phải là số, ví dụ 2026."]


def test_fund_page_and_excel_reconcile_with_the_decisions(client, people):
    decisions = demo.seed_awards()
    stated = sum(d.total_amount for d in decisions)
    client.force_login(people.inspector)
    province = Unit.objects.get(code="BT").pk
    query = {"unit": province, "year": demo.DEMO_REPORT_YEAR}
    page = client.get(reverse("reports:fund"), query)
    report = page.context["report"]
    assert report.total == stated and report.reconciles
    html = page.content.decode()
    assert "Khớp đến từng đồng" in html and f"{int(stated):,} đ".replace(",", ".") in html
    workbook = load_workbook(io.BytesIO(client.get(reverse("reports:fund_xlsx"), query).content))
    detail = workbook["Chi tiết"]
    assert detail.freeze_panes == "A2" and detail.auto_filter.ref == f"A1:G{detail.max_row}"
    assert sum(row[5] for row in detail.iter_rows(min_row=2, values_only=True)) == stated
    assert detail["F2"].number_format == "#,##0"
    check = {row[0]: row[1] for row in workbook["Đối chiếu"].iter_rows(min_row=2, values_only=True)}
    assert check["Chênh lệch (đồng)"] == 0


def test_statistical_form_page_excel_and_pdf(client, people):
    demo.seed_awards()
    client.force_login(people.province_reviewer)
    query = {"unit": Unit.objects.get(code="BT").pk, "year": demo.DEMO_REPORT_YEAR}
    page = client.get(reverse("reports:statistics", args=["0603"]), query)
    assert page.status_code == 200 and page.context["cells"]["01"] == [5, 5, 0, 0, 0]
    assert "0603.N/BNV-TĐKT" in page.content.decode()
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reports:statistics_xlsx", args=["0603"]), query).content)
    ).active
    assert sheet["A1"].value == "Biểu số: 0603.N/BNV-TĐKT" and "E8:H8" in {
        str(r) for r in sheet.merged_cells.ranges
    }
    pdf = client.get(reverse("reports:statistics_pdf", args=["0601"]), query)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_analytics_page_draws_svg_charts_with_their_tables_and_excel(client, people):
    demo.seed_awards()
    client.force_login(people.province_reviewer)
    page = client.get(reverse("reports:analytics"))
    assert page.context["unit_name"] == "Tỉnh Bến Tre"  # the top of the reviewer's scope comes first
    html = page.content.decode()
    # Time per step, volume by award type and the trend have figures; nothing is overdue and no area was chosen.
    assert page.status_code == 200 and html.count("<svg") == 3 and html.count("Chưa có số liệu.") == 4
    assert "Bằng khen của Chủ tịch UBND tỉnh" in html and "Trung vị (ngày)" in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    workbook = load_workbook(io.BytesIO(client.get(reverse("reports:analytics_xlsx")).content))
    assert len(workbook.sheetnames) == 5
    award = workbook.worksheets[2]
    assert award["A1"].value == "Loại hình khen thưởng" and award["B2"].value == 5
    assert award.freeze_panes == "A2" and award.auto_filter.ref == "A1:C2"


def test_chart_coordinates_are_never_written_with_a_decimal_comma(client, people):
    """Vietnamese formats write 290,5; SVG needs 290.5."""
    demo.seed_awards()
    client.force_login(people.province_reviewer)
    html = client.get(reverse("reports:analytics"), {"year": demo.DEMO_REPORT_YEAR}).content.decode()
    award = html[html.index('data-testid="chart-award"') :]
    svg = award[award.index("<svg") : award.index("</svg>")]
    assert 'width="290.0"' in svg and "," not in "".join(
        part.split('"')[1] for part in svg.split("width=")[1:]
    )


def test_state_level_form_has_three_header_rows_in_the_page_and_excel(client, people):
    demo.seed_awards()
    demo.seed_statistics()
    client.force_login(people.province_reviewer)
    query = {"unit": Unit.objects.get(code="BT").pk, "year": demo.DEMO_REPORT_YEAR}
    page = client.get(reverse("reports:statistics", args=["0602"]), query)
    assert page.status_code == 200 and page.context["cells"]["01"][0] == 5
    html = page.content.decode()
    assert (
        '<th colspan="2">Các loại huân chương, huy chương</th>' in html
        and "Chiến sĩ thi đua toàn quốc" in html
    )
    assert 'data-testid="enter-figures"' not in html  # 0602 is counted, never entered
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reports:statistics_xlsx", args=["0602"]), query).content)
    ).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"E8:P8", "E9:F9", "D8:D10", "E11:F11"} <= merged and sheet["E10"].value == "Tập thể"
    assert sheet["D12"].value == 5 and sheet.freeze_panes == "D12"
    pdf = client.get(reverse("reports:statistics_pdf", args=["0602"]), query)
    assert pdf.content.startswith(b"%PDF")


def _entry_post(unit, **lines):
    data = {"unit": unit.pk, "year": 2025} | {f"value_{code}": 0 for code in ("02", "03", "04", "05")}
    return data | {f"value_{code}": value for code, value in lines.items()}


def test_province_reviewer_enters_the_organisations_and_the_form_shows_them(client, people):
    client.force_login(people.province_reviewer)
    office = Unit.objects.get(code="BT.SNV")
    url = reverse("reports:statistics_entry", args=["0604"])
    page = client.get(url, {"unit": office.pk, "year": 2025})
    assert page.status_code == 200 and page.context["unit_name"] == office.name
    response = client.post(url, _entry_post(office, **{"04": 1, "05": 2}))
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2025")
    shown = client.get(response["Location"])
    assert shown.context["cells"]["01"] == [3] and 'data-testid="enter-figures"' in shown.content.decode()
    again = client.get(url, {"unit": office.pk, "year": 2025})
    assert again.context["entry"]["value_05"].value() == 2  # the stored lines come back for correction
    assert Event.objects.filter(action="statistics.record", unit_code="BT.SNV").count() == 1


@pytest.mark.parametrize("persona", ["inspector", "district_reviewer", "dept_reviewer"])
def test_who_may_only_read_or_reports_below_the_province_cannot_enter_figures(client, people, persona):
    client.force_login(getattr(people, persona))
    office = Unit.objects.get(code="BT.SNV")
    url = reverse("reports:statistics_entry", args=["0604"])
    assert client.get(url).status_code == 403
    assert client.post(url, _entry_post(office, **{"05": 9})).status_code == 403
    assert not StatisticsFigure.objects.exists()


def test_a_unit_outside_the_entry_scope_gets_a_field_error(client, people):
    client.force_login(people.province_reviewer)
    response = client.post(
        reverse("reports:statistics_entry", args=["0604"]),
        _entry_post(Unit.objects.get(code="VL"), **{"05": 1}),
    )
    assert response.status_code == 400
    assert response.context["entry"].errors["unit"] == [
        "Đơn vị này không thuộc phạm vi nhập số liệu của bạn."
    ]
    assert not StatisticsFigure.objects.exists()


def test_civil_servants_entry_gives_field_level_messages(client, people):
    client.force_login(people.chairman)
    office = Unit.objects.get(code="BT.SNV")
    data = {"unit": office.pk, "year": 2025}
    for code, (value, women) in demo.DEMO_CIVIL_SERVANTS.items():
        data |= {f"value_{code}": value, f"women_{code}": women}
    url = reverse("reports:statistics_entry", args=["0605"])
    wrong = data | {"value_13": 9, "women_02": 2, "value_08": "nhiều"}
    response = client.post(url, wrong)
    assert response.status_code == 400
    assert response.context["entry"].errors["value_08"] == ["Số liệu phải là số nguyên."]
    response = client.post(url, data | {"value_13": 9, "women_02": 2})
    errors = response.context["entry"].errors
    assert response.status_code == 400 and errors["women_02"] == ["Số nữ không được lớn hơn tổng số."]
    assert errors["value_13"] == ["Cộng các dòng 13–15 (14) phải bằng tổng số dòng 01 (9)."]
    assert client.post(url, data).status_code == 302
    assert StatisticsFigure.objects.filter(form="0605", unit=office).count() == 15


def test_entry_of_a_counted_form_is_not_found(client, people):
    client.force_login(people.province_reviewer)
    assert client.get(reverse("reports:statistics_entry", args=["0603"])).status_code == 404
