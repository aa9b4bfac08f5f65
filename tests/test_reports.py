"""The publication: how numbers are written, and reports made by a real materialisation
of the small fixture (tests/fixtures/mini) whose unit and criterion names are hostile —
markup that must stay text in the HTML, and formula-like text that must stay text in the
XLSX annex. The demo data's published figures are checked in test_reports_demo.py."""

import csv
import re
import shutil
import zipfile
from decimal import Decimal as D

import pytest
from browser import ensure_chromium, open_page
from conftest import FIXTURES, materialize_all
from reports_helpers import ARTIFACTS, annex_header, annex_rows, body_of, summary_text

from orchestration.reports import vietnamese as vn

SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAMES = {
    "46.B": "=1+2",
    "46.D": "+84 Văn phòng",
    "46.G": "-Sở Tư pháp",
    "46.F": "@SUM(A1)",
}
CRITERION_NAME = '=SUM(A1) <img src=x onerror="alert(2)">'


# ------------------------------------------------------------- numbers the Vietnamese way


@pytest.mark.parametrize("value, places, trim, text", [
    ("1234.5", 2, False, "1.234,50"),
    ("1234567.125", 2, False, "1.234.567,13"),  # half up
    ("0.125", 2, False, "0,13"),
    ("-0.004", 2, False, "0,00"),  # no "-0,00"
    ("-3.5", 1, False, "-3,5"),
    ("62.300000", 2, True, "62,3"),
    ("53.000000", 2, True, "53"),
])
def test_number(value, places, trim, text):
    assert vn.number(D(value), places, trim) == text


def test_the_seeds_ways_of_writing_points():
    # Thừa Thiên Huế 2017 writes a score beside its maximum short...
    assert vn.fraction(D("62.300000"), D("70.000000")) == "62,3/70"
    assert vn.fraction(D("53"), D("60")) == "53/60"
    # ...Hưng Yên 2018 writes a total alone with two decimals unless whole...
    assert vn.total(D("417.300000")) == "417,30"
    assert vn.total(D("106.42")) == "106,42"
    assert vn.total(D("105.000000")) == "105"
    # ...and criterion scores with the decimals they need
    assert [vn.points(D(v)) for v in ("85.500000", "86.750000", "95.000000", "4.7200")] == ["85,5", "86,75", "95", "4,72"]
    assert vn.percent(D("89.00")) == "89" and vn.percent(D("88.33")) == "88,33"
    assert vn.index(D("0.6500")) == "0,65"
    assert vn.signed(D("0.0700"), 4) == "+0,0700" and vn.signed(D("-15.00"), 2) == "-15,00"


# ------------------------------------------------------------- hostile names, end to end


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, module_monkeypatch):
    data = tmp_path_factory.mktemp("hostile-data")
    shutil.copytree(FIXTURES / "mini", data, dirs_exist_ok=True)
    units = data / "units" / "units.csv"
    with units.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["unit_name"] = {"46.A": SCRIPT_NAME, **FORMULA_NAMES}.get(row["unit_code"], row["unit_name"])
    with units.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    framework = data / "frameworks" / "mini-department.yaml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace(
            "name: Trang thông tin điện tử", f"name: '{CRITERION_NAME}'"),
        encoding="utf-8",
    )
    published = materialize_all(data, tmp_path_factory.mktemp("hostile"), module_monkeypatch)
    return published / "reports"


def test_a_report_per_year_and_evaluating_province_with_its_annex(hostile):
    files = sorted(str(p.relative_to(hostile)) for p in hostile.rglob("*") if p.is_file())
    # the mini fixture has no national framework: no national report; the fingerprints
    # say which reports a later run can keep as they are
    assert files == [".fingerprints.json", "2017/46.html", "2017/46.xlsx", "2018/46.html", "2018/46.xlsx"]


def test_markup_in_names_is_text_in_the_html(hostile):
    html = (hostile / "2017" / "46.html").read_text(encoding="utf-8")
    body = body_of(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert" not in body and "<img" not in body
    assert "&lt;img src=x onerror=" in body
    # the only scripts: the embedded chart library, the drawing code and the chart specs
    scripts = re.findall(r"<script[^>]*>", html)
    specs = [s for s in scripts if 'type="application/json"' in s]
    assert len(scripts) - len(specs) == 2 and len(specs) >= 2
    # in the specs, markup is escaped inside the JSON (it cannot close the element)
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    assert SCRIPT_NAME in summary_text(html)


def test_formula_like_names_are_text_cells_in_the_annex(hostile):
    annex = hostile / "2017" / "46.xlsx"
    rows = annex_rows(annex)
    for name in ("=1+2", "+84 Văn phòng", "-Sở Tư pháp", SCRIPT_NAME):
        cell = rows[name]["Cơ quan, đơn vị"]
        assert cell.data_type == "s" and cell.value == name
    header = annex_header(annex)
    assert any(h and h.startswith("=SUM(A1)") for h in header)
    with zipfile.ZipFile(annex) as xlsx:
        sheets = [n for n in xlsx.namelist() if n.startswith("xl/worksheets/sheet")]
        for sheet in sheets:
            assert "<f>" not in xlsx.read(sheet).decode("utf-8"), f"a formula in {sheet}"
    # numbers stay numbers beside them
    cells = rows["=1+2"]
    assert all(cells[h].data_type == "n" for h in ("Tổng điểm", "Điểm tối đa", "Tỷ lệ (%)"))
    assert [D(str(cells[h].value)) for h in ("Tổng điểm", "Điểm tối đa", "Tỷ lệ (%)")] == [D(30), D(30), D(100)]


def test_2018_annex_from_input_names_the_created_unit(hostile):
    rows = annex_rows(hostile / "2018" / "46.xlsx")
    assert "@SUM(A1)" in rows and rows["@SUM(A1)"]["Cơ quan, đơn vị"].data_type == "s"


def test_annex_text_that_xlsxwriter_would_take_for_xml_stays_text(tmp_path):
    # XlsxWriter writes a string from "<r>" to "</r>" as the XML of a rich string, unescaped:
    # this name would add shared strings and shift the text of every later cell
    from orchestration.reports import annex
    from orchestration.reports.content import Group, Report

    names = ["<r><t>a</t></r></si><si><t>injected</t></si><si><r><t>b</t></r>", "Sở Y tế", "Sở\x01Nội vụ"]
    rows = [{"stt": i, "unit_name": name, "scores": [], "total_score": D(1), "max_applicable": D(2),
             "score_pct": D(50), "rating": "Khá", "ranked": True, "rank": i, "note": None}
            for i, name in enumerate(names, start=1)]
    group = Group(unit_type="department", label="Khối các sở", noun="cơ quan", sheet="Sở",
                  criteria=[], rows=rows)
    report = Report(kind="province", year=2017, code="46", title="Kết quả", evaluator_name="<r>x</r>",
                    groups=[group])
    annex.write_annex(report, tmp_path / "46.xlsx")
    cells = annex_rows(tmp_path / "46.xlsx")
    # a control character is kept as Excel writes it, _xHHHH_ (openpyxl does not decode it)
    assert list(cells) == names[:2] + ["Sở_x0001_Nội vụ"]
    assert all(row["Cơ quan, đơn vị"].data_type == "s" for row in cells.values())
    assert [row["Xếp loại"].value for row in cells.values()] == ["Khá"] * 3


def test_hostile_report_in_a_browser_runs_no_injected_script(hostile):
    result = open_page(ensure_chromium(), hostile / "2017" / "46.html",
                       ARTIFACTS / "hostile-2017-46.png")
    assert result.dialogs == []  # neither alert(1) nor alert(2) ran
    assert result.errors == []
    assert result.blocked_requests == []
    assert result.charts_state == "ready"
    assert result.charts and all(chart["rendered"] for chart in result.charts)


# ------------------------------------------------------------- the asset


def test_reports_asset_follows_the_published_marts():
    import dagster as dg

    from orchestration.definitions import defs

    spec = next(s for s in defs.resolve_all_asset_specs() if s.key == dg.AssetKey(["published_reports"]))
    assert spec.group_name == "publish" and set(spec.kinds) == {"html", "xlsx"}
    assert [dep.asset_key for dep in spec.deps] == [dg.AssetKey(["published_marts"])]
    assert spec.description


def test_code_location_does_not_load_the_report_libraries():
    import subprocess
    import sys

    probe = ("import sys, orchestration.definitions; "
             "print(sorted(m for m in ('altair', 'openpyxl', 'vl_convert', 'pandas') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "altair" not in loaded.stdout and "vl_convert" not in loaded.stdout
