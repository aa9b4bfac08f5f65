"""The publication across a reorganisation (SPEC §4, "Across a reorganisation"): the report
of the year restated shows both bases, its ranking as evaluated and the ranking restated on
the next year's units (restated_ranking), with who was merged into whom; the next year's
reports say that they compare with the restated year, not the year as evaluated. One real
materialisation of tests/fixtures/reform (its figures are computed by hand in
test_reform.py: provinces 02 + 03 merge into 03, 04 is renamed 40, 06 splits into 61 and
62; province 02's departments merge into 03's; the ministries have no lineage)."""

import json
import re
import shutil
from decimal import Decimal as D

import duckdb
import pytest
from browser import ensure_chromium, open_page
from conftest import FIXTURES, materialize_all, query
from reports_helpers import (
    ARTIFACTS,
    annex_header,
    annex_table,
    body_of,
    html_table,
    page,
    sections,
    summary_text,
    visible_text,
)

from orchestration.reports.build import build_year
from orchestration.reports.content import REPORT_TABLES, read_marts, year_digests

NATIONAL_2024_RESTATED = (
    "Kết quả năm 2024 cũng được công bố tính lại trên 6 tỉnh, thành phố năm 2025: chỉ số của mỗi tỉnh, "
    "thành phố là trung bình cộng (không trọng số) chỉ số năm 2024 của các đơn vị trước sắp xếp, và các "
    "tỉnh, thành phố được xếp hạng lại với nhau; hợp nhất: Tỉnh Ba mới (mới) = Tỉnh Hai + Tỉnh Ba."
)
DEPARTMENTS_MERGED = ("Sở Văn hóa, Thể thao tỉnh Ba (mới) = Sở Văn hóa, Thể thao tỉnh Hai + "
                      "Sở Văn hóa, Thể thao tỉnh Ba")
DEPARTMENTS_2024_RESTATED = (
    "Kết quả năm 2024 cũng được công bố tính lại trên 3 cơ quan năm 2025 của tỉnh Tỉnh Ba mới: tỷ lệ điểm "
    "đạt của mỗi cơ quan là trung bình cộng (không trọng số) tỷ lệ điểm đạt năm 2024 của các đơn vị trước "
    f"sắp xếp, và các cơ quan được xếp hạng lại với nhau; hợp nhất: {DEPARTMENTS_MERGED}."
)
PROVINCES_BASIS = "kết quả năm 2024 tính lại trên các tỉnh, thành phố năm 2025"
# restated_ranking's reason for 03.Y had its predecessor not been ranked (see `renumbered`)
Y_NOT_RANKED = "có đơn vị trước sắp xếp không được xếp hạng: “Sở Y tỉnh Hai”"
DEPARTMENTS_BASIS = "kết quả năm 2024 tính lại trên các cơ quan năm 2025"
# the provincial tables of a report, with the evaluating province's code (see test_a_new_province_code…)
PROVINCIAL_TABLES = [t for t in REPORT_TABLES if t.startswith("provincial_")]


@pytest.fixture(scope="module")
def published(tmp_path_factory, module_monkeypatch):
    return materialize_all(FIXTURES / "reform", tmp_path_factory.mktemp("reform"), module_monkeypatch)


def specs(html: str) -> dict[str, dict]:
    return {chart: json.loads(spec) for chart, spec in re.findall(
        r'<script type="application/json" id="spec-([^"]+)">(.*?)</script>', body_of(html), re.S)}


# --- the year restated: both bases ---------------------------------------------------------

def test_national_2024_shows_the_ranking_as_evaluated_and_restated(reports):
    html = page(reports, 2024, "national")
    groups = sections(html)
    assert list(groups) == ["khoi-province", "khoi-ministry"]
    # as evaluated: the six provinces of 2024 under their 2024 names
    evaluated = html_table(groups["khoi-province"], "ranking")
    assert [(row[1], row[-4], row[-3]) for row in evaluated[1:]] == [
        ("Tỉnh Một", "0,9000", "1"), ("Tỉnh Bốn", "0,8000", "2"), ("Tỉnh Ba", "0,7000", "3"),
        ("Tỉnh Năm", "0,6000", "4"), ("Tỉnh Hai", "0,5000", "5"), ("Tỉnh Sáu", "0,2000", "6")]
    assert "<h3>Bảng xếp hạng (các tỉnh, thành phố năm 2024, như đã đánh giá)</h3>" in groups["khoi-province"]
    # restated on the units of 2025, the provinces' only
    restated = sections(html, "restated")
    assert list(restated) == ["tinh-lai-2024-province"]
    section = restated["tinh-lai-2024-province"]
    assert ("<h2>Khối các tỉnh, thành phố trực thuộc Trung ương: kết quả năm 2024 tính lại trên các tỉnh, "
            "thành phố năm 2025</h2>") in section
    assert html_table(section, "restated") == [
        ["STT", "Tỉnh, thành phố", "Chỉ số DTI năm 2024 (tính lại)", "Xếp hạng", "Đơn vị trước sắp xếp"],
        ["1", "Tỉnh Một", "0,9000", "1", "–"],
        ["2", "Thành phố Bốn", "0,8000", "2", "Thành phố Bốn = Tỉnh Bốn"],
        ["3", "Tỉnh Ba mới", "0,6000", "3", "Tỉnh Ba mới (mới) = Tỉnh Hai + Tỉnh Ba"],
        ["4", "Tỉnh Năm", "0,6000", "3", "–"],
        ["5", "Tỉnh Sáu Bắc", "0,2000", "5", "Tỉnh Sáu Bắc = Tỉnh Sáu (chia tách)"],
        ["6", "Tỉnh Sáu Nam", "0,2000", "5", "Tỉnh Sáu Nam = Tỉnh Sáu (chia tách)"],
    ]
    assert NATIONAL_2024_RESTATED in visible_text(section)


def test_national_2024_summary_says_it_is_published_restated_too(reports):
    text = summary_text(page(reports, 2024, "national"))
    provinces, ministries = text.split("Khối các bộ, cơ quan ngang bộ")
    assert NATIONAL_2024_RESTATED in provinces
    assert "Tỉnh Một xếp thứ nhất với chỉ số 0,9000; Tỉnh Bốn xếp thứ 2 với chỉ số 0,8000" in provinces
    assert "tính lại" not in ministries  # the ministries have no lineage


def test_provincial_2024_report_of_the_continuing_code_shows_its_departments_restated(reports):
    html = page(reports, 2024, "03")
    evaluated = html_table(sections(html)["khoi-department"], "ranking")
    assert [row[1] for row in evaluated[1:]] == ["Sở Văn hóa, Thể thao tỉnh Ba", "Sở Z tỉnh Ba"]
    section = sections(html, "restated")["tinh-lai-2024-department"]
    assert html_table(section, "restated") == [
        ["STT", "Cơ quan, đơn vị", "Tỷ lệ (%) năm 2024 (tính lại)", "Xếp loại", "Xếp hạng", "Đơn vị trước sắp xếp"],
        ["1", "Sở Văn hóa, Thể thao tỉnh Ba", "80,00", "Tốt", "1", DEPARTMENTS_MERGED],
        ["2", "Sở Z tỉnh Ba", "60,00", "Khá", "2", "–"],
        ["3", "Sở Y tỉnh Ba", "40,00", "Yếu", "3", "Sở Y tỉnh Ba = Sở Y tỉnh Hai"],
    ]
    assert DEPARTMENTS_2024_RESTATED in summary_text(html)
    # the merged province's own report, and an untouched province's, have none
    for code in ("02", "01"):
        assert 'class="restated"' not in body_of(page(reports, 2024, code)), code
        assert "tính lại" not in summary_text(page(reports, 2024, code)), code


def test_communes_merged_within_an_untouched_province_are_restated_in_its_reports(reports):
    section = sections(page(reports, 2024, "05"), "restated")["tinh-lai-2024-commune"]
    assert [row[1:] for row in html_table(section, "restated")[1:]] == [
        ["Phường Ba, Bốn", "70,00", "Khá", "1", "–"],
        ["Xã Một Hai", "60,00", "Khá", "2", "Xã Một Hai (mới) = Xã Một + Xã Hai"],
    ]
    text = summary_text(page(reports, 2025, "05"))
    assert "tăng hạng nhiều nhất là Xã Một Hai (từ thứ 2 lên thứ 1)" in text
    assert "năm 2024 tính lại trên các" in text


def test_annexes_of_2024_have_a_restated_sheet(reports):
    import openpyxl

    national = reports / "2024" / "national.xlsx"
    assert openpyxl.load_workbook(national).sheetnames == [
        "Tỉnh, thành phố", "Bộ, cơ quan ngang bộ", "Tính lại 2024 – Tỉnh, thành phố"]
    note, header, *rows = annex_table(national, "Tính lại 2024 – Tỉnh, thành phố")
    assert note[0] == ("Chỉ số của mỗi tỉnh, thành phố là trung bình cộng (không trọng số) chỉ số năm 2024 "
                       "của các đơn vị trước sắp xếp, và các tỉnh, thành phố được xếp hạng lại với nhau.")
    assert header == ["STT", "Tỉnh, thành phố", "Chỉ số DTI năm 2024 (tính lại)", "Xếp hạng",
                      "Đơn vị trước sắp xếp", "Mã đơn vị năm 2024", "Ghi chú"]
    assert [[D(str(v)) if isinstance(v, (int, float)) else v for v in row] for row in rows] == [
        [D(1), "Tỉnh Một", D("0.9"), D(1), None, "01", None],
        [D(2), "Thành phố Bốn", D("0.8"), D(2), "Thành phố Bốn = Tỉnh Bốn", "04", None],
        [D(3), "Tỉnh Ba mới", D("0.6"), D(3), "Tỉnh Ba mới (mới) = Tỉnh Hai + Tỉnh Ba", "02 | 03", None],
        [D(4), "Tỉnh Năm", D("0.6"), D(3), None, "05", None],
        [D(5), "Tỉnh Sáu Bắc", D("0.2"), D(5), "Tỉnh Sáu Bắc = Tỉnh Sáu (chia tách)", "06", None],
        [D(6), "Tỉnh Sáu Nam", D("0.2"), D(5), "Tỉnh Sáu Nam = Tỉnh Sáu (chia tách)", "06", None],
    ]
    provincial = reports / "2024" / "03.xlsx"
    assert openpyxl.load_workbook(provincial).sheetnames == ["Sở, ban, ngành", "Tính lại 2024 – Sở, ban, ngành"]
    _, header, *rows = annex_table(provincial, "Tính lại 2024 – Sở, ban, ngành")
    assert header[2:5] == ["Tỷ lệ (%) năm 2024 (tính lại)", "Xếp loại", "Xếp hạng"]
    assert [(row[1], row[2], row[3], row[4], row[5], row[6]) for row in rows] == [
        ("Sở Văn hóa, Thể thao tỉnh Ba", 80, "Tốt", 1, DEPARTMENTS_MERGED, "02.X | 03.X"),
        ("Sở Z tỉnh Ba", 60, "Khá", 2, None, "03.Z"),
        ("Sở Y tỉnh Ba", 40, "Yếu", 3, "Sở Y tỉnh Ba = Sở Y tỉnh Hai", "02.Y"),
    ]
    # the reports of 2025 restate nothing: no such sheet
    assert not any(name.startswith("Tính lại") for name in openpyxl.load_workbook(
        reports / "2025" / "national.xlsx").sheetnames)


# --- the next year: compared with the restated year ------------------------------------------

def test_national_2025_says_its_comparisons_are_with_the_restated_2024(reports):
    html = page(reports, 2025, "national")
    text = summary_text(html)
    provinces, ministries = text.split("Khối các bộ, cơ quan ngang bộ")
    assert (f"chỉ số DTI trung bình của khối các tỉnh, thành phố trực thuộc Trung ương là 0,6417, tăng so với "
            f"{PROVINCES_BASIS} (0,55).") in provinces
    assert (f"So với {PROVINCES_BASIS}, tăng hạng nhiều nhất là Tỉnh Ba mới (từ thứ 3 lên thứ 1); "
            "giảm hạng nhiều nhất là Tỉnh Một (từ thứ 1 xuống thứ 3)") in provinces
    assert (f"Các chỉ số chính tăng nhiều nhất so với {PROVINCES_BASIS} (tất cả các chỉ số chính đều tăng): "
            "Hoạt động chính quyền số (từ 0,525 lên 0,6417)") in provinces
    # the ministries' group compares with 2024 as evaluated, and says so as before
    assert "không đổi so với năm 2024 (0,55)" in ministries
    assert "So với năm trước, tăng hạng nhiều nhất là Bộ Một (từ thứ 2 lên thứ 1)" in ministries
    assert "tính lại" not in ministries

    groups = sections(html)
    province = groups["khoi-province"]
    assert ('<p class="note restated-basis">Các so sánh với năm 2024 của khối các tỉnh, thành phố trực thuộc '
            f"Trung ương dựa trên {PROVINCES_BASIS} (chỉ số của mỗi tỉnh, thành phố là trung bình cộng chỉ số "
            "năm 2024 của các đơn vị trước sắp xếp), không phải kết quả năm 2024 như đã đánh giá.</p>") in province
    ranking = html_table(province, "ranking")
    assert ranking[0][-3:] == ["Xếp hạng", "Năm 2024 (tính lại)", "Thay đổi"]
    assert ranking[1][1] == "Tỉnh Ba mới" and ranking[1][-3:] == ["1", "3", "▲ 2"]
    assert html_table(province, "averages")[0][:3] == ["Chỉ số chính", "Năm 2024 (tính lại)", "Năm 2025"]
    assert html_table(province, "averages")[1][:3] == ["Chỉ số tổng thể", "0,5500", "0,6417"]
    ministry = groups["khoi-ministry"]
    assert "restated-basis" not in ministry and html_table(ministry, "ranking")[0][-2] == "Năm trước"
    charts = specs(html)
    assert {v["Năm"] for v in charts["g1-averages"]["data"]["values"]} == {"2024 (tính lại)", "2025"}
    assert charts["g1-movement"]["layer"][0]["encoding"]["x"]["title"] == "Xếp hạng (năm 2024 tính lại → năm 2025)"
    assert {v["Năm"] for v in charts["g2-averages"]["data"]["values"]} == {"2024", "2025"}

    annex = reports / "2025" / "national.xlsx"
    assert annex_header(annex)[8] == "Xếp hạng năm 2024 (tính lại)"
    assert annex_table(annex, "Tỉnh, thành phố")[0][0] == (
        f"Xếp hạng năm trước và thay đổi thứ hạng (tổng thể, theo trụ cột): so với {PROVINCES_BASIS}, "
        "không phải xếp hạng năm 2024 như đã đánh giá.")
    assert annex_header(annex, sheet=1)[7] == "Xếp hạng năm trước"
    assert annex_table(annex, "Bộ, cơ quan ngang bộ")[0][0] is None


def test_provincial_2025_shares_and_ranks_compare_with_the_restated_2024(reports):
    html = page(reports, 2025, "03")
    text = summary_text(html)
    assert (f"So với {DEPARTMENTS_BASIS}, tỷ lệ mức Khá tăng 33,33 điểm phần trăm (từ 33,33% lên 66,67%), "
            "tỷ lệ mức Yếu giảm 33,33 điểm phần trăm (từ 33,33% xuống 0%).") in text
    assert (f"So với {DEPARTMENTS_BASIS}, tăng hạng nhiều nhất là Sở Z tỉnh Ba (từ thứ 2 lên thứ 1); "
            "giảm hạng nhiều nhất là Sở Văn hóa, Thể thao tỉnh Ba (từ thứ 1 xuống thứ 2).") in text
    section = sections(html)["khoi-department"]
    assert f"dựa trên {DEPARTMENTS_BASIS} (tỷ lệ điểm đạt của mỗi cơ quan là trung bình cộng" in section
    assert html_table(section, "distribution") == [
        ["Xếp loại", "Số cơ quan", "Tỷ lệ (%)", "Tỷ lệ năm 2024 tính lại (%)", "Thay đổi (điểm phần trăm)"],
        ["Tốt", "1/3", "33,33", "33,33", "0,00"],
        ["Khá", "2/3", "66,67", "33,33", "+33,33"],
        ["Yếu", "0/3", "0,00", "33,33", "-33,33"],
    ]
    assert html_table(section, "ranking")[0][-1] == "So với năm 2024 (tính lại)"
    # the pie of 2024 is the restated shares, not Tỉnh Ba's own 2024 (its two departments Khá)
    shares = specs(html)["g1-shares"]
    before = {v["Xếp loại"]: v["Tỷ lệ (%)"] for v in shares["data"]["values"] if v["Năm"] == "Năm 2024 (tính lại)"}
    assert before == {"Tốt": 33.33, "Khá": 33.33, "Yếu": 33.33}
    assert shares["facet"]["column"]["sort"] == ["Năm 2024 (tính lại)", "Năm 2025"]


def test_a_province_without_lineage_compares_as_evaluated(reports):
    html = page(reports, 2025, "01")
    text = summary_text(html)
    assert "So với năm 2024, tỷ lệ mức Khá tăng 50 điểm phần trăm (từ 0% lên 50%)" in text
    assert "So với năm trước, tăng hạng nhiều nhất là Sở B tỉnh Một" in text
    assert "tính lại" not in body_of(html)
    shares = specs(html)["g1-shares"]
    assert {v["Năm"]: v.get("Số đơn vị") for v in shares["data"]["values"] if v["Xếp loại"] == "Yếu"} == {"Năm 2024": 1}


@pytest.mark.parametrize("year, code", [(2024, "national"), (2025, "national"), (2025, "03")])
def test_the_reports_charts_are_valid_and_render_offline(reports, year, code):
    import jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    for chart, spec in specs(page(reports, year, code)).items():
        error = jsonschema.exceptions.best_match(validator.iter_errors(spec))
        assert error is None, f"{chart}: {error.message}"
    result = open_page(ensure_chromium(), reports / str(year) / f"{code}.html",
                       ARTIFACTS / f"reform-{year}-{code}.png")
    assert result.errors == [] and result.blocked_requests == [] and result.dialogs == []
    assert result.charts_state == "ready"
    assert result.charts and all(chart["rendered"] for chart in result.charts)


# --- a province whose code is new, reasons, and what a year's reports are read from ----------

@pytest.fixture
def renumbered(published, tmp_path):
    """The published marts as if province 03 had taken a new code, 30, in 2025 (its
    departments restated under 30, which had no report in 2024), with 03.Y's predecessor not
    ranked."""
    marts = tmp_path / "marts.duckdb"
    shutil.copy(published / "marts.duckdb", marts)
    with duckdb.connect(str(marts)) as con:
        for name in PROVINCIAL_TABLES:  # our own constant names
            con.execute(f"update {name} set province_code = '30' where year = 2025 and province_code = '03'")
        con.execute("update restated_ranking set evaluator = '30' where evaluator = '03'")
        con.execute("""update restated_ranking set ranked = false, rank = null, rating = null,
                       rating_label = 'Không xếp hạng', not_ranked_code = 'predecessor_not_ranked',
                       not_ranked_reason = $reason where unit_code = '03.Y'""", {"reason": Y_NOT_RANKED})
    return marts


def test_a_new_province_code_shows_the_restated_year_in_its_first_report(renumbered, tmp_path):
    assert build_year(renumbered, 2024, tmp_path) == [] and build_year(renumbered, 2025, tmp_path) == []
    assert 'class="restated"' not in body_of((tmp_path / "2024" / "03.html").read_text(encoding="utf-8"))
    html = (tmp_path / "2025" / "30.html").read_text(encoding="utf-8")
    section = sections(html, "restated")["tinh-lai-2024-department"]
    # the predecessors' names are 2024's, read from the year before
    assert html_table(section, "restated")[1:] == [
        ["1", "Sở Văn hóa, Thể thao tỉnh Ba", "80,00", "Tốt", "1", DEPARTMENTS_MERGED],
        ["2", "Sở Z tỉnh Ba", "60,00", "Khá", "2", "–"],
        ["3", f"Sở Y tỉnh Ba {Y_NOT_RANKED}", "40,00", "Không xếp hạng", "–",
         "Sở Y tỉnh Ba = Sở Y tỉnh Hai"],
    ]
    assert DEPARTMENTS_2024_RESTATED in summary_text(html)
    _, _, *rows = annex_table(tmp_path / "2025" / "30.xlsx", "Tính lại 2024 – Sở, ban, ngành")
    assert rows[2][1:5] == ["Sở Y tỉnh Ba", 40, "Không xếp hạng", None]
    assert rows[2][-1] == Y_NOT_RANKED  # the marts' reason, printed as given


def test_the_restated_marts_give_their_labels_and_lists_in_print(published):
    """restated_ranking as the reports print it: predecessor codes split on ' | ' into
    predecessor_count codes, a rating_label never null, and a unit not ranked would have a
    code and its Vietnamese reason (int_restated_unit_scores' dbt unit test words them)."""
    rows = query(published, """select predecessor_codes, predecessor_count, rating, rating_label, ranked,
                                     not_ranked_code, not_ranked_reason, unit_type, unit_type_label
                              from restated_ranking""")
    assert rows
    for codes, count, rating, label, ranked, code, reason, unit_type, type_label in rows:
        assert len(codes.split(" | ")) == count and ", " not in codes
        assert label == (rating or "Không xếp loại") if ranked else label == "Không xếp hạng"
        assert (code is None and reason is None) == ranked
        assert type_label == {"province": "Tỉnh, thành phố", "department": "Sở, ban, ngành",
                              "commune": "Xã, phường, thị trấn", "ministry": "Bộ, cơ quan ngang bộ"}[unit_type]
    assert {("02 | 03", 2), ("02.X | 03.X", 2)} <= {(codes, count) for codes, count, *_ in rows}


def test_a_years_digest_covers_the_restated_rows_and_names_it_reads(published, tmp_path):
    marts = tmp_path / "marts.duckdb"
    shutil.copy(published / "marts.duckdb", marts)
    assert {r["year"] for r in read_marts(marts, 2025)["restated_ranking"]} == {2024}
    before = year_digests(marts)
    assert sorted(before) == [2024, 2025]

    def change(sql: str) -> dict[int, bool]:
        nonlocal before
        with duckdb.connect(str(marts)) as con:
            con.execute(sql)
        after = year_digests(marts)
        changed = {year: after[year] != before[year] for year in after}
        before = after
        return changed

    # the restated ranking of 2024 is shown in 2024 (and in 2025 under a new code)
    assert change("update restated_ranking set unit_name = 'Tỉnh Ba hợp nhất' where unit_code = '03'") == {
        2024: True, 2025: True}
    # a 2024 department's name may be a predecessor's in 2025's report
    assert change("update provincial_ranking set unit_name = 'Sở Y' where year = 2024 and unit_code = '02.Y'") == {
        2024: True, 2025: True}
    # the ministries of 2024 are in no report of 2025
    assert change("update national_ranking set unit_name = 'Bộ 1' where year = 2024 and unit_code = 'M1'") == {
        2024: True, 2025: False}
