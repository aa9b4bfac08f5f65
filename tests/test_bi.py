"""What an analyst's BI tool sees in the published marts (SPEC §5, README "Outputs"): every
table and column says what it is (its dbt description, as a DuckDB comment), a DATE
`period_start` gives time axes, and the exact DECIMAL scores of the Parquet files chart as
floats when read the way the README says.

The published marts are the mini run's (a real materialisation, tests/conftest.py)."""

from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy
from conftest import query

from orchestration.dbt_project import dbt_project
from orchestration.publish import MART_TABLES, comment_on, mart_descriptions


@pytest.fixture(scope="module")
def published(mini_run):
    return mini_run[1]


def catalog(published) -> tuple[dict[str, str | None], dict[str, dict[str, str | None]]]:
    """The comments DuckDB holds: per table, and per table and column (in column order)."""
    with duckdb.connect(str(published / "marts.duckdb"), read_only=True) as con:
        tables = dict(con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'main'").fetchall())
        columns = {}
        for table, column, comment in con.execute(
            """select table_name, column_name, comment from duckdb_columns()
               where not internal and schema_name = 'main' order by table_name, column_index"""
        ).fetchall():
            columns.setdefault(table, {})[column] = comment
    return tables, columns


def test_every_published_table_and_column_carries_its_dbt_description(published):
    tables, columns = catalog(published)
    assert sorted(tables) == sorted(MART_TABLES)
    undescribed = [table for table in MART_TABLES if not (tables[table] or "").strip()] + [
        f"{table}.{column}"
        for table in MART_TABLES
        for column, comment in columns[table].items()
        if not (comment or "").strip()
    ]
    assert not undescribed, f"describe these in the dbt YAML beside the model: {undescribed}"
    descriptions = mart_descriptions(dbt_project.manifest_path)
    for table in MART_TABLES:
        description, column_descriptions = descriptions[table]
        assert tables[table] == description.strip()
        assert columns[table] == {column: column_descriptions[column].strip() for column in columns[table]}


def test_sqlalchemy_on_duckdb_engine_reads_the_table_comments(published):
    tables, _ = catalog(published)
    engine = sqlalchemy.create_engine(f"duckdb:///{published / 'marts.duckdb'}", connect_args={"read_only": True})
    try:
        inspector = sqlalchemy.inspect(engine)
        assert set(MART_TABLES) <= set(inspector.get_table_names())
        assert {table: inspector.get_table_comment(table)["text"] for table in MART_TABLES} == {
            table: tables[table] for table in MART_TABLES
        }
    finally:
        engine.dispose()


def test_sqlalchemy_on_duckdb_engine_reads_the_column_comments(published):
    """What Superset shows as column descriptions: the inspector's comments, none missing.
    (SQLAlchemy 2.0.45 + reflects columns through pg_catalog.pg_collation, which DuckDB
    lacks: pyproject.toml keeps the dev extra below it.)"""
    _, columns = catalog(published)
    engine = sqlalchemy.create_engine(f"duckdb:///{published / 'marts.duckdb'}", connect_args={"read_only": True})
    try:
        inspector = sqlalchemy.inspect(engine)
        reflected = {table: {column["name"]: column["comment"] for column in inspector.get_columns(table)}
                     for table in MART_TABLES}
    finally:
        engine.dispose()
    assert not [f"{table}.{column}" for table in MART_TABLES for column, comment in reflected[table].items()
                if not (comment or "").strip()]
    assert reflected == {table: columns[table] for table in MART_TABLES}


def test_comment_texts_are_quoted_not_pasted_into_sql():
    hostile = "It's 100 % \\n \"sure\"'; drop table t; --\nTiếng Việt $$ $1"
    with duckdb.connect() as con:
        con.execute('create table "odd ""table""" ("index" integer, "odd ""name""" integer, plain integer)')
        comment_on(con, 'odd "table"', hostile, {"index": hostile, 'odd "name"': "x'y", "plain": " ",
                                                 "absent": "a column the table does not have"})
        assert con.execute("select table_name, comment from duckdb_tables()").fetchall() == [('odd "table"', hostile)]
        assert con.execute("select column_name, comment from duckdb_columns() where not internal "
                           "order by column_index").fetchall() == [
            ("index", hostile), ('odd "name"', "x'y"), ("plain", None)]


def test_period_start_is_january_first_of_year_as_a_date(published):
    with duckdb.connect(str(published / "marts.duckdb"), read_only=True) as con:
        for table in MART_TABLES:
            types = dict(con.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = 'main' and table_name = $t",
                {"t": table}).fetchall())
            assert types["period_start"] == "DATE" and types["year"] == "INTEGER", table
            # in restated_ranking, of the year restated, not of units_year (no rows in the mini run)
            (wrong,) = con.execute(
                f'select count(*) from "{table}" where period_start is distinct from make_date(year, 1, 1)').fetchone()
            assert wrong == 0, table
            path = str(published / "parquet" / f"{table}.parquet")
            assert con.execute("select typeof(period_start) from read_parquet($p) limit 1", {"p": path}).fetchall() in (
                [], [("DATE",)])
    years = query(published, "select distinct year from provincial_ranking order by all")
    assert years and query(published, "select distinct period_start from provincial_ranking order by all") == [
        (date(year, 1, 1),) for (year,) in years]


def read_for_charts(path) -> pd.DataFrame:
    """The README's recipe: exact decimals in the file, floats for charts and numpy."""
    frame = pd.read_parquet(path, dtype_backend="pyarrow")
    return frame.astype({name: "float64" for name, dtype in frame.dtypes.items() if pa.types.is_decimal(dtype.pyarrow_dtype)})


def test_parquet_scores_stay_exact_decimals_and_read_as_floats_the_documented_way(published):
    ranking_path = published / "parquet" / "provincial_ranking.parquet"
    schema = pq.read_schema(ranking_path)
    for column in ("total_score", "max_applicable", "score_pct", "index"):
        assert pa.types.is_decimal(schema.field(column).type), column

    ranking = read_for_charts(ranking_path)
    assert {ranking[column].dtype for column in ("total_score", "score_pct", "index")} == {np.dtype("float64")}
    # a null (no applicable maximum, a criterion not applicable) becomes NaN: nanmean skips it
    ((pct_mean, rows),) = query(published, "select avg(score_pct), count(*) from provincial_ranking")
    assert rows > 0
    assert np.nanmean(ranking["score_pct"].to_numpy()) == pytest.approx(float(pct_mean))
    scores = read_for_charts(published / "parquet" / "provincial_criterion_scores.parquet")
    ((index_mean,),) = query(published, "select avg(index) from provincial_criterion_scores")
    assert np.nanmean(scores["index"].to_numpy()) == pytest.approx(float(index_mean))

    # DuckDB's own conversion to pandas (the README's other recipe) gives floats and datetimes
    frame = duckdb.read_parquet(str(ranking_path)).df()
    assert frame["score_pct"].dtype == np.dtype("float64")
    assert np.nanmean(frame["score_pct"].to_numpy()) == pytest.approx(float(pct_mean))
    assert str(frame["period_start"].dtype).startswith("datetime64")
