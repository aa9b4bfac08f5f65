"""Great Expectations suites as Dagster asset checks (SPEC §6): every suite passes on the
mini input and the Data Docs are published; a failing mart suite blocks publishing and
leaves the published files byte for byte; every mart is guarded by a blocking suite."""

import hashlib
import json
import shutil
import subprocess
import sys

import dagster as dg
import pytest

from conftest import FIXTURES, ROOT, point_at
from orchestration.definitions import defs
from orchestration.quality import SuiteError, build_checks, expectations_dir, load_suites



def ge_check_specs():
    graph = defs.resolve_asset_graph()
    return [graph.get_check_spec(key) for key in graph.asset_check_keys if key.name.startswith("ge_")]


def published_hashes(publish_dir):
    """Every published file but the quality docs, which each run replaces."""
    return {
        path.relative_to(publish_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(publish_dir.rglob("*"))
        if path.is_file() and path.relative_to(publish_dir).parts[0] != "quality"
    }


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


def test_a_failing_mart_suite_blocks_publishing_and_keeps_the_published_bytes(first_run, tmp_path, monkeypatch):
    published, instance, _, _ = first_run
    before = published_hashes(published)
    assert {"marts.duckdb", "parquet/provincial_ranking.parquet"} <= set(before)

    # the same suites, with one expectation the mini ranking cannot meet (46.E scores 80 %)
    suites = tmp_path / "expectations"
    shutil.copytree(expectations_dir(), suites)
    ranking = suites / "marts.provincial_ranking.json"
    suite = json.loads(ranking.read_text(encoding="utf-8"))
    suite["expectations"].append(
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "score_pct", "max_value": 50}})
    ranking.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("EGOV_EXPECTATIONS_DIR", str(suites))
    point_at(monkeypatch, FIXTURES / "mini", published.parent)  # the shared mini run's files

    result = dg.materialize(
        [*defs.assets, *build_checks()],
        resources=defs.resources,
        instance=instance,
        selection=dg.AssetSelection.groups("marts").downstream(),  # rescore the marts, then publish
        raise_on_error=False,
    )

    assert not result.success
    failed = {e.check_name: e for e in result.get_asset_check_evaluations() if not e.passed}
    assert set(failed) == {"ge_marts_provincial_ranking"}
    assert failed["ge_marts_provincial_ranking"].severity == dg.AssetCheckSeverity.ERROR
    materialized = {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    assert "marts/provincial_ranking" in materialized
    assert "published_marts" not in materialized
    assert published_hashes(published) == before
    # the docs are those of the failed run: that is when they are read
    assert (published / "quality" / "validations" / "marts" / "provincial_ranking" / result.run_id).is_dir()


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
