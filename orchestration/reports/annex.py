"""The report's annex as an Excel workbook, laid out as the official annexes are: one sheet
per peer group, a title, then STT, unit, points per criterion, total, maximum, %, rating,
rank (the national annex: the index per category, the overall index and the ranks).

Numbers are written as numbers (exact Decimals, shown with the annex's decimals). Text that
comes from the input (unit and criterion names, reasons) is always written as text: a name
starting with "=", "+", "-" or "@" must never become a formula (CSV/formula injection);
`xlsx.Sheet.text` makes sure of it.
"""

import os
from decimal import Decimal
from pathlib import Path

from . import vietnamese
from .content import Group, Report
from .xlsx import Sheet, Style, column_letter, write_workbook

POINTS, PERCENT, INDEX, WHOLE, CHANGE = "0.00", "0.00", "0.0000", "0", "+0;-0;0"
TITLE = Style(bold=True, size=12, centred=True)
SUBTITLE = Style(italic=True, size=11, centred=True)
HEADER = Style(bold=True, fill="DDEBF7", border=True, centred=True)
HEADER_ROW = 5  # below three title lines and a blank one
# a table cell, by its number format (None: General, for the text columns)
CELL = {fmt: Style(number_format=fmt or "General", border=True) for fmt in (None, POINTS, INDEX, WHOLE, CHANGE)}


def number(value):
    """A Decimal as a cell value: an int when whole, else the Decimal without trailing
    zeros (the cell holds 62.3, not 62.300000)."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return Decimal(format(value.normalize(), "f"))


def write_annex(report: Report, path: Path) -> None:
    used = set()
    sheets = []
    for group in report.groups:
        if report.kind == "national":
            sheets.append(_national_sheet(_sheet_title(group.sheet, used), report, group))
        else:
            sheets.append(_provincial_sheet(_sheet_title(group.sheet, used), report, group))
    partial = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write_workbook(partial, sheets, title=report.title, language="vi-VN")
    os.replace(partial, path)


def _sheet_title(name: str, used: set) -> str:
    title = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        title = f"{base[:28]} {n}"
        n += 1
    used.add(title)
    return title


def _provincial_sheet(title: str, report: Report, group: Group) -> Sheet:
    n = len(group.criteria)
    headers = (
        [("STT", 6), ("Cơ quan, đơn vị", 42)]
        + [(f"{c['name']} (tối đa {vietnamese.points(c['max'])} điểm)", 14) for c in group.criteria]
        + [("Tổng điểm", 10), ("Điểm tối đa", 10), ("Tỷ lệ (%)", 10), ("Xếp loại", 12),
           ("Xếp hạng", 9), ("Ghi chú", 36)]
    )
    formats = [WHOLE, None] + [POINTS] * n + [POINTS, POINTS, PERCENT, None, WHOLE, None]
    sheet = _head(title, report, group, headers)
    for r, row in enumerate(group.rows, start=HEADER_ROW + 1):
        cells = [row["stt"], row["unit_name"]]
        for score in row["scores"]:
            if score and not score["applicable"]:
                cells.append("KAD")  # không áp dụng, as the annexes mark it
            else:
                cells.append(number(score["score"]) if score else None)
        cells += [number(row["total_score"]), number(row["max_applicable"]), number(row["score_pct"]),
                  row["rating"] or ("Không xếp hạng" if not row["ranked"] else None),
                  row["rank"], row["note"] or None]
        _write_row(sheet, r, cells, formats)
    _finish(sheet, len(group.rows))
    return sheet


def _national_sheet(title: str, report: Report, group: Group) -> Sheet:
    headers = (
        [("STT", 6), ("Tỉnh, thành phố" if group.unit_type == "province" else "Cơ quan", 30)]
        + [(f"{c['name']} (chỉ số)", 14) for c in group.criteria]
        + [("Tổng điểm", 10), ("Điểm tối đa", 10), ("Chỉ số tổng thể", 12), ("Xếp hạng", 9),
           ("Xếp hạng năm trước", 11), ("Thay đổi", 9), ("Ghi chú", 30)]
    )
    formats = ([WHOLE, None] + [INDEX] * len(group.criteria)
               + [POINTS, POINTS, INDEX, WHOLE, WHOLE, CHANGE, None])
    sheet = _head(title, report, group, headers)
    for r, row in enumerate(group.rows, start=HEADER_ROW + 1):
        cells = [row["stt"], row["unit_name"]]
        # a category that does not apply is left empty here (the HTML table says KAD)
        cells += [number(score["index"]) if score and score["applicable"] else None for score in row["scores"]]
        cells += [number(row["total_score"]), number(row["max_applicable"]), number(row["index"]),
                  row["rank"], row["rank_prev"], row["rank_change"], row["note"] or None]
        _write_row(sheet, r, cells, formats)
    _finish(sheet, len(group.rows))
    return sheet


def _head(title: str, report: Report, group: Group, headers: list[tuple[str, int]]) -> Sheet:
    """A sheet with its title lines and header row."""
    sheet = Sheet(title, column_widths=[width for _, width in headers])
    width = len(headers)
    titles = [
        ("PHỤ LỤC", TITLE),
        (report.title.upper(), TITLE),
        (f"{group.label} – {report.evaluator_name}", SUBTITLE),
    ]
    for r, (text, style) in enumerate(titles, start=1):
        sheet.text(r, 1, text, style)
        sheet.merged.append(f"A{r}:{column_letter(width)}{r}")
    sheet.row_heights[2] = 32
    for c, (text, _) in enumerate(headers, start=1):
        sheet.text(HEADER_ROW, c, text, HEADER)
    sheet.row_heights[HEADER_ROW] = 60
    sheet.frozen_at = (HEADER_ROW + 1, 3)  # the header and the STT and unit columns stay
    return sheet


def _write_row(sheet: Sheet, r: int, cells: list, formats: list) -> None:
    """One table row; every cell is bordered, empty or not. Text is whatever is a str:
    names, ratings and notes, and "KAD" in a criterion column."""
    for c, (value, fmt) in enumerate(zip(cells, formats), start=1):
        if isinstance(value, str):
            sheet.text(r, c, value, CELL[fmt])
        else:
            sheet.number(r, c, value, CELL[fmt])


def _finish(sheet: Sheet, count: int) -> None:
    if count:
        last_column = column_letter(len(sheet.column_widths))
        sheet.auto_filter = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + count}"
    sheet.print_title_row = HEADER_ROW
