"""Ingestion into a real DuckDB: every layout and encoding of SPEC §3.3, the registry and
the frameworks, and their errors naming the file and field."""

import unicodedata

import duckdb
import pytest
from conftest import framework_yaml, to_cp1258

from orchestration.ingest import frameworks, load

FRAMEWORK = framework_yaml("f-2018", "Bộ tiêu chí", 2018, """\
  - code: HT
    name: Hạ tầng
    max: 10
    indicators:
      - {code: HT.1, name: Máy tính, max: 10, rule: {type: steps, steps: [[1, 5], [10, 10]]}}
""")


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


@pytest.mark.parametrize("chunk_records", [load.CHUNK_RECORDS, 1])
def test_files_read_together_keep_their_own_columns_and_rows(tmp_path, con, monkeypatch, chunk_records):
    """Files of one layout are read by one statement; each keeps its own column order,
    row numbers (blank lines counted) and values, whichever path its text takes, and
    whether the chunks hold every file or one each (statements running side by side)."""
    monkeypatch.setattr(load, "CHUNK_RECORDS", chunk_records)
    year = tmp_path / "submissions" / "2018"
    write(year / "a.csv", "unit_code,indicator_code,value\n01,HT.1,1\n\n01,HT.2,2\n")
    write(year / "b.csv", "value,note,indicator_code,unit_code\n3,ghi chú,HT.1,02")  # no final newline
    write(year / "c.csv", "unit_code,indicator_code,value\n")  # header only
    write(year / "d.csv", 'unit_code,indicator_code,value,note\n03,HT.1,"4,5","dòng một\ndòng hai"\n03,HT.2,6,\n')
    write(year / "e.csv", "unit_code,indicator_code,value\r\n04,HT.1,7\r\n   \r\n")  # a blank line: no row
    write(year / "f.csv", "unit_code,HT.1,HT.2\n05,8,9\n,,\n06,,10\n")
    write(year / "g.csv", "unit_name,HT.2,unit_code\nSở Y tế,11,07\n")

    counts = load.load_submissions(con, tmp_path)

    assert counts == {"files": 7, "values": 11, "refused_files": 0}
    assert submissions(con) == sorted([
        ("submissions/2018/a.csv", 2, "01", "HT.1", "1", None),
        ("submissions/2018/a.csv", 4, "01", "HT.2", "2", None),
        ("submissions/2018/b.csv", 2, "02", "HT.1", "3", "ghi chú"),
        ("submissions/2018/d.csv", 2, "03", "HT.1", "4,5", "dòng một\ndòng hai"),
        ("submissions/2018/d.csv", 3, "03", "HT.2", "6", None),
        ("submissions/2018/e.csv", 2, "04", "HT.1", "7", None),
        ("submissions/2018/f.csv", 2, "05", "HT.1", "8", None),
        ("submissions/2018/f.csv", 2, "05", "HT.2", "9", None),
        ("submissions/2018/f.csv", 4, "06", "HT.1", None, None),
        ("submissions/2018/f.csv", 4, "06", "HT.2", "10", None),
        ("submissions/2018/g.csv", 2, "07", "HT.2", "11", None),
    ])


def test_files_with_a_header_only_load_nothing_and_refuse_nothing(tmp_path, con):
    year = tmp_path / "submissions" / "2018"
    write(year / "a.csv", "unit_code,indicator_code,value\n")
    write(year / "b.csv", "unit_code;HT.1;HT.2")

    assert load.load_submissions(con, tmp_path) == {"files": 2, "values": 0, "refused_files": 0}


def test_a_chunk_whose_count_disagrees_is_read_file_by_file(tmp_path, con, monkeypatch):
    """Rows of a chunk are given to their files by counting lines; were DuckDB to count
    other records than Python, the group is read again file by file, rows unchanged."""
    year = tmp_path / "submissions" / "2018"
    write(year / "a.csv", "unit_code,indicator_code,value\n01,HT.1,1\n01,HT.2,2\n")
    write(year / "b.csv", "unit_code,indicator_code,value\n02,HT.1,3\n")
    expected = [
        ("submissions/2018/a.csv", 2, "01", "HT.1", "1", None),
        ("submissions/2018/a.csv", 3, "01", "HT.2", "2", None),
        ("submissions/2018/b.csv", 2, "02", "HT.1", "3", None),
    ]
    # a miscount: each file's body gains a blank line that Python counts and DuckDB skips
    add_text = load._Group.add_text
    monkeypatch.setattr(load._Group, "add_text", lambda group, body: add_text(group, body + "\n"))

    counts = load.load_submissions(con, tmp_path)

    assert counts == {"files": 2, "values": 3, "refused_files": 0}
    assert submissions(con) == expected


def test_an_unreadable_file_among_many_is_refused_alone(tmp_path, con):
    year = tmp_path / "submissions" / "2018"
    for n in range(3):
        write(year / f"unit-{n}.csv", f"unit_code,indicator_code,value\n0{n},HT.1,{n}\n")
    write(year / "unit-x.csv", "unit_code,indicator_code,value\n09,HT.1," + "x" * 3_000_000 + "\n09,HT.2,1\n")

    counts = load.load_submissions(con, tmp_path)

    assert counts == {"files": 4, "values": 3, "refused_files": 1}
    [(source, reason)] = con.execute("select source_file, reason from raw.file_issues").fetchall()
    assert source == "submissions/2018/unit-x.csv" and reason.startswith("unreadable file: ")
    assert len(reason) <= load.MAX_REASON_CHARS


def stages(con):
    rows = con.execute("select source_file, row_number, unit_code, indicator_code, value_text, stage "
                       "from raw.submissions").fetchall()
    return sorted(rows, key=repr)


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize("chunk_records", [load.CHUNK_RECORDS, 1])
def test_the_stage_column_arrives_as_sent_in_every_layout_and_kind_of_file(tmp_path, con, monkeypatch,
                                                                         chunk_records):
    """SPEC §3.3: the stage cell of each row reaches raw.submissions as written (NFC, case
    kept, not read: dbt does that), null without the column or in an empty cell; a row
    whose only filled cell is its stage is layout, and a wide file's stage column is no
    indicator. Chunked, read as files (a line break in a quoted note, a bare CR) and from
    workbooks alike."""
    monkeypatch.setattr(load, "CHUNK_RECORDS", chunk_records)
    year = tmp_path / "submissions" / "2018"
    write(year / "long.csv", "unit_code,indicator_code,stage,value,note\n"
                             "01,HT.1,Tự Đánh Giá,1,\n01,HT.2,,2,\n,,self,,\n01,HT.1,thẩm định,3,ghi chú\n")
    write(year / "long-reordered.tsv", "stage\tvalue\tindicator_code\tunit_code\nself\t4\tHT.1\t02\n")
    # decomposed Unicode (macOS), header and cell; a note on two lines: read as a file
    write(year / "long-nfd.csv", nfd('unit_code,indicator_code,value,note,giai đoạn\n'
                                     '03,HT.1,5,"dòng một\ndòng hai",tự đánh giá\n').encode("utf-8"))
    write(year / "wide.csv", "unit_code;unit_name;stage;HT.1;HT.2\n"
                             "04;Sở Y tế;appraised;6;7\n;;self;;\n05;Sở Tư pháp;;8;\n")
    write(year / "wide-cr.csv", 'unit_code,unit_name,giai_doan,HT.1\n10,"Sở\rNội vụ",self,14\n')  # read as a file
    write(year / "no-stage.txt", "unit_code,indicator_code,value\n08,HT.1,12\n".encode("utf-16"))
    write(year / "wide-no-stage.csv", "unit_code,HT.1\n09,13\n")

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Biểu mẫu tự đánh giá năm 2018"])
    sheet.append(["unit_code", nfd("Giai đoạn"), "HT.1", "HT.2"])
    sheet.append(["06", nfd("Tự đánh giá"), 9, "N/A"])
    sheet.append([None, "thẩm định", None, None])  # the stage alone: no value row
    sheet.append(["07", "Thẩm định", 10, 11])
    workbook.save(year / "wide.xlsx")

    counts = load.load_submissions(con, tmp_path)

    source = "submissions/2018/"
    assert counts == {"files": 8, "values": 16, "refused_files": 0}
    assert stages(con) == sorted([
        (source + "long.csv", 2, "01", "HT.1", "1", "Tự Đánh Giá"),
        (source + "long.csv", 3, "01", "HT.2", "2", None),
        (source + "long.csv", 5, "01", "HT.1", "3", "thẩm định"),
        (source + "long-reordered.tsv", 2, "02", "HT.1", "4", "self"),
        (source + "long-nfd.csv", 2, "03", "HT.1", "5", "tự đánh giá"),
        (source + "wide.csv", 2, "04", "HT.1", "6", "appraised"),
        (source + "wide.csv", 2, "04", "HT.2", "7", "appraised"),
        (source + "wide.csv", 4, "05", "HT.1", "8", None),
        (source + "wide.csv", 4, "05", "HT.2", None, None),
        (source + "wide-cr.csv", 2, "10", "HT.1", "14", "self"),
        (source + "no-stage.txt", 2, "08", "HT.1", "12", None),
        (source + "wide-no-stage.csv", 2, "09", "HT.1", "13", None),
        (source + "wide.xlsx", 3, "06", "HT.1", "9", "Tự đánh giá"),
        (source + "wide.xlsx", 3, "06", "HT.2", "N/A", "Tự đánh giá"),
        (source + "wide.xlsx", 5, "07", "HT.1", "10", "Thẩm định"),
        (source + "wide.xlsx", 5, "07", "HT.2", "11", "Thẩm định"),
    ], key=repr)
    # exactly as sent: composed (NFC) text, never re-cased or read
    assert all(unicodedata.is_normalized("NFC", stage) for *_, stage in stages(con) if stage)


OLD_SUBMISSIONS_DDL = """year integer, source_file varchar, row_number integer, unit_code varchar,
    indicator_code varchar, value_text varchar, note varchar, value_type varchar, row_year varchar,
    row_problem varchar"""


@pytest.mark.parametrize("old_rows", [True, False], ids=["with-rows", "empty"])
def test_a_warehouse_made_before_the_stage_column_gains_it(tmp_path, old_rows):
    """raw.submissions of an older warehouse has no `stage`: loading adds it (null in the
    rows kept from before) and the new rows carry theirs, run after run."""
    warehouse = str(tmp_path / "warehouse.duckdb")
    with duckdb.connect(warehouse) as con:
        con.execute("create schema raw")
        con.execute(f"create table raw.submissions ({OLD_SUBMISSIONS_DDL})")
        if old_rows:
            con.execute("insert into raw.submissions values "
                        "(2017, 'submissions/2017/a.csv', 2, '01', 'HT.1', '1', null, null, null, null)")
    data = tmp_path / "data"
    write(data / "submissions" / "2018" / "a.csv", "unit_code,indicator_code,stage,value\n01,HT.1,self,2\n")

    for _ in range(2):  # the second run finds the column there
        with duckdb.connect(warehouse) as con:
            assert load.load_submissions(con, data, [2018]) == {"files": 1, "values": 1, "refused_files": 0}
            columns = [row[0] for row in con.execute("describe raw.submissions").fetchall()]
            rows = con.execute("select year, unit_code, value_text, stage from raw.submissions order by year").fetchall()
        assert columns == ["year", "source_file", "row_number", "unit_code", "indicator_code", "value_text",
                           "note", "value_type", "row_year", "row_problem", "stage"]
        assert rows == [(2017, "01", "1", None)] * old_rows + [(2018, "01", "2", "self")]


def test_registry_missing_column_is_named(tmp_path, con):
    write(tmp_path / "units" / "units.csv", "unit_code,unit_name,unit_type,valid_from,valid_to\n01,Hà Nội,province,2000,\n")
    with pytest.raises(load.RegistryError, match=r"units/units.csv: missing column\(s\) parent_code"):
        load.load_units(con, tmp_path)


@pytest.mark.parametrize(
    "row, message",
    [
        ("46,,province,,2000,", r"units/units.csv, row 2: unit_name is empty"),
        ("46,Huế,xã,,2000,", r"units/units.csv, row 2: unit_type 'xã' is not one of"),
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


def test_unchanged_framework_files_are_not_parsed_again(tmp_path, con, monkeypatch):
    write(tmp_path / "frameworks" / "f.yaml", FRAMEWORK)
    assert load.load_frameworks(con, tmp_path) == 1
    loaded = con.execute("select * from raw.indicator_steps order by threshold").fetchall()
    parsed = []
    real_load_yaml = load.parse.load_yaml
    monkeypatch.setattr(load.parse, "load_yaml", lambda text: parsed.append(text) or real_load_yaml(text))

    assert load.load_frameworks(con, tmp_path) == 1
    assert parsed == [] and con.execute("select * from raw.indicator_steps order by threshold").fetchall() == loaded

    # any change of the bytes, the names or the set of files is read again
    write(tmp_path / "frameworks" / "f.yaml", FRAMEWORK.replace("[[1, 5], [10, 10]]", "[[1, 5], [10, 9]]"))
    assert load.load_frameworks(con, tmp_path) == 1
    assert len(parsed) == 1 and con.execute("select max(points) from raw.indicator_steps").fetchall() == [(9,)]
    (tmp_path / "frameworks" / "f.yaml").rename(tmp_path / "frameworks" / "g.yaml")
    assert load.load_frameworks(con, tmp_path) == 1
    assert len(parsed) == 2
    assert con.execute("select source_file from raw.frameworks").fetchall() == [("frameworks/g.yaml",)]
    (tmp_path / "frameworks" / "g.yaml").unlink()
    assert load.load_frameworks(con, tmp_path) == 0
    assert con.execute("select count(*) from raw.indicators").fetchall() == [(0,)]


@pytest.mark.parametrize(
    "change, message",
    [
        (("type: steps", "type: sigmoid"), r"criteria\[0\].indicators\[0\].rule.type: unknown rule type 'sigmoid'"),
        (("[[1, 5], [10, 10]]", "[[10, 10], [1, 5]]"), r"criteria\[0\].indicators\[0\].rule.steps: thresholds must be strictly ascending"),
        (("min_pct: 0}", "min_pct: 90}"), r"rating\[1\].min_pct: bands must be listed highest first"),
        (("unit_type: department", "unit_type: ward"), r"unit_type 'ward' is not one of"),
    ],
)
def test_framework_errors_name_the_file_and_field(tmp_path, con, change, message):
    write(tmp_path / "frameworks" / "f.yaml", FRAMEWORK.replace(*change))
    with pytest.raises(frameworks.FrameworkError, match=r"frameworks/f.yaml \(f-2018\).*" + message):
        load.load_frameworks(con, tmp_path)
