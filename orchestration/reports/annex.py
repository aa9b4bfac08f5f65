"""The report's annex as an Excel workbook, laid out as the official annexes are: one sheet
per peer group, a title, then STT, unit, points per criterion, total, maximum, %, rating,
rank (the national annex: the index per category, the overall index and the ranks).

Numbers are written as numbers (exact Decimals, shown with the annex's decimals). Text that
comes from the input (unit and criterion names, reasons) is always written as text: a name
starting with "=", "+", "-" or "@" must never become a formula (CSV/formula injection).
"""

import os
from decimal import Decimal
from pathlib import Path

from .content import Group, Report

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
POINTS, PERCENT, INDEX, WHOLE = "0.00", "0.00", "0.0000", "0"


def number(value):
    """A Decimal as a cell value: an int when whole, else the Decimal without trailing
    zeros (the cell holds 62.3, not 62.300000)."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return Decimal(format(value.normalize(), "f"))


def write_text(cell, text) -> None:
    """Input text as a string cell, never a formula; quotePrefix keeps it text when edited."""
    cell.value = None if text is None else str(text)
    if text is None:
        return
    cell.data_type = "s"
    if str(text).startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def write_annex(report: Report, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = report.title
    workbook.properties.language = "vi-VN"
    used = set()
    for group in report.groups:
        title = _sheet_title(group.sheet, used)
        sheet = workbook.create_sheet(title)
        if report.kind == "national":
            _national_sheet(sheet, report, group)
        else:
            _provincial_sheet(sheet, report, group)
    partial = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    workbook.save(partial)
    os.replace(partial, path)


def _sheet_title(name: str, used: set) -> str:
    title = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        title = f"{base[:28]} {n}"
        n += 1
    used.add(title)
    return title


def _provincial_sheet(sheet, report: Report, group: Group) -> None:
    headers = (
        [("STT", 6), ("Cơ quan, đơn vị", 42)]
        + [(f"{c['name']} (tối đa {_max_text(c['max'])} điểm)", 14) for c in group.criteria]
        + [("Tổng điểm", 10), ("Điểm tối đa", 10), ("Tỷ lệ (%)", 10), ("Xếp loại", 12),
           ("Xếp hạng", 9), ("Ghi chú", 36)]
    )
    first = _head(sheet, report, group, headers)
    for offset, row in enumerate(group.rows):
        r = first + offset
        cells = [row["stt"], None]
        for score in row["scores"]:
            cells.append(number(score["score"]) if score and score["applicable"] else None)
        cells += [number(row["total_score"]), number(row["max_applicable"]), number(row["score_pct"]),
                  None, row["rank"], None]
        formats = [WHOLE, None] + [POINTS] * len(group.criteria) + [POINTS, POINTS, PERCENT, None, WHOLE, None]
        _write_row(sheet, r, cells, formats)
        write_text(sheet.cell(r, 2), row["unit_name"])
        for i, score in enumerate(row["scores"]):
            if score and not score["applicable"]:
                write_text(sheet.cell(r, 3 + i), "KAD")  # không áp dụng, as the annexes mark it
        n = len(group.criteria)
        write_text(sheet.cell(r, 6 + n), row["rating"] or ("Không xếp hạng" if not row["ranked"] else None))
        write_text(sheet.cell(r, 8 + n), row["note"] or None)
    _finish(sheet, first, len(group.rows), len(headers))


def _national_sheet(sheet, report: Report, group: Group) -> None:
    headers = (
        [("STT", 6), ("Tỉnh, thành phố" if group.unit_type == "province" else "Cơ quan", 30)]
        + [(f"{c['name']} (chỉ số)", 14) for c in group.criteria]
        + [("Tổng điểm", 10), ("Điểm tối đa", 10), ("Chỉ số tổng thể", 12), ("Xếp hạng", 9),
           ("Xếp hạng năm trước", 11), ("Thay đổi", 9), ("Ghi chú", 30)]
    )
    first = _head(sheet, report, group, headers)
    for offset, row in enumerate(group.rows):
        r = first + offset
        cells = [row["stt"], None]
        for score in row["scores"]:
            cells.append(number(score["index"]) if score and score["applicable"] else None)
        cells += [number(row["total_score"]), number(row["max_applicable"]), number(row["index"]),
                  row["rank"], row["rank_prev"], row["rank_change"], None]
        formats = ([WHOLE, None] + [INDEX] * len(group.criteria)
                   + [POINTS, POINTS, INDEX, WHOLE, WHOLE, "+0;-0;0", None])
        _write_row(sheet, r, cells, formats)
        write_text(sheet.cell(r, 2), row["unit_name"])
        write_text(sheet.cell(r, len(headers)), row["note"] or None)
    _finish(sheet, first, len(group.rows), len(headers))


def _max_text(value) -> str:
    from . import vietnamese

    return vietnamese.points(value)


def _head(sheet, report: Report, group: Group, headers: list[tuple[str, int]]) -> int:
    """Title lines and the header row; returns the first data row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    width = len(headers)
    titles = [
        ("PHỤ LỤC", Font(bold=True, size=12)),
        (report.title.upper(), Font(bold=True, size=12)),
        (f"{group.label} – {report.evaluator_name}", Font(italic=True, size=11)),
    ]
    for r, (text, font) in enumerate(titles, start=1):
        cell = sheet.cell(r, 1)
        write_text(cell, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    sheet.row_dimensions[2].height = 32
    header_row = len(titles) + 2
    thin = Side(style="thin")
    for c, (text, column_width) in enumerate(headers, start=1):
        cell = sheet.cell(header_row, c)
        write_text(cell, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        sheet.column_dimensions[get_column_letter(c)].width = column_width
    sheet.row_dimensions[header_row].height = 60
    sheet.freeze_panes = sheet.cell(header_row + 1, 3)
    return header_row + 1


def _write_row(sheet, r: int, cells: list, formats: list) -> None:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    for c, (value, fmt) in enumerate(zip(cells, formats), start=1):
        cell = sheet.cell(r, c)
        if value is not None:
            cell.value = value
        if fmt:
            cell.number_format = fmt
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def _finish(sheet, first: int, count: int, width: int) -> None:
    from openpyxl.utils import get_column_letter

    if count:
        sheet.auto_filter.ref = f"A{first - 1}:{get_column_letter(width)}{first + count - 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{first - 1}:{first - 1}"
