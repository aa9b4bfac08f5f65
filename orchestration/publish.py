"""Publish: the marts copied out of the warehouse for BI tools (SPEC §5).

`marts.duckdb` is written whole under a temporary name and renamed over the old one, so a
reader never sees half a result and never holds the pipeline's write lock; each table is
also written as `parquet/<table>.parquet`, each file swapped in the same way.
"""

import os
from pathlib import Path

import dagster as dg
import duckdb

from .settings import Settings
from .summary import publication_metadata

MART_TABLES = (
    "national_ranking",
    "national_category_scores",
    "national_category_averages",
    "national_category_highlights",
    "national_indicator_statistics",
    "provincial_ranking",
    "provincial_criterion_scores",
    "provincial_rating_distribution",
    "provincial_criterion_highlights",
    "provincial_indicator_statistics",
    "submission_issues",
)


def publish_marts(warehouse: Path, publish_dir: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Copy the `marts` schema of `warehouse` into `publish_dir`. Everything is written
    under temporary names first and renamed in only at the end, so a failed or killed
    run leaves the previous files as they were. Returns rows per table and the
    publication's Markdown for the UI."""
    parquet_dir = publish_dir / "parquet"
    parquet_dir.mkdir(parents=True, exist_ok=True)
    # what a run killed mid-publish left behind: never the published files themselves
    for stale in [*publish_dir.glob(".marts.duckdb.tmp-*"), *parquet_dir.glob(".*.parquet.tmp-*")]:
        stale.unlink(missing_ok=True)
    suffix = f".tmp-{os.getpid()}"
    staged = {publish_dir / "marts.duckdb": publish_dir / f".marts.duckdb{suffix}"}
    counts = {}
    try:
        with duckdb.connect(str(staged[publish_dir / "marts.duckdb"])) as con:
            con.execute("attach $path as warehouse (read_only)", {"path": str(warehouse)})
            for table in MART_TABLES:
                # table names are our own constants, never input text
                con.execute(f"create table main.{table} as select * from warehouse.marts.{table}")
                counts[table] = con.execute(f"select count(*) from main.{table}").fetchall()[0][0]
            con.execute("detach warehouse")
            for table in MART_TABLES:
                partial = parquet_dir / f".{table}.parquet{suffix}"
                con.execute(f"copy main.{table} to $path (format parquet)", {"path": str(partial)})
                staged[parquet_dir / f"{table}.parquet"] = partial
            markdown = publication_metadata(con)
            con.execute("checkpoint")
        # the database last: a reader who sees the new marts.duckdb sees the new parquet too
        for target, partial in reversed(staged.items()):
            os.replace(partial, target)
    finally:
        for partial in staged.values():
            partial.unlink(missing_ok=True)
    return counts, markdown


@dg.asset(
    key=["published_marts"],
    group_name="publish",
    kinds={"duckdb", "parquet"},
    deps=[dg.AssetKey(["marts", table]) for table in MART_TABLES],
    description="marts.duckdb and parquet/<table>.parquet under EGOV_PUBLISH_DIR, swapped in whole.",
)
def published_marts() -> dg.MaterializeResult:
    settings = Settings.from_env()
    counts, markdown = publish_marts(settings.warehouse, settings.publish_dir)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(settings.publish_dir / "marts.duckdb")),
            **{name: dg.MetadataValue.md(text) for name, text in markdown.items()},
            **{f"rows/{table}": count for table, count in counts.items()},
        }
    )
