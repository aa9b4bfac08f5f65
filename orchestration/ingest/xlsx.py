"""What a workbook's XML says before its cells are read: how big its first sheet is, and
which of its cells are formatted as percentages.

A reader allocates a sheet's whole rectangle from A1 to its last cell, so a 5 KB file
whose one cell sits at XFD1048576 asks for 17 billion cells: the size is checked here, on
the cells' own references, before anything is allocated. A cell shown as `95 %` stores
0.95; the reader gives only the number, so the percent formats are read from the styles.
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

# A whole province's year is a few hundred thousand cells.
MAX_CELLS = 5_000_000

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PERCENT_BUILTIN = {"9", "10"}  # 0% and 0.00%
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"')
_STYLE = re.compile(rb'\bs="([0-9]+)"')
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


@dataclass(frozen=True)
class Sheet:
    rows: int
    columns: int
    percent_cells: frozenset[tuple[int, int]]  # (row, column), 0-based from A1


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if sheet is None:
        raise ValueError("the workbook has no sheet")
    rel_id = sheet.get(f"{_DOC_RELS}id")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_RELS}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise ValueError("the workbook's first sheet is not in the file")


def _percent_styles(archive: zipfile.ZipFile) -> set[bytes]:
    """Indexes (as written in a cell's `s`) of the cell formats that show a percentage."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    percent = set(_PERCENT_BUILTIN)
    for number_format in styles.iter(f"{_MAIN}numFmt"):
        if "%" in _QUOTED.sub("", number_format.get("formatCode", "")):
            percent.add(number_format.get("numFmtId"))
    cell_formats = styles.find(f"{_MAIN}cellXfs")
    if cell_formats is None:
        return set()
    return {str(i).encode() for i, xf in enumerate(cell_formats.findall(f"{_MAIN}xf"))
            if xf.get("numFmtId") in percent}


def inspect(path: Path) -> Sheet:
    """The first sheet's extent and percent-formatted cells; ValueError when the sheet
    spans more than MAX_CELLS cells from A1."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(_first_sheet_part(archive))
        percent_styles = _percent_styles(archive)
    rows, columns = max((int(row) for row in _ROW.findall(xml)), default=0), 0
    percent_cells, unreferenced = set(), 0
    for attributes in _CELL.findall(xml):
        ref = _REF.search(attributes)
        if ref is None:
            unreferenced += 1  # placed after the cell before it
            continue
        row, column = int(ref.group(2)), column_number(ref.group(1))
        rows, columns = max(rows, row), max(columns, column)
        if percent_styles:
            style = _STYLE.search(attributes)
            if style and style.group(1) in percent_styles:
                percent_cells.add((row - 1, column - 1))
    if max(rows * columns, unreferenced) > MAX_CELLS:
        raise ValueError(
            f"the first sheet reaches row {rows:,} and column {columns:,} ({rows * columns:,} cells from A1), "
            f"over the limit of {MAX_CELLS:,}: remove the stray cells far from the table"
        )
    return Sheet(rows, columns, frozenset(percent_cells))
