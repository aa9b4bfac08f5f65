"""The code location loads, and its assets read like the pipeline."""

import json
import re

from conftest import ROOT

from orchestration.dbt_project import dbt_project
from orchestration.definitions import defs
from orchestration.publish import MART_TABLES
from orchestration.scoring import markdown_safe

# dbt's layers, between what ingestion loads and what is published
GROUPS = ["ingest", "staging", "intermediate", "marts", "publish"]
# What the UI's Markdown would swallow as an HTML tag: `<year>` outside a code span.
CODE_SPAN = re.compile(r"`[^`]*`")
HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*[^<>]*>")


def test_definitions_load_with_every_asset_grouped():
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    assert {"raw/units", "raw/submissions", "staging/stg_submissions",
            "intermediate/int_unit_ranks", "published_marts"} <= set(specs)
    for table in MART_TABLES:
        spec = specs[f"marts/{table}"]
        assert spec.group_name == "marts" and spec.description, table
    assert {spec.group_name for spec in specs.values()} == set(GROUPS)
    assert specs["staging/stg_submissions"].group_name == "staging"
    assert specs["intermediate/int_unit_ranks"].group_name == "intermediate"


def test_the_readme_names_the_groups_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"in \w+ groups: ((?:`\w+`\s*(?:→\s*)?)+)", readme)
    assert listed, "README: 'The asset graph reads like the pipeline, in N groups: `a` → `b` …'"
    assert re.findall(r"`(\w+)`", listed.group(1)) == GROUPS


def _descriptions():
    """Every description the UI renders as Markdown: assets, their columns, checks, jobs
    and sensors."""
    for spec in defs.resolve_all_asset_specs():
        name = spec.key.to_user_string()
        yield name, spec.description
        schema = spec.metadata.get("dagster/column_schema")
        for column in schema.columns if schema else []:
            yield f"{name}.{column.name}", column.description
    for key in defs.resolve_asset_graph().asset_check_keys:
        yield key.to_user_string(), defs.resolve_asset_graph().get_check_spec(key).description
    for job in defs.resolve_all_job_defs():
        yield job.name, job.description
    for sensor in defs.sensors:
        yield sensor.name, sensor.description


def test_no_description_loses_a_placeholder_as_html():
    bare = {name: HTML_TAG.findall(CODE_SPAN.sub("", text))
            for name, text in _descriptions() if text and HTML_TAG.search(CODE_SPAN.sub("", text))}
    assert bare == {}
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    assert "`parquet/<table>.parquet`" in specs["published_marts"].description
    assert "`reports/<year>/national.html`" in specs["published_reports"].description


def test_dbt_descriptions_are_the_yaml_without_sql():
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    models = {f"{node['fqn'][1]}/{node['name']}": node for node in manifest["nodes"].values()
              if node["resource_type"] == "model"}
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    assert set(models) <= set(specs)
    for key, node in models.items():
        description = specs[key].description
        assert "Raw SQL" not in description and "```" not in description, key
        assert "{{" not in description and not re.search(r"\bselect\b[^.]*\bfrom\b", description, re.IGNORECASE), key
        assert node["description"].strip(), f"{key}: describe it in the YAML beside the model"
        assert description == markdown_safe(node["description"].strip()), key


def test_markdown_safe_puts_placeholders_in_code_spans():
    assert markdown_safe("The submissions/<year>/ folder; null for `20l8/`.") == (
        "The `submissions/<year>/` folder; null for `20l8/`.")
    assert markdown_safe("a `<b>` and <c>, (<d>)") == "a `<b>` and `<c>`, (`<d>`)"
    assert markdown_safe("0 <= score <= max_score") == "0 <= score <= max_score"


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
