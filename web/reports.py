"""The office's reports: the fund report (money paid), the statistical forms and the analytics.

A report covers one unit and everything below it, among the units the user inspects, reviews or signs for
(`approvals.reports.report_units`); anyone else is refused. Each page has its Excel file, built from the same rows.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from approvals import reports
from approvals.documents import statistical_form_pdf_bytes
from approvals.services import statistics_figures_record
from organisation.models import Unit
from organisation.policy import UnitTree
from web import excel
from web.report_forms import FiguresForm, ReportForm
from workflows import analytics


class ReportScope:
    """The units the user may report on, and the subtree the form picked."""

    def __init__(self, user):
        self.roots = reports.report_roots(user)
        self.unit_ids = {pk for pk, _code, _name in self.roots}

    def subtree(self, unit_id):
        if unit_id not in self.unit_ids:
            raise PermissionDenied
        return UnitTree().subtree([unit_id])


def reporter_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        scope = ReportScope(request.user)
        if not scope.roots:
            raise PermissionDenied
        return view(request, scope, *args, **kwargs)

    return wrapper


def _form(request, scope, **kwargs):
    """Return (form, unit ids of the chosen subtree or None when the form is invalid, chosen unit name)."""
    form = ReportForm(request.GET or None, roots=scope.roots, **kwargs)
    if form.is_bound and not form.is_valid():
        return form, None, ""
    unit_id = (form.cleaned_data["unit"] if form.is_bound else None) or scope.roots[0][0]
    name = next(name for pk, _code, name in scope.roots if pk == unit_id)
    return form, scope.subtree(unit_id), name


def _year(form):
    return form.cleaned_data.get("year") if form.is_bound else None


@reporter_required
def fund(request, scope):
    form, unit_ids, unit_name = _form(request, scope)
    report = reports.fund_report(unit_ids, year=_year(form)) if unit_ids is not None else None
    return render(
        request,
        "reports/fund.html",
        {
            "form": form,
            "report": report,
            "unit_name": unit_name,
            "basis": reports.FUND_BASIS,
            "query": request.GET.urlencode(),
        },
        status=200 if unit_ids is not None else 400,
    )


@reporter_required
def fund_xlsx(request, scope):
    form, unit_ids, unit_name = _form(request, scope)
    if unit_ids is None:
        return render(request, "reports/fund.html", {"form": form, "report": None}, status=400)
    report = reports.fund_report(unit_ids, year=_year(form))
    workbook = Workbook(write_only=True)
    excel.table_sheet(
        workbook,
        _("Chi tiết"),
        [
            (_("Năm"), 8),
            (_("Cơ quan ban hành"), 34),
            (_("Nguồn chi"), 38),
            (_("Loại hình khen thưởng"), 40),
            (_("Số lượt"), 10),
            (_("Tiền thưởng (đồng)"), 18),
            (_("Trong đó đã thu hồi (đồng)"), 18),
        ],
        (
            [r["year"], r["issuer"], str(r["source"]), r["award"], r["awardees"], r["amount"], r["revoked"]]
            for r in report.rows
        ),
        formats={4: excel.INTEGER, 5: excel.MONEY, 6: excel.MONEY},
    )
    for title, rows in (
        (_("Theo năm"), report.by_year),
        (_("Theo loại hình"), report.by_award),
        (_("Theo cơ quan ban hành"), report.by_issuer),
        (_("Theo nguồn chi"), report.by_source),
    ):
        excel.table_sheet(
            workbook,
            title,
            [(title, 40), (_("Số lượt"), 10), (_("Tiền thưởng (đồng)"), 18), (_("Đã thu hồi (đồng)"), 18)],
            [[str(r["label"]), r["awardees"], r["amount"], r["revoked"]] for r in rows],
            formats={1: excel.INTEGER, 2: excel.MONEY, 3: excel.MONEY},
        )
    excel.table_sheet(
        workbook,
        _("Đối chiếu"),
        [(_("Nội dung"), 60), (_("Giá trị"), 20)],
        [
            [_("Đơn vị báo cáo (gồm đơn vị cấp dưới)"), unit_name],
            [_("Số quyết định"), report.decisions],
            [_("Tổng tiền thưởng theo Điều 2 các quyết định (đồng)"), report.decisions_total],
            [_("Tổng tiền thưởng của các cá nhân, tập thể được khen (đồng)"), report.total],
            [_("Chênh lệch (đồng)"), report.decisions_total - report.total],
            [_("Căn cứ nguồn chi"), str(reports.FUND_BASIS)],
        ],
        formats={1: excel.MONEY},
    )
    return excel.workbook_response(workbook, "bao-cao-tien-thuong.xlsx")


def _statistics(request, scope, number):
    """Return (filters, context) of statistical form `number` for the chosen unit and year (this year by default)."""
    if number not in reports.FORMS:
        raise Http404
    filters, unit_ids, unit_name = _form(request, scope)
    year = _year(filters) or timezone.localdate().year
    context = {
        "filters": filters,
        "number": number,
        "form": reports.FORMS[number],
        "lines": None,
        "can_enter": number in reports.ENTERED_FORMS and bool(reports.entry_units(request.user)),
    }
    if unit_ids is None:
        return filters, context
    form, cells = reports.statistical_form(number, unit_ids, year)
    blank = [""] * form.figure_count
    context.update(
        lines=[(row, cells[row.code] if row.code else blank) for row in form.rows],
        cells=cells,
        unit_name=unit_name,
        year=year,
        regime=reports.REGIME,
        query=request.GET.urlencode(),
    )
    return filters, context


@reporter_required
def statistics(request, scope, number):
    filters, context = _statistics(request, scope, number)
    return render(request, "reports/statistical_form.html", context, status=400 if filters.errors else 200)


@reporter_required
def statistics_xlsx(request, scope, number):
    filters, context = _statistics(request, scope, number)
    if filters.errors:
        return render(request, "reports/statistical_form.html", context, status=400)
    workbook = excel.statistical_form_workbook(
        context["form"],
        context["cells"],
        unit_name=context["unit_name"],
        year=context["year"],
        regime=str(reports.REGIME),
    )
    return excel.workbook_response(workbook, f"bieu-{number}-{context['year']}.xlsx")


@reporter_required
def statistics_pdf(request, scope, number):
    filters, context = _statistics(request, scope, number)
    if filters.errors:
        return render(request, "reports/statistical_form.html", context, status=400)
    response = HttpResponse(statistical_form_pdf_bytes(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bieu-{number}-{context["year"]}.pdf"'
    return response


@login_required
def statistics_entry(request, number):
    """The yearly entry of a form no workflow fills (0604.N, 0605.N): pick a unit and year, type its lines."""
    statistical_form = reports.ENTERED_FORMS.get(number)
    if statistical_form is None:
        raise Http404
    roots = reports.entry_roots(request.user)
    if not roots:
        raise PermissionDenied
    picker = ReportForm(request.GET or None, roots=roots)
    status = 200
    if request.method == "POST":
        entry = FiguresForm(request.POST, statistical_form=statistical_form, roots=roots)
        if entry.is_valid():
            unit = Unit.objects.get(pk=entry.cleaned_data["unit"])
            year = entry.cleaned_data["year"]
            try:
                statistics_figures_record(
                    actor=request.user, number=number, unit=unit, year=year, figures=entry.figures()
                )
            except ValidationError as error:
                entry.add_line_errors(error)
            else:
                messages.success(
                    request,
                    _("Đã lưu số liệu năm %(year)s của %(unit)s.") % {"year": year, "unit": unit.name},
                )
                # The form of the top of the user's scope, which sums the unit's lines with the others'.
                return redirect(reverse("reports:statistics", args=[number]) + f"?year={year}")
        status = 400
        unit_id, year = entry.data.get("unit"), entry.data.get("year")
    else:
        if picker.is_bound and not picker.is_valid():
            return render(
                request,
                "reports/statistics_entry.html",
                {"picker": picker, "entry": None, "form": statistical_form, "number": number},
                status=400,
            )
        unit_id = (picker.cleaned_data["unit"] if picker.is_bound else None) or roots[0][0]
        year = (picker.cleaned_data["year"] if picker.is_bound else None) or timezone.localdate().year
        stored = reports.entered_figures(number, unit_id, year)
        initial = {"unit": unit_id, "year": year}
        for code, (value, women) in stored.items():
            initial |= {f"value_{code}": value, f"women_{code}": women}
        entry = FiguresForm(initial=initial, statistical_form=statistical_form, roots=roots)
    names = {pk: name for pk, _code, name in roots}
    return render(
        request,
        "reports/statistics_entry.html",
        {
            "picker": picker,
            "entry": entry,
            "form": statistical_form,
            "number": number,
            "unit_name": names.get(_int(unit_id), ""),
            "year": year,
        },
        status=status,
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


ROW_HEIGHT = 40
BAR_SPACE = 290


def _chart(pairs):
    """Lay out a horizontal bar chart in SVG units: each row's label above its bar, the value after it."""
    top = max((value for _label, value, _text in pairs), default=0)
    rows = []
    for index, (label, value, text) in enumerate(pairs):
        width = round(BAR_SPACE * value / top, 1) if top and value else 0
        bar_y = index * ROW_HEIGHT + 22
        rows.append(
            {
                "label": label,
                "text": text,
                "y": index * ROW_HEIGHT + 16,
                "bar_y": bar_y,
                "width": max(width, 2 if value else 0),
                "value_x": width + 6,
                "value_y": bar_y + 12,
            }
        )
    return {"rows": rows, "height": ROW_HEIGHT * len(pairs) + 4}


def _analytics_sections(unit_ids, year):
    """Return the analytics sections: title, chart, headers and rows (the same rows feed the page and Excel)."""
    today = timezone.localdate()
    time_rows = analytics.time_per_step(unit_ids)
    overdue = analytics.overdue_by_unit(unit_ids, today)
    awards = analytics.volume_by_award(unit_ids, year)
    areas = analytics.volume_by_area(unit_ids, year)
    years = analytics.trends(unit_ids)
    sections = [
        {
            "key": "time",
            "title": _("Thời gian xử lý theo cấp và bước"),
            "chart_title": _("Trung vị số ngày mỗi bước"),
            "headers": [_("Cấp – bước"), _("Số lượt"), _("Trung vị (ngày)"), _("90% xong trong (ngày)")],
            "rows": [
                [f"{r['tier']} – {r['step']}", r["n"], r["median_days"], r["p90_days"]] for r in time_rows
            ],
            "chart": _chart(
                [(f"{r['tier']} – {r['step']}", r["median_days"], r["median_days"]) for r in time_rows]
            ),
        },
        {
            "key": "overdue",
            "title": _("Việc quá hạn theo đơn vị"),
            "chart_title": _("Số việc quá hạn"),
            "headers": [_("Đơn vị đang giữ"), _("Số việc quá hạn")],
            "rows": [[r["label"], r["n"]] for r in overdue],
            "chart": _chart([(r["label"], r["n"], r["n"]) for r in overdue]),
        },
        {
            "key": "award",
            "title": _("Số đề nghị theo loại hình khen thưởng"),
            "chart_title": _("Số đề nghị"),
            "headers": [_("Loại hình khen thưởng"), _("Số đề nghị"), _("Đã khen thưởng")],
            "rows": [[r["label"], r["n"], r["awarded"]] for r in awards],
            "chart": _chart([(r["label"], r["n"], r["n"]) for r in awards]),
        },
        {
            "key": "area",
            "title": _("Số đề nghị theo nội dung thi đua (Hai chân – Ba mũi)"),
            "chart_title": _("Số đề nghị"),
            "headers": [_("Nội dung thi đua"), _("Số đề nghị"), _("Đã khen thưởng")],
            "rows": [[r["label"], r["n"], r["awarded"]] for r in areas],
            "chart": _chart([(r["label"], r["n"], r["n"]) for r in areas]),
        },
        {
            "key": "trend",
            "title": _("Xu hướng qua các năm"),
            "chart_title": _("Số được khen thưởng theo năm ký quyết định"),
            "headers": [_("Năm"), _("Số đề nghị (năm thành tích)"), _("Số được khen thưởng")],
            "rows": [[r["label"], r["n"], r["awarded"]] for r in years],
            "chart": _chart([(str(r["label"]), r["awarded"], r["awarded"]) for r in years]),
        },
    ]
    for section in sections:
        section["cells"] = [list(zip(section["headers"], row, strict=True)) for row in section["rows"]]
    return sections


@reporter_required
def analytics_page(request, scope):
    form, unit_ids, unit_name = _form(request, scope)
    context = {"form": form, "sections": None}
    if unit_ids is not None:
        year = _year(form)
        context.update(
            sections=_analytics_sections(unit_ids, year),
            unit_name=unit_name,
            year=year,
            query=request.GET.urlencode(),
        )
    return render(request, "reports/analytics.html", context, status=200 if unit_ids is not None else 400)


@reporter_required
def analytics_xlsx(request, scope):
    form, unit_ids, _unit_name = _form(request, scope)
    if unit_ids is None:
        return render(request, "reports/analytics.html", {"form": form, "sections": None}, status=400)
    workbook = Workbook(write_only=True)
    for section in _analytics_sections(unit_ids, _year(form)):
        columns = [(header, 48 if index == 0 else 18) for index, header in enumerate(section["headers"])]
        formats = {
            index: excel.DECIMAL if "ngày" in str(header) else excel.INTEGER
            for index, header in enumerate(section["headers"])
            if index
        }
        excel.table_sheet(workbook, section["title"], columns, section["rows"], formats=formats)
    return excel.workbook_response(workbook, "phan-tich.xlsx")
