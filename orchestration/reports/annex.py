"""The report's annex as an Excel workbook, laid out as the official annexes are: one sheet
per peer group, a title, then STT, unit, points per criterion, total, maximum, %, rating,
rank (the national annex, and a provincial one of a DTI group: the index per category or
main indicator, the overall index, the rating if the framework has bands, the ranks, and
each pillar's index, rank and rank change). A ranking restated on the next year's units
(after a reorganisation) has a sheet of its own: rank, unit, restated index (or percentage),
rating, and the units before the reorganisation it carries on. A group where some unit is
scored on a self-assessed value not appraised yet has a column "Tạm tính" marking those units
(a filter finds them), and a group whose units assessed themselves a sheet setting each
self-assessed indicator against its appraisal ("Chênh lệch – …").
Written by XlsxWriter: openpyxl, with an object for every cell and style and a temporary
file per sheet, took longer for a national run's ~640 annexes than the rest of the
publication together.

Numbers are written as numbers (exact Decimals, shown with the annex's decimals). Text that
comes from the input (unit and criterion names, reasons) is always written as text: a name
starting with "=", "+", "-" or "@" must never become a formula (CSV/formula injection), so
every text goes through `_Cells.text`, which calls `write_string`, never `write()` (that one
takes "=…" for a formula), and marks text Excel would take for a formula once the cell is
edited quotePrefix, as Excel marks it when one types such text.
"""

import math
import os
import textwrap
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from . import vietnamese
from .content import Group, Report, Restated

POINTS, PERCENT, INDEX, WHOLE, CHANGE = "0.00", "0.00", "0.0000", "0", "+0;-0;0"
SIGNED = "+0.00;-0.00;0.00"  # a difference of points
PROVISIONAL = "Tạm tính"  # the marker column's header and its cell for a provisional unit
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CENTRED = {"align": "center", "valign": "vcenter", "text_wrap": True}
STYLES = {
    "title": {"bold": True, "font_size": 12, **CENTRED},
    "subtitle": {"italic": True, **CENTRED},
    "note": {"italic": True, "align": "left", "valign": "top", "text_wrap": True},
    "header": {"bold": True, "bg_color": "#DDEBF7", "border": 1, **CENTRED},
    # a table cell, by its number format ("General" for the text columns): text wraps inside
    # its column (a long name or note does not spill over the next cells), rows aligned at the top
    **{fmt: {"num_format": fmt, "border": 1, "valign": "top", "text_wrap": True}
       for fmt in ("General", POINTS, INDEX, WHOLE, CHANGE, SIGNED)},
}
HEADER_ROW = 4  # counted from 0, as XlsxWriter counts: below three title lines and a blank one (or a note)
# XlsxWriter writes the creation time into the workbook: a fixed one (its parts' time in the
# zip file is fixed too), so that the same marts give the same file
CREATED = datetime(1980, 1, 1, tzinfo=UTC)
A4 = 9  # Excel's paper size code
LINE = 15  # points a line of 11-point text takes in a row
# How many characters of a style fit in one character of column width: the headers are bold,
# the title larger and bold (the widths count characters of the workbook's 11-point font)
CHARACTERS = {"header": 0.85, "title": 0.75, "subtitle": 0.95, "note": 0.95}


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
    partial = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    # in_memory: the parts are put together in memory, not in a temporary file each
    with xlsxwriter.Workbook(partial, {"in_memory": True}) as workbook:
        # XlsxWriter has no language property (the old writer set dc:language to vi-VN)
        workbook.set_properties({"title": report.title, "author": "egov-warehouse", "created": CREATED})
        cells = _Cells(workbook)
        used = set()
        for group in report.groups:
            worksheet = workbook.add_worksheet(_sheet_title(group.sheet, used))
            if report.kind == "national" or group.dti:
                _index_sheet(worksheet, cells, report, group)
            else:
                _provincial_sheet(worksheet, cells, report, group)
        for restated in report.restated:
            worksheet = workbook.add_worksheet(_sheet_title(f"Tính lại {restated.year} – {restated.sheet}", used))
            _restated_sheet(worksheet, cells, report, restated)
        for group in report.groups:
            if group.appraisal:
                worksheet = workbook.add_worksheet(_sheet_title(f"Chênh lệch – {group.sheet}", used))
                _appraisal_sheet(worksheet, cells, report, group)
    os.replace(partial, path)


def _sheet_title(name: str, used: set) -> str:
    """A name Excel accepts: none of []:*?/\\, no apostrophe at either end, at most 31
    characters, unique whatever the case."""
    title = "".join(c for c in name if c not in "[]:*?/\\")[:31].strip("'") or "Sheet"
    base, n = title, 2
    while title.lower() in used:
        title = base[:28].rstrip("'") + f" {n}"
        n += 1
    used.add(title.lower())
    return title


class _Cells:
    """Writes the cells of one workbook, making each format it needs once."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.workbook = workbook
        self.formats = {}

    def format(self, style: str, quote_prefix: bool = False):
        key = (style, quote_prefix)
        if key not in self.formats:
            self.formats[key] = self.workbook.add_format({**STYLES[style], "quote_prefix": quote_prefix})
        return self.formats[key]

    def text(self, worksheet, row: int, column: int, text: str, style: str) -> None:
        cell_format = self.format(style, quote_prefix=text.startswith(FORMULA_PREFIXES))
        if text.startswith("<r>") and text.endswith("</r>"):
            # XlsxWriter takes such a string for the XML of a rich string and writes it
            # unescaped (a name could rewrite the shared strings: other cells' text). As a
            # rich string of two runs in the cell's own font it is escaped as usual.
            worksheet.write_rich_string(row, column, cell_format, text[0], cell_format, text[1:], cell_format)
        else:
            worksheet.write_string(row, column, text, cell_format)


def _provincial_sheet(worksheet, cells: _Cells, report: Report, group: Group) -> None:
    n = len(group.criteria)
    marked = bool(group.provisional)
    headers = (
        [("STT", 6), ("Cơ quan, đơn vị", 42)]
        + [(f"{c['name']} (tối đa {vietnamese.points(c['max'])} điểm)", 16) for c in group.criteria]
        + [("Tổng điểm", 10), ("Điểm tối đa", 10), ("Tỷ lệ (%)", 10), ("Xếp loại", 12), ("Xếp hạng", 9)]
        + ([(PROVISIONAL, 10)] if marked else []) + [("Ghi chú", 36)]
    )
    formats = ([WHOLE, "General"] + [POINTS] * n + [POINTS, POINTS, PERCENT, "General", WHOLE]
               + (["General"] if marked else []) + ["General"])
    _head(worksheet, cells, report, group, headers, _provisional_note(group))
    for r, row in enumerate(group.rows, start=HEADER_ROW + 1):
        values = [row["stt"], row["unit_name"]]
        for score in row["scores"]:
            if score and not score["applicable"]:
                values.append("KAD")  # không áp dụng, as the annexes mark it
            else:
                values.append(number(score["score"]) if score else None)
        values += [number(row["total_score"]), number(row["max_applicable"]), number(row["score_pct"]),
                   row["rating"] or ("Không xếp hạng" if not row["ranked"] else None),
                   row["rank"]]
        values += _provisional_cell(row, marked) + [row["note"] or None]
        _write_row(worksheet, cells, r, values, formats)
    _finish(worksheet, len(headers), len(group.rows))


def _index_sheet(worksheet, cells: _Cells, report: Report, group: Group) -> None:
    """The national annex, and a provincial one of a DTI group: indices and ranks."""
    if report.kind == "national":
        unit_header = "Tỉnh, thành phố" if group.unit_type == "province" else "Cơ quan"
    else:
        unit_header = "Cơ quan, đơn vị"
    rating = group.rated  # a framework with bands (the national ones of 2016–2019), not the DTI's
    marked = bool(group.provisional)
    headers = (
        [("STT", 6), (unit_header, 30)]
        + [(f"{c['name']} (chỉ số)", 14) for c in group.criteria]
        + [("Tổng điểm", 10), ("Điểm tối đa", 10), ("Chỉ số DTI" if group.dti else "Chỉ số tổng thể", 12)]
        + ([("Xếp loại", 12)] if rating else [])
        + [("Xếp hạng", 9),
           (f"Xếp hạng năm {report.year - 1} (tính lại)" if group.prev_restated else "Xếp hạng năm trước", 11),
           ("Thay đổi", 9)]
        + [(f"Trụ cột {p['name']} ({what})", 12) for p in group.pillars
           for what in ("chỉ số", "xếp hạng", "thay đổi hạng")]
        + ([(PROVISIONAL, 10)] if marked else []) + [("Ghi chú", 30)]
    )
    formats = ([WHOLE, "General"] + [INDEX] * len(group.criteria) + [POINTS, POINTS, INDEX]
               + (["General"] if rating else []) + [WHOLE, WHOLE, CHANGE]
               + [INDEX, WHOLE, CHANGE] * len(group.pillars) + (["General"] if marked else []) + ["General"])
    note = (f"Xếp hạng năm trước và thay đổi thứ hạng{' (tổng thể, theo trụ cột)' if group.pillars else ''}: "
            f"so với {group.restated_basis}, không phải xếp hạng năm {report.year - 1} như đã đánh giá."
            if group.prev_restated else "")
    _head(worksheet, cells, report, group, headers, " ".join(filter(None, [note, _provisional_note(group)])))
    for r, row in enumerate(group.rows, start=HEADER_ROW + 1):
        values = [row["stt"], row["unit_name"]]
        # a category that does not apply is left empty here (the HTML table says KAD)
        values += [number(score["index"]) if score and score["applicable"] else None for score in row["scores"]]
        values += [number(row["total_score"]), number(row["max_applicable"]), number(row["index"])]
        if rating:
            values.append(row["rating"] or ("Không xếp hạng" if not row["ranked"] else None))
        values += [row["rank"], row["rank_prev"], row["rank_change"]]
        for pillar in row["pillars"]:
            values += [number(pillar["index"]), pillar["rank"], pillar["rank_change"]] if pillar else [None] * 3
        values += _provisional_cell(row, marked) + [row["note"] or None]
        _write_row(worksheet, cells, r, values, formats)
    _finish(worksheet, len(headers), len(group.rows))


def _restated_sheet(worksheet, cells: _Cells, report: Report, restated: Restated) -> None:
    """A ranking restated on the next year's units: each unit of that year, its index (or
    percentage) restated, rating, rank, and the units before the reorganisation it carries on."""
    unit_header = ("Tỉnh, thành phố" if restated.unit_type == "province" else "Cơ quan") \
        if report.kind == "national" else "Cơ quan, đơn vị"
    figure = (restated.figure, INDEX if restated.by_index else PERCENT)
    headers = (
        [("STT", 6), (unit_header, 30), (f"{figure[0]} năm {restated.year} (tính lại)", 14)]
        + ([("Xếp loại", 12)] if restated.rated else [])
        + [("Xếp hạng", 9), ("Đơn vị trước sắp xếp", 48),
           (f"Mã đơn vị năm {restated.year}", 14), ("Ghi chú", 30)]
    )
    formats = [WHOLE, "General", figure[1]] + (["General"] if restated.rated else []) + [
        WHOLE, "General", "General", "General"]
    subtitle = (f"{restated.label} – kết quả năm {restated.year} tính lại trên các {restated.noun} năm "
                f"{restated.units_year} – {restated.evaluator_name or report.evaluator_name}")
    note = restated.method[0].upper() + restated.method[1:] + "."
    _head(worksheet, cells, report, restated, headers, note=note, subtitle=subtitle)
    for r, row in enumerate(restated.rows, start=HEADER_ROW + 1):
        values = [row["stt"], row["unit_name"],
                  number(row["index"] if restated.by_index else row["score_pct"])]
        if restated.rated:
            values.append(row["rating"] or ("Không xếp hạng" if not row["ranked"] else None))
        values += [row["rank"], row["composition"] or None, row["predecessor_codes"], row["note"] or None]
        _write_row(worksheet, cells, r, values, formats)
    _finish(worksheet, len(headers), len(restated.rows))


def _provisional_note(group: Group) -> str:
    """What the marker column means, on a sheet that has it."""
    if not group.provisional:
        return ""
    return (f"{PROVISIONAL}: kết quả được chấm trên số liệu tự đánh giá chưa được thẩm định "
            f"({len(group.provisional)}/{len(group.rows)} {group.noun}).")


def _provisional_cell(row: dict, marked: bool) -> list:
    """The marker column's cell, if the sheet has the column."""
    if not marked:
        return []
    return [PROVISIONAL if row.get("provisional") else None]


def _appraisal_sheet(worksheet, cells: _Cells, report: Report, group: Group) -> None:
    """A group's self-assessments against the appraisal (appraisal_differences): per unit, in
    ranking order, each indicator it assessed itself on (both values, both points, the
    difference), then its total over the indicators that have both values (code "Tổng"). The
    largest gaps the report shows are numbered in their order (a filter finds them)."""
    if report.kind == "national":
        unit_header = "Tỉnh, thành phố" if group.unit_type == "province" else "Cơ quan"
    else:
        unit_header = "Cơ quan, đơn vị"
    headers = [("STT", 6), (unit_header, 30), ("Mã chỉ tiêu", 10), ("Chỉ tiêu", 40),
               ("Giá trị tự đánh giá", 12), ("Giá trị thẩm định", 12), ("Điểm tự đánh giá", 11),
               ("Điểm thẩm định", 11), ("Chênh lệch (thẩm định − tự đánh giá)", 14),
               ("Thứ tự trong các chênh lệch lớn nhất", 12), ("Ghi chú", 20)]
    formats = [WHOLE, "General", "General", "General", "General", "General", POINTS, POINTS, SIGNED, WHOLE,
               "General"]
    gap_order = {(gap["unit_code"], gap["indicator_code"]): n for n, gap in enumerate(group.appraisal.gaps, start=1)}
    subtitle = f"{group.label} – chênh lệch giữa tự đánh giá và thẩm định – {report.evaluator_name}"
    _head(worksheet, cells, report, group, headers, note=group.appraisal.sentence, subtitle=subtitle)
    for r, row in enumerate(group.appraisal.rows, start=HEADER_ROW + 1):
        total = row["indicator_code"] is None
        values = [
            r - HEADER_ROW, row["unit_name"],
            "Tổng" if total else row["indicator_code"],
            f"Các chỉ tiêu đã thẩm định ({row['indicators_compared']} chỉ tiêu)" if total else row["indicator_name"],
            number(row["self_value"]), number(row["appraised_value"]),
            number(row["self_points"]), number(row["appraised_points"]), number(row["points_difference"]),
            None if total else gap_order.get((row["unit_code"], row["indicator_code"])),
            "Chưa thẩm định" if row["appraised_points"] is None else None,
        ]
        _write_row(worksheet, cells, r, values, formats)
    _finish(worksheet, len(headers), len(group.appraisal.rows))


def _head(worksheet, cells: _Cells, report: Report, group: Group | Restated, headers: list[tuple[str, int]],
          note: str = "", subtitle: str = "") -> None:
    """The column widths, the title lines, a note below them (what a comparison is with),
    and the header row."""
    for c, (_, width) in enumerate(headers):
        # XlsxWriter counts a width as Excel shows it, the file's width less the cell's
        # padding; these are the file's widths (as openpyxl wrote them), 7 pixels a character
        worksheet.set_column_pixels(c, c, width * 7)
    last = len(headers) - 1
    titles = [
        ("PHỤ LỤC", "title"),
        (report.title.upper(), "title"),
        (subtitle or f"{group.label} – {report.evaluator_name}", "subtitle"),
    ]
    if note:
        titles.append((note, "note"))
    table_width = sum(width for _, width in headers)
    for r, (text, style) in enumerate(titles):
        # merge_range writes its text with write(): the text is written again as text
        worksheet.merge_range(r, 0, r, last, "", cells.format(style))
        cells.text(worksheet, r, 0, text, style)
        # a merged cell is never made taller to show its text: its height is set here
        worksheet.set_row(r, _height(text, table_width, style, size=12 if style == "title" else 11))
    worksheet.set_row(HEADER_ROW, max(_height(text, width, "header") for text, width in headers))
    for c, (text, _) in enumerate(headers):
        cells.text(worksheet, HEADER_ROW, c, text, "header")
    worksheet.freeze_panes(HEADER_ROW + 1, 2)  # the header and the STT and unit columns stay


def _write_row(worksheet, cells: _Cells, r: int, values: list, formats: list) -> None:
    """One table row; every cell is bordered, empty or not. Text is whatever is a str:
    names, ratings and notes, and "KAD" in a criterion column."""
    for c, (value, fmt) in enumerate(zip(values, formats)):
        if isinstance(value, str):
            cells.text(worksheet, r, c, value, fmt)
        elif value is None:
            worksheet.write_blank(r, c, None, cells.format(fmt))
        elif isinstance(value, (int, Decimal)):
            # XlsxWriter writes a number with format(value, ".16G"): given the Decimal, the
            # cell holds its digits (0.56), where the float would be 0.5600000000000001
            worksheet.write_number(r, c, value, cells.format(fmt))
        else:
            raise TypeError(f"not an exact number: {value!r}")


def _height(text: str, width: int, style: str, size: int = 11) -> float:
    """The height in points of a row whose cell of `width` characters shows `text` wrapped
    into lines, as Excel breaks them at spaces (an estimate on the safe side)."""
    capacity = max(1, math.floor(width * CHARACTERS[style]) - 1)
    lines = sum(len(textwrap.wrap(part, capacity, break_long_words=True)) or 1 for part in text.split("\n"))
    return math.ceil(lines * LINE * size / 11) + 4


def _finish(worksheet, width: int, count: int) -> None:
    """The filter over the table, and the print settings: A4 landscape, one page wide (as
    many long as it takes), the header row on every page, the page number at the foot. The
    table rows have no height of their own: Excel and LibreOffice make a row as tall as its
    wrapped text when they open the file."""
    if count:
        worksheet.autofilter(HEADER_ROW, 0, HEADER_ROW + count, width - 1)
    worksheet.set_paper(A4)
    worksheet.set_landscape()
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(HEADER_ROW)
    worksheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
    worksheet.set_footer("&R&P/&N", margin=0.3)
    worksheet.set_header(margin=0.3)
