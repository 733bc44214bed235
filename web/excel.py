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
