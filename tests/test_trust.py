"""Never silently wrong: every value an agency sends is scored as it was meant, or held
back with a reason that names its file, row and text, on a hostile input tree that a real
materialisation runs end to end. Each class of defect has several variants here."""

import os
from decimal import Decimal as D
from pathlib import Path

import duckdb
import openpyxl
import pytest
from conftest import framework_yaml, materialize_all, query

from orchestration.ingest import load, xlsx

UNITS = """unit_code,unit_name,unit_type,parent_code,valid_from,valid_to
46,Thừa Thiên Huế,province,,2000,
46.A,Sở Y tế,department,46,2000,
46.B,Sở Tư pháp,department,46,2000,
46.C,Sở Xây dựng,department,46,2000,
46.D,Sở Nội vụ,department,46,2000,
46.E,Sở Tài chính,department,46,2000,
46.F,Sở Công Thương,department,46,2000,
46.G,Sở Ngoại vụ,department,46,2000,
46.H,Sở Du lịch,department,46,2000,
46.J,Sở Giáo dục và Đào tạo,department,46,2000,
46.K,Sở Văn hoá và Thể thao,department,46,2000,
46.L,Sở Khoa học và Công nghệ,department,46,2000,
46.M,Sở Lao động,department,46,2000,
46.N,Sở Nông nghiệp,department,46,2000,
46.P,Sở Tài nguyên,department,46,2000,
46.Q,Sở Giao thông,department,46,2000,
"""

FRAMEWORK = framework_yaml("trust-department", "Bộ tiêu chí thử nghiệm", 2019, """\
  - code: C1
    name: Hạ tầng
    max: 100
    indicators:
      - {code: R, name: Tỷ lệ máy tính, max: 10, unit: ratio, rule: {type: linear, full_at: 1}}
      - {code: P, name: Tỷ lệ hồ sơ trực tuyến, max: 10, unit: percent, rule: {type: linear, full_at: 100}}
      - {code: N, name: Số hồ sơ, max: 10, unit: count, rule: {type: steps, steps: [[1000, 5], [100000, 10]]}}
      - {code: B, name: Có mạng LAN, max: 10, rule: {type: boolean}}
      - {code: M, name: Kinh phí (đồng), max: 10, unit: money, rule: {type: linear, full_at: 2000000000000}}
      - {code: S, name: Điểm thẩm định, max: 10, rule: {type: score}}
""")

# (path under submissions/, content): every value below is accounted for by the tests
TEXT_FILES = {
    # the Vietnamese way throughout: 281.538 hồ sơ is 281538, not 281.538
    "2019/vn-wide.csv": "unit_code;R;P;N;B;M\n46.A;0,5;72,25%;281.538;có;1.250.000.000.000\n",
    # nothing in the file decides whether 6.255 is 6.255 or 6255
    "2019/undecided.csv": "unit_code,indicator_code,value\n46.B,N,6.255\n46.B,B,1\n",
    # both ways in one file: every value whose readings differ is held back
    "2019/mixed.csv": "unit_code;indicator_code;value\n46.C;R;0.5\n46.C;P;72,5\n46.C;N;1.234\n46.C;B;1\n",
    # a decimal comma in a comma-delimited file without quotes: held back whole, never shifted
    "2019/unquoted-long.csv": "unit_code,indicator_code,value,note\n46.D,R,0,7225,\n46.D,B,1,\n",
    "2019/unquoted-wide.csv": "unit_code,R,P,B\n46.K,0,75,80,1\n",
    # percentages read by the indicator's unit
    "2019/percent.csv": "unit_code;indicator_code;value\n46.E;R;72,25%\n46.E;P;95%\n46.E;N;5%\n46.E;S;5%\n",
    # a yes/no indicator answered 2; 0.5 for yes/no; a yes/no word for a count; a ratio of 95
    "2019/boolean.csv": "unit_code,indicator_code,value\n46.F,B,2\n46.F,R,0.5\n",
    "2019/more.csv": "unit_code,indicator_code,value\n46.M,B,0.5\n46.M,N,có\n46.M,R,95\n46.M,P,95\n",
    # a year column that disagrees with the folder
    "2019/last-year.csv": "year,unit_code,indicator_code,value\n2018,46.G,R,0.25\n2019,46.G,B,1\n",
    "2019/nam.csv": "unit_code;năm;R;B\n46.N;2017;0,5;1\n",
    # an unterminated quote must not swallow the rows below it
    "2019/open-quote.csv": 'unit_code,indicator_code,value\n46.H,R,"0.75\n46.J,R,0.5\n46.J,B,1\n',
    # ... nor the rows between it and a quote that closes it lines later
    "2019/late-quote.csv": 'unit_code,indicator_code,value\n46.P,R,"0.25\n46.P,B,1\n46.Q,R,0.5"\n46.Q,B,1\n',
}
UNREAD = {
    "2019/form.xls": b"\xd0\xcf\x11\xe0 not really a workbook",
    "2019/form.ods": b"PK not really a spreadsheet",
    "20l8/values.csv": b"unit_code,indicator_code,value\n46.A,R,1\n",
    "2019 /values.csv": b"unit_code,indicator_code,value\n46.A,R,1\n",
    "20180/values.csv": b"unit_code,indicator_code,value\n46.A,R,1\n",
    "loose.csv": b"unit_code,indicator_code,value\n46.A,R,1\n",
}
NOT_UTF8_NAME = b"2019/b\xe1o c\xe1o.csv"  # a Windows archive's name, unzipped


def percent_workbook(path: Path) -> None:
    """46.L's cells as Excel shows them: 95 % and 80 % stored as 0.95 and 0.8."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["unit_code", "R", "P", "S", "N"])
    sheet.append(["46.L", 0.95, 0.8, 0.5, 281538])
    for cell in ("B2", "C2", "D2"):
        sheet[cell].number_format = "0%"
    book.save(path)


def stray_cell_workbook(path: Path) -> None:
    """A few kilobytes whose one stray cell sits at the sheet's last possible cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["unit_code", "R"])
    sheet.append(["46.A", 1])
    sheet["XFD1048576"] = "x"
    book.save(path)


def hostile_tree(root: Path) -> Path:
    (root / "units").mkdir(parents=True)
    (root / "units" / "units.csv").write_text(UNITS, encoding="utf-8")
    (root / "frameworks").mkdir()
    (root / "frameworks" / "trust.yaml").write_text(FRAMEWORK, encoding="utf-8")
    submissions = root / "submissions"
    for name, text in TEXT_FILES.items():
        (submissions / name).parent.mkdir(parents=True, exist_ok=True)
        (submissions / name).write_text(text, encoding="utf-8")
    for name, data in UNREAD.items():
        (submissions / name).parent.mkdir(parents=True, exist_ok=True)
        (submissions / name).write_bytes(data)
    os.makedirs(os.fsencode(submissions) + b"/2019", exist_ok=True)
    with open(os.fsencode(submissions) + b"/" + NOT_UTF8_NAME, "wb") as f:
        f.write(b"unit_code,indicator_code,value\n46.A,S,1\n")
    percent_workbook(submissions / "2019" / "percent.xlsx")
    stray_cell_workbook(submissions / "2019" / "stray.xlsx")
    return root


@pytest.fixture(scope="module")
def run(tmp_path_factory, module_monkeypatch):
    work = tmp_path_factory.mktemp("trust")
    data = hostile_tree(work / "data")
    published = materialize_all(data, work, module_monkeypatch)
    return data, published, work / "warehouse.duckdb"


def issues(published, source: str) -> list[tuple]:
    return query(published, "select row_number, unit_code, indicator_code, severity, reason "
                            "from submission_issues where source_file = $f order by all",
                 {"f": f"submissions/{source}"})


def values(warehouse: Path) -> dict[tuple[str, str], D]:
    """The values scored, by unit and indicator."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select unit_code, indicator_code, value from intermediate.int_indicator_points "
                           "where value_status = 'number'").fetchall()
    return {(unit, indicator): value for unit, indicator, value in rows}


# --- 1. numbers read one way per file ---------------------------------------------------

def test_a_file_written_the_vietnamese_way_is_read_that_way(run):
    scored = values(run[2])
    assert scored[("46.A", "N")] == D(281538)  # not 281.538
    assert scored[("46.A", "R")] == D("0.5")
    assert scored[("46.A", "P")] == D("72.25")
    assert scored[("46.A", "M")] == D(1250000000000)  # 13 digits, in range
    assert scored[("46.A", "B")] == 1
    assert issues(run[1], "2019/vn-wide.csv") == []


def test_a_value_that_reads_two_ways_is_held_back_with_both(run):
    (row,) = issues(run[1], "2019/undecided.csv")
    assert row[:4] == (2, "46.B", "N", "error")
    assert "6.255" in row[4] and "6255" in row[4]
    assert ("46.B", "N") not in values(run[2]) and values(run[2])[("46.B", "B")] == 1


def test_a_file_that_mixes_decimal_marks_holds_back_what_depends_on_it(run):
    rows = issues(run[1], "2019/mixed.csv")
    assert [r[:3] for r in rows] == [(2, "46.C", "R"), (3, "46.C", "P"), (4, "46.C", "N")]
    assert all("both ways" in r[4] and r[3] == "error" for r in rows)
    assert "1.234 with a decimal point and 1234 with a decimal comma" in rows[2][4]
    assert values(run[2])[("46.C", "B")] == 1  # `1` reads one way


def test_a_row_with_more_fields_than_its_header_is_held_back_whole(run):
    (long_row,) = issues(run[1], "2019/unquoted-long.csv")
    assert long_row[:4] == (2, "46.D", "R", "error")
    assert "5 fields, its header 4" in long_row[4] and "46.D,R,0,7225," in long_row[4]
    wide = issues(run[1], "2019/unquoted-wide.csv")
    assert {r[2] for r in wide} == {"R", "P", "B"}  # every value of the row, none shifted
    assert all("5 fields, its header 4" in r[4] for r in wide)
    scored = values(run[2])
    assert ("46.D", "R") not in scored and scored[("46.D", "B")] == 1
    assert not any(unit == "46.K" and indicator in "RPB" and value in (0, 75, 80)
                   for (unit, indicator), value in scored.items())


def test_percentages_are_read_by_the_indicators_unit(run):
    scored = values(run[2])
    assert scored[("46.E", "R")] == D("0.7225")  # ratio
    assert scored[("46.E", "P")] == D(95)  # percent
    rows = {r[2]: r for r in issues(run[1], "2019/percent.csv")}
    assert set(rows) == {"N", "S"}
    assert "measured in count" in rows["N"][4]
    assert "declares no unit" in rows["S"][4] and "0.05" in rows["S"][4] and " 5 " in rows["S"][4]


def test_percent_formatted_cells_read_as_shown(run):
    scored = values(run[2])
    assert scored[("46.L", "R")] == D("0.95")  # shown 95 %, a ratio: 0.95
    assert scored[("46.L", "P")] == D(80)  # shown 80 %, a percent: 80
    assert scored[("46.L", "N")] == D(281538)  # a numeric cell is a number, no mark to read
    (row,) = issues(run[1], "2019/percent.xlsx")
    assert row[2] == "S" and "`50%`" in row[4] and "declares no unit" in row[4]


def test_a_yes_no_indicator_answered_otherwise_is_an_error(run):
    (row,) = issues(run[1], "2019/boolean.csv")
    assert row[:4] == (2, "46.F", "B", "error") and "not a yes/no answer" in row[4]


def test_other_answers_that_do_not_fit_their_indicator_are_held_back(run):
    rows = {r[2]: r for r in issues(run[1], "2019/more.csv")}
    assert "not a yes/no answer" in rows["B"][4]
    assert "is a yes/no answer, but indicator N" in rows["N"][4]
    assert "above 1 for indicator R, a ratio" in rows["R"][4]
    assert set(rows) == {"B", "N", "R"} and values(run[2])[("46.M", "P")] == 95


def test_a_year_column_that_disagrees_with_the_folder_holds_the_row_back(run):
    (row,) = issues(run[1], "2019/last-year.csv")
    assert row[:4] == (2, "46.G", "R", "error") and "year 2018" in row[4]
    assert values(run[2])[("46.G", "B")] == 1
    rows = issues(run[1], "2019/nam.csv")  # a wide file, its year column named in Vietnamese
    assert {r[2] for r in rows} == {"R", "B"} and all("year 2017" in r[4] for r in rows)


# --- 2. nothing lost without a trace ------------------------------------------------------

def test_an_unterminated_quote_holds_back_its_row_only(run):
    (row,) = issues(run[1], "2019/open-quote.csv")
    assert row[0] == 2 and row[3] == "error" and '46.H,R,"0.75' in row[4]
    scored = values(run[2])
    assert scored[("46.J", "R")] == D("0.5") and scored[("46.J", "B")] == 1
    rows = issues(run[1], "2019/late-quote.csv")
    assert [r[0] for r in rows] == [2, 4] and all(r[3] == "error" for r in rows)
    assert scored[("46.P", "B")] == 1 and scored[("46.Q", "B")] == 1


def test_files_not_read_each_have_an_issue_row(run):
    rows = query(run[1], "select year, source_file, severity, reason from submission_issues "
                         "where row_number is null and source_file is not null")
    by_file = {r[1]: r for r in rows}
    for name in ("2019/form.xls", "2019/form.ods"):
        assert "not a submission format" in by_file[f"submissions/{name}"][3]
    for name in ("20l8", "2019 ", "20180"):
        year, _, severity, reason = by_file[f"submissions/{name}"]
        assert year is None and severity == "error" and "is not a year" in reason
    assert "not in a year folder" in by_file["submissions/loose.csv"][3]
    assert "not valid UTF-8" in by_file["submissions/2019/b\\xe1o c\\xe1o.csv"][3]
    assert "XFD" in by_file["submissions/2019/stray.xlsx"][3] or "1,048,576" in by_file["submissions/2019/stray.xlsx"][3]


def test_every_value_sent_is_scored_or_held_back_with_its_text(run):
    """The balance: each value of every file is in raw.submissions (then scored, or with
    an issue row), or quoted in an issue row of its file."""
    data, published, warehouse = run
    sent = []  # (file, the line, the values on it)
    for name, text in TEXT_FILES.items():
        header_line, *lines = text.splitlines()
        delimiter = ";" if ";" in header_line else ","
        header = header_line.split(delimiter)
        for line in filter(None, lines):
            cells = [cell.strip('"') for cell in line.split(delimiter)]
            if "value" in header:
                sent.append((f"submissions/{name}", line, [cells[header.index("value")]]))
            else:
                sent.append((f"submissions/{name}", line, [
                    cell for column, cell in zip(header, cells) if column not in ("unit_code", "năm", "year")
                ]))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kept = con.execute("select source_file, row_number, unit_code, indicator_code, reason "
                           "from intermediate.int_submissions_checked").fetchall()
        raw = con.execute("select source_file, value_text from raw.submissions").fetchall()
    held = query(published, "select source_file, row_number, reason from submission_issues")
    raw_texts = {(f, v) for f, v in raw}
    for source, line, cells in sent:
        quoted = any(f == source and line in (reason or "") for f, _, reason in held)
        in_raw = all((source, cell) in raw_texts for cell in cells if cell)
        assert quoted or in_raw, (source, line)
    scored = values(warehouse)
    for source, row, unit, indicator, reason in kept:
        assert reason is not None or (unit, indicator) in scored or source is None, (source, row)
        if reason is not None:
            assert (source, row, reason) in set(held), (source, row, reason)
    assert len(raw) == len(kept)


def test_partitions_are_years_only(run, tmp_path, module_monkeypatch):
    import dagster as dg

    from orchestration import annual
    from orchestration.partitions import discover_years, years_partitions

    assert discover_years(run[0]) == ["2019"]
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(years_partitions.name, ["20180"])  # left by an older version
    annual.register_years(instance, discover_years(run[0]))
    assert instance.get_dynamic_partitions(years_partitions.name) == ["2019"]


# --- 3. bounded work on hostile files ----------------------------------------------------

def test_a_stray_far_cell_is_refused_before_the_sheet_is_read(tmp_path):
    stray_cell_workbook(tmp_path / "stray.xlsx")
    with pytest.raises(ValueError, match="1,048,576"):
        xlsx.inspect(tmp_path / "stray.xlsx")
    percent_workbook(tmp_path / "percent.xlsx")
    sheet = xlsx.inspect(tmp_path / "percent.xlsx")
    assert sheet.percent_cells == {(1, 1), (1, 2), (1, 3)} and (sheet.rows, sheet.columns) == (2, 5)


def test_scan_lists_every_entry(tmp_path):
    data = hostile_tree(tmp_path / "data")
    found, unread = load.scan_submissions(data)
    names = {path.name for _, path in found}
    assert "vn-wide.csv" in names and "percent.xlsx" in names and "form.xls" not in names
    assert len(unread) == len(UNREAD) + 1  # and the name that is not UTF-8
