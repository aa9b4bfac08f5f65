"""The code location loads, and its assets read like the pipeline."""

from orchestration.definitions import defs
from orchestration.publish import MART_TABLES


def test_definitions_load_with_every_asset_grouped():
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    assert {"raw/units", "raw/submissions", "staging/stg_submissions",
            "intermediate/int_unit_ranks", "published_marts"} <= set(specs)
    for table in MART_TABLES:
        spec = specs[f"marts/{table}"]
        assert spec.group_name == "marts" and spec.description, table
    assert {spec.group_name for spec in specs.values()} == {"ingest", "scoring", "marts", "publish"}


def test_dbt_sources_are_the_ingest_assets():
    graph = defs.resolve_asset_graph()
    upstream = {key.to_user_string() for key in graph.get(
        __import__("dagster").AssetKey(["staging", "stg_submissions"])).parent_keys}
    assert upstream == {"raw/submissions"}


def test_dbt_tests_are_asset_checks():
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert "unique_combination_provincial_ranking_year__unit_code" in checks


def test_annual_job_exists():
    assert defs.resolve_job_def("annual_run") is not None
