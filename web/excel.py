"""Excel files the office opens as they are: widths set, header frozen and filterable, dates and money as numbers."""

import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME = "dd/mm/yyyy hh:mm:ss"
DATE = "dd/mm/yyyy"
MONEY = "#,##0"
INTEGER = "#,##0"
DECIMAL = "#,##0.0"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


def table_sheet(workbook, title, columns, rows, *, formats=None):
    """Write a list as one sheet of a write-only workbook: `columns` are (header, width); `formats` maps a column
    index (from 0) to a number format. Return the number of data rows."""
    formats = formats or {}
    sheet = workbook.create_sheet(str(title)[:31])
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for text, _width in columns:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if index in formats and value not in (None, ""):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = formats[index]
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return count


def response(filename, title, columns, rows, *, formats=None):
    """Return a one-sheet list as an .xlsx download."""
    workbook = Workbook(write_only=True)
    table_sheet(workbook, title, columns, rows, formats=formats)
    return workbook_response(workbook, filename)


def workbook_response(workbook, filename):
    buffer = io.BytesIO()
    workbook.save(buffer)
    download = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPE)
    download["Content-Disposition"] = f'attachment; filename="{filename}"'
    return download


def statistical_form_workbook(form, cells, *, unit_name, year, regime):
    """Lay a statistical form out as the Ministry prints it: form number and reporting units on top, the title,
    merged headers (two rows, three for a grouped form), the A/B/C/1/2… numbering row, figures with thousands
    separators, the signature block."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = form.number.split("/")[0]
    lead = len(form.lead_headers)
    width = lead + form.figure_count
    last = get_column_letter(width)
    after_half = get_column_letter(max(lead, width // 2) + 1)
    bold = Font(bold=True)
    sheet.column_dimensions["A"].width = 58
    sheet.column_dimensions["B"].width = 8
    if form.has_measure_column:
        sheet.column_dimensions["C"].width = 13
    for index in range(lead + 1, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18

    def put(ref, value, *, font=None, align=None, merge_to=None):
        sheet[ref] = value
        if font:
            sheet[ref].font = font
        if align:
            sheet[ref].alignment = align
        if merge_to and merge_to != ref:
            sheet.merge_cells(f"{ref}:{merge_to}")

    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    put("A1", f"Biểu số: {form.number}", font=bold)
    put(f"{after_half}1", f"Đơn vị báo cáo: {unit_name}", align=centre, merge_to=f"{last}1")
    put("A2", f"Ban hành theo {regime}", font=Font(italic=True))
    put(f"{after_half}2", "Đơn vị nhận báo cáo: Bộ Nội vụ", align=centre, merge_to=f"{last}2")
    put("A3", "Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo")
    put("A5", str(form.title).upper(), font=Font(bold=True, size=13), align=centre, merge_to=f"{last}5")
    sheet.row_dimensions[5].height = 36
    put("A6", f"Năm {year}", font=Font(italic=True), align=centre, merge_to=f"{last}6")
    if form.measure:
        put(f"{last}7", f"Đơn vị tính: {form.measure}", font=Font(italic=True))
    top = 8
    # Place each header cell in the first free column of its row (cells spanning rows above occupy it).
    taken = set()
    for offset, cells_of_row in enumerate(form.header_rows):
        row_number, column = top + offset, 1
        for text, rowspan, colspan in cells_of_row:
            while (row_number, column) in taken:
                column += 1
            ref = f"{get_column_letter(column)}{row_number}"
            end = f"{get_column_letter(column + colspan - 1)}{row_number + rowspan - 1}"
            put(ref, str(text), font=bold, align=centre, merge_to=end)
            taken |= {
                (r, c)
                for r in range(row_number, row_number + rowspan)
                for c in range(column, column + colspan)
            }
            column += colspan
    numbers = top + len(form.header_rows)
    sheet.row_dimensions[numbers - 1].height = 75
    column = 1
    for text, span in form.numbering:
        put(
            f"{get_column_letter(column)}{numbers}",
            text,
            font=bold,
            align=centre,
            merge_to=f"{get_column_letter(column + span - 1)}{numbers}",
        )
        column += span
    row_number = numbers
    for row in form.rows:
        row_number += 1
        put(f"A{row_number}", str(row.label), font=bold if row.bold else None, align=left)
        put(f"B{row_number}", row.code, align=centre)
        if form.has_measure_column:
            put(f"C{row_number}", str(row.measure), align=centre)
        if row.code:
            for offset, value in enumerate(cells[row.code]):
                cell = sheet.cell(row=row_number, column=lead + 1 + offset, value=value)
                cell.number_format = INTEGER
                if row.bold:
                    cell.font = bold
    for line in sheet.iter_rows(min_row=top, max_row=row_number, max_col=width):
        for cell in line:
            cell.border = BOX
    sheet.freeze_panes = f"{get_column_letter(lead + 1)}{numbers + 1}"
    sign = row_number + 2
    put(
        f"{after_half}{sign}",
        "……, ngày … tháng … năm …",
        font=Font(italic=True),
        align=centre,
        merge_to=f"{last}{sign}",
    )
    put(f"A{sign + 1}", "Người lập biểu", font=bold, align=centre)
    put(f"{after_half}{sign + 1}", "Thủ trưởng đơn vị", font=bold, align=centre, merge_to=f"{last}{sign + 1}")
    put(f"A{sign + 2}", "(Ký, họ tên)", font=Font(italic=True), align=centre)
    put(
        f"{after_half}{sign + 2}",
        "(Ký, họ tên, đóng dấu)",
        font=Font(italic=True),
        align=centre,
        merge_to=f"{last}{sign + 2}",
    )
    if form.note:
        put(
            f"A{sign + 5}",
            f"Ghi chú: {form.note}",
            font=Font(italic=True, size=9),
            align=left,
            merge_to=f"{last}{sign + 5}",
        )
        sheet.row_dimensions[sign + 5].height = 45
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook
