"""Ingest: the registry, the frameworks and the submissions into the warehouse's `raw`
schema. Asset keys match the dbt sources (`raw/<table>`), so lineage runs on into dbt."""

import dagster as dg
import duckdb

from ..partitions import single_run, year_keys, years_partitions
from ..settings import Settings, SettingsResource
from . import load

INGEST = {"group_name": "ingest", "kinds": {"duckdb"}}


def _connect(resource: SettingsResource) -> tuple[Settings, duckdb.DuckDBPyConnection]:
    # One connection per step, closed before dbt (a separate process) opens the file:
    # DuckDB allows a single writing process.
    settings = resource.get()
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return settings, duckdb.connect(str(settings.warehouse), config={"memory_limit": settings.memory_limit})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "units"], description="The unit registry, `units/units.csv`.", **INGEST),
        dg.AssetSpec(["raw", "lineage"], description="Who carries on whom across a reorganisation, "
                     "`units/lineage.csv` (optional).", **INGEST),
    ]
)
def raw_units(settings: SettingsResource):
    """Both files are checked before either is written: a bad lineage stops the run."""
    settings, con = _connect(settings)
    with con:
        load.load_units(con, settings.data_dir)
        counts = {table: con.execute(f"select count(*) from raw.{table}").fetchall()[0][0]
                  for table in ("units", "lineage")}
    for table, count in counts.items():
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={"dagster/row_count": count})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", table], description=description, **INGEST)
        for table, description in load.FRAMEWORK_TABLES.items()
    ]
)
def raw_frameworks(settings: SettingsResource):
    settings, con = _connect(settings)
    with con:
        load.load_frameworks(con, settings.data_dir)
        counts = {
            table: con.execute(f"select count(*) from raw.{table}").fetchall()[0][0]
            for table in load.FRAMEWORK_TABLES
        }
    for table, count in counts.items():
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={"dagster/row_count": count})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "submissions"], description="Every submitted value, long form, text as sent.", **INGEST),
        dg.AssetSpec(["raw", "file_issues"], description="Submission files refused whole.", **INGEST),
    ],
    partitions_def=years_partitions,
    backfill_policy=single_run,
)
def raw_submissions(context: dg.AssetExecutionContext, settings: SettingsResource):
    """The files of submissions/<year>/ for the run's years; other years stay untouched."""
    years = year_keys(context.partition_keys)
    settings, con = _connect(settings)
    with con:
        counts = load.load_submissions(con, settings.data_dir, years)
    yield dg.MaterializeResult(
        asset_key=["raw", "submissions"],
        metadata={"dagster/row_count": counts["values"], "files": counts["files"]},
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "file_issues"], metadata={"dagster/row_count": counts["refused_files"]}
    )
