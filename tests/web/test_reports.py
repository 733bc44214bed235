"""Report pages: only those who inspect, review or sign get in, each within their units; every page has its Excel."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from organisation.models import Unit
from workflows import demo

PAGES = [
    ("reports:fund", []),
    ("reports:fund_xlsx", []),
    ("reports:statistics", ["0601"]),
    ("reports:statistics_xlsx", ["0603"]),
    ("reports:statistics_pdf", ["0603"]),
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
