"""The publication made from the demo data (data/, see data/README.md): the reports say and
hold what the seeds publish, and they open in a real browser without network."""

import json
import re
import unicodedata
from decimal import Decimal as D

import pytest
from browser import ensure_chromium, open_page
from conftest import query
from reports_helpers import ARTIFACTS, annex_rows, body_of, number, page, summary_text, visible_text


def text_of(reports, year, code):
    return summary_text(page(reports, year, code))


def test_one_report_per_year_and_evaluator(reports):
    assert sorted(str(p.relative_to(reports)) for p in reports.rglob("*.html")) == [
        "2016/38.html", "2017/46.html", "2017/52.html",
        "2018/33.html", "2018/52.html", "2018/national.html", "2019/national.html",
        "2020/national.html", "2022/national.html", "2023/46.html",  # the DTI (test_reports_dti.py)
        "2024/national.html", "2025/national.html",  # the reform (test_reports_reform.py)
    ]
    assert all(p.with_suffix(".xlsx").exists() for p in reports.rglob("*.html"))
    for report in reports.rglob("*.html"):
        assert unicodedata.is_normalized("NFC", report.read_text(encoding="utf-8")), report


# what each province's press text says, phrase by phrase
SUMMARY_PHRASES = [
    pytest.param(2017, "46", [
        "Có 15/20 cơ quan được xếp vào nhóm Tốt", "5 cơ quan thuộc nhóm Khá",
        "Sở Y tế xếp thứ nhất với 62,3/70 điểm, tỷ lệ đạt 89%",
        "Văn phòng Ủy ban nhân dân tỉnh xếp thứ 2 với 53/60 điểm, tỷ lệ đạt 88,33%",
        "Sở Kế hoạch và Đầu tư xếp thứ 5 với 56/65 điểm",
        "Ủy ban nhân dân thị xã Hương Trà xếp thứ nhất với 64,5/73 điểm",
        "Có 6/9 đơn vị được xếp vào nhóm Tốt", "3 đơn vị thuộc nhóm Khá",
    ], id="thua_thien_hue_2017"),
    pytest.param(2018, "33", [
        "Không có cơ quan nào được xếp vào nhóm Tốt",
        "11 cơ quan thuộc nhóm Khá, chiếm 64,71%, đứng đầu là Sở Kế hoạch và Đầu tư (417,30 điểm)",
        "6 cơ quan thuộc nhóm Trung bình", "đứng đầu là Ủy ban nhân dân thành phố Hưng Yên (106,42 điểm)",
        "Ủy ban nhân dân huyện Văn Lâm xếp thứ 2 với 105/150 điểm, tỷ lệ đạt 70%",
    ], id="hung_yen_2018"),
]


@pytest.mark.parametrize("year, code, phrases", SUMMARY_PHRASES)
def test_summary_text(reports, year, code, phrases):
    text = text_of(reports, year, code)
    for phrase in phrases:
        assert phrase in text


def test_thua_thien_hue_2017_annex(reports):
    annex = reports / "2017" / "46.xlsx"
    rows = annex_rows(annex)
    health = rows["Sở Y tế"]
    assert [number(health[h]) for h in ("STT", "Tổng điểm", "Điểm tối đa", "Tỷ lệ (%)", "Xếp hạng")] == [
        D(1), D("62.3"), D(70), D(89), D(1)]
    assert health["Xếp loại"].value == "Tốt"
    office = rows["Văn phòng Ủy ban nhân dân tỉnh"]
    assert [number(office[h]) for h in ("Tổng điểm", "Điểm tối đa", "Tỷ lệ (%)")] == [D(53), D(60), D("88.33")]
    assert office["c3"].value == "KAD"  # the portal (third criterion) is not applicable to it
    assert sum(1 for row in rows.values() if row["Xếp loại"].value == "Tốt") == 15
    # the tie at exactly 80 %: both rank 15, the next is 17
    assert sorted(number(row["Xếp hạng"]) for row in rows.values())[14:17] == [D(15), D(15), D(17)]


def test_hung_yen_2018_criterion_highlights(reports):
    text = visible_text(body_of((reports / "2018" / "33.html").read_text(encoding="utf-8")))
    assert ("cơ quan đạt điểm cao nhất là Sở Tư pháp (95 điểm), tiếp đến là "
            "Ban Quản lý các khu công nghiệp tỉnh (85,5 điểm)") in text
    assert "cơ quan có điểm thấp nhất là Thanh tra tỉnh (39,2 điểm)" in text
    assert "có 6 cơ quan đạt điểm tối đa (Sở Kế hoạch và Đầu tư" in text
    assert "10 cơ quan thấp nhất – 0 điểm (" in text
    assert "thấp nhất là Ủy ban nhân dân huyện Khoái Châu (17,39 điểm)" in text


def test_hung_yen_2018_annex(reports):
    rows = annex_rows(reports / "2018" / "33.xlsx")
    plan = rows["Sở Kế hoạch và Đầu tư"]
    assert [number(plan[f"c{i}"]) for i in range(1, 7)] == [D(50), D(80), D(75), D("97.8"), D("64.5"), D(50)]
    assert [number(plan[h]) for h in ("Tổng điểm", "Điểm tối đa", "Tỷ lệ (%)")] == [D("417.30"), D(500), D("83.46")]
    assert plan["Xếp loại"].value == "Khá"
    districts = annex_rows(reports / "2018" / "33.xlsx", sheet=1)
    assert number(districts["Ủy ban nhân dân thành phố Hưng Yên"]["Tổng điểm"]) == D("106.42")
    assert number(districts["Ủy ban nhân dân huyện Văn Lâm"]["Tổng điểm"]) == D(105)


def test_binh_dinh_2018_shares_change_and_the_unit_not_ranked(reports):
    text = text_of(reports, 2018, "52")
    assert "tỷ lệ mức Tốt tăng 20 điểm phần trăm (từ 40% lên 60%)" in text
    assert "tỷ lệ mức Tốt tăng 27,27 điểm phần trăm (từ 36,36% lên 63,64%)" in text
    assert ("Ban Dân tộc không được xếp hạng tổng thể: tiêu chí bắt buộc không áp dụng: “(3) Trang thông tin điện tử - "
            "nhóm 3.2: Dịch vụ công trực tuyến”.") in text  # the marts' reason, as given
    rows = annex_rows(reports / "2018" / "52.xlsx")
    ethnic = rows["Ban Dân tộc"]
    assert ethnic["Xếp hạng"].value is None and ethnic["Xếp loại"].value == "Không xếp hạng"
    assert number(ethnic["Tổng điểm"]) == D("61.3") and number(ethnic["Điểm tối đa"]) == D(85)


def test_thanh_hoa_2016_indicator_statistics(reports, published):
    text = text_of(reports, 2016, "38")
    assert "17 cơ quan thuộc nhóm Khá, chiếm 85%, đứng đầu là Văn phòng Ủy ban nhân dân tỉnh" in text
    assert "3 cơ quan thuộc nhóm Trung bình, chiếm 15%" in text
    assert "26/47 cơ quan, đơn vị: Có hệ thống một cửa điện tử" in text
    assert "47/47 cơ quan, đơn vị: Sử dụng thường xuyên phần mềm quản lý văn bản" in text
    means = dict(query(published, """
        select indicator_code, value_avg from provincial_indicator_statistics
        where year = 2016 and province_code = '38' and unit_type = 'district'
          and indicator_code like 'XA.%'"""))
    assert means == {"XA.1": D(43), "XA.2": D(70), "XA.3": D("20.79"), "XA.4": D(3)}


def test_national_2019(reports):
    text = text_of(reports, 2019, "national")
    assert "chỉ số tổng thể trung bình của khối các tỉnh, thành phố trực thuộc Trung ương là 0,72, tăng so với năm 2018 (0,65)" in text
    assert "Thừa Thiên Huế, Đà Nẵng và Quảng Ninh vẫn là 3 tỉnh, thành phố đứng đầu bảng xếp hạng" in text
    for moved in ("Lạng Sơn (từ thứ 52 lên thứ 31)", "An Giang (từ thứ 35 lên thứ 16)",
                  "Bắc Ninh (từ thứ 29 lên thứ 11)", "Bắc Kạn (từ thứ 58 lên thứ 40)"):
        assert moved in text
    assert "tất cả các chỉ số thành phần đều tăng" in text
    rows = annex_rows(reports / "2019" / "national.xlsx")
    tuyen_quang = rows["Tuyên Quang"]
    assert [number(tuyen_quang[h]) for h in ("Xếp hạng", "Xếp hạng năm trước", "Thay đổi")] == [D(36), D(42), D(6)]


def test_highlights_marts_hold_the_published_leaders(published):
    rows = query(published, """
        select criterion_code, best_score, best_units, second_score, second_units,
               worst_score, worst_units, max_reached_unit_count, zero_unit_count
        from provincial_criterion_highlights
        where year = 2018 and province_code = '33' and unit_type = 'department'""")
    by_code = {row[0]: row[1:] for row in rows}
    assert by_code["UD"][:5] == (D(95), "Sở Tư pháp", D("85.5"), "Ban Quản lý các khu công nghiệp tỉnh", D("39.2"))
    assert by_code["UD"][5] == "Thanh tra tỉnh"
    assert by_code["DVC"][-1] == 10 and by_code["HT"][-2] == 6 and by_code["NL"][-2] == 9
    national = query(published, """
        select best_units from national_category_highlights where year = 2019 and criterion_code = 'HT'""")
    assert len(national) == 1 and national[0][0]


@pytest.mark.parametrize("year, code", [(2017, "46"), (2018, "52"), (2019, "national")])
def test_report_renders_its_charts_offline_in_chromium(reports, year, code):
    result = open_page(ensure_chromium(), reports / str(year) / f"{code}.html",
                       ARTIFACTS / f"{year}-{code}.png")
    assert result.blocked_requests == []  # nothing is fetched at view time
    assert result.errors == []
    assert result.dialogs == []
    assert result.charts_state == "ready"
    assert result.screenshot.stat().st_size > 10_000
    charts = {chart["id"]: chart for chart in result.charts}
    expected = (["g1-averages", "g1-scores", "g1-movement"] if code == "national"
                else ["g1-shares", "g1-scores", "g2-shares", "g2-scores"])
    assert list(charts) == expected
    for chart in charts.values():
        assert chart["rendered"] and chart["svg"] and chart["marks"] > 5 and chart["width"] > 100, chart


def test_every_chart_spec_is_valid_vega_lite(reports):
    # the specs are written as plain dicts: check them against the schema Altair ships
    import jsonschema
    from altair.vegalite.v6.schema.core import load_schema

    schema = load_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    kinds = set()
    for report in sorted(reports.rglob("*.html")):
        html = report.read_text(encoding="utf-8")
        for chart, spec in re.findall(r'<script type="application/json" id="spec-([^"]+)">(.*?)</script>', html, re.S):
            error = jsonschema.exceptions.best_match(validator.iter_errors(json.loads(spec)))
            assert error is None, f"{report.name} {chart}: {error.message} at {list(error.absolute_path)}"
            kinds.add(chart.split("-", 1)[1] + (" (national)" if report.stem == "national" else ""))
    assert kinds == {"shares", "scores", "averages (national)", "scores (national)", "movement (national)"}
