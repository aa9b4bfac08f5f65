"""Great Expectations suites as Dagster asset checks (SPEC §6): every suite passes on the
mini input and the Data Docs are published; a failing mart suite blocks publishing and
leaves the published files byte for byte; every mart is guarded by a blocking suite."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import FIXTURES, ROOT, point_at

from orchestration import definitions
from orchestration.annual import RANGE_END, RANGE_START, register_years
from orchestration.definitions import defs
from orchestration.partitions import years_partitions
from orchestration.quality import SuiteError, checks, expectations_dir, load_suites
from orchestration.settings import Settings


def ge_check_specs():
    graph = defs.resolve_asset_graph()
    return [graph.get_check_spec(key) for key in graph.asset_check_keys if key.name.startswith("ge_")]


def published_hashes(publish_dir):
    """Every published file but the quality docs, which each run replaces: through the
    public paths, symlinks followed (marts.duckdb, parquet/, reports/), and the versions
    behind them."""
    hashes = {}
    for folder, _, names in os.walk(publish_dir, followlinks=True):
        for name in names:
            path = Path(folder, name)
            if path.relative_to(publish_dir).parts[0] != "quality":
                hashes[path.relative_to(publish_dir).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


@pytest.fixture(scope="module")
def first_run(mini_run):
    _, published, instance = mini_run
    (run,) = instance.get_runs()
    evaluations = [
        entry.dagster_event.event_specific_data
        for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    ]
    index = (published / "quality" / "index.html").read_text(encoding="utf-8")
    return published, instance, evaluations, index


def test_the_mini_run_passes_every_suite_and_publishes_the_docs(first_run):
    published, _, evaluations, index = first_run
    ge = {e.check_name: e.passed for e in evaluations if e.check_name.startswith("ge_")}
    assert set(ge) == {spec.name for spec in ge_check_specs()}, "the annual run runs every check"
    assert all(ge.values()), ge
    for suite in load_suites(expectations_dir()):
        assert suite.name in index
    assert (published / "quality" / "validations" / "marts" / "provincial_ranking").is_dir()
    assert not list(published.glob(".quality*")), "docs staged aside must not be left behind"


def test_a_yearly_check_validates_the_years_of_the_run_and_a_mart_check_the_whole_table(first_run, mini_run):
    work, _, _ = mini_run
    _, _, evaluations, _ = first_run
    metadata = {e.check_name: {k: v.value for k, v in e.metadata.items()} for e in evaluations}
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        (submissions,), = con.execute("select count(*) from raw.submissions").fetchall()
        (ranking,), = con.execute("select count(*) from marts.provincial_ranking").fetchall()
    assert metadata["ge_raw_submissions"]["years"] == "2017, 2018"
    assert metadata["ge_raw_submissions"]["rows"] == submissions > 0
    assert metadata["ge_intermediate_int_indicator_points"]["years"] == "2017, 2018"
    assert metadata["ge_marts_provincial_ranking"]["years"] == "whole table"
    assert metadata["ge_marts_provincial_ranking"]["rows"] == ranking > 0


def test_a_one_year_check_catches_a_bad_value_of_that_year_only(mini_run, tmp_path, monkeypatch):
    """A check run for one year (here alone, as from the UI) reads that year: a bad 2017
    row fails the 2017 check and not the 2018 one; a run that names no year reads them all."""
    work, _, _ = mini_run
    shutil.copy(work / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        (updated,), = con.execute(
            """update intermediate.int_indicator_points set points = max_points + 1 where rowid = (
                   select min(rowid) from intermediate.int_indicator_points where year = 2017)""").fetchall()
        assert updated == 1
        (rows_2018,), = con.execute(
            "select count(*) from intermediate.int_indicator_points where year = 2018").fetchall()
    point_at(monkeypatch, FIXTURES / "mini", tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    register_years(instance, ["2017", "2018"])
    asset = dg.AssetKey(["intermediate", "int_indicator_points"])

    def check_alone(year=None):
        result = dg.materialize(
            definitions.ASSETS + definitions.asset_checks(), resources=definitions.resources(), instance=instance,
            selection=dg.AssetSelection.checks(dg.AssetCheckKey(asset, "ge_intermediate_int_indicator_points")),
            raise_on_error=False,
            tags={RANGE_START: year, RANGE_END: year} if year else None)
        assert not result.get_asset_materialization_events(), "only the check runs"
        (evaluation,) = result.get_asset_check_evaluations()
        return evaluation

    good = check_alone("2018")
    assert good.passed
    assert good.metadata["years"].value == "2018"
    assert good.metadata["rows"].value == rows_2018

    failed = check_alone("2017")
    assert not failed.passed and failed.severity == dg.AssetCheckSeverity.ERROR
    assert failed.metadata["years"].value == "2017"
    assert failed.metadata["failed"].value == 1
    table = failed.metadata["failed_expectations"].value
    assert "expect_column_pair_values_a_to_be_greater_than_b" in table and "| 2017 |" in table
    docs = tmp_path / "published" / "quality"
    assert "intermediate.int_indicator_points 2017" in (docs / "index.html").read_text(encoding="utf-8")

    every_year = check_alone()
    assert not every_year.passed and every_year.metadata["years"].value == "2017, 2018"


def write_suite(folder, expectations):
    folder.mkdir(exist_ok=True)
    (folder / "raw.values.json").write_text(json.dumps({
        "name": "raw.values", "meta": {"table": "raw.values", "blocking": False},
        "expectations": [{"type": kind, "kwargs": kwargs} for kind, kwargs in expectations],
    }), encoding="utf-8")
    (suite,) = load_suites(folder)
    return suite


@pytest.fixture
def values_warehouse(tmp_path):
    """A small table over two years whose 2021 holds a row number below 2."""
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw")
        con.execute("""create table raw.values as select * from (values
            (2020, 'submissions/2020/a.csv', 2, 'x', 1.5),
            (2021, 'submissions/2021/b.csv', 3, 'y', 2.5),
            (2021, 'submissions/2021/b.csv', 1, null, 3.5)) v(year, source_file, row_number, note, value)""")
    return Settings(data_dir=tmp_path, warehouse=warehouse, publish_dir=tmp_path / "published")


def test_a_suite_reads_only_the_columns_it_names_and_still_sees_every_column(values_warehouse, tmp_path):
    suite = write_suite(tmp_path / "suites", [
        ("expect_table_columns_to_match_set",
         {"column_set": ["year", "source_file", "row_number", "note", "value"], "exact_match": True}),
        ("expect_table_columns_to_match_ordered_list",
         {"column_list": ["year", "source_file", "row_number", "note", "value"]}),
        ("expect_column_values_to_match_regex", {"column": "source_file", "regex": r"^submissions/\d{4}/"}),
        ("expect_column_values_to_be_between", {"column": "row_number", "min_value": 2}),
    ])
    assert suite.columns == {"source_file", "row_number"}
    with duckdb.connect(str(values_warehouse.warehouse), read_only=True) as con:
        columns = checks.table_columns(con, suite.table)
        frame = checks.read_batch(con, suite.table, columns, suite.columns, [2021])
    assert list(frame.columns) == ["year", "source_file", "row_number", "note", "value"]
    assert frame["row_number"].tolist() == [3, 1]
    assert frame["note"].isna().all() and frame.memory_usage()["note"] < 100, "an unread column is empty"

    result = checks.validate(suite, checks.GxRun("run-1", values_warehouse.publish_dir), values_warehouse)
    assert not result.passed and result.metadata["rows"].value == 3
    assert result.metadata["failed"].value == 1, "the expect_table_* ones pass, most columns unread"
    assert "expect_column_values_to_be_between" in result.metadata["failed_expectations"].value


def test_a_year_is_validated_alone_and_each_batch_has_its_docs(values_warehouse, tmp_path):
    suite = write_suite(tmp_path / "suites", [
        ("expect_column_values_to_be_between", {"column": "row_number", "min_value": 2}),
        ("expect_compound_columns_to_be_unique", {"column_list": ["year", "source_file", "row_number"]}),
    ])
    run = checks.GxRun("run-2", values_warehouse.publish_dir)  # a run's checks share it
    assert checks.validate(suite, run, values_warehouse, years=[2020]).passed
    failed = checks.validate(suite, run, values_warehouse, years=[2021])
    assert not failed.passed
    assert failed.metadata["rows"].value == 2 and failed.metadata["years"].value == "2021"
    assert "2021" in failed.description
    # the failure's row: how many values, and which
    assert "| 2021 | expect_column_values_to_be_between | row_number | 1 | 1 |" in (
        failed.metadata["failed_expectations"].value)

    docs = run.publish_docs()  # as the run's quality resource does when the run ends
    assert docs == values_warehouse.publish_dir / "quality"
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert "raw.values 2020" in index and "raw.values 2021" in index
    pages = list((docs / "validations" / "raw" / "values" / "run-2").rglob("*.html"))
    assert len(pages) == 2


def test_years_are_batched_whole_up_to_a_row_budget(monkeypatch):
    monkeypatch.setattr(checks, "ROWS_PER_BATCH", 500)
    counts = {2019: 300, 2020: 200, 2021: 700, 2022: 100, 2023: 100}
    assert checks.year_batches(counts, [2023, 2019, 2020, 2021, 2022, 2024]) == [
        [2019, 2020], [2021], [2022, 2023, 2024]]
    assert checks.year_batches(counts, []) == []


def test_great_expectations_lets_go_of_a_validated_frame(tmp_path):
    import gc
    import weakref

    import pandas as pd

    suite = write_suite(tmp_path / "suites", [("expect_column_values_to_not_be_null", {"column": "note"})])
    run = checks.GxRun("run-3", tmp_path / "published")
    frame = pd.DataFrame({"note": ["a", "b"]})
    assert run.validate(suite, frame, None).success
    validated = weakref.ref(frame)
    del frame
    gc.collect()
    assert validated() is None, "GE's batch cache would keep every check's table in memory"


@pytest.mark.parametrize("table, layers", [
    # the mart itself, and a yearly model the marts are built from in the same dbt step
    ("marts.provincial_ranking", ("marts",)),
    ("intermediate.int_unit_ranks", ("intermediate", "marts")),
])
def test_a_failing_mart_suite_blocks_publishing_and_keeps_the_published_bytes(
        first_run, tmp_path, monkeypatch, table, layers):
    published, instance, _, _ = first_run
    before = published_hashes(published)
    assert {"marts.duckdb", "parquet/provincial_ranking.parquet"} <= set(before)

    # the same suites, with one expectation the mini scores cannot meet (no unit scores 0 %)
    suites = tmp_path / "expectations"
    shutil.copytree(expectations_dir(), suites)
    path = suites / f"{table}.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"].append(
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "score_pct", "max_value": 0}})
    path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("EGOV_EXPECTATIONS_DIR", str(suites))
    point_at(monkeypatch, FIXTURES / "mini", published.parent)  # the shared mini run's files

    result = dg.materialize(
        definitions.ASSETS + definitions.asset_checks(),
        resources=definitions.resources(),
        instance=instance,
        # rescore, then publish; the dbt step is partitioned by year, and the marts are
        # rebuilt whole whichever year is named
        selection=dg.AssetSelection.groups(*layers).downstream(),
        partition_key="2018",
        raise_on_error=False,
    )

    assert not result.success
    check_name = "ge_" + table.replace(".", "_")
    failed = {e.check_name: e for e in result.get_asset_check_evaluations() if not e.passed}
    assert set(failed) == {check_name}
    assert failed[check_name].severity == dg.AssetCheckSeverity.ERROR
    materialized = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    assert "marts/provincial_ranking" in materialized
    assert "published_marts" not in materialized
    assert published_hashes(published) == before
    # the docs are those of the failed run: that is when they are read
    schema, name = table.split(".")
    assert (published / "quality" / "validations" / schema / name / result.run_id).is_dir()


def test_a_suite_that_cannot_run_fails_by_name_and_the_others_of_its_step_still_report(
        first_run, tmp_path, monkeypatch):
    """The suites of a layer run in one step: one whose table is missing is a failed check
    naming its file, and the run fails; every other suite is still validated."""
    published, instance, _, _ = first_run
    suites = tmp_path / "expectations"
    shutil.copytree(expectations_dir(), suites)
    (suites / "marts.gone.json").write_text(json.dumps({
        "name": "marts.gone", "expectations": [],
        "meta": {"table": "marts.gone", "asset": "marts/provincial_ranking", "blocking": False},
    }), encoding="utf-8")
    monkeypatch.setenv("EGOV_EXPECTATIONS_DIR", str(suites))
    point_at(monkeypatch, FIXTURES / "mini", published.parent)

    marts = {spec.key for spec in ge_check_specs() if spec.asset_key.path[0] == "marts"}
    gone = dg.AssetCheckKey(dg.AssetKey(["marts", "provincial_ranking"]), "ge_marts_gone")
    result = dg.materialize(
        definitions.ASSETS + definitions.asset_checks(), resources=definitions.resources(), instance=instance,
        selection=dg.AssetSelection.checks(*marts, gone), raise_on_error=False)

    assert not result.success
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert set(evaluations) == {key.name for key in marts | {gone}}
    gone = evaluations.pop("ge_marts_gone")
    assert not gone.passed and "no table marts.gone" in gone.description
    assert all(e.passed for e in evaluations.values())
    (failure,) = [event for event in result.all_events if event.event_type == dg.DagsterEventType.STEP_FAILURE]
    assert failure.step_key == "quality_marts"
    assert "marts.gone.json: no table marts.gone" in failure.step_failure_data.error.message


def test_the_checks_of_a_layer_are_one_step_partitioned_as_its_assets():
    steps = {checks_def.node_def.name: checks_def for checks_def in definitions.asset_checks()}
    assert set(steps) == {"quality_raw", "quality_raw_by_year", "quality_intermediate_by_year", "quality_marts"}
    names = {step: {key.name for key in checks_def.check_keys} for step, checks_def in steps.items()}
    assert {"ge_raw_units", "ge_raw_criteria"} <= names["quality_raw"]
    assert {"ge_raw_submissions"} <= names["quality_raw_by_year"]
    assert {"ge_intermediate_int_indicator_points"} <= names["quality_intermediate_by_year"]
    assert {"ge_marts_provincial_ranking"} <= names["quality_marts"]
    assert set().union(*names.values()) == {spec.name for spec in ge_check_specs()}
    for step, checks_def in steps.items():
        partitions = {spec.partitions_def for spec in checks_def.check_specs}
        assert partitions == ({years_partitions} if step.endswith("_by_year") else {None}), step


def test_every_mart_is_guarded_by_a_blocking_great_expectations_check():
    marts = {spec.key for spec in defs.resolve_all_asset_specs() if spec.key.path[0] == "marts"}
    guarded = {spec.asset_key for spec in ge_check_specs() if spec.blocking}
    assert marts and marts <= guarded, sorted(k.to_user_string() for k in marts - guarded)


def test_the_code_location_loads_without_great_expectations():
    code = "import sys, orchestration.definitions; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("meta, complaint", [
    ({"table": "marts.ranking; drop table x", "blocking": True}, "meta.table"),
    ({"table": "marts.provincial_ranking", "blocking": "yes"}, "meta.blocking"),
    (None, "meta"),
])
def test_a_suite_that_cannot_guard_a_table_is_refused_naming_the_file(tmp_path, meta, complaint):
    suite = {"name": "broken", "expectations": []}
    if meta is not None:
        suite["meta"] = meta
    (tmp_path / "broken.json").write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(SuiteError, match=complaint) as refused:
        load_suites(tmp_path)
    assert "broken.json" in str(refused.value)


def test_a_value_set_can_name_the_frameworks_bands_and_the_shared_lists(tmp_path):
    """Ratings are checked against the bands of the frameworks in the warehouse, whatever
    their labels; unit types against the one list the registry and frameworks accept."""
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.rating_bands as select * from (values ('Xuất sắc'), ('Đạt')) b(label)")
        con.execute("""create table raw.values as select * from (values
            ('Xuất sắc', 'commune', 'Không xếp hạng'), ('Đạt', 'province', 'Đạt'),
            (null, 'ward', 'Tốt')) v(rating, unit_type, rating_or_not)""")
    settings = Settings(data_dir=tmp_path, warehouse=warehouse, publish_dir=tmp_path / "published")
    suite = write_suite(tmp_path / "suites", [
        ("expect_column_values_to_be_in_set", {"column": "rating", "value_set": {"$names": "rating_bands"}}),
        ("expect_column_values_to_be_in_set", {"column": "unit_type", "value_set": {"$names": "unit_types"}}),
        ("expect_column_values_to_be_in_set",
         {"column": "rating_or_not", "value_set": {"$names": ["rating_bands", "not_ranked_label"]}}),
    ])
    result = checks.validate(suite, checks.GxRun("run-4", settings.publish_dir), settings)
    failures = result.metadata["failed_expectations"].value
    assert result.metadata["failed"].value == 2
    assert "| unit_type | 1 | ward |" in failures and "| rating_or_not | 1 | Tốt |" in failures
    assert "| rating |" not in failures, "the frameworks' own labels pass"

    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "raw.values.json").write_text(json.dumps({
        "name": "raw.values", "meta": {"table": "raw.values"}, "expectations": [
            {"type": "expect_column_values_to_be_in_set",
             "kwargs": {"column": "rating", "value_set": {"$names": "ratings"}}}]}), encoding="utf-8")
    with pytest.raises(SuiteError, match=r"raw.values.json: expectations\[0\].kwargs.value_set: no named set 'ratings'"):
        load_suites(tmp_path / "bad")
