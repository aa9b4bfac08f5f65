"""A reorganisation (SPEC §3.1, §4; the 2025 reform): units/lineage.csv, the year before
restated on the next year's units, and every year-over-year figure compared with it.

The fixture input (tests/fixtures/reform) is small enough to be computed by hand here:
- provinces, national, 2024 → 2025: 02 + 03 merge into 03 (which keeps its code), 04 is
  renamed with a new code 40, 06 splits into 61 and 62, 01 and 05 have no lineage row;
  every index is score / 100 (criteria A 60 + B 40 points; pillars P1 = A, P2 = A + B);
- departments: province 02's merge into 03's (02.X + 03.X → 03.X, 02.Y → 03.Y under the
  new evaluator), 03.Z with no row; province 01's departments untouched;
- communes of province 05 (which no lineage row touches): 05.C1 + 05.C2 merge into 05.C12,
  05.C3 has no row (the districts' abolition: communes merged within a province);
- ministries: no lineage at all, so compared as evaluated.
"""

import shutil
from decimal import Decimal as D

import duckdb
import pytest
from conftest import FIXTURES, materialize_all, query

from orchestration.ingest import load

REFORM = FIXTURES / "reform"


@pytest.fixture(scope="module")
def published(tmp_path_factory, module_monkeypatch):
    return materialize_all(REFORM, tmp_path_factory.mktemp("reform"), module_monkeypatch)


def rows(published, sql, params=None):
    return query(published, sql, params)


# --- the year restated ---------------------------------------------------------------------

def test_the_year_before_is_restated_on_the_next_years_units(published):
    restated = rows(published, """
        select unit_code, unit_name, predecessor_codes, predecessor_count, index, score_pct, rank
        from restated_ranking where year = 2024 and evaluator = 'national' and unit_type = 'province'
        order by rank, unit_code""")
    assert restated == [
        ("01", "Tỉnh Một", "01", 1, D("0.9000"), D("90.00"), 1),  # no lineage row: itself
        ("40", "Thành phố Bốn", "04", 1, D("0.8000"), D("80.00"), 2),  # renamed with a new code
        ("03", "Tỉnh Ba mới", "02 | 03", 2, D("0.6000"), D("60.00"), 3),  # (0.5 + 0.7) / 2
        ("05", "Tỉnh Năm", "05", 1, D("0.6000"), D("60.00"), 3),  # ties share a rank
        ("61", "Tỉnh Sáu Bắc", "06", 1, D("0.2000"), D("20.00"), 5),  # a split: both successors
        ("62", "Tỉnh Sáu Nam", "06", 1, D("0.2000"), D("20.00"), 5),  # carry the predecessor's
    ]
    # as evaluated, 2024 stays what it was: six provinces under their 2024 names
    assert rows(published, """select unit_code, unit_name, index, rank from national_ranking
                              where year = 2024 and unit_type = 'province' order by rank""") == [
        ("01", "Tỉnh Một", D("0.9000"), 1), ("04", "Tỉnh Bốn", D("0.8000"), 2),
        ("03", "Tỉnh Ba", D("0.7000"), 3), ("05", "Tỉnh Năm", D("0.6000"), 4),
        ("02", "Tỉnh Hai", D("0.5000"), 5), ("06", "Tỉnh Sáu", D("0.2000"), 6)]


def test_groups_the_lineage_does_not_change_are_not_restated(published):
    groups = rows(published, "select distinct evaluator, unit_type from restated_ranking order by all")
    # no ministries, no province 01; province 05's communes though its province is untouched
    assert groups == [("03", "department"), ("05", "commune"), ("national", "province")]


def test_the_next_year_compares_with_the_restated_ranks(published):
    ranking = {code: rest for code, *rest in rows(published, """
        select unit_code, rank, rank_prev, rank_change, rank_prev_restated from national_ranking
        where year = 2025 and unit_type = 'province'""")}
    assert ranking == {
        "03": [1, 3, 2, True],  # as evaluated, 03 was 3rd alone; restated it is the merged 0.6
        "40": [2, 2, 0, True],  # the rename carries 04's rank over
        "01": [3, 1, -2, True],  # no lineage row, but its group was restated: 1st of the restated
        "05": [4, 3, -1, True],
        "62": [5, 5, 0, True],
        "61": [6, 5, -1, True],
    }


def test_a_group_without_lineage_compares_as_evaluated(published):
    assert rows(published, """select unit_code, rank, rank_prev, rank_change, rank_prev_restated
                              from national_ranking where year = 2025 and unit_type = 'ministry'
                              order by rank""") == [("M1", 1, 2, 1, False), ("M2", 2, 1, -1, False)]
    assert rows(published, """select unit_code, rank, rank_prev, rank_change, rank_prev_restated
                              from provincial_ranking where year = 2025 and province_code = '01'
                              order by rank""") == [("01.B", 1, 2, 1, False), ("01.A", 2, 1, -1, False)]


def test_pillars_compare_with_the_restated_pillar_ranks(published):
    # P1 is criterion A: restated 2024 01 .9, 40 .75, 03 (.4 + .8) / 2 = .6, 05 .5, 61 = 62 = .2
    p1 = {code: rest for code, *rest in rows(published, """
        select unit_code, rank, rank_prev, rank_change, rank_prev_restated from national_pillar_scores
        where year = 2025 and pillar_code = 'P1'""")}
    assert p1 == {"03": [1, 3, 2, True], "40": [2, 2, 0, True], "01": [3, 1, -2, True],
                  "05": [4, 4, 0, True], "62": [5, 5, 0, True], "61": [6, 5, -1, True]}


def test_averages_compare_with_the_restated_means(published):
    averages = {code: rest for code, *rest in rows(published, """
        select criterion_code, avg_index, avg_index_prev, change, prev_restated
        from national_category_averages where year = 2025 and unit_type = 'province'""")}
    # 2025: 3.85 / 6; restated 2024: (.9 + .8 + .6 + .6 + .2 + .2) / 6 = .55 (as evaluated: 3.7 / 6)
    assert averages["overall"] == [D("0.6417"), D("0.5500"), D("0.0917"), True]
    # A restated: (.9 + .75 + .6 + .5 + .2 + .2) / 6 = .525; B: (.9 + .875 + .6 + .75 + .2 + .2) / 6
    assert averages["A"] == [D("0.6417"), D("0.5250"), D("0.1167"), True]
    assert averages["B"] == [D("0.6417"), D("0.5875"), D("0.0542"), True]
    assert rows(published, """select avg_index_prev, prev_restated from national_category_averages
                              where year = 2025 and unit_type = 'ministry' and criterion_code = 'overall'""") \
        == [(D("0.5500"), False)]


# --- the provincial level ------------------------------------------------------------------

def test_departments_of_a_merged_province_are_restated_under_its_successor(published):
    assert rows(published, """select unit_code, unit_name, predecessor_codes, index, rating, rank
                              from restated_ranking where evaluator = '03' order by rank""") == [
        ("03.X", "Sở Văn hóa, Thể thao tỉnh Ba", "02.X | 03.X", D("0.8000"), "Tốt", 1),  # (.9 + .7) / 2
        ("03.Z", "Sở Z tỉnh Ba", "03.Z", D("0.6000"), "Khá", 2),
        ("03.Y", "Sở Y tỉnh Ba", "02.Y", D("0.4000"), "Yếu", 3),  # moved to the new evaluator
    ]
    assert rows(published, """select unit_code, rank, rank_prev, rank_change, rank_prev_restated
                              from provincial_ranking where year = 2025 and province_code = '03'
                              order by rank""") == [
        ("03.Z", 1, 2, 1, True), ("03.X", 2, 1, -1, True), ("03.Y", 3, 3, 0, True)]


def test_communes_merged_within_a_province_compare_with_their_restated_predecessors(published):
    assert rows(published, """select unit_code, unit_name, predecessor_codes, index, rating, rank
                              from restated_ranking where evaluator = '05' order by rank""") == [
        ("05.C3", "Phường Ba, Bốn", "05.C3", D("0.7000"), "Khá", 1),
        ("05.C12", "Xã Một Hai", "05.C1 | 05.C2", D("0.6000"), "Khá", 2),  # (.8 + .4) / 2
    ]
    # as evaluated, 05.C3 was 2nd of three (after 05.C1): restated, it was 1st of two
    assert rows(published, """select unit_code, rank, rank_prev, rank_change, rank_prev_restated
                              from provincial_ranking where year = 2025 and province_code = '05'
                              order by rank""") == [("05.C12", 1, 2, 1, True), ("05.C3", 2, 1, -1, True)]


def test_rating_shares_compare_with_the_restated_distribution(published):
    shares = rows(published, """select rating, share_pct, share_pct_prev, change_pct, prev_restated
                                from provincial_rating_distribution where year = 2025 and province_code = '03'
                                order by band_order""")
    # 2025: Tốt 03.Z, Khá 03.X and 03.Y; restated 2024: one unit in each band
    assert shares == [("Tốt", D("33.33"), D("33.33"), D("0.00"), True),
                      ("Khá", D("66.67"), D("33.33"), D("33.33"), True),
                      ("Yếu", D("0.00"), D("33.33"), D("-33.33"), True)]


def test_every_mart_shows_the_name_valid_that_year(published):
    assert rows(published, """select distinct year, province_name from provincial_ranking
                              where province_code = '03' order by year""") == [(2024, "Tỉnh Ba"), (2025, "Tỉnh Ba mới")]
    assert rows(published, "select evaluator_name from restated_ranking where evaluator = '03' limit 1") == [("Tỉnh Ba mới",)]


# --- lineage.csv checked, a bad one stops the run --------------------------------------------

HEADER = "predecessor_code,successor_code,year\n"


def refused_lineage(tmp_path, text: str) -> str:
    data = tmp_path / "data"
    shutil.copytree(REFORM / "units", data / "units", dirs_exist_ok=True)
    (data / "units" / "lineage.csv").write_text(text, encoding="utf-8")
    with duckdb.connect() as con, pytest.raises(load.RegistryError) as error:
        load.load_units(con, data)
    return str(error.value)


@pytest.mark.parametrize("text, message", [
    (HEADER + "02,03,2025\n07,03,2025\n",
     "units/lineage.csv, line 3, field predecessor_code: '07' is not a unit of the registry valid in 2024"),
    (HEADER + "04,41,2025\n", "units/lineage.csv, line 2, field successor_code: '41' is not a unit of the registry valid in 2025"),
    (HEADER + "40,04,2025\n", "units/lineage.csv, line 2, field predecessor_code: '40' is not a unit of the registry valid in 2024"),
    (HEADER + "02,03,25\n", "units/lineage.csv, line 2, field year: '25' is not a year (1990 to 2100)"),
    (HEADER + "02,,2025\n", "units/lineage.csv, line 2, field successor_code: empty"),
    (HEADER + "02,03,2025\n02,03,2025\n", "units/lineage.csv, line 3: the same row as line 2"),
    (HEADER + "02.X,03,2025\n", "units/lineage.csv, line 2, field successor_code: '03' is a province in 2025, "
                                "its predecessor '02.X' a department in 2024"),
    (HEADER + "../x,03,2025\n", "units/lineage.csv, line 2, field predecessor_code: '../x' is not a code"),
    ("predecessor,successor_code,year\n", "units/lineage.csv: missing column(s) predecessor_code in the header"),
    ("", "units/lineage.csv: the file is empty"),
])
def test_a_bad_lineage_row_is_named_by_line_and_field(tmp_path, text, message):
    assert refused_lineage(tmp_path, text).startswith(message)


def test_a_cycle_is_refused_with_its_lines(tmp_path):
    # 05 and 01 are valid both years: each says the other carries it on
    error = refused_lineage(tmp_path, HEADER + "02,03,2025\n05,01,2025\n01,05,2025\n01.A,01.B,2025\n")
    assert error == "units/lineage.csv, lines 3, 4, field successor_code: the rows of 2025 form a cycle through 01, 05"
    # three units round, and a row leading off the cycle that is not part of it
    longer = refused_lineage(tmp_path, HEADER + "01.A,01.B,2025\n01.B,03.Z,2025\n03.Z,01.A,2025\n03.Z,03.X,2025\n")
    assert longer.startswith("units/lineage.csv, lines 2, 3, 4, field successor_code: the rows of 2025 form a cycle")


def test_chains_merges_and_splits_are_no_cycle(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REFORM / "units", data / "units")
    (data / "units" / "lineage.csv").write_text(HEADER + "01.A,01.B,2025\n01.B,03.Z,2025\n03.Z,03.Z,2025\n")
    with duckdb.connect() as con:
        load.load_units(con, data)
        assert con.execute("select count(*) from raw.lineage").fetchone() == (3,)
    (data / "units" / "lineage.csv").unlink()  # optional: no file, no rows
    with duckdb.connect() as con:
        load.load_units(con, data)
        assert con.execute("select count(*) from raw.lineage").fetchone() == (0,)


def test_a_bad_lineage_stops_the_run_and_leaves_the_published_marts(published, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(REFORM, data)
    work = published.parent
    before = {path: path.read_bytes() for path in [published / "marts.duckdb", *(published / "parquet").glob("*")]}
    lineage = data / "units" / "lineage.csv"
    line = len(lineage.read_text(encoding="utf-8").splitlines()) + 1
    with lineage.open("a") as file:
        file.write("07,03,2025\n")
    with pytest.raises(Exception, match=rf"units/lineage.csv, line {line}, field predecessor_code: '07'"):
        materialize_all(data, work, monkeypatch)
    assert {path: path.read_bytes() for path in before} == before
