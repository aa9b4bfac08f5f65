"""A small XLSX writer, just big enough for the annexes: text and numbers, a few cell
styles, merged title lines, column widths, frozen panes, an autofilter and print settings.

openpyxl made an object of every cell and of every style it was given, and wrote each
sheet through a temporary file: for a national run's 600 annexes that took longer than
everything else in the publication together. The annexes are small and always laid out
the same way, so their SpreadsheetML parts are written here directly, as openpyxl laid
them out, without the creation time: the same marts give the same bytes.

Text is always written as a string (an inline string: this writer cannot write a formula
at all), and text that Excel would take for a formula once the cell is edited ("=1+2",
"+84…", "@SUM…") is marked quotePrefix, as Excel marks it when one types such text.
"""

import functools
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 cannot hold these characters at all (openpyxl refused them too)
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2}
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
# a fixed time for every part, so that the same workbook is the same file
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Style:
    number_format: str = "General"
    bold: bool = False
    italic: bool = False
    size: int | None = None  # None: the workbook's font size (11)
    fill: str | None = None  # a solid background, "RRGGBB"
    border: bool = False  # a thin line on all four sides
    centred: bool = False  # centred both ways, text wrapped
    quote_prefix: bool = False


class Sheet:
    """One worksheet, filled cell by cell (rows and columns count from 1, as in Excel)."""

    def __init__(self, title: str, column_widths: list[float]):
        self.title = title
        self.column_widths = column_widths
        self.cells: dict[int, dict[int, tuple]] = defaultdict(dict)
        self.row_heights: dict[int, float] = {}
        self.merged: list[str] = []
        self.frozen_at: tuple[int, int] | None = None  # (row, column) of the first cell that scrolls
        self.auto_filter: str | None = None
        self.print_title_row: int | None = None  # repeated at the top of every printed page

    def text(self, row: int, column: int, text, style: Style) -> None:
        if text is None:
            self.cells[row][column] = (None, style)
            return
        text = str(text)
        if ILLEGAL_CHARACTERS.search(text):
            raise ValueError(f"a control character cannot be written to an XLSX file: {text!r}")
        if text.startswith(FORMULA_PREFIXES):
            style = replace(style, quote_prefix=True)
        self.cells[row][column] = (text, style)

    def number(self, row: int, column: int, value: int | Decimal | None, style: Style) -> None:
        if value is not None and not isinstance(value, (int, Decimal)):
            raise TypeError(f"not an exact number: {value!r}")
        self.cells[row][column] = (value, style)


@functools.cache
def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def write_workbook(path, sheets: list[Sheet], title: str, language: str) -> None:
    styles = _Styles()  # filled in as the sheets are written
    sheet_parts = {f"xl/worksheets/sheet{n}.xml": _sheet_xml(sheet, styles) for n, sheet in enumerate(sheets, start=1)}
    parts = {
        "[Content_Types].xml": _content_types(len(sheets)),  # first, as Office writes it
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{PACKAGE_RELATIONSHIPS}/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>'
        ),
        "docProps/core.xml": _core_xml(title, language),
        "xl/workbook.xml": _workbook_xml(sheets),
        "xl/_rels/workbook.xml.rels": _workbook_rels(len(sheets)),
        "xl/styles.xml": styles.xml(),
        **sheet_parts,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)


class _Styles:
    """The workbook's cell formats (cellXfs), each distinct Style once; format 0 is the
    default every cell without a style has."""

    def __init__(self):
        self.formats = {Style(): 0}

    def index(self, style: Style) -> int:
        return self.formats.setdefault(style, len(self.formats))

    def xml(self) -> str:
        number_formats = {}  # custom format codes by id; ids below 164 are Excel's own
        fonts = {(False, False, None): 0}  # (bold, italic, size): the default font first
        fills = {}  # solid colours by id; Excel expects its "none" and "gray125" fills first
        xfs = []
        for style in self.formats:
            number_format = BUILTIN_FORMATS.get(style.number_format)
            if number_format is None:
                number_format = number_formats.setdefault(style.number_format, 164 + len(number_formats))
            font = fonts.setdefault((style.bold, style.italic, style.size), len(fonts))
            fill = fills.setdefault(style.fill, 2 + len(fills)) if style.fill else 0
            xfs.append(_xf_xml(style, number_format, font, fill))
        return (
            f'<styleSheet xmlns="{MAIN}">'
            + (f'<numFmts count="{len(number_formats)}">'
               + "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for code, i in number_formats.items())
               + "</numFmts>" if number_formats else "")
            + f'<fonts count="{len(fonts)}">' + "".join(_font_xml(*font) for font in fonts) + "</fonts>"
            + f'<fills count="{2 + len(fills)}"><fill><patternFill patternType="none"/></fill>'
            + '<fill><patternFill patternType="gray125"/></fill>'
            + "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="00{colour}"/></patternFill></fill>'
                      for colour in fills)
            + '</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            + '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/></border>'
            + '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            + f'<cellXfs count="{len(xfs)}">' + "".join(xfs) + "</cellXfs>"
            + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            + "</styleSheet>"
        )


def _xf_xml(style: Style, number_format: int, font: int, fill: int) -> str:
    border = 1 if style.border else 0
    xf = (f'<xf numFmtId="{number_format}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
          + (' applyNumberFormat="1"' if number_format else "") + (' applyFont="1"' if font else "")
          + (' applyFill="1"' if fill else "") + (' applyBorder="1"' if border else "")
          + (' quotePrefix="1"' if style.quote_prefix else ""))
    if style.centred:
        return xf + ' applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    return xf + "/>"


def _font_xml(bold: bool, italic: bool, size: int | None) -> str:
    if not (bold or italic or size):
        return '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    return ("<font>" + ('<b val="1"/>' if bold else "") + ('<i val="1"/>' if italic else "")
            + (f'<sz val="{size}"/>' if size else "") + "</font>")


def _sheet_xml(sheet: Sheet, styles: _Styles) -> str:
    last_row = max(sheet.cells, default=1)
    last_column = max([len(sheet.column_widths), *(max(row) for row in sheet.cells.values())])
    parts = [f'<worksheet xmlns="{MAIN}">',
             '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
             f'<dimension ref="A1:{column_letter(last_column)}{last_row}"/>',
             '<sheetViews><sheetView workbookViewId="0">']
    if sheet.frozen_at:
        row, column = sheet.frozen_at
        parts.append(f'<pane xSplit="{column - 1}" ySplit="{row - 1}" topLeftCell="{column_letter(column)}{row}" '
                     'activePane="bottomRight" state="frozen"/>'
                     '<selection pane="topRight"/><selection pane="bottomLeft"/>'
                     '<selection pane="bottomRight" activeCell="A1" sqref="A1"/>')
    parts.append('</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/><cols>')
    parts += [f'<col min="{c}" max="{c}" width="{width}" customWidth="1"/>'
              for c, width in enumerate(sheet.column_widths, start=1)]
    parts.append("</cols><sheetData>")
    for r in sorted(sheet.cells):
        height = sheet.row_heights.get(r)
        parts.append(f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">')
        for c in sorted(sheet.cells[r]):
            value, style = sheet.cells[r][c]
            parts.append(_cell_xml(f"{column_letter(c)}{r}", value, styles.index(style)))
        parts.append("</row>")
    parts.append("</sheetData>")
    if sheet.auto_filter:
        parts.append(f'<autoFilter ref="{sheet.auto_filter}"/>')
    if sheet.merged:
        parts.append(f'<mergeCells count="{len(sheet.merged)}">'
                     + "".join(f'<mergeCell ref="{ref}"/>' for ref in sheet.merged) + "</mergeCells>")
    parts.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
                 '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')
    return "".join(parts)


def _cell_xml(ref: str, value, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, str):
        # \r is kept as a character reference: a parser turns a bare one into \n
        text = escape(value).replace("\r", "&#13;")
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    number = format(value, "f") if isinstance(value, Decimal) else str(value)
    return f'<c r="{ref}"{s}><v>{number}</v></c>'


def _workbook_xml(sheets: list[Sheet]) -> str:
    names = []
    for i, sheet in enumerate(sheets):
        quoted = "'" + sheet.title.replace("'", "''") + "'"
        if sheet.auto_filter:
            absolute = ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref) for ref in sheet.auto_filter.split(":"))
            names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                         f"{escape(quoted)}!{absolute}</definedName>")
        if sheet.print_title_row:
            row = sheet.print_title_row
            names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                         f"{escape(quoted)}!${row}:${row}</definedName>")
    return (
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
        + "".join(f'<sheet name={quoteattr(sheet.title)} sheetId="{n}" r:id="rId{n}"/>'
                  for n, sheet in enumerate(sheets, start=1))
        + "</sheets>"
        + (f"<definedNames>{''.join(names)}</definedNames>" if names else "")
        + "</workbook>"
    )


def _workbook_rels(sheet_count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheet_count + 1)
    )
    styles = f'<Relationship Id="rId{sheet_count + 1}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
    return f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{sheets}{styles}</Relationships>'


def _core_xml(title: str, language: str) -> str:
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(title)}</dc:title><dc:language>{escape(language)}</dc:language>"
        "<dc:creator>egov-warehouse</dc:creator></cp:coreProperties>"
    )


def _content_types(sheet_count: int) -> str:
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{office}.worksheet+xml"/>'
                     for n in range(1, sheet_count + 1))
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f"{sheets}</Types>"
    )
