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
    try:
        # dbt's unit tests check the SQL, not the data: `make test` runs them (CI), and a
        # run only the data tests. No manifest.json nor run_results.json (2 s of writing):
        # the events stream into the run's logs, and the manifest is the prepared one.
        with dbt_profile_environment(settings):
            events = list(dbt.cli(["build", "--exclude-resource-type", "unit_test", "--no-write-json"],
                                  context=context, target_path=target).stream())
    finally:
        keep_parse_state(state, target)
    yield from _with_table_metadata(context, events, settings.warehouse)


def _with_table_metadata(context: dg.AssetExecutionContext, events: list, warehouse) -> list:
    """Column types for each model's page in the UI, and row counts for those that are
    tables, read once dbt has exited: dagster-dbt's fetch_row_counts() queries while dbt
    still holds DuckDB's single write lock, and fails. A view is not counted: that would
    run its query again (seconds, for the ranks). Two queries in all."""
    import duckdb

    outputs = [event for event in events if isinstance(event, dg.Output)]
    if not outputs:
        return events
    relations = {event.output_name: tuple(context.asset_key_for_output(event.output_name).path)
                 for event in outputs}
    wanted = set(relations.values())
    columns: dict[tuple[str, ...], list[dg.TableColumn]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for schema, table, name, data_type in con.execute(
            """select schema_name, table_name, column_name, data_type from duckdb_columns()
               where database_name = current_database() order by schema_name, table_name, column_index"""
        ).fetchall():
            if (schema, table) in wanted:
                columns.setdefault((schema, table), []).append(dg.TableColumn(name, data_type))
        tables = [relation for relation in con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall() if relation in wanted]
        # names from our own manifest, found in the warehouse: quoted as relations
        counts = {tables[i]: count for i, count in con.execute(" union all ".join(
            f'select {i}, count(*) from "{schema}"."{table}"' for i, (schema, table) in enumerate(tables)
        )).fetchall()} if tables else {}
    metadata = {
        output: {"dagster/column_schema": dg.TableSchema(columns=columns[relation]),
                 **({"dagster/row_count": counts[relation]} if relation in counts else {})}
        for output, relation in relations.items() if relation in columns
    }
    return [
        event.with_metadata({**event.metadata, **metadata.get(event.output_name, {})})
        if isinstance(event, dg.Output) else event
        for event in events
    ]


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
    while dbt runs, and _with_table_metadata() reads the same after dbt exits.
    """

    @cached_property
    def _cli_version(self):
        from packaging import version

        return version.parse(importlib.metadata.version("dbt-core"))  # the venv's dbt is this one

    def _initialize_dbt_core_adapter(self, args):
        return None


# dagster-dbt checks the executable when the resource is created, i.e. at load
dbt_resource = EgovDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
