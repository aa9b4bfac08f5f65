"""The publication of the DTI years of the demo data (data/, see data/README.md): the national
reports of 2020 and 2022 and Thừa Thiên Huế's own DTI 2023 show the index of each main
indicator, the pillars and the averages, rank each peer group apart, and speak of no rating
where the framework has no bands. The 2016–2019 reports are checked, unchanged, in
test_reports_demo.py."""

import json
import re
import shutil
import unicodedata
from decimal import Decimal as D
from fractions import Fraction

import duckdb
import pytest
from browser import ensure_chromium, open_page
from conftest import query
from reports_helpers import ARTIFACTS, annex_header, annex_rows, body_of, html_table, number, page, summary_text
from reports_helpers import sections as report_sections

from orchestration.reports.build import build_year

DA_NANG_2022 = ["1,0000", "0,9000", "0,8253", "0,8487", "0,7578", "0,8575", "0,7836", "0,5197"]
HCMC_2022 = ["0,8917", "0,9000", "0,8258", "0,6267", "0,5580", "0,8406", "0,7611", "0,3590"]
MAIN_INDICATORS_2022 = ["Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số", "An toàn thông tin mạng",
                        "Hoạt động chính quyền số", "Hoạt động kinh tế số", "Hoạt động xã hội số"]
RATING_WORDS = ("Xếp loại", "xếp loại", "Không xếp hạng", "nhóm Tốt", "nhóm Khá", "nhóm Yếu")


def sections(html: str) -> dict[str, str]:
    """Each peer group's section of a report, by its peer group (id khoi-<peer group>)."""
    return {key.removeprefix("khoi-"): section for key, section in report_sections(html).items()}


def by_unit(rows: list[list[str]]) -> dict[str, list[str]]:
    """A table's unit rows (those that start with their STT) by the unit's name."""
    return {row[1]: row for row in rows if row and row[0].isdigit()}


def readable(html: str) -> str:
    """A report's body as a reader meets it: its markup, and its charts' specs with their
    text decoded (the page holds them as JSON, non-ASCII escaped)."""
    body = body_of(html)
    specs = re.findall(r'<script type="application/json" id="spec-[^"]+">(.*?)</script>', body, re.S)
    return body + "".join(json.dumps(json.loads(spec), ensure_ascii=False) for spec in specs)


def test_the_dti_years_have_their_reports_and_titles(reports):
    for year, code in ((2020, "national"), (2022, "national"), (2023, "46")):
        html = page(reports, year, code)
        assert (reports / str(year) / f"{code}.xlsx").exists()
        assert unicodedata.is_normalized("NFC", html)
        title = re.search(r"<h1>(.*?)</h1>", html).group(1)
        assert "mức độ chuyển đổi số (DTI)" in title and title.endswith(f"năm {year}"), title
    assert ("Kết quả đánh giá, xếp hạng mức độ chuyển đổi số (DTI) của các cơ quan, đơn vị tỉnh "
            "Thừa Thiên Huế năm 2023") in page(reports, 2023, "46")
    # decided by the data: the years of the old methods keep their titles
    assert "<h1>Kết quả đánh giá mức độ ứng dụng công nghệ thông tin của các bộ, ngành và địa phương năm 2019</h1>" \
        in page(reports, 2019, "national")
    assert "chuyển đổi số" not in page(reports, 2017, "46")


def test_national_2022_main_indicators_and_index(reports):
    html = page(reports, 2022, "national")
    assert list(sections(html)) == ["province"]
    rows = html_table(sections(html)["province"], "ranking")
    # only the main indicators (level 1) are columns, none of their components
    assert rows[0] == ["STT", "Tỉnh, thành phố", *MAIN_INDICATORS_2022, "Chỉ số DTI", "Xếp hạng", "Năm trước", "Thay đổi"]
    assert rows[1] == ["1", "Đà Nẵng", *DA_NANG_2022, "0,8002", "1", "–", "–"]
    assert rows[2] == ["2", "Thành phố Hồ Chí Minh", *HCMC_2022, "0,7163", "2", "–", "–"]
    assert len(rows) == 64
    text = summary_text(html)
    assert "Đà Nẵng xếp thứ nhất với chỉ số 0,8002; Thành phố Hồ Chí Minh xếp thứ 2 với chỉ số 0,7163" in text
    assert "chỉ số DTI trung bình của khối các tỉnh, thành phố trực thuộc Trung ương là 0,5706" in text


def test_national_2022_speaks_of_no_rating(reports):
    body = readable(page(reports, 2022, "national"))  # the text, the tables and the charts
    assert '"Đơn vị": "Đà Nẵng"' in body  # the charts' text is read
    for word in RATING_WORDS:
        assert word not in body, word
    assert 'class="distribution"' not in body and "-shares" not in body


def test_national_2022_averages_per_main_indicator(reports, published):
    rows = html_table(sections(page(reports, 2022, "national"))["province"], "averages")
    assert rows[0] == ["Chỉ số chính", "Năm 2021", "Năm 2022", "Thay đổi", "Số tỉnh, thành phố"]
    assert [row[0] for row in rows[1:]] == ["Chỉ số tổng thể", *MAIN_INDICATORS_2022]
    assert rows[1][2] == "0,5706" and rows[2] == ["Nhận thức số", "", "0,7119", "", "63"]
    marts = query(published, """
        select criterion_name, avg_index from national_category_averages
        where year = 2022 and level <= 1 order by level, criterion_code""")
    shown = {row[0]: row[2] for row in rows[1:]}
    assert shown == {name: f"{value:.4f}".replace(".", ",") for name, value in marts}


def test_national_2022_pillars(reports):
    html = page(reports, 2022, "national")
    rows = html_table(sections(html)["province"], "pillars")
    assert rows[0] == ["STT", "Tỉnh, thành phố", "Chính quyền số", "Kinh tế số", "Xã hội số"]
    assert by_unit(rows)["Đà Nẵng"][2:] == ["0,8638", "1", "–", "0,8473", "1", "–", "0,7864", "1", "–"]
    assert ("Dẫn đầu trụ cột Chính quyền số là Đà Nẵng (0,8638); trụ cột Kinh tế số là Đà Nẵng (0,8473); "
            "trụ cột Xã hội số là Đà Nẵng (0,7864).") in summary_text(html)


def test_national_2022_annex(reports):
    path = reports / "2022" / "national.xlsx"
    header = annex_header(path)
    assert "Xếp loại" not in header
    assert header[2:10] == [f"{name} (chỉ số)" for name in MAIN_INDICATORS_2022]
    rows = annex_rows(path)
    da_nang = rows["Đà Nẵng"]
    assert [number(da_nang[f"c{i}"]) for i in range(1, 9)] == [D(v.replace(",", ".")) for v in DA_NANG_2022]
    assert [number(da_nang[h]) for h in ("Chỉ số DTI", "Xếp hạng")] == [D("0.8002"), D(1)]
    assert [number(da_nang[f"Trụ cột {p} ({what})"]) for p in ("Chính quyền số", "Xã hội số")
            for what in ("chỉ số", "xếp hạng")] == [D("0.8638"), D(1), D("0.7864"), D(1)]
    assert number(rows["Thành phố Hồ Chí Minh"]["Chỉ số DTI"]) == D("0.7163")


def test_national_2020_pillars_of_bac_ninh(reports):
    html = page(reports, 2020, "national")
    rows = by_unit(html_table(sections(html)["province"], "pillars"))
    assert rows["Bắc Ninh"][2:] == ["0,4449", "3", "–", "0,3668", "10", "–", "0,4052", "7", "–"]
    ranking = by_unit(html_table(sections(html)["province"], "ranking"))
    assert ranking["Bắc Ninh"][-4:-2] == ["0,4096", "3"] and ranking["Đà Nẵng"][-4:-2] == ["0,4874", "1"]
    assert "Dẫn đầu trụ cột Chính quyền số là Đà Nẵng (0,4942)" in summary_text(html)
    bac_ninh = annex_rows(reports / "2020" / "national.xlsx")["Bắc Ninh"]
    assert [number(bac_ninh[f"Trụ cột {p} (chỉ số)"]) for p in ("Chính quyền số", "Kinh tế số", "Xã hội số")] == [
        D("0.4449"), D("0.3668"), D("0.4052")]


def test_national_2020_ministries_in_two_peer_groups(reports):
    html = page(reports, 2020, "national")
    groups = sections(html)
    assert list(groups) == ["province", "co-dvc", "khong-dvc"]
    assert "<h2>Khối các bộ, cơ quan ngang bộ có cung cấp dịch vụ công</h2>" in groups["co-dvc"]
    assert "<h2>Khối các bộ, cơ quan ngang bộ không cung cấp dịch vụ công</h2>" in groups["khong-dvc"]
    with_services = html_table(groups["co-dvc"], "ranking")
    without = html_table(groups["khong-dvc"], "ranking")
    # each group is ranked on its own: the ranks restart
    assert with_services[1][1] == "Bộ Tài chính" and with_services[1][-4:-2] == ["0,4944", "1"]
    assert without[1][1] == "Đài Truyền hình Việt Nam" and without[1][-4:-2] == ["0,2995", "1"]
    assert [row[-3] for row in with_services[1:]] == [str(rank) for rank in range(1, 18)]
    assert [row[-3] for row in without[1:]] == [str(rank) for rank in range(1, 9)]
    # the group without public services has no column for them
    assert "Cung cấp dịch vụ công trực tuyến" in with_services[0] and "Cung cấp dịch vụ công trực tuyến" not in without[0]
    text = summary_text(html)
    assert "Bộ Tài chính xếp thứ nhất với chỉ số 0,4944; Ngân hàng Nhà nước Việt Nam xếp thứ 2 với chỉ số 0,4932" in text
    assert "Đài Truyền hình Việt Nam xếp thứ nhất với chỉ số 0,2995" in text
    for word in RATING_WORDS:
        assert word not in readable(html), word
    import openpyxl

    annex = reports / "2020" / "national.xlsx"
    assert openpyxl.load_workbook(annex).sheetnames == ["Tỉnh, thành phố", "Bộ, cơ quan có DVC", "Bộ, cơ quan không có DVC"]
    assert number(annex_rows(annex, sheet=1)["Bộ Tài chính"]["Xếp hạng"]) == 1
    assert number(annex_rows(annex, sheet=2)["Đài Truyền hình Việt Nam"]["Xếp hạng"]) == 1


def test_thua_thien_hue_2023_departments_and_communes(reports):
    html = page(reports, 2023, "46")
    groups = sections(html)
    assert list(groups) == ["department", "commune"]
    assert "<h2>Khối UBND các xã, phường, thị trấn</h2>" in groups["commune"]
    text = summary_text(html)
    assert "Có 6/20 cơ quan được xếp vào nhóm Tốt, chiếm 30%" in text
    assert "Có 3/14 đơn vị được xếp vào nhóm Tốt, chiếm 21,43%" in text
    assert "1 đơn vị thuộc nhóm Yếu, chiếm 7,14%: Ủy ban nhân dân thị trấn A Lưới" in text
    assert "Sở Thông tin và Truyền thông xếp thứ nhất với chỉ số 0,9045" in text
    assert ("Dẫn đầu trụ cột Chính quyền số là Ủy ban nhân dân phường Phú Hội (0,8996); trụ cột Kinh tế số là "
            "Ủy ban nhân dân phường Vĩnh Ninh (0,8738)") in text

    departments = html_table(groups["department"], "ranking")
    assert departments[0][-6:] == ["Tổng điểm", "Điểm tối đa", "Chỉ số DTI", "Xếp loại", "Xếp hạng", "So với năm trước"]
    assert departments[1][1] == "Sở Thông tin và Truyền thông"
    assert departments[1][-5:-1] == ["1.000,00", "0,9045", "Tốt", "1"]
    communes = by_unit(html_table(groups["commune"], "ranking"))
    assert communes["Ủy ban nhân dân phường Phú Hội"][2:] == [
        "0,8429", "0,8064", "0,8236", "0,8431", "0,9814", "1,0000", "0,8562", "0,9315",
        "897,90", "1.000,00", "0,8979", "Tốt", "1", "–"]
    assert communes["Ủy ban nhân dân thị trấn A Lưới"][-3:-1] == ["Yếu", "14"]
    # pillars: the communes' framework has them, the departments' has not
    assert 'class="pillars"' not in groups["department"]
    pillars = by_unit(html_table(groups["commune"], "pillars"))
    assert pillars["Ủy ban nhân dân phường Phú Hội"][2:] == ["0,8996", "1", "–", "0,8587", "3", "–", "0,8761", "2", "–"]
    assert len(pillars) == 14


def test_thua_thien_hue_2023_averages_per_main_indicator(reports, published):
    rows = html_table(sections(page(reports, 2023, "46"))["commune"], "averages")
    assert rows[0] == ["Chỉ số chính", "Năm 2022", "Năm 2023", "Thay đổi", "Số đơn vị"]
    assert len(rows) == 1 + 8
    # as national_category_averages computes it: points over applicable maxima, half up
    expected = {}
    for name, score, maximum, count in query(published, """
            select criterion_name, sum(score), sum(max_applicable), count(*) from provincial_criterion_scores
            where year = 2023 and province_code = '46' and unit_type = 'commune' and level = 1 and applicable
            group by criterion_name"""):
        value = Fraction(score) / Fraction(maximum) * 10_000
        expected[name] = ["", f"{int(value + Fraction(1, 2)) / D(10_000):.4f}".replace(".", ","), "", str(count)]
    assert {row[0]: row[1:] for row in rows[1:]} == expected
    assert expected["Nhận thức số"][1] == "0,6903"


def test_thua_thien_hue_2023_annex(reports):
    path = reports / "2023" / "46.xlsx"
    pillars = [f"Trụ cột {p} ({what})" for p in ("Chính quyền số", "Kinh tế số", "Xã hội số")
               for what in ("chỉ số", "xếp hạng", "thay đổi hạng")]
    assert annex_header(path, sheet=1)[-17:] == [
        "Tổng điểm", "Điểm tối đa", "Chỉ số DTI", "Xếp loại", "Xếp hạng", "Xếp hạng năm trước", "Thay đổi",
        *pillars, "Ghi chú"]
    commune = annex_rows(path, sheet=1)["Ủy ban nhân dân phường Phú Hội"]
    assert [number(commune[h]) for h in ("Tổng điểm", "Chỉ số DTI", "Xếp hạng", "Trụ cột Kinh tế số (xếp hạng)")] == [
        D("897.9"), D("0.8979"), D(1), D(3)]
    assert commune["Xếp loại"].value == "Tốt"
    department = annex_rows(path)["Sở Thông tin và Truyền thông"]
    assert [number(department[h]) for h in ("Chỉ số DTI", "Xếp hạng")] == [D("0.9045"), D(1)]
    assert not any(h.startswith("Trụ cột") for h in annex_header(path))


def test_a_provincial_dti_framework_without_bands(published, tmp_path):
    # the same year as if Thừa Thiên Huế's frameworks had no rating: null ratings, no
    # distribution rows (what the marts hold for such a framework)
    marts = tmp_path / "marts.duckdb"
    shutil.copy(published / "marts.duckdb", marts)
    with duckdb.connect(str(marts)) as con:
        con.execute("update provincial_ranking set rating = null where year = 2023")
        con.execute("delete from provincial_rating_distribution where year = 2023")
    assert build_year(marts, 2023, tmp_path) == []
    html = (tmp_path / "2023" / "46.html").read_text(encoding="utf-8")
    for word in RATING_WORDS:
        assert word not in readable(html), word
    text = summary_text(html)
    assert "Khối các sở, ban, ngành có 20 cơ quan được đánh giá." in text
    assert "Sở Thông tin và Truyền thông xếp thứ nhất với chỉ số 0,9045" in text
    communes = html_table(sections(html)["commune"], "ranking")
    assert communes[0][-5:] == ["Tổng điểm", "Điểm tối đa", "Chỉ số DTI", "Xếp hạng", "So với năm trước"]
    assert communes[1][-3:-1] == ["0,8979", "1"]
    assert "-shares" not in body_of(html)
    header = annex_header(tmp_path / "2023" / "46.xlsx", sheet=1)
    assert "Xếp loại" not in header and "Chỉ số DTI" in header


@pytest.mark.parametrize("year, code, expected", [
    (2020, "national", ["g1-averages", "g1-scores", "g1-movement", "g2-averages", "g2-scores",
                        "g3-averages", "g3-scores"]),
    (2022, "national", ["g1-averages", "g1-scores"]),
    (2023, "46", ["g1-shares", "g1-scores", "g2-shares", "g2-scores"]),
])
def test_dti_report_renders_its_charts_offline_in_chromium(reports, year, code, expected):
    result = open_page(ensure_chromium(), reports / str(year) / f"{code}.html",
                       ARTIFACTS / f"{year}-{code}.png")
    assert result.blocked_requests == []
    assert result.errors == []
    assert result.dialogs == []
    assert result.charts_state == "ready"
    assert result.screenshot.stat().st_size > 10_000
    charts = {chart["id"]: chart for chart in result.charts}
    assert list(charts) == expected
    for chart in charts.values():
        assert chart["rendered"] and chart["svg"] and chart["marks"] > 5 and chart["width"] > 100, chart
