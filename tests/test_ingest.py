"""Ingestion into a real DuckDB: every layout and encoding of SPEC §3.3, the registry and
the frameworks, and their errors naming the file and field."""

import duckdb
import pytest

from conftest import to_cp1258
from orchestration.ingest import frameworks, load

FRAMEWORK = """\
code: f-2018
title: Bộ tiêu chí
evaluator: "46"
unit_type: department
years: [2018]
rating:
  - {label: Tốt, min_pct: 80}
  - {label: Yếu, min_pct: 0}
criteria:
  - code: HT
    name: Hạ tầng
    max: 10
    indicators:
      - {code: HT.1, name: Máy tính, max: 10, rule: {type: steps, steps: [[1, 5], [10, 10]]}}
"""


@pytest.fixture
def con():
    with duckdb.connect() as connection:
        yield connection


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(data, bytes) else path.write_text)(data)
    return path


def submissions(con):
    return con.execute(
        "select source_file, row_number, unit_code, indicator_code, value_text, note "
        "from raw.submissions order by all"
    ).fetchall()


def test_every_layout_and_encoding(tmp_path, con):
    year = tmp_path / "submissions" / "2018"
    write(year / "long comma.csv", 'unit_code,indicator_code,value,note\n46.SYT,HT.1,"62,3",ghi chú\n')
    write(year / "wide-semicolon.csv", "unit_code;unit_name;HT.1;HT.2\n46.SYT;Sở Y tế;417,30;N/A\n")
    write(year / "tab.tsv", "unit_code\tindicator_code\tvalue\n46.STP\tHT.1\t1.234,5\n")
    write(year / "unicode.txt", "unit_code,indicator_code,value\n46.SNV,HT.1,có\n".encode("utf-16"))
    write(year / "legacy.csv", to_cp1258("unit_code,indicator_code,value,note\n46.SXD,HT.1,1,Sở Xây dựng\n"))
    write(year / "Sở Tư pháp.csv", "\ufeffunit_code,indicator_code,value\n46.STP,HT.2,không áp dụng\n")

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Biểu mẫu tự đánh giá năm 2018"])
    sheet.append(["unit_code", "unit_name", "HT.1", "HT.2"])
    sheet.append(["46.SCT", "Sở Công thương", 86.75, "KAD"])
    workbook.save(year / "wide.xlsx")

    counts = load.load_submissions(con, tmp_path)

    assert counts == {"files": 7, "values": 9, "refused_files": 0}
    assert submissions(con) == sorted([
        ("submissions/2018/long comma.csv", 2, "46.SYT", "HT.1", "62,3", "ghi chú"),
        ("submissions/2018/wide-semicolon.csv", 2, "46.SYT", "HT.1", "417,30", None),
        ("submissions/2018/wide-semicolon.csv", 2, "46.SYT", "HT.2", "N/A", None),
        ("submissions/2018/tab.tsv", 2, "46.STP", "HT.1", "1.234,5", None),
        ("submissions/2018/unicode.txt", 2, "46.SNV", "HT.1", "có", None),
        ("submissions/2018/legacy.csv", 2, "46.SXD", "HT.1", "1", "Sở Xây dựng"),
        ("submissions/2018/Sở Tư pháp.csv", 2, "46.STP", "HT.2", "không áp dụng", None),
        ("submissions/2018/wide.xlsx", 3, "46.SCT", "HT.1", "86.75", None),
        ("submissions/2018/wide.xlsx", 3, "46.SCT", "HT.2", "KAD", None),
    ])
    assert con.execute("select distinct year from raw.submissions").fetchall() == [(2018,)]


def test_a_bad_file_is_refused_whole_and_the_others_go_on(tmp_path, con):
    year = tmp_path / "submissions" / "2019"
    write(year / "a-good.csv", "unit_code,indicator_code,value\n01,HT.1,1\n")
    write(year / "b-empty.csv", b"")
    write(year / "c-header.csv", "mã,giá trị\n01,1\n")
    write(year / "d-broken.xlsx", b"PK\x03\x04 not really a workbook")

    counts = load.load_submissions(con, tmp_path)

    assert counts == {"files": 4, "values": 1, "refused_files": 3}
    issues = dict(con.execute("select source_file, reason from raw.file_issues").fetchall())
    assert issues["submissions/2019/b-empty.csv"] == "empty file"
    assert issues["submissions/2019/c-header.csv"].startswith("unrecognised header")
    assert issues["submissions/2019/d-broken.xlsx"].startswith("unreadable file")


def test_registry_missing_column_is_named(tmp_path, con):
    write(tmp_path / "units" / "units.csv", "unit_code,unit_name,unit_type,valid_from,valid_to\n01,Hà Nội,province,2000,\n")
    with pytest.raises(load.RegistryError, match=r"units/units.csv: missing column\(s\) parent_code"):
        load.load_units(con, tmp_path)


@pytest.mark.parametrize(
    "row, message",
    [
        ("46,,province,,2000,", r"units/units.csv, row 2: unit_name is empty"),
        ("46,Huế,commune,,2000,", r"units/units.csv, row 2: unit_type 'commune' is not one of"),
        ("46,Huế,province,,năm 2000,", r"units/units.csv, row 2: valid_from 'năm 2000' is not a year"),
        ("46,Huế,province,,2020,2010", r"units/units.csv, row 2: valid_from 2020 is after valid_to 2010"),
    ],
)
def test_registry_errors_name_the_row_and_field(tmp_path, con, row, message):
    write(tmp_path / "units" / "units.csv", f"unit_code,unit_name,unit_type,parent_code,valid_from,valid_to\n{row}\n")
    with pytest.raises(load.RegistryError, match=message):
        load.load_units(con, tmp_path)


def test_a_wide_row_with_values_but_no_unit_is_kept(tmp_path, con):
    write(tmp_path / "submissions" / "2018" / "wide.csv", "unit_code;HT.1;HT.2\n;1;2\n;;\n46.SYT;3;\n")
    load.load_submissions(con, tmp_path)
    assert submissions(con) == sorted([
        ("submissions/2018/wide.csv", 2, None, "HT.1", "1", None),
        ("submissions/2018/wide.csv", 2, None, "HT.2", "2", None),
        ("submissions/2018/wide.csv", 4, "46.SYT", "HT.1", "3", None),
        ("submissions/2018/wide.csv", 4, "46.SYT", "HT.2", None, None),
    ], key=lambda r: tuple((x is None, x) for x in r))


def test_registry_loads_text_as_written(tmp_path, con):
    write(tmp_path / "units" / "units.csv",
          "unit_code,unit_name,unit_type,parent_code,valid_from,valid_to\n46,Thừa Thiên Huế,province,,2000,2024\n")
    assert load.load_units(con, tmp_path) == 1
    assert con.execute("select * from raw.units").fetchall() == [
        ("46", "Thừa Thiên Huế", "province", None, "2000", "2024", "units/units.csv", 2)]


def test_frameworks_flatten_with_exact_decimals(tmp_path, con):
    write(tmp_path / "frameworks" / "f.yaml", FRAMEWORK)
    assert load.load_frameworks(con, tmp_path) == 1
    assert con.execute("select threshold, points from raw.indicator_steps order by threshold").fetchall() == [
        (1, 5), (10, 10)]
    assert con.execute("select evaluator, unit_type from raw.frameworks").fetchall() == [("46", "department")]


@pytest.mark.parametrize(
    "change, message",
    [
        (("type: steps", "type: sigmoid"), r"criteria\[0\].indicators\[0\].rule.type: unknown rule type 'sigmoid'"),
        (("[[1, 5], [10, 10]]", "[[10, 10], [1, 5]]"), r"criteria\[0\].indicators\[0\].rule.steps: thresholds must be strictly ascending"),
        (("min_pct: 0}", "min_pct: 90}"), r"rating\[1\].min_pct: bands must be listed highest first"),
        (("unit_type: department", "unit_type: commune"), r"unit_type 'commune' is not one of"),
    ],
)
def test_framework_errors_name_the_file_and_field(tmp_path, con, change, message):
    write(tmp_path / "frameworks" / "f.yaml", FRAMEWORK.replace(*change))
    with pytest.raises(frameworks.FrameworkError, match=r"frameworks/f.yaml \(f-2018\).*" + message):
        load.load_frameworks(con, tmp_path)
