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
        folder = tmp_path / f"step-{n:08x}-dbt_scoring"
        folder.mkdir()
        (folder / "manifest.json").write_text("{}")
        os.utime(folder, (n, n))
    (tmp_path / "compiled").mkdir()  # dbt's own, not a step's
    (tmp_path / dbt_project.PARTIAL_PARSE).write_bytes(b"state")
    dbt_project._prune_step_folders(tmp_path, keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "compiled", dbt_project.PARTIAL_PARSE, "step-00000009-dbt_scoring", "step-0000000a-dbt_scoring",
        "step-0000000b-dbt_scoring"]
    # a new step starts from the state's parse
    step = dbt_project.step_target(tmp_path, "0000000c-run", "dbt_scoring")
    assert step.name == "step-0000000c-dbt_scoring"
    assert (step / dbt_project.PARTIAL_PARSE).read_bytes() == b"state"


def test_a_step_leaves_its_parse_as_the_warehouses_state_when_newer(tmp_path):
    import os

    from orchestration import dbt_project

    # a warehouse's first step has no state to start from: dbt parses, and its parse is kept
    first = dbt_project.step_target(tmp_path, "00000001-run", "dbt_scoring")
    assert not (first / dbt_project.PARTIAL_PARSE).exists()
    (first / dbt_project.PARTIAL_PARSE).write_bytes(b"first parse")
    dbt_project.keep_parse_state(tmp_path, first)
    assert (tmp_path / dbt_project.PARTIAL_PARSE).read_bytes() == b"first parse"
    # the next starts from it; a step whose dbt did not write again leaves the state alone
    second = dbt_project.step_target(tmp_path, "00000002-run", "dbt_scoring")
    assert (second / dbt_project.PARTIAL_PARSE).read_bytes() == b"first parse"
    os.utime(tmp_path / dbt_project.PARTIAL_PARSE, (10**9, 10**9))
    os.utime(second / dbt_project.PARTIAL_PARSE, (10**9, 10**9))
    (tmp_path / dbt_project.PARTIAL_PARSE).write_bytes(b"first parse, kept")
    os.utime(tmp_path / dbt_project.PARTIAL_PARSE, (10**9, 10**9))
    dbt_project.keep_parse_state(tmp_path, second)
    assert (tmp_path / dbt_project.PARTIAL_PARSE).read_bytes() == b"first parse, kept"
    # one that parsed again (a model edited) replaces it; a step that failed before
    # parsing leaves nothing, and the state stays
    (second / dbt_project.PARTIAL_PARSE).write_bytes(b"parse after an edit")
    dbt_project.keep_parse_state(tmp_path, second)
    assert (tmp_path / dbt_project.PARTIAL_PARSE).read_bytes() == b"parse after an edit"
    third = dbt_project.step_target(tmp_path, "00000003-run", "dbt_scoring")
    (third / dbt_project.PARTIAL_PARSE).unlink()
    dbt_project.keep_parse_state(tmp_path, third)
    assert (tmp_path / dbt_project.PARTIAL_PARSE).read_bytes() == b"parse after an edit"
    assert not list(tmp_path.glob("*.tmp"))


def test_the_dbt_profile_variables_are_set_for_dbt_alone(tmp_path, monkeypatch):
    import os

    from orchestration.dbt_project import dbt_profile_environment
    from orchestration.settings import Settings

    monkeypatch.setenv("EGOV_WAREHOUSE", "before.duckdb")
    monkeypatch.delenv("EGOV_DUCKDB_MEMORY_LIMIT", raising=False)
    settings = Settings(tmp_path, tmp_path / "w.duckdb", tmp_path / "p", "512MB")
    with dbt_profile_environment(settings):
        assert (os.environ["EGOV_WAREHOUSE"], os.environ["EGOV_DUCKDB_MEMORY_LIMIT"]) == (
            str(tmp_path / "w.duckdb"), "512MB")
    assert os.environ["EGOV_WAREHOUSE"] == "before.duckdb"
    assert "EGOV_DUCKDB_MEMORY_LIMIT" not in os.environ


def test_dbt_outputs_do_not_make_the_manifest_stale():
    from orchestration import dbt_project

    files = list(dbt_project.project_files())
    assert dbt_project.DBT_PROJECT_DIR / "dbt_project.yml" in files
    assert any(p.parent.name == "macros" for p in files)
    assert not any("target" in p.relative_to(dbt_project.DBT_PROJECT_DIR).parts for p in files)


def test_settings_are_a_resource_read_from_the_environment_when_a_run_starts(tmp_path, monkeypatch):
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.settings import SettingsResource

    monkeypatch.setenv("EGOV_WAREHOUSE", str(tmp_path / "first.duckdb"))
    for name in ("EGOV_DATA_DIR", "EGOV_PUBLISH_DIR", "EGOV_DUCKDB_MEMORY_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    resource = SettingsResource.from_env()
    assert isinstance(resource.warehouse, dg.EnvVar) and resource.data_dir == "data"
    monkeypatch.setenv("EGOV_WAREHOUSE", str(tmp_path / "second.duckdb"))  # read at the run, not before
    with dg.build_resources({"settings": resource}) as built:
        settings = built.settings.get()
    assert settings.warehouse == tmp_path / "second.duckdb"
    assert settings.data_dir.is_absolute() and settings.data_dir.name == "data"
    assert settings.memory_limit == "512MB"
    assert isinstance(defs.resources["settings"], SettingsResource)


def test_only_the_dbt_handover_writes_the_environment():
    import ast

    from orchestration import dbt_project

    root = dbt_project.DBT_PROJECT_DIR.parent / "orchestration"
    writes, allowed = [], set()
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == "dbt_profile_environment":
                allowed.update((path.name, line) for line in range(node.lineno, node.end_lineno + 1))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if ast.unparse(node.func.value) == "os.environ" and node.func.attr not in {"get", "copy"}:
                    writes.append((path.name, node.lineno))
            for target in getattr(node, "targets", []):
                if isinstance(target, ast.Subscript) and ast.unparse(target.value) == "os.environ":
                    writes.append((path.name, node.lineno))
    assert writes and set(writes) <= allowed, f"os.environ written outside dbt_profile_environment: {writes}"


def test_the_published_tables_are_the_marts_layer_and_the_readme_names_each():
    import re

    from orchestration.dbt_project import DBT_PROJECT_DIR
    from orchestration.publish import MART_TABLES

    models = sorted(p.stem for p in (DBT_PROJECT_DIR / "models" / "marts").rglob("*.sql"))
    assert list(MART_TABLES) == models
    readme = (DBT_PROJECT_DIR.parent / "README.md").read_text(encoding="utf-8")
    assert sorted(re.findall(r"^\| `([a-z_]+)` \|", readme, re.MULTILINE)) == models
