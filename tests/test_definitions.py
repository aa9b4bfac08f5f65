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


def test_only_the_last_dbt_step_folders_are_kept(tmp_path):
    import os

    from orchestration import dbt_project

    for n in range(12):
        folder = tmp_path / f"dbt_marts-{n:07x}-abcdef{n % 10}"
        folder.mkdir()
        (folder / "manifest.json").write_text("{}")
        os.utime(folder, (n, n))
    (tmp_path / "compiled").mkdir()  # dbt's own, not a step's
    dbt_project._prune_step_folders(tmp_path, keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "compiled", "dbt_marts-0000009-abcdef9", "dbt_marts-000000a-abcdef0", "dbt_marts-000000b-abcdef1"]


def test_dbt_outputs_do_not_make_the_manifest_stale():
    from orchestration import dbt_project

    files = list(dbt_project._project_files())
    assert dbt_project.DBT_PROJECT_DIR / "dbt_project.yml" in files
    assert any(p.parent.name == "macros" for p in files)
    assert not any("target" in p.relative_to(dbt_project.DBT_PROJECT_DIR).parts for p in files)
