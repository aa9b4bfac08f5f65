"""Every Great Expectations suite in expectations/*.json as a Dagster asset check (SPEC §6).

A suite is data: Great Expectations' own JSON (`name`, `expectations`) with a `meta` block
naming the warehouse table it reads and whether it blocks. A blocking check that fails
stops everything downstream of its asset, so a bad mart is never published.

A check loads into pandas only what its expectations read: the columns they name (the
others are there but empty, so `expect_table_columns_to_match_set` still sees the table's
real columns) and, for an asset partitioned by year, only the years of the run, validated
in batches of whole years. A yearly table of a national run is tens of millions of rows;
a check holds one batch of the columns it reads, whatever the number of years.
(Great Expectations' SQL datasource would need no pandas, but it does not work on DuckDB:
through duckdb_engine, column reflection fails under SQLAlchemy 2.1, every metric query
comes back empty, and regular expressions are refused on that dialect.)

A `value_set` may name its values instead of listing them, `{"$names": "unit_types"}` or a
list of names (their union): the lists kept in one place (NAMED_SETS), such as the unit
types the registry and the frameworks accept, or read from the warehouse when the check
runs, such as the rating labels of the frameworks' own bands.

The JSON is read when the definitions load. Great Expectations and pandas are imported
only when a check runs: importing GE takes seconds, and the code location must load fast.
All the checks of one run share one ephemeral GE context, held by the run's `quality`
resource, which builds the Data Docs of every suite the run validated once, when the run
ends, and swaps them into EGOV_PUBLISH_DIR/quality/: they are the docs of the last run,
also (above all) when it failed. They open without
network: data_docs.py points GE's pages at scripts and styles shipped beside them.
"""

import json
import os
import re
import shutil
import tempfile
import warnings
import weakref
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from .. import vocabulary
from ..ingest.frameworks import RULE_TYPES
from ..partitions import year_keys, years_partitions
from ..settings import Settings, SettingsResource
from . import data_docs

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
DOCS_SITE = "quality"
# Table names come from our own suite files, yet they are pasted into SQL: keep them plain.
TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")
# The kwargs by which Great Expectations' expectations name the columns whose values they
# read; the expect_table_* ones read only the table's column names and its row count.
COLUMN_KWARGS = ("column", "column_A", "column_B", "column_list")
# Named value sets: a list kept in one place, or a query on the warehouse that gives one.
NAMED_SETS: dict[str, list[str] | str] = {
    "unit_types": sorted(vocabulary.UNIT_TYPES),
    "rule_types": sorted(RULE_TYPES),
    "not_ranked_label": [vocabulary.NOT_RANKED_LABEL],
    # the ratings are the bands of each framework
    "rating_bands": "select distinct label from raw.rating_bands",
    # the unit types the frameworks of the Ministry, and those of the provinces, evaluate
    "national_unit_types": "select distinct unit_type from raw.frameworks where evaluator = 'national'",
    "provincial_unit_types": "select distinct unit_type from raw.frameworks where evaluator <> 'national'",
}
NAMES = "$names"
# The years of a yearly table are validated in batches of about this many rows at most.
ROWS_PER_BATCH = 1_000_000


class SuiteError(ValueError):
    """A suite file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Suite:
    path: Path
    document: dict  # the suite as Great Expectations reads it
    table: str
    asset: dg.AssetKey
    blocking: bool

    @property
    def name(self) -> str:
        return self.document["name"]

    @property
    def check_name(self) -> str:
        return "ge_" + re.sub(r"[^a-z0-9_]", "_", self.name.lower())

    @property
    def columns(self) -> frozenset[str] | None:
        """The columns whose values the expectations read; None (all of them) when one has a
        row_condition, a pandas query that may name any column."""
        names = set()
        for expectation in self.document["expectations"]:
            kwargs = expectation.get("kwargs") or {}
            if kwargs.get("row_condition"):
                return None
            if expectation.get("type", "").startswith("expect_table_"):
                continue
            for key in COLUMN_KWARGS:
                value = kwargs.get(key)
                names.update([value] if isinstance(value, str) else value if isinstance(value, list) else [])
        return frozenset(names)

    @property
    def description(self) -> str:
        return self.document.get("meta", {}).get("description") or (
            f"Great Expectations suite {self.path.name} on {self.table}"
            f"{' (blocking)' if self.blocking else ''}."
        )


def expectations_dir() -> Path:
    """EGOV_EXPECTATIONS_DIR, or the repository's expectations/."""
    return Path(os.environ.get("EGOV_EXPECTATIONS_DIR") or EXPECTATIONS_DIR).expanduser().absolute()


def load_suites(folder: Path) -> list[Suite]:
    suites = []
    for path in sorted(folder.glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise SuiteError(f"{path}: not readable JSON: {error}") from error
        if not isinstance(document, dict):
            raise SuiteError(f"{path}: expected an object with name, expectations and meta")
        meta = document.get("meta")
        if not isinstance(meta, dict):
            raise SuiteError(f"{path}: missing meta block (meta.table, meta.blocking)")
        if not isinstance(document.get("name"), str) or not document["name"]:
            raise SuiteError(f"{path}: missing name")
        if not isinstance(document.get("expectations"), list):
            raise SuiteError(f"{path}: expectations must be a list")
        table = meta.get("table")
        if not isinstance(table, str) or not TABLE_NAME.fullmatch(table):
            raise SuiteError(f"{path}: meta.table must be <schema>.<table> in lower case, got {table!r}")
        blocking = meta.get("blocking", False)
        if not isinstance(blocking, bool):
            raise SuiteError(f"{path}: meta.blocking must be true or false")
        for position, expectation in enumerate(document["expectations"]):
            named = ((expectation or {}).get("kwargs") or {}).get("value_set")
            if isinstance(named, dict) and (unknown := sorted(set(_set_names(named)) - set(NAMED_SETS))):
                raise SuiteError(f"{path}: expectations[{position}].kwargs.value_set: no named set "
                                 f"{', '.join(map(repr, unknown))} (known: {', '.join(NAMED_SETS)})")
        asset = meta.get("asset") or table.replace(".", "/")
        suites.append(Suite(path, document, table, dg.AssetKey(asset.split("/")), blocking))
    names = [suite.name for suite in suites]
    if duplicates := sorted({name for name in names if names.count(name) > 1}):
        raise SuiteError(f"{folder}: suite names must be unique: {', '.join(duplicates)}")
    return suites


def _set_names(named: dict) -> list:
    names = named.get(NAMES)
    return [names] if isinstance(names, str) else names if isinstance(names, list) and names else [repr(named)]


def resolve_value_sets(document: dict, con) -> dict:
    """The suite with each named value set replaced by its values (the union of its names)."""
    found: dict[str, list] = {}

    def values(name: str) -> list:
        if name not in found:
            named = NAMED_SETS[name]
            found[name] = named if isinstance(named, list) else [v for (v,) in con.execute(named).fetchall()]
        return found[name]

    expectations = []
    for expectation in document["expectations"]:
        kwargs = expectation.get("kwargs") or {}
        if isinstance(kwargs.get("value_set"), dict):
            names = _set_names(kwargs["value_set"])
            value_set = sorted({v for name in names for v in values(name) if v is not None})
            expectation = {**expectation, "kwargs": {**kwargs, "value_set": value_set}}
        expectations.append(expectation)
    return {**document, "expectations": expectations}


def build_checks(folder: Path | None = None,
                 partitioned: Collection[dg.AssetKey] = ()) -> list[dg.AssetChecksDefinition]:
    """One asset check per suite file; adding a file adds a check, no Python needed. The
    checks of one layer run in one step (`quality_<layer>`), which shares the run's Great
    Expectations context; the checks of assets in `partitioned` run in a step of their own
    (`quality_<layer>_by_year`), partitioned by year as their assets are."""
    groups: dict[tuple[str, bool], list[Suite]] = {}
    for suite in load_suites(folder or expectations_dir()):
        layer = suite.asset.path[0] if len(suite.asset.path) > 1 else "other"
        groups.setdefault((re.sub(r"[^a-z0-9_]", "_", layer.lower()), suite.asset in partitioned), []).append(suite)
    with warnings.catch_warnings():
        # Partitioned checks are a preview in Dagster 1.13 (tests/test_quality.py shows them
        # validating a run's years): say so here, not at every load.
        warnings.filterwarnings("ignore", category=dg.PreviewWarning, message=".*partitions_def on an AssetCheckSpec")
        return [_define_checks(f"quality_{layer}{'_by_year' if by_year else ''}", suites, by_year)
                for (layer, by_year), suites in sorted(groups.items())]


def _define_checks(name: str, suites: list[Suite], partitioned: bool) -> dg.AssetChecksDefinition:
    specs = {
        dg.AssetCheckKey(suite.asset, suite.check_name): dg.AssetCheckSpec(
            suite.check_name,
            asset=suite.asset,
            description=suite.description,
            blocking=suite.blocking,
            partitions_def=years_partitions if partitioned else None,
            metadata={
                "suite": dg.MetadataValue.path(str(suite.path)),
                "table": suite.table,
                "expectations": len(suite.document["expectations"]),
            },
        )
        for suite in suites
    }

    @dg.multi_asset_check(
        name=name,
        specs=list(specs.values()),
        description=f"The Great Expectations suites of {', '.join(sorted({s.table for s in suites}))}.",
        can_subset=True,
        compute_kind="great_expectations",
    )
    def _checks(context: dg.AssetCheckExecutionContext, settings: SettingsResource, quality: "QualityResource"):
        resolved = settings.get()
        run = quality.gx_run(context.run.run_id, resolved.publish_dir)
        errors = []
        for key, suite in zip(specs, suites):
            if key not in context.selected_asset_check_keys:
                continue
            try:
                years = _years_to_validate(context, suite, resolved) if partitioned else None
                yield validate(suite, run, resolved, years)
            except Exception as error:  # one suite that cannot run does not hide the others' results
                context.log.exception(f"{suite.path.name}: not validated")
                errors.append(f"{suite.path.name}: {error}")
                yield dg.AssetCheckResult(
                    asset_key=suite.asset, check_name=suite.check_name, passed=False,
                    severity=dg.AssetCheckSeverity.ERROR if suite.blocking else dg.AssetCheckSeverity.WARN,
                    description=f"not validated: {error}",
                )
        if errors:
            raise dg.Failure("could not validate " + "; ".join(errors))

    return _checks


def _years_to_validate(context: dg.AssetCheckExecutionContext, suite: Suite, settings: Settings) -> list[int]:
    """The run's years (the other years were checked when they were built), or every year
    of the table when the run names none."""
    if context.has_partition_key or context.has_partition_key_range:
        return year_keys(context.partition_keys)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return sorted(year_counts(con, suite.table))


def validate(suite: Suite, run: "GxRun", settings: Settings,
             years: Iterable[int] | None = None) -> dg.AssetCheckResult:
    """Validate the whole table, or only `years` of it in batches of whole years. The check
    passes when every batch does."""
    # read-only, and closed once read: DuckDB allows one writing process per file
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        suite = replace(suite, document=resolve_value_sets(suite.document, con))
        columns = table_columns(con, suite.table)
        batches = [None] if years is None else year_batches(year_counts(con, suite.table), years)
        # a single batch is read here; several, each on a connection of its own (below)
        frame = read_batch(con, suite.table, columns, suite.columns, batches[0]) if len(batches) == 1 else None
    if frame is not None:
        outcomes = [(batches[0], len(frame), run.validate(suite, frame, batches[0]))]
    else:
        outcomes = [(batch, *_validate_batch(run, suite, settings.warehouse, columns, batch))
                    for batch in batches]
    evaluated = sum(len(result.results) for _, _, result in outcomes)
    failed = [(batch, r) for batch, _, result in outcomes for r in result.results if not r.success]
    scope = "whole table" if years is None else ", ".join(str(y) for batch in batches for y in batch) or "none"
    return dg.AssetCheckResult(
        asset_key=suite.asset,
        check_name=suite.check_name,
        passed=all(result.success for _, _, result in outcomes),
        severity=dg.AssetCheckSeverity.ERROR if suite.blocking else dg.AssetCheckSeverity.WARN,
        description=(
            f"{len(failed)} of {evaluated} expectations failed on {suite.table} ({scope})"
            if failed else None
        ),
        metadata={
            "years": scope,
            "rows": sum(rows for _, rows, _ in outcomes),
            "batches": len(outcomes),
            "evaluated": evaluated,
            "failed": len(failed),
            "failed_expectations": dg.MetadataValue.md(_failure_table(failed)),
            # a file: URL, which the UI shows as a link (a path is shown as text)
            "data_docs": dg.MetadataValue.url((run.docs / "index.html").as_uri()),
        },
    )


def year_batches(counts: dict[int, int], years: Iterable[int]) -> list[list[int]]:
    """`years` in order, in batches of whole years of at most ROWS_PER_BATCH rows (a year
    larger than that is a batch of its own). Whole years, because the unique keys of the
    yearly tables include the year; several, because each batch costs GE a fixed time."""
    batches: list[list[int]] = []
    rows = 0
    for year in sorted(set(years)):
        if batches and rows + counts.get(year, 0) <= ROWS_PER_BATCH:
            batches[-1].append(year)
            rows += counts.get(year, 0)
        else:
            batches.append([year])
            rows = counts.get(year, 0)
    return batches


def _validate_batch(run: "GxRun", suite: Suite, warehouse: Path, columns: list[str],
                    years: list[int] | None):
    # A function of its own, so that a batch's frame is freed before the next is read; the
    # connection is closed before GE runs, which frees DuckDB's cache of the table too.
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = read_batch(con, suite.table, columns, suite.columns, years)
    return len(frame), run.validate(suite, frame, years)


def table_columns(con, table: str) -> list[str]:
    schema, name = table.split(".")
    rows = con.execute(
        """select column_name from information_schema.columns
           where table_schema = $schema and table_name = $name order by ordinal_position""",
        {"schema": schema, "name": name},
    ).fetchall()
    if not rows:
        raise SuiteError(f"no table {table} in the warehouse")
    return [column for (column,) in rows]


def year_counts(con, table: str) -> dict[int, int]:
    return dict(con.execute(f'select "year", count(*) from {_relation(table)} group by "year"').fetchall())


def read_batch(con, table: str, columns: list[str], read: frozenset[str] | None,
               years: list[int] | None = None):
    """The table (or the rows of `years`) as a DataFrame with every column in the table's
    order; a column not in `read` (None: all) is there but empty, and takes no memory."""
    import pandas as pd

    selected = [column for column in columns if read is None or column in read]
    # a list of constants, which DuckDB turns into a range filter on the scan
    where = "" if years is None else f' where "year" in ({", ".join("?" * len(years))})'
    params = years or []
    if selected:
        sql = f"select {', '.join(map(_quoted, selected))} from {_relation(table)}{where}"
        frame = con.execute(sql, params).df()
    else:
        ((count,),) = con.execute(f"select count(*) from {_relation(table)}{where}", params).fetchall()
        frame = pd.DataFrame(index=pd.RangeIndex(count))
    for column, dtype in frame.dtypes.items():
        # GE compares int64 and float64 columns vectorised, other integers value by value in
        # Python (DuckDB's INTEGER arrives as int32): a bound check was 3-4 times slower
        if dtype.kind in "iu" and dtype.itemsize < 8 and not pd.api.types.is_extension_array_dtype(dtype):
            frame[column] = frame[column].astype("int64")
    for position, column in enumerate(columns):
        if column not in frame.columns:
            # sparse with no stored value: all null, a few bytes whatever the rows
            empty = pd.Series(float("nan"), index=frame.index, dtype=pd.SparseDtype("float64"))
            frame.insert(position, column, empty)
    return frame


def _relation(table: str) -> str:
    if not TABLE_NAME.fullmatch(table):  # the loader checked; a second look costs nothing
        raise SuiteError(f"not a plain table name: {table!r}")
    return ".".join(map(_quoted, table.split(".")))


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _batch_name(years: list[int] | None) -> str:
    if years is None:
        return "whole table"
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _failure_table(failed) -> str:
    if not failed:
        return "(none)"
    lines = ["| batch | expectation | column | unexpected | examples |", "|---|---|---|---|---|"]
    for batch, r in failed:
        kwargs = r.expectation_config.kwargs
        column = kwargs.get("column") or ", ".join(
            str(kwargs[k]) for k in ("column_A", "column_B", "column_list") if k in kwargs)
        examples = ", ".join(str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5])
        unexpected = r.result.get("unexpected_count", r.result.get("observed_value", ""))
        cells = [_batch_name(batch), r.expectation_config.type, column, str(unexpected), examples]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


class QualityResource(dg.ConfigurableResource):
    """The Great Expectations context of a run, which its checks share: one context, its
    in-memory stores holding every validation of the run, so the Data Docs show them all.
    Made at the first check (importing GE takes seconds), let go when the run ends."""

    _run: "GxRun | None" = PrivateAttr(default=None)

    def gx_run(self, run_id: str, publish_dir: Path) -> "GxRun":
        if self._run is None or (self._run.run_id, self._run.publish_dir) != (run_id, publish_dir):
            self._run = GxRun(run_id, publish_dir)
        return self._run

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._run is not None:  # the run validated something: its docs, built once
            self._run.publish_docs()
        self._run = None


class GxRun:
    """An ephemeral Great Expectations context and the Data Docs site it builds."""

    def __init__(self, run_id: str, publish_dir: Path):
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.render.renderer.site_builder import SiteBuilder

        self.gx = gx
        self.run_id = run_id
        self.publish_dir = publish_dir
        self.docs = publish_dir / "quality"
        self.staging = publish_dir / f".quality.tmp-{os.getpid()}"
        self.retired = publish_dir / f".quality.old-{os.getpid()}"
        # what an interrupted run left behind (runs never overlap: the warehouse has one writer)
        for stale in publish_dir.glob(".quality.*"):
            shutil.rmtree(stale, ignore_errors=True)
        # GE builds the site here; the run ends by publishing a copy of it
        self.site = Path(tempfile.mkdtemp(prefix="egov-quality-"))
        weakref.finalize(self, shutil.rmtree, self.site, True)
        # the scripts and styles GE's pages would load from CDNs, for a closed network
        data_docs.copy_assets(self.site)
        self.localised: dict[Path, tuple[int, int]] = {}
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        # One site builder for the whole run: GE compiles its page templates once per
        # builder, and build_data_docs() would make a new builder (and recompile) per call.
        self.site_builder = SiteBuilder(
            data_context=self.context,
            site_name=DOCS_SITE,
            store_backend={"class_name": "TupleFilesystemStoreBackend", "base_directory": str(self.site)},
            site_index_builder={"class_name": "DefaultSiteIndexBuilder"},
            site_section_builders={"profiling": "None"},  # no profiling results here
            show_how_to_buttons=False,
        )
        self.source = self.context.data_sources.add_pandas("warehouse")
        self.gx_run_id = RunIdentifier(run_name=run_id)
        self.suites: dict[str, object] = {}
        self.validations: dict[tuple[str, str], object] = {}

    def validate(self, suite: Suite, frame, years: list[int] | None):
        key = (suite.name, _batch_name(years))
        definition = self.validations.get(key)
        if definition is None:  # a retried step reuses what the first attempt registered
            if suite.name not in self.suites:
                self.suites[suite.name] = self.context.suites.add(self.gx.ExpectationSuite(**suite.document))
            # One data asset per batch: a validation result is stored (and its page named)
            # by suite, run and asset, so the batches of one run would overwrite each other.
            name = suite.name if years is None else f"{suite.name} {_batch_name(years)}"
            batch = self.source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(key[1])
            definition = self.context.validation_definitions.add(
                self.gx.ValidationDefinition(name=name, data=batch, suite=self.suites[suite.name]))
            self.validations[key] = definition
        try:
            # BASIC: the unexpected count and a few examples, what a failure's table shows;
            # SUMMARY (GE's default) adds value counts of the unexpected values, a third
            # more time per suite, on every suite whether it fails or not
            return definition.run(batch_parameters={"dataframe": frame}, run_id=self.gx_run_id,
                                  result_format="BASIC")
        finally:
            # GE's pandas engine keeps every batch it has validated for as long as its
            # datasource lives, i.e. the whole run: let go of this one's frame now.
            batches = self.source.get_execution_engine().batch_manager
            batches.reset_batch_cache()
            batches.batch_data_cache.clear()

    def publish_docs(self) -> Path:
        """Render the pages of every validation and suite of the run and the index, then
        swap the whole site in: readers never see a half-written folder."""
        self.site_builder.build()
        data_docs.localise_site(self.site, self.localised)
        shutil.rmtree(self.staging, ignore_errors=True)
        shutil.copytree(self.site, self.staging)
        shutil.rmtree(self.retired, ignore_errors=True)
        # a directory cannot be renamed over a non-empty one: move the old one aside first
        if self.docs.exists():
            os.replace(self.docs, self.retired)
        os.replace(self.staging, self.docs)
        shutil.rmtree(self.retired, ignore_errors=True)
        return self.docs
