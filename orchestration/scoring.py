"""Scoring: the dbt project as Dagster assets, built by one `dbt build` per run. One
translator decides keys and groups (the layers: staging, intermediate, marts).

The step is partitioned by year, as a step has one partitions definition for all its
assets: the yearly intermediate models rebuild only the run's years, which dbt reads from
the table raw.run_years; the staging views and the marts are rebuilt whole from every year
(so year-over-year fields are right whatever order the years were materialised in).
"""

import importlib.metadata
import re
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, build_dbt_asset_selection, dbt_assets

from .dbt_project import (
    dbt_executable,
    dbt_profile_environment,
    dbt_project,
    keep_parse_state,
    parse_state,
    step_target,
)
from .partitions import discover_years, single_run, year_keys, years_partitions
from .settings import Settings, SettingsResource

# an fqn selector: dagster-dbt resolves `path:` against the working directory, not the project
YEARLY = "fqn:egov_warehouse.intermediate.yearly"


class EgovDbtTranslator(DagsterDbtTranslator):
    """Models are keyed and grouped by their layer (`staging/stg_units`,
    `marts/provincial_ranking`), so the lineage reads like the pipeline: staging →
    intermediate → marts. Descriptions are the YAML's alone: dagster-dbt's default appends
    the model's raw SQL, which the UI shows under every asset and in its one-line summary."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([self._layer(dbt_resource_props), dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return self._layer(dbt_resource_props)

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        description = (dbt_resource_props.get("description") or "").strip()
        return markdown_safe(description) or (
            f"dbt {dbt_resource_props['resource_type']} `{dbt_resource_props['name']}` (no description in its YAML)."
        )

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        # the columns' descriptions are Markdown in the UI too
        columns = {name: {**column, "description": markdown_safe(column.get("description") or "")}
                   for name, column in dbt_resource_props.get("columns", {}).items()}
        return super().get_metadata({**dbt_resource_props, "columns": columns})

    @staticmethod
    def _layer(dbt_resource_props: Mapping[str, Any]) -> str:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "models"


# A placeholder such as submissions/<year>/ outside a code span: the UI renders descriptions
# as Markdown, where `<year>` is an HTML tag and vanishes.
_BARE_PLACEHOLDER = re.compile(r"`[^`]*`|([^\s`(\[]*<[A-Za-z_][\w-]*>[^\s`]*?)(?=[.,;:)\]]*(?:\s|$))")


def markdown_safe(text: str) -> str:
    """`text` with every word holding a `<placeholder>` put in a code span."""
    return _BARE_PLACEHOLDER.sub(lambda m: f"`{m.group(1)}`" if m.group(1) else m.group(0), text)


translator = EgovDbtTranslator()


def _build(dbt: DbtCliResource, context: dg.AssetExecutionContext, settings: Settings):
    # A target folder of our own per step, seeded with the warehouse's parse state; the
    # first build on a warehouse parses the project and leaves the state for the next.
    state = parse_state(settings)
    target = step_target(state, context.run.run_id, context.op_execution_context.op.name)
    invocation = None
    try:
        # dbt's unit tests check the SQL, not the data: `make test` runs them (CI), and a
        # run only the data tests. No manifest.json nor run_results.json (2 s of writing):
        # the events stream into the run's logs, and the manifest is the prepared one.
        with dbt_profile_environment(settings):
            invocation = dbt.cli(["build", "--exclude-resource-type", "unit_test", "--no-write-json"],
                                 context=context, target_path=target)
        yield from _events_with_row_counts(invocation, context)
    finally:
        if invocation is not None and invocation.process.poll() is None:
            invocation.process.terminate()  # the step stopped before dbt did: dbt stops too
            invocation.process.wait()
        keep_parse_state(state, target)


# the line macros/table_shape.sql logs after building a table
ROW_COUNT = re.compile(r"\S+: (\d+) rows")


def _events_with_row_counts(invocation, context: dg.AssetExecutionContext):
    """dagster-dbt's events, as dbt reports each node done (Dagster records them while dbt
    goes on), each model's output with the row count its post-hook logged. The column
    types come from the same hook, through dagster-dbt's own reading of its JSON line."""
    rows: dict[str, int] = {}
    for message in invocation.stream_raw_events():
        info, data = message.raw_event["info"], message.raw_event["data"]
        unique_id = data.get("node_info", {}).get("unique_id")
        if info["name"] == "JinjaLogInfo" and unique_id and (count := ROW_COUNT.fullmatch(info["msg"])):
            rows[unique_id] = int(count.group(1))
            continue
        for event in message.to_default_asset_events(
            manifest=invocation.manifest, dagster_dbt_translator=invocation.dagster_dbt_translator,
            context=context, target_path=invocation.target_path, project=invocation.project,
        ):
            if isinstance(event, dg.Output) and unique_id in rows:
                event = event.with_metadata({**event.metadata, "dagster/row_count": rows[unique_id]})
            yield event


@dbt_assets(
    manifest=dbt_project.manifest_path,
    dagster_dbt_translator=translator,
    partitions_def=years_partitions,
    backfill_policy=single_run,
)
def dbt_scoring(context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: SettingsResource):
    # The years go through a table, not `--vars`: a var that changes from run to run
    # makes dbt re-parse the whole project at every invocation.
    resolved = settings.get()
    _write_run_years(resolved.warehouse, _run_years(context, resolved))
    try:
        yield from _build(dbt, context, resolved)
    finally:
        _write_run_years(resolved.warehouse, None)


def _run_years(context: dg.AssetExecutionContext, settings: Settings) -> list[int]:
    """The years of the run's partition range (one year, a backfill's, annual.run's); every
    year of the data for a run that names none, which Dagster allows only for models whose
    inputs are not partitioned (the registry's staging views). The range is read as keys, not through `partition_keys`, which a job mixing partitioned
    and unpartitioned assets (dagster.materialize's) refuses."""
    if not (context.has_partition_key or context.has_partition_key_range):
        return year_keys(discover_years(settings.data_dir))
    first, last = context.partition_key_range.start, context.partition_key_range.end
    return year_keys(key for key in context.instance.get_dynamic_partitions(years_partitions.name)
                     if first <= key <= last)


def _write_run_years(warehouse, years: list[int] | None) -> None:
    """raw.run_years holds the years of the dbt step running, and exists only meanwhile."""
    import duckdb

    with duckdb.connect(str(warehouse)) as con:
        if years is None:
            con.execute("drop table if exists raw.run_years")
        else:
            con.execute("create or replace table raw.run_years as select unnest($years::integer[]) as year",
                        {"years": years})


def _keys(select: str) -> frozenset[dg.AssetKey]:
    return frozenset(build_dbt_asset_selection([dbt_scoring], dbt_select=select).resolve([dbt_scoring]))


# the models whose rows a run writes for its years only
YEARLY_KEYS = _keys(YEARLY)
MART_KEYS = frozenset(key for key in dbt_scoring.keys if key.path[0] == "marts")


class EgovDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without what costs ~3 s a step and serves nothing here.

    Before each command it asks `dbt --version` in a subprocess, and opens a dbt-core
    adapter in this process (imports, profile, every macro) for fetch_row_counts() and
    fetch_column_metadata(), which we do not use: DuckDB's single writer makes them fail
    while dbt runs, and each model's post-hook (macros/table_shape.sql) logs the same.
    """

    @cached_property
    def _cli_version(self):
        from packaging import version

        return version.parse(importlib.metadata.version("dbt-core"))  # the venv's dbt is this one

    def _initialize_dbt_core_adapter(self, args):
        return None


# dagster-dbt checks the executable when the resource is created, i.e. at load
dbt_resource = EgovDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
