"""Yearly partitions: one year's run rewrites only that year's rows, and years
materialised out of order give the marts of a full run."""

import dagster as dg
import duckdb
import pytest
from conftest import FIXTURES, materialize_all, query

from orchestration import annual
from orchestration.partitions import discover_years, year_keys
from orchestration.publish import MART_TABLES

MINI = FIXTURES / "mini"
YEARLY_TABLES = ("int_indicator_points", "int_criterion_scores", "int_unit_scores", "int_unit_ranks")


def table_rows(database, schema, table, where="true"):
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(f"select * from {schema}.{table} where {where} order by all").fetchall()


def marts(publish_dir):
    return {table: table_rows(publish_dir / "marts.duckdb", "main", table) for table in MART_TABLES}


@pytest.fixture(scope="module")
def full_run(tmp_path_factory, module_monkeypatch):
    work = tmp_path_factory.mktemp("full")
    return work, materialize_all(MINI, work, module_monkeypatch)


def test_one_year_run_leaves_other_years_rows_as_they_were(full_run, monkeypatch):
    work, published = full_run
    warehouse = work / "warehouse.duckdb"
    before = {t: table_rows(warehouse, "intermediate", t, "year = 2017") for t in YEARLY_TABLES}
    before_raw = table_rows(warehouse, "raw", "submissions", "year = 2017")
    marts_before = marts(published)

    instance = dg.DagsterInstance.ephemeral()
    result = materialize_all(MINI, work, monkeypatch, years=[2018], instance=instance)

    assert {t: table_rows(warehouse, "intermediate", t, "year = 2017") for t in YEARLY_TABLES} == before
    assert table_rows(warehouse, "raw", "submissions", "year = 2017") == before_raw
    assert marts(result) == marts_before
    [run] = instance.get_runs()
    assert (run.tags[annual.RANGE_START], run.tags[annual.RANGE_END]) == ("2018", "2018")


def test_years_out_of_order_give_the_marts_of_a_full_run(full_run, tmp_path, monkeypatch):
    _, published = full_run
    instance = dg.DagsterInstance.ephemeral()
    materialize_all(MINI, tmp_path, monkeypatch, years=[2018], instance=instance)
    late = materialize_all(MINI, tmp_path, monkeypatch, years=[2017], instance=instance)
    assert marts(late) == marts(published)
    # 2018's year-over-year fields were filled in once 2017 arrived
    rows = query(late, "select rank_prev, rank_change from provincial_ranking where year = 2018 and unit_code = '46.A'")
    assert rows == [(3, 2)]


def test_years_are_discovered_from_folders_and_frameworks(tmp_path):
    (tmp_path / "submissions" / "2019").mkdir(parents=True)
    (tmp_path / "submissions" / "not-a-year").mkdir()
    (tmp_path / "frameworks").mkdir()
    (tmp_path / "frameworks" / "a.yaml").write_text("code: a\nyears: [2016, 2017]\n")
    assert discover_years(tmp_path) == ["2016", "2017", "2019"]
    assert discover_years(MINI) == ["2017", "2018"]


def test_year_keys_are_only_years():
    assert year_keys(["2019", "2018"]) == [2018, 2019]
    with pytest.raises(ValueError, match="not a year"):
        year_keys(["2018); drop table raw.units; --"])


def test_select_years():
    known = ["2016", "2017", "2018", "2019"]
    assert annual.select_years(known, None) == known
    assert annual.select_years(known, [2018, 2017]) == ["2017", "2018"]
    with pytest.raises(ValueError, match="consecutive"):
        annual.select_years(known, [2016, 2019])
    with pytest.raises(ValueError, match="no such year"):
        annual.select_years(known, [2020])


def test_a_one_year_run_leaves_other_years_unbuilt(full_run, monkeypatch):
    """The yearly dbt step rebuilds only the run's years (read from raw.run_years): a row
    only the warehouse has, in another year, survives it. Last in this module: it adds
    a row to the shared warehouse."""
    work, _ = full_run
    warehouse = work / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("""insert into intermediate.int_indicator_points
                       select * replace ('SENTINEL' as indicator_code) from intermediate.int_indicator_points
                       where year = 2017 limit 1""")

    materialize_all(MINI, work, monkeypatch, years=[2018], instance=dg.DagsterInstance.ephemeral())

    sentinel = "indicator_code = 'SENTINEL'"
    assert [row[1] for row in table_rows(warehouse, "intermediate", "int_indicator_points", sentinel)] == [2017]
    with duckdb.connect(str(warehouse), read_only=True) as con:  # it exists only while dbt runs
        assert not con.execute("select * from information_schema.tables where table_name = 'run_years'").fetchall()
