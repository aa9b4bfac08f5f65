"""The reports on paper, and their wording: the largest provincial report of the demo printed
by Chromium on A4 in a bounded number of pages, its wide tables on landscape pages with
headers that keep their words together; the annexes set up for A4 landscape with wrapped
headers and cells; the wording an official reads (percentage points, "tỷ lệ", what the
data is, "–" where an indicator has no level to reach)."""

import base64
import re

import openpyxl
import pytest
from browser import Chromium, PageResult, ensure_chromium, load_page, print_page
from conftest import query
from reports_helpers import ARTIFACTS, body_of, html_tables, summary_text, visible_text

# Before the print stylesheet the largest provincial report (Thanh Hóa 2016, 47 units) took
# 17 Letter pages (16 on A4), its ranking one word per header line; with it, 12 A4 pages.
PAGE_BOUND = 13
A4 = (595.28, 841.89)  # points
LANDSCAPE_WIDTH = 1031  # CSS pixels across an A4 landscape page inside its margins (297 − 2 × 12 mm)


@pytest.fixture(scope="module")
def largest(published, reports):
    """The provincial report with the most units ranked (rows of provincial_ranking)."""
    (year, code, _), = query(published, """
        select year, province_code, count(*) as units from provincial_ranking
        group by year, province_code order by units desc, year, province_code limit 1""")
    return reports / str(year) / f"{code}.html"


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """Each page's size in points, from its /MediaBox (Chromium writes one per page)."""
    pages = re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)
    boxes = [tuple(float(n) for n in box.split()[2:4])
             for box in re.findall(rb"/MediaBox\s*\[\s*([-\d.\s]+?)\s*\]", data)]
    assert len(boxes) == len(pages), "a page without its own MediaBox"
    return boxes


def test_the_largest_provincial_report_prints_on_a4_within_the_bound(largest):
    assert largest.parent.name == "2016" and largest.stem == "38"  # Thanh Hóa 2016, 47 units
    pdf = ARTIFACTS / f"print-{largest.parent.name}-{largest.stem}.pdf"
    result = print_page(ensure_chromium(), largest, pdf)
    assert result.charts_state == "ready" and result.errors == []
    pages = pdf_pages(pdf.read_bytes())
    assert 6 <= len(pages) <= PAGE_BOUND, f"{len(pages)} pages"
    for width, height in pages:  # A4, portrait or landscape (the rankings)
        assert sorted((width, height)) == pytest.approx(A4, abs=1.5), (width, height)
    landscape = [size for size in pages if size[0] > size[1]]
    assert 2 <= len(landscape) < len(pages)  # one ranking per peer group, at least


def test_printed_headers_keep_their_words_together(largest):
    """The ranking laid out for print at the width of a landscape page: no header cell is
    broken one word per line, no table wider than the page, every header row repeated."""
    with Chromium(ensure_chromium()) as browser:
        session = load_page(browser, largest, PageResult(), 60, LANDSCAPE_WIDTH)
        browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session)
        measured = browser.call("Runtime.evaluate", {"returnByValue": True, "expression": """
            Array.from(document.querySelectorAll("table.ranking")).map(function (table) {
              return {
                width: table.getBoundingClientRect().width,
                repeated: getComputedStyle(table.tHead).display,
                headers: Array.from(table.tHead.querySelectorAll("th")).map(function (th) {
                  var range = document.createRange();
                  range.selectNodeContents(th);
                  var tops = new Set(Array.from(range.getClientRects()).map(function (r) { return Math.round(r.top); }));
                  return {text: th.textContent.trim(), lines: tops.size};
                })
              };
            })"""}, session)["result"]["value"]
    assert len(measured) == 2
    for table in measured:
        assert table["width"] <= LANDSCAPE_WIDTH
        assert table["repeated"] == "table-header-group"
        for header in table["headers"]:
            words = len(header["text"].split())
            if words >= 3:
                assert header["lines"] < words, header  # never a word per line
                assert words / header["lines"] >= 1.5, header


def test_print_stylesheet(largest):
    head = largest.read_text(encoding="utf-8")
    style = head[head.index("<style>"):head.index("</style>")]
    assert "@page { size: A4;" in style and "@page wide { size: A4 landscape;" in style
    assert "thead { display: table-header-group; }" in style
    assert re.search(r"tr, [^{]*\{ break-inside: avoid; \}", style)


ANNEXES = ("2016/38", "2017/46", "2018/52", "2019/national", "2022/national", "2023/46")


@pytest.mark.parametrize("name", ANNEXES)
def test_annex_sheets_print_on_a4_landscape_with_wrapped_headers(reports, name):
    workbook = openpyxl.load_workbook(reports / f"{name}.xlsx")
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert int(setup.paperSize) == 9, sheet.title  # A4
        assert setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth or 1) == 1 and setup.fitToHeight == 0  # one page wide
        assert sheet.print_title_rows == "$5:$5"  # the header row on every page
        header = [cell for cell in sheet[5] if cell.value is not None]
        assert all(cell.alignment.wrap_text for cell in header), sheet.title
        # the header row is tall enough for its longest header, wrapped in its column
        height = sheet.row_dimensions[5].height
        for cell in header:
            width = sheet.column_dimensions[cell.column_letter].width
            assert height >= 15 * len(cell.value) / (width * 1.3), (sheet.title, cell.value, height)
        for r in (1, 2, 3):  # the merged title lines are set their height too
            assert sheet.row_dimensions[r].height >= 15, (sheet.title, r)
        # a table's text wraps inside its column instead of spilling over the next cells
        for row in sheet.iter_rows(min_row=6, max_row=min(sheet.max_row, 12)):
            for cell in row:
                assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)


def test_the_national_annex_has_the_rating_column_when_the_framework_has_bands(reports):
    rated = openpyxl.load_workbook(reports / "2019" / "national.xlsx").worksheets[0]
    header = [cell.value for cell in rated[5]]
    assert header[header.index("Chỉ số tổng thể") + 1] == "Xếp loại"
    ratings = {row[header.index("Xếp loại")] for row in rated.iter_rows(min_row=6, values_only=True) if row[1]}
    assert ratings and ratings <= {"Tốt", "Khá", "Trung bình", "Yếu"}
    dti = openpyxl.load_workbook(reports / "2022" / "national.xlsx").worksheets[0]
    assert "Xếp loại" not in [cell.value for cell in dti[5]]  # the DTI has no bands


def test_share_changes_are_in_percentage_points(reports):
    text = summary_text((reports / "2018" / "52.html").read_text(encoding="utf-8"))
    assert "So với năm 2017, tỷ lệ mức Tốt tăng 20 điểm phần trăm (từ 40% lên 60%)" in text
    assert not re.search(r"(tăng|giảm) [\d,]+% \(từ", text)


def test_one_spelling_of_ty_le_and_a_subtitle_an_official_can_read(reports):
    for page in sorted(reports.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        text = visible_text(body_of(html))
        assert "tỉ lệ" not in text.lower(), page
        assert "marts.duckdb" not in text and "duckdb" not in text.lower(), page
        subtitle = re.search(r'<p class="subtitle">(.*?)</p>', html, re.S).group(1)
        year = page.parent.name
        assert f"kỳ đánh giá năm {year}" in subtitle and "số liệu: kết quả chấm điểm" in subtitle, page


@pytest.mark.parametrize("year, code", [(2019, "national"), (2016, "38")])
def test_indicator_statistics_reach_only_where_there_is_a_level(published, reports, year, code):
    html = (reports / str(year) / f"{code}.html").read_text(encoding="utf-8")
    tables = html_tables(body_of(html), "indicator-statistics")
    assert tables
    table = "national_indicator_statistics" if code == "national" else "provincial_indicator_statistics"
    rules = dict(query(published, f"select indicator_code, rule_type from {table} where year = $year",
                       {"year": year}))
    seen = set()
    for rows in tables:
        header = rows[0]
        assert header[7:] == ["Đạt tối đa", "Tỷ lệ đạt tối đa (%)", "Giá trị trung bình", "Giá trị thấp nhất",
                              "Giá trị cao nhất"]
        for row in rows[1:]:
            rule = rules[row[0]]
            seen.add(rule)
            if rule in ("boolean", "steps"):
                assert re.fullmatch(r"\d+/\d+", row[7]) and re.fullmatch(r"\d{1,3},\d{2}", row[8]), row
            else:  # a linear, relative or appraised score: nothing to "reach"
                assert row[7:9] == ["–", "–"], row
            # one rule for decimals: points and values 2, as the tables print them
            for cell in (row[2], *row[9:]):
                assert re.fullmatch(r"-?[\d.]+,\d{2}", cell), row
    assert {"boolean", "linear"} <= seen
    assert "Đạt tối đa 0/" not in visible_text(body_of(html))


def test_national_chart_shows_the_categories_full_names(reports):
    page = reports / "2019" / "national.html"
    with Chromium(ensure_chromium()) as browser:
        result = PageResult()
        session = load_page(browser, page, result, 60, 1280)
        labels = browser.call("Runtime.evaluate", {"returnByValue": True, "expression": """
            Array.from(document.querySelectorAll('figure[data-chart="g1-averages"] .role-axis-label text'))
              .map(function (t) { return t.textContent; })"""}, session)["result"]["value"]
        shot = browser.call("Page.captureScreenshot", {"format": "png"}, session)
    assert result.charts_state == "ready" and result.errors == []

    (ARTIFACTS / "2019-national-averages.png").write_bytes(base64.b64decode(shot["data"]))
    names = [row[0] for row in html_tables(body_of(page.read_text(encoding="utf-8")), "averages")[0][1:]]
    assert names and all(name in labels for name in names), (names, labels)
    assert not any("…" in label for label in labels)
