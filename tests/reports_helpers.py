"""Reading generated reports back as a reader would: the visible text of an HTML report,
and the cells of an XLSX annex."""

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "reports"


class _Text(HTMLParser):
    """The text a browser shows: no script, style or markup; entities decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def body_of(html: str) -> str:
    """The document after its head (the head embeds the chart library, whose strings hold
    markup such as "<body" and "<img")."""
    return html[html.rindex("</head>") + len("</head>"):]


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def summary_text(html: str) -> str:
    """The press text: the report's summary section."""
    section = re.search(r'<section class="summary".*?</section>', html, re.S)
    assert section, "the report has no summary section"
    return visible_text(section.group(0))


def annex_rows(path: Path, sheet: int = 0) -> dict[str, dict]:
    """The annex rows of one sheet by unit name (column B), each a dict of cells by header
    (criterion columns by criterion code order are also under their position `c1`, `c2`…)."""
    import openpyxl

    worksheet = openpyxl.load_workbook(path).worksheets[sheet]
    header = [cell.value for cell in worksheet[5]]
    assert header[:2] == ["STT", header[1]] and header[1] in ("Cơ quan, đơn vị", "Tỉnh, thành phố", "Cơ quan")
    rows = {}
    for row in worksheet.iter_rows(min_row=6):
        if row[1].value is None:
            continue
        cells = dict(zip(header, row))
        first_total = header.index("Tổng điểm")
        cells.update({f"c{i}": row[i + 1] for i in range(1, first_total - 1)})
        rows[row[1].value] = cells
    return rows


def annex_header(path: Path, sheet: int = 0) -> list[str]:
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    return [cell.value for cell in workbook.worksheets[sheet][5]]


def annex_table(path: Path, title: str) -> list[list]:
    """The sheet named `title` as a reader sees it: its note line (row 4), its header row
    and its table rows, each a list of cell values."""
    import openpyxl

    worksheet = openpyxl.load_workbook(path)[title]
    return [list(row) for row in worksheet.iter_rows(min_row=4, values_only=True)]


def sections(html: str, kind: str = "group") -> dict[str, str]:
    """A report's sections of a class, by id: a peer group's (`khoi-<peer group>`), a
    restated ranking's (class restated: `tinh-lai-<year>-<peer group>`)."""
    return dict(re.findall(rf'<section class="{re.escape(kind)}" id="([^"]+)">(.*?)</section>', body_of(html), re.S))


def group_section(html: str, peer_group: str) -> str:
    """A peer group's section of a report (id khoi-<peer group>)."""
    found = sections(html).get(f"khoi-{peer_group}")
    assert found is not None, f"no section of peer group {peer_group}"
    return found


def html_table(html: str, kind: str) -> list[list[str]]:
    """The one table of class `kind` in `html` (see html_tables)."""
    found = html_tables(html, kind)
    assert len(found) == 1, f"{len(found)} tables of class {kind}"
    return found[0]


def html_tables(html: str, kind: str) -> list[list[list[str]]]:
    """Every table of class `kind` in `html`, each a list of its rows, a row a list of its
    cells' visible text."""
    return [
        [[visible_text(cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
         for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]
        for table in re.findall(rf'<table class="{re.escape(kind)}">(.*?)</table>', html, re.S)
    ]


def page(reports: Path, year: int, code: str) -> str:
    """A report's HTML: reports/<year>/<evaluator code>.html."""
    return (reports / str(year) / f"{code}.html").read_text(encoding="utf-8")


def number(cell) -> Decimal:
    """An annex cell that must hold a number (not text), exactly."""
    assert cell.data_type == "n", f"{cell.coordinate} holds {cell.value!r} as text"
    return Decimal(str(cell.value))
