"""Publish: the marts copied out of the warehouse for BI tools (SPEC §5).

Every run writes a complete version, `.versions/marts-<stamp>/` holding `marts.duckdb` and
`parquet/<table>.parquet`, and then makes it current in one atomic step: the symlink
`current` is replaced by a new one pointing at it (see `versions.py`). The paths BI tools
open are fixed symlinks through it, made once:

    marts.duckdb -> current/marts.duckdb
    parquet      -> current/parquet
    current      -> .versions/marts-<stamp>     (the one name that changes)

So the database and the Parquet files switch together or not at all: a failed or killed run
leaves the previous version current, and a reader holding the old marts.duckdb open keeps
reading it. The last two versions are kept. A publish directory from before versions
(plain `marts.duckdb` and `parquet/`) is first taken over as a version, hard-linked, so
its readers see the same data until the new version replaces it.

Each table and column of marts.duckdb carries its dbt description (the YAML beside the
model) as a DuckDB comment, so a BI tool browsing the database shows what a column means.
"""

import json
import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb

from . import versions
from .dbt_project import dbt_project
from .scoring import MART_KEYS, YEARLY_KEYS
from .settings import SettingsResource
from .summary import publication_metadata

# The published tables: every model of the dbt project's marts layer (models/marts/).
MART_TABLES = tuple(sorted(key.path[1] for key in MART_KEYS))
CURRENT = "current"
# the paths readers open, and where they lead (relative to EGOV_PUBLISH_DIR)
PUBLIC_LINKS = {"parquet": f"{CURRENT}/parquet", "marts.duckdb": f"{CURRENT}/marts.duckdb"}


def publish_marts(warehouse: Path, publish_dir: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Copy the `marts` schema of `warehouse` into a new version under `publish_dir` and
    make it current in one step. Returns rows per table and the publication's Markdown
    for the UI."""
    publish_dir.mkdir(parents=True, exist_ok=True)
    versions.remove_leftovers(publish_dir, CURRENT, *PUBLIC_LINKS)
    _adopt_plain_layout(publish_dir)
    staged = versions.stage(publish_dir, "marts")
    try:
        counts, markdown = _write_version(warehouse, staged)
        versions.switch(publish_dir / CURRENT, staged)
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # only if not switched in
    _link_public_paths(publish_dir)  # the first run only: later, nothing to do
    versions.prune(publish_dir / CURRENT, "marts")
    return counts, markdown


def _write_version(warehouse: Path, folder: Path) -> tuple[dict[str, int], dict[str, str]]:
    (folder / "parquet").mkdir()
    counts = {}
    with duckdb.connect(str(folder / "marts.duckdb")) as con:
        con.execute("attach $path as warehouse (read_only)", {"path": str(warehouse)})
        for table in MART_TABLES:
            # table names are our own constants, never input text
            con.execute(f"create table main.{table} as select * from warehouse.marts.{table}")
            counts[table] = con.execute(f"select count(*) from main.{table}").fetchall()[0][0]
        con.execute("detach warehouse")
        descriptions = mart_descriptions(dbt_project.manifest_path)
        for table in MART_TABLES:
            comment_on(con, table, *descriptions.get(table, ("", {})))
        for table in MART_TABLES:
            con.execute(f"copy main.{table} to $path (format parquet)",
                        {"path": str(folder / "parquet" / f"{table}.parquet")})
        markdown = publication_metadata(con)
        con.execute("checkpoint")
    return counts, markdown


def mart_descriptions(manifest: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """Each mart's dbt description and its columns' (by column name), as the manifest the
    code location loads holds them."""
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return {
        node["name"]: (node["description"], {name: column["description"] for name, column in node["columns"].items()})
        for node in nodes
        if node["resource_type"] == "model" and node["name"] in MART_TABLES
    }


def comment_on(con: duckdb.DuckDBPyConnection, table: str, description: str,
               column_descriptions: dict[str, str]) -> None:
    """COMMENT ON the table `main.<table>` and on each of its columns that has a description.

    COMMENT ON takes no parameters, so the texts go in as SQL string literals, quoted here;
    the column names are the table's own (read from the catalog, not from the YAML) and
    quoted as identifiers."""
    if description.strip():
        con.execute(f"comment on table main.{_identifier(table)} is {_literal(description.strip())}")
    columns = con.execute(
        """select column_name from duckdb_columns()
           where database_name = current_database() and schema_name = 'main' and table_name = $table
           order by column_index""",
        {"table": table},
    ).fetchall()
    undescribed = []
    for (column,) in columns:
        text = column_descriptions.get(column, "").strip()
        if not text:
            undescribed.append(column)
            continue
        con.execute(f"comment on column main.{_identifier(table)}.{_identifier(column)} is {_literal(text)}")
    if undescribed:
        dg.get_dagster_logger().warning(f"{table}: no description in its dbt YAML for {', '.join(undescribed)}")


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    # a standard SQL string: a quote is doubled, and nothing else is special (no backslash
    # escapes outside E'...')
    return "'" + text.replace("'", "''") + "'"


def _adopt_plain_layout(publish_dir: Path) -> None:
    """The first run after the upgrade: a plain `marts.duckdb` (and `parquet/`) becomes a
    version, hard-linked, not copied; `current` points at it and the public paths become
    links to it. The data readers see does not change."""
    database, parquet = publish_dir / "marts.duckdb", publish_dir / "parquet"
    if not database.is_file() or database.is_symlink():
        return
    staged = versions.stage(publish_dir, "marts")
    try:
        _link_or_copy(database, staged / "marts.duckdb")
        (staged / "parquet").mkdir()
        for path in parquet.glob("*.parquet"):
            if path.is_file() and not path.name.startswith("."):
                _link_or_copy(path, staged / "parquet" / path.name)
        versions.switch(publish_dir / CURRENT, staged)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    _link_public_paths(publish_dir)


def _link_public_paths(publish_dir: Path) -> None:
    # parquet first: while marts.duckdb is still a plain file, the next run adopts it again
    for name, target in PUBLIC_LINKS.items():
        versions.point(publish_dir / name, target)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


@dg.asset(
    key=["published_marts"],
    group_name="publish",
    kinds={"duckdb", "parquet"},
    # the yearly models too: the marts are built in the same dbt step as they are, so the
    # blocking checks of a yearly model stop publishing only through this edge
    deps=sorted(MART_KEYS | YEARLY_KEYS, key=lambda key: key.path),
    description=(
        "`marts.duckdb` and `parquet/<table>.parquet` under `EGOV_PUBLISH_DIR`: a new version, "
        "written whole, made current in one atomic step (both switch together or not at all)."
    ),
)
def published_marts(settings: SettingsResource) -> dg.MaterializeResult:
    resolved = settings.get()
    publish_dir = resolved.publish_dir
    counts, markdown = publish_marts(resolved.warehouse, publish_dir)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(publish_dir / "marts.duckdb")),
            "version": versions.current(publish_dir / CURRENT) or "",
            **{name: dg.MetadataValue.md(text) for name, text in markdown.items()},
            **{f"rows/{table}": count for table, count in counts.items()},
        }
    )
