"""The marts' labels and lists agree with each other (issue 15): a rating_label never null
that names the units not ranked as the rating distribution does, a Vietnamese
unit_type_label from one definition, a reason not ranked with its stable code, and lists
of names in one text column that split back into exactly their names."""

import csv
from collections import Counter
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import DEMO_DATA, FIXTURES, ROOT

from orchestration.ingest import frameworks, load
from orchestration.reports import content

VARS = yaml.safe_load((ROOT / "dbt_project" / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
RANKING_MARTS = ("national_ranking", "provincial_ranking", "restated_ranking")
NOT_RANKED_CODES = {
    "national_ranking": {"nothing_applicable", "mandatory_not_applicable"},
    "provincial_ranking": {"nothing_applicable", "mandatory_not_applicable"},
    "restated_ranking": {"predecessor_nothing_applicable", "predecessor_not_ranked"},
}


@pytest.fixture(scope="module", params=["demo", "mini"])
def marts(request):
    """(the published marts, open read-only as a BI tool opens them; the input root)."""
    work, published = request.getfixturevalue(f"{request.param}_run")[:2]
    with duckdb.connect(str(published / "marts.duckdb"), read_only=True) as con:
        yield con, DEMO_DATA if request.param == "demo" else FIXTURES / "mini"


def rows(con, sql: str, params=None) -> list[dict]:
    cursor = con.execute(sql, params or {})
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def columns(con) -> dict[str, dict[str, str]]:
    """Every mart's columns and their types."""
    found = {}
    for table, column, data_type in con.execute(
        "select table_name, column_name, data_type from duckdb_columns() where schema_name = 'main'"
    ).fetchall():
        found.setdefault(table, {})[column] = data_type
    return found


def registry(data_dir: Path) -> tuple[set[str], set[str]]:
    """The codes and names of units/units.csv."""
    with open(data_dir / "units" / "units.csv", encoding="utf-8", newline="") as f:
        units = list(csv.DictReader(f))
    return {u["unit_code"] for u in units}, {u["unit_name"] for u in units}


def count_column(column: str) -> str:
    """The count beside a list column: best_units → best_unit_count, predecessor_codes →
    predecessor_count."""
    return column.removesuffix("_units") + "_unit_count" if column.endswith("_units") else \
        column.removesuffix("_codes") + "_count"


def test_no_list_column_value_splits_into_a_wrong_name_count(marts):
    con, data_dir = marts
    codes, names = registry(data_dir)
    lists = {
        (table, column)
        for table, cols in columns(con).items()
        for column, data_type in cols.items()
        if data_type == "VARCHAR" and (column.endswith("_units") or column.endswith("_codes"))
    }
    # every list column of the marts, each with its count beside it
    assert {(t, c) for t, c in lists if t.endswith("highlights")} == {
        (table, f"{place}_units")
        for table in ("provincial_criterion_highlights", "national_category_highlights")
        for place in ("best", "second", "worst", "max_reached", "zero")
    }
    assert ("restated_ranking", "predecessor_codes") in lists
    checked = 0
    for table, column in sorted(lists):
        count = count_column(column)
        allowed = codes if column.endswith("_codes") else names
        for row in rows(con, f'select "{column}" as value, "{count}" as count from "{table}"'):
            parts = content.split_list(row["value"])
            assert len(parts) == row["count"], (table, column, row)
            assert set(parts) <= allowed, (table, column, row)
            assert row["value"] is None or len(set(parts)) == len(parts), (table, column, row)
            checked += len(parts)
    assert checked


def test_a_name_with_a_comma_is_one_name_of_a_list(demo_run):
    """Hưng Yên 2018: Sở Văn hóa, Thể thao và Du lịch alone has the lowest score in the web
    portal criterion; split on ", " it would be two units."""
    with duckdb.connect(str(demo_run[1] / "marts.duckdb"), read_only=True) as con:
        (worst, count), = con.execute(
            """select worst_units, worst_unit_count from provincial_criterion_highlights
               where year = 2018 and province_code = '33' and unit_type = 'department' and criterion_code = 'TT'"""
        ).fetchall()
    assert (content.split_list(worst), count) == (["Sở Văn hóa, Thể thao và Du lịch"], 1)


def test_the_separator_is_one_no_unit_name_can_hold():
    assert content.LIST_SEPARATOR == load.LIST_SEPARATOR == " | "
    assert load.LIST_MARK in load.LIST_SEPARATOR
    macro = (ROOT / "dbt_project" / "macros" / "labels.sql").read_text(encoding="utf-8")
    assert f"'{load.LIST_SEPARATOR}'" in macro


def test_the_rating_label_is_never_null_and_names_the_units_not_ranked_as_the_distribution(marts):
    con, _ = marts
    not_ranked, not_rated = VARS["not_ranked_label"], VARS["not_rated_label"]
    for table in RANKING_MARTS:
        for row in rows(con, f"select rating, rating_label, ranked from {table}"):
            expected = row["rating"] if row["ranked"] and row["rating"] else not_ranked if not row["ranked"] else not_rated
            assert row["rating_label"] == expected, (table, row)
    # the ranking's labels counted per group are the distribution's rows (bands without units aside)
    counted = Counter(
        (r["year"], r["province_code"], r["unit_type"], r["peer_group"], r["rating_label"])
        for r in rows(con, "select * from provincial_ranking")
        if r["rating_label"] != not_rated
    )
    distribution = {
        (r["year"], r["province_code"], r["unit_type"], r["peer_group"], r["rating"]): r["unit_count"]
        for r in rows(con, "select * from provincial_rating_distribution")
        if r["unit_count"]
    }
    assert distribution and dict(counted) == distribution


def test_a_unit_not_ranked_has_a_code_and_a_vietnamese_reason(marts):
    con, _ = marts
    for table in RANKING_MARTS:
        for row in rows(con, f"select unit_code, ranked, not_ranked_code, not_ranked_reason from {table}"):
            if row["ranked"]:
                assert row["not_ranked_code"] is None and row["not_ranked_reason"] is None, (table, row)
            else:
                assert row["not_ranked_code"] in NOT_RANKED_CODES[table], (table, row)
                reason = row["not_ranked_reason"]
                assert reason.startswith(("tiêu chí bắt buộc không áp dụng: “", "không có tiêu chí nào",
                                          "có đơn vị trước sắp xếp")), (table, row)
                assert "((" not in reason and "))" not in reason, (table, row)


def test_unit_type_labels_come_from_one_definition(marts):
    con, _ = marts
    labels = VARS["unit_type_labels"]
    assert set(labels) == frameworks.UNIT_TYPES  # a label for every unit type the input may have
    with_type = {table: cols for table, cols in columns(con).items() if "unit_type" in cols}
    assert len(with_type) >= 15
    for table, cols in with_type.items():
        assert "unit_type_label" in cols, table
        pairs = set(con.execute(f"select distinct unit_type, unit_type_label from {table}").fetchall())
        assert pairs == {(unit_type, labels[unit_type]) for unit_type, _ in pairs}, table
