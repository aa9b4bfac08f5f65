"""Self-assessment and appraisal in the publication (SPEC §3.3, §5): a unit scored on a
self-assessed value not yet appraised is marked "tạm tính" in the ranking tables, the annex
and its group's summary; a group whose units assessed themselves shows the largest gaps
between self-assessed and appraised points and the share of units that over-scored
themselves, with an annex sheet of every self-assessed indicator.

One real materialisation of tests/fixtures/appraisal (its figures are computed by hand in
test_appraisal.py). 2024, department points self → appraised:
  46.A Sở Y tế: I1 6 → 4 (−2), I2 4 → 4, I3 10 → 7 (−3); total 20 → 15 (−5): over-scored;
  46.B Sở Văn hóa, Thể thao và Du lịch: I1 5 → 5, I2 4 → 4, I3 8 → not appraised; total over
       the two with both 9 → 9 (0); scored 17 on its self-assessed I3: provisional, rank 1;
  46.C Sở Tư pháp: I1 4 → 4, I2 0 → 4 (+4), I3 5 → 6 (+1); total 9 → 14 (+5);
  46.D Ban Dân tộc: appraised only, no row.
So 1 of the 3 units with a total over-scored itself (33,33 %), and the gaps, largest first:
46.C I2 +4, 46.A I3 −3, 46.A I1 −2, 46.C I3 +1. 2025: self-assessments only, every unit
provisional, nothing to compare.
The demo's Thừa Thiên Huế 2023 (data/submissions/2023) is checked against its marts."""

import shutil
import unicodedata
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from fractions import Fraction

import duckdb
import openpyxl
import pytest
from conftest import FIXTURES, materialize_all, query
from reports_helpers import (
    annex_header,
    annex_rows,
    annex_table,
    body_of,
    group_section,
    html_tables,
    page,
    summary_text,
)

from orchestration.reports.build import build_reports, build_year
from orchestration.reports.content import read_marts, year_digests

HEALTH, CULTURE, JUSTICE, ETHNIC = "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch", "Sở Tư pháp", "Ban Dân tộc"
MARK = "Tạm tính (chưa thẩm định)"
SHEET = "Chênh lệch – Sở, ban, ngành"
GAPS_HEADER = ["STT", "Cơ quan, đơn vị", "Chỉ tiêu", "Điểm tự đánh giá", "Điểm thẩm định", "Chênh lệch"]
GAPS_2024 = [
    ["1", JUSTICE, "Có hệ thống quản lý văn bản", "0,00", "4,00", "+4,00"],
    ["2", HEALTH, "Tỷ lệ hồ sơ trực tuyến", "10,00", "7,00", "-3,00"],
    ["3", HEALTH, "Điểm thẩm định hạ tầng", "6,00", "4,00", "-2,00"],
    ["4", JUSTICE, "Tỷ lệ hồ sơ trực tuyến", "5,00", "6,00", "+1,00"],
]
OVER_SCORED_2024 = (
    f"Có 1/3 cơ quan đã được thẩm định tự đánh giá cao hơn kết quả thẩm định, chiếm 33,33%: {HEALTH} "
    f"(cao hơn 5 điểm); chênh lệch lớn nhất là {JUSTICE}, chỉ tiêu Có hệ thống quản lý văn bản "
    "(tự đánh giá 0 điểm, thẩm định 4 điểm)."
)


@pytest.fixture(scope="module")
def published(tmp_path_factory, module_monkeypatch):
    return materialize_all(FIXTURES / "appraisal", tmp_path_factory.mktemp("appraisal-reports"), module_monkeypatch)


def ranking(html: str, peer_group: str = "department") -> dict[str, list[str]]:
    """The ranking table's unit rows by their STT."""
    (rows,) = html_tables(group_section(html, peer_group), "ranking")
    return {row[0]: row for row in rows[1:]}


# --- tạm tính ------------------------------------------------------------------------------

def test_2024_the_provisional_unit_is_marked_in_the_ranking_and_counted(reports):
    html = page(reports, 2024, "46")
    rows = ranking(html)
    assert [rows[stt][1] for stt in "1234"] == [f"{CULTURE} {MARK}", HEALTH, JUSTICE, ETHNIC]
    assert group_section(html, "department").count('<tr class="provisional">') == 1
    assert (f"Còn 1/4 cơ quan có kết quả tạm tính (chưa thẩm định), được chấm trên số liệu tự đánh giá: "
            f"{CULTURE}.") in summary_text(html)


def test_2024_annex_marks_the_provisional_unit_in_a_column_of_its_own(reports):
    path = reports / "2024" / "46.xlsx"
    assert annex_header(path)[-3:] == ["Xếp hạng", "Tạm tính", "Ghi chú"]
    rows = annex_rows(path)
    assert {name: row["Tạm tính"].value for name, row in rows.items()} == {
        CULTURE: "Tạm tính", HEALTH: None, JUSTICE: None, ETHNIC: None}
    note, *_ = annex_table(path, "Sở, ban, ngành")
    assert note[0] == "Tạm tính: kết quả được chấm trên số liệu tự đánh giá chưa được thẩm định (1/4 cơ quan)."
    assert openpyxl.load_workbook(path)["Sở, ban, ngành"].auto_filter.ref == "A5:K9"  # the column is filtered too


def test_2025_every_unit_is_provisional(reports):
    html = page(reports, 2025, "46")
    rows = ranking(html)
    assert [rows[stt][1] for stt in "1234"] == [f"{name} {MARK}" for name in (HEALTH, CULTURE, JUSTICE, ETHNIC)]
    assert "Còn 4/4 cơ quan có kết quả tạm tính (chưa thẩm định)" in summary_text(html)
    annex = annex_rows(reports / "2025" / "46.xlsx")
    assert [row["Tạm tính"].value for row in annex.values()] == ["Tạm tính"] * 4


# --- the largest gaps and who over-scored itself -------------------------------------------

def test_2024_the_largest_gaps_and_the_share_that_over_scored(reports):
    html = page(reports, 2024, "46")
    section = group_section(html, "department")
    assert "<h3>Chênh lệch giữa tự đánh giá và thẩm định</h3>" in section
    assert html_tables(section, "appraisal-gaps") == [[GAPS_HEADER, *GAPS_2024]]
    assert OVER_SCORED_2024 in summary_text(html)
    assert f'<p class="appraisal-summary">{OVER_SCORED_2024}</p>' in section


def test_2024_annex_sheet_of_every_self_assessed_indicator(reports):
    note, header, *rows = annex_table(reports / "2024" / "46.xlsx", SHEET)
    assert note[0] == OVER_SCORED_2024
    assert header == ["STT", "Cơ quan, đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Giá trị tự đánh giá", "Giá trị thẩm định",
                      "Điểm tự đánh giá", "Điểm thẩm định", "Chênh lệch (thẩm định − tự đánh giá)",
                      "Thứ tự trong các chênh lệch lớn nhất", "Ghi chú"]
    # the units in ranking order, each unit's total after its indicators; the gaps numbered
    assert [row[1:] for row in rows] == [
        [CULTURE, "I1", "Điểm thẩm định hạ tầng", 5, 5, 5, 5, 0, None, None],
        [CULTURE, "I2", "Có hệ thống quản lý văn bản", 1, 1, 4, 4, 0, None, None],
        [CULTURE, "I3", "Tỷ lệ hồ sơ trực tuyến", 80, None, 8, None, None, None, "Chưa thẩm định"],
        [CULTURE, "Tổng", "Các chỉ tiêu đã thẩm định (2 chỉ tiêu)", None, None, 9, 9, 0, None, None],
        [HEALTH, "I1", "Điểm thẩm định hạ tầng", 6, 4, 6, 4, -2, 3, None],
        [HEALTH, "I2", "Có hệ thống quản lý văn bản", 1, 1, 4, 4, 0, None, None],
        [HEALTH, "I3", "Tỷ lệ hồ sơ trực tuyến", 100, 70, 10, 7, -3, 2, None],
        [HEALTH, "Tổng", "Các chỉ tiêu đã thẩm định (3 chỉ tiêu)", None, None, 20, 15, -5, None, None],
        [JUSTICE, "I1", "Điểm thẩm định hạ tầng", 4, 4, 4, 4, 0, None, None],
        [JUSTICE, "I2", "Có hệ thống quản lý văn bản", 0, 1, 0, 4, 4, 1, None],
        [JUSTICE, "I3", "Tỷ lệ hồ sơ trực tuyến", 50, 60, 5, 6, 1, 4, None],
        [JUSTICE, "Tổng", "Các chỉ tiêu đã thẩm định (3 chỉ tiêu)", None, None, 9, 14, 5, None, None],
    ]
    assert [row[0] for row in rows] == list(range(1, 13))
    assert openpyxl.load_workbook(reports / "2024" / "46.xlsx").sheetnames == ["Sở, ban, ngành", SHEET]


def test_2025_has_nothing_to_compare_yet(reports):
    html = page(reports, 2025, "46")
    section = group_section(html, "department")
    sentence = "4 cơ quan đã tự đánh giá; chưa có cơ quan nào được thẩm định để so sánh."
    assert sentence in summary_text(html) and sentence in section
    assert html_tables(section, "appraisal-gaps") == []
    note, _, *rows = annex_table(reports / "2025" / "46.xlsx", SHEET)
    assert note[0] == sentence
    assert len(rows) == 11 and {row[-1] for row in rows} == {"Chưa thẩm định"}  # 46.D's I2 was held back


def test_gaps_of_equal_size_in_a_fixed_order(published, tmp_path):
    # as if 46.A had under-scored I1 by 3 and 46.C over-scored I3 by 3: three gaps of 3 after
    # 46.C's 4, over-scoring before under-scoring, then by unit code
    marts = tmp_path / "marts.duckdb"
    shutil.copy(published / "marts.duckdb", marts)
    with duckdb.connect(str(marts)) as con:
        con.execute("""update appraisal_differences set appraised_points = 9, points_difference = 3
                       where year = 2024 and unit_code = '46.A' and indicator_code = 'I1'""")
        con.execute("""update appraisal_differences set appraised_points = 2, points_difference = -3
                       where year = 2024 and unit_code = '46.C' and indicator_code = 'I3'""")
    assert build_year(marts, 2024, tmp_path) == []
    (table,) = html_tables(group_section(page(tmp_path, 2024, "46"), "department"), "appraisal-gaps")
    assert [row[1:3] + row[-1:] for row in table[1:]] == [
        [JUSTICE, "Có hệ thống quản lý văn bản", "+4,00"],
        [HEALTH, "Tỷ lệ hồ sơ trực tuyến", "-3,00"],
        [JUSTICE, "Tỷ lệ hồ sơ trực tuyến", "-3,00"],
        [HEALTH, "Điểm thẩm định hạ tầng", "+3,00"],
    ]


def test_the_reports_text_is_nfc(reports):
    for path in reports.rglob("*.html"):
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path


# --- which reports are rendered again ------------------------------------------------------

def test_the_reports_of_a_year_whose_differences_change_are_rendered_again(published, tmp_path):
    marts, reports = tmp_path / "marts.duckdb", tmp_path / "reports"
    shutil.copy(published / "marts.duckdb", marts)
    shutil.copytree(published / "reports", reports)
    assert {row["year"] for row in read_marts(marts, 2024)["appraisal_differences"]} == {2024}
    before = year_digests(marts)
    assert build_reports(marts, reports).rendered == []
    with duckdb.connect(str(marts)) as con:  # only appraisal_differences changes
        con.execute("""update appraisal_differences set self_points = 7, points_difference = -3
                       where year = 2024 and unit_code = '46.A' and indicator_code = 'I1'""")
    after = year_digests(marts)
    assert after[2024] != before[2024] and after[2025] == before[2025]
    assert [str(p) for p in build_reports(marts, reports).rendered] == ["2024/46.html", "2024/46.xlsx"]
    assert '<td class="num">7,00</td><td class="num">4,00</td><td class="num">-3,00</td>' in page(reports, 2024, "46")


# --- without stages, and the demo ----------------------------------------------------------

def test_reports_without_self_assessments_say_nothing_of_them(mini_run):
    reports = mini_run[1] / "reports"
    for path in reports.rglob("*.html"):
        body = body_of(path.read_text(encoding="utf-8"))
        assert "tạm tính" not in body.lower() and "appraisal" not in body, path
    for path in reports.rglob("*.xlsx"):
        workbook = openpyxl.load_workbook(path)
        assert not [name for name in workbook.sheetnames if name.startswith("Chênh lệch")], path
        assert all("Tạm tính" not in [cell.value for cell in sheet[5]] for sheet in workbook.worksheets), path


def test_thua_thien_hue_2023_the_health_department_awaits_its_appraisal(demo_run):
    published = demo_run[1]
    html = page(published / "reports", 2023, "46")
    health = [row for row in ranking(html).values() if row[1].startswith(HEALTH)]
    assert [row[1] for row in health] == [f"{HEALTH} {MARK}"]
    assert f"Còn 1/20 cơ quan có kết quả tạm tính (chưa thẩm định), được chấm trên số liệu tự đánh giá: {HEALTH}." \
        in summary_text(html)
    assert MARK not in group_section(html, "commune")
    annex = annex_rows(published / "reports" / "2023" / "46.xlsx")
    assert [name for name, row in annex.items() if row["Tạm tính"].value == "Tạm tính"] == [HEALTH]


def test_thua_thien_hue_2023_gaps_and_share_as_the_marts_give_them(demo_run):
    published = demo_run[1]
    totals = query(published, """select count(*) filter (where points_difference < 0), count(*)
                                  from appraisal_differences
                                  where year = 2023 and evaluator = '46' and unit_type = 'department'
                                    and indicator_code is null and indicators_compared > 0""")
    over, compared = totals[0]
    assert compared == 20 and over > 10
    # the percentage half up to 2 decimals, trailing zeros dropped: 55; 56,5
    whole, hundredths = divmod(int(Fraction(100 * 100 * over, compared) + Fraction(1, 2)), 100)
    share_text = f"{whole}" + (f",{hundredths:02d}".rstrip("0") if hundredths else "")
    html = page(published / "reports", 2023, "46")
    assert f"Có {over}/20 cơ quan đã được thẩm định tự đánh giá cao hơn kết quả thẩm định, chiếm {share_text}%" \
        in summary_text(html)
    # the ten largest by size, over-scoring first, then by unit and indicator code
    largest = query(published, """select unit_name, indicator_name, points_difference from appraisal_differences
                                   where year = 2023 and evaluator = '46' and unit_type = 'department'
                                     and indicator_code is not null and points_difference <> 0
                                   order by abs(points_difference) desc, points_difference, unit_code, indicator_code
                                   limit 10""")
    assert len(largest) == 10
    (table,) = html_tables(group_section(html, "department"), "appraisal-gaps")
    assert [row[1:3] for row in table[1:]] == [[name, indicator] for name, indicator, _ in largest]
    assert [D(row[-1].replace(",", ".")) for row in table[1:]] == [
        difference.quantize(D("0.01"), rounding=ROUND_HALF_UP) for _, _, difference in largest]
    assert "appraisal-gaps" not in group_section(html, "commune")
