"""Every Great Expectations suite in expectations/*.json as a Dagster asset check (SPEC §6).

A suite is data: Great Expectations' own JSON (`name`, `expectations`) with a `meta` block
naming the warehouse table it reads and whether it blocks. A blocking check that fails
stops everything downstream of its asset, so a bad mart is never published.

The JSON is read when the definitions load. Great Expectations and pandas are imported
only when a check runs: importing GE takes seconds, and the code location must load fast.
All the checks of one run share one ephemeral GE context, so the Data Docs swapped into
EGOV_PUBLISH_DIR/quality/ after each check show every suite the run has validated so far:
they are the docs of the last run, also (above all) when it failed.
"""

import json
import os
import re
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from ..settings import Settings

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
DOCS_SITE = "quality"
# Table names come from our own suite files, yet they are pasted into SQL: keep them plain.
TABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")


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
        asset = meta.get("asset") or table.replace(".", "/")
        suites.append(Suite(path, document, table, dg.AssetKey(asset.split("/")), blocking))
    names = [suite.name for suite in suites]
    if duplicates := sorted({name for name in names if names.count(name) > 1}):
        raise SuiteError(f"{folder}: suite names must be unique: {', '.join(duplicates)}")
    return suites


def build_checks(folder: Path | None = None) -> list[dg.AssetChecksDefinition]:
    """One asset check per suite file; adding a file adds a check, no Python needed."""
    return [_asset_check(suite) for suite in load_suites(folder or expectations_dir())]


def _asset_check(suite: Suite) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=suite.asset,
        name=suite.check_name,
        description=suite.description,
        blocking=suite.blocking,
        compute_kind="great_expectations",
        metadata={
            "suite": dg.MetadataValue.path(str(suite.path)),
            "table": suite.table,
            "expectations": len(suite.document["expectations"]),
        },
    )
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        return validate(suite, context.run.run_id, Settings.from_env())

    return _check


def validate(suite: Suite, run_id: str, settings: Settings) -> dg.AssetCheckResult:
    """Validate the whole table (every year, for the partitioned ones) and refresh the docs."""
    frame = read_table(settings.warehouse, suite.table)
    run = _GxRun.of(run_id, settings.publish_dir)
    result = run.validate(suite, frame)
    docs = run.publish_docs(suite)
    failed = [r for r in result.results if not r.success]
    return dg.AssetCheckResult(
        passed=bool(result.success),
        severity=dg.AssetCheckSeverity.ERROR if suite.blocking else dg.AssetCheckSeverity.WARN,
        description=(
            f"{len(failed)} of {len(result.results)} expectations failed on {suite.table}"
            if failed else None
        ),
        metadata={
            "rows": len(frame),
            "evaluated": len(result.results),
            "failed": len(failed),
            "failed_expectations": dg.MetadataValue.md(_failure_table(failed)),
            "data_docs": dg.MetadataValue.path(str(docs / "index.html")),
        },
    )


def read_table(warehouse: Path, table: str):
    if not TABLE_NAME.fullmatch(table):  # the loader checked; a second look costs nothing
        raise SuiteError(f"not a plain table name: {table!r}")
    schema, name = table.split(".")
    # read-only, and closed before returning: DuckDB allows one writing process per file
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f'select * from "{schema}"."{name}"').df()


def _failure_table(failed) -> str:
    if not failed:
        return "(none)"
    lines = ["| expectation | column | unexpected | examples |", "|---|---|---|---|"]
    for r in failed:
        kwargs = r.expectation_config.kwargs
        column = kwargs.get("column") or ", ".join(
            str(kwargs[k]) for k in ("column_A", "column_B", "column_list") if k in kwargs)
        examples = ", ".join(str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5])
        unexpected = r.result.get("unexpected_count", r.result.get("observed_value", ""))
        cells = [r.expectation_config.type, column, str(unexpected), examples]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


class _GxRun:
    """One ephemeral Great Expectations context per Dagster run.

    The pipeline runs its steps in one process (in_process_executor), so the checks of a
    run find the context here and its in-memory stores hold every validation of the run.
    """

    _current: "_GxRun | None" = None

    @classmethod
    def of(cls, run_id: str, publish_dir: Path) -> "_GxRun":
        if cls._current is None or (cls._current.run_id, cls._current.publish_dir) != (run_id, publish_dir):
            cls._current = cls(run_id, publish_dir)
        return cls._current

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
        # GE builds the site here page by page; each check publishes a copy of it
        self.site = Path(tempfile.mkdtemp(prefix="egov-quality-"))
        weakref.finalize(self, shutil.rmtree, self.site, True)
        self.published = False  # by this run
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
        self.validations: dict[str, object] = {}

    def validate(self, suite: Suite, frame):
        definition = self.validations.get(suite.name)
        if definition is None:  # a retried step reuses what the first attempt registered
            batch = self.source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("whole table")
            expectations = self.context.suites.add(self.gx.ExpectationSuite(**suite.document))
            definition = self.context.validation_definitions.add(
                self.gx.ValidationDefinition(name=suite.name, data=batch, suite=expectations))
            self.validations[suite.name] = definition
        return definition.run(batch_parameters={"dataframe": frame}, run_id=self.gx_run_id)

    def publish_docs(self, suite: Suite) -> Path:
        """Render the suite's pages and the index, then swap a copy of the whole site in:
        readers never see a half-written folder."""
        pages = [key for key in self.context.validation_results_store.list_keys()
                 if key.expectation_suite_identifier.name == suite.name]
        pages += [key for key in self.context.expectations_store.list_keys() if key.name == suite.name]
        self.site_builder.build(resource_identifiers=pages)
        shutil.rmtree(self.staging, ignore_errors=True)
        shutil.copytree(self.site, self.staging, ignore=lambda folder, _: ["static"] if folder == str(self.site) else [])
        # Static files (fonts, images: most of the bytes) are copied once per run, then
        # linked from the docs published before: published files are never written in
        # place, while GE rewrites its own copies at every build.
        if self.published:
            shutil.copytree(self.docs / "static", self.staging / "static", copy_function=_link_or_copy)
        else:
            shutil.copytree(self.site / "static", self.staging / "static")
        shutil.rmtree(self.retired, ignore_errors=True)
        # a directory cannot be renamed over a non-empty one: move the old one aside first
        if self.docs.exists():
            os.replace(self.docs, self.retired)
        os.replace(self.staging, self.docs)
        shutil.rmtree(self.retired, ignore_errors=True)
        self.published = True
        return self.docs
