"""Reports from stored data: the fund report reconciles to the decisions, each statistical form matches its golden
file on the demo awards (workflows.demo.seed_awards), every figure counted by aggregate queries."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum
from openpyxl import load_workbook

from approvals import reports
from approvals.models import Certificate, Decision
from organisation.models import Unit
from organisation.policy import UnitTree
from web import excel
from workflows import demo

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def awarded(people):
    decisions = demo.seed_awards()
    demo.seed_statistics()
    return decisions


def _province():
    return UnitTree().subtree([Unit.objects.get(code="BT").pk])


def test_fund_total_equals_the_decisions_article_2_totals_to_the_dong(awarded):
    report = reports.fund_report(_province(), year=demo.DEMO_REPORT_YEAR)
    stated = Decision.objects.aggregate(total=Sum("total_amount"))["total"]
    assert report.decisions == 2 and report.awardees == 5
    assert report.total == stated == Certificate.objects.aggregate(total=Sum("amount"))["total"] > 0
    assert report.reconciles and report.mismatches == []
    assert sum(row["amount"] for row in report.rows) == report.total
    for grouping in (report.by_year, report.by_award, report.by_issuer, report.by_source):
        assert sum(row["amount"] for row in grouping) == report.total
    assert [str(row["label"]) for row in report.by_source] == ["Quỹ thi đua, khen thưởng cấp tỉnh"]
    assert [row["label"] for row in report.by_year] == [demo.DEMO_REPORT_YEAR]


def test_fund_report_flags_a_decision_whose_total_is_not_its_awardees_sum(awarded):
    decision = awarded[0]
    Decision.objects.filter(pk=decision.pk).update(total_amount=decision.total_amount + 1)
    report = reports.fund_report(_province())
    assert not report.reconciles
    assert [(m["number"], m["total_amount"] - m["paid"]) for m in report.mismatches] == [
        (decision.number, Decimal(1))
    ]


def test_fund_report_of_another_subtree_holds_none_of_the_provinces_money(awarded):
    other = UnitTree().subtree([Unit.objects.get(code="VL").pk])
    report = reports.fund_report(other)
    assert report.total == 0 and report.rows == [] and report.reconciles


def _sheet_values(workbook):
    sheet = workbook.active
    merged = sorted(str(r) for r in sheet.merged_cells.ranges)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    formats = sorted(
        {
            cell.number_format
            for row in sheet.iter_rows(min_row=11)
            for cell in row
            if isinstance(cell.value, int)
        }
    )
    return {"merged": merged, "rows": rows, "number_formats": formats}


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (
            "0601",
            # code: [total, national, province, unit]; two movements run in 2025 (Đồng khởi mới 2020–2025, province;
            # the district's thematic one-year movement).
            {
                "01": [2, 0, 1, 1],
                "03": [1, 0, 1, 0],
                "05": [1, 0, 0, 1],
                "07": [1, 0, 0, 1],
                "10": [1, 0, 1, 0],
                "11": [1, 0, 0, 1],
                "12": [1, 0, 1, 0],
                "02": [0, 0, 0, 0],
                "06": [0, 0, 0, 0],
            },
        ),
        (
            "0603",
            # code: [total, bằng khen, CSTĐ tỉnh, cờ, huy hiệu]; five Bằng khen: a worker, a leader, an enterprise, a
            # household, and an ad-hoc worker.
            {
                "01": [5, 5, 0, 0, 0],
                "02": [1, 1, 0, 0, 0],
                "03": [1, 1, 0, 0, 0],
                "04": [1, 1, 0, 0, 0],
                "05": [3, 3, 0, 0, 0],
                "09": [1, 1, 0, 0, 0],
                "10": [2, 2, 0, 0, 0],
                "11": [4, 4, 0, 0, 0],
                "12": [0, 0, 0, 0, 0],
                "13": [1, 1, 0, 0, 0],
                "06": [0, 0, 0, 0, 0],
            },
        ),
        (
            "0602",
            # code: [total, huân/huy chương tập thể, cá nhân, GT HCM, GT NN, vinh dự tập thể, cá nhân, Cờ CP,
            # BK TTg tập thể, cá nhân, CSTĐ toàn quốc, khác tập thể, cá nhân]; five State awards of 2025 in the
            # history (the 2024 Bằng khen and the provincial Bằng khen are not counted).
            {
                "01": [5, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0],
                "02": [0] * 13,
                "03": [5, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0],
                "06": [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                "07": [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                "08": [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
                "09": [3, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0],
                "13": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
                "14": [2, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
                "15": [4, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0],
                "17": [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                "18": [0] * 13,
            },
        ),
        (
            "0604",
            # code: [số lượng]; Sở Nội vụ declared one ban and two phòng.
            {"01": [3], "02": [0], "03": [0], "04": [1], "05": [2]},
        ),
        (
            "0605",
            # code: [tổng số, nữ]; Sở Nội vụ declared nine civil servants, five women.
            {
                "01": [9, 5],
                "02": [1, 1],
                "03": [3, 2],
                "07": [0, 0],
                "11": [6, 4],
                "12": [3, 1],
                "15": [2, 1],
            },
        ),
    ],
)
def test_statistical_form_matches_its_golden_file(awarded, number, expected, django_assert_max_num_queries):
    province = _province()
    # One aggregate query; 0602 first reads which catalogue codes are of the State level.
    with django_assert_max_num_queries(2 if number == "0602" else 1):
        form, cells = reports.statistical_form(number, province, demo.DEMO_REPORT_YEAR)
    for code, figures in expected.items():
        assert cells[code] == figures, code
    workbook = excel.statistical_form_workbook(
        form, cells, unit_name="Tỉnh Bến Tre", year=demo.DEMO_REPORT_YEAR, regime=str(reports.REGIME)
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    actual = _sheet_values(load_workbook(buffer))
    golden = json.loads((GOLDEN / f"{number}.json").read_text(encoding="utf-8"))
    assert actual == golden


def test_a_year_without_awards_counts_zero(awarded):
    _form, cells = reports.statistical_form("0603", _province(), demo.DEMO_REPORT_YEAR - 1)
    assert all(value == 0 for figures in cells.values() for value in figures)
