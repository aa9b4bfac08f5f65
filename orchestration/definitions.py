"""The whole system on one screen: files → raw tables → dbt scoring → marts → published."""

from pathlib import Path

import dagster as dg

from .ingest.assets import raw_frameworks, raw_submissions, raw_units
from .publish import published_marts
from .quality import QualityResource, build_checks
from .reports.assets import published_reports
from .scoring import YEARLY_KEYS, dbt_resource, dbt_scoring
from .sensors import build_submissions_sensor
from .settings import SettingsResource

ASSETS = [
    raw_units, raw_frameworks, raw_submissions,
    dbt_scoring,
    published_marts,
    published_reports,
]
# the tables a run writes only the rows of its years of, whose checks validate those years;
# the checks of the others (staging, marts: rebuilt whole) validate the whole table
PARTITIONED = frozenset(raw_submissions.keys) | YEARLY_KEYS

annual_run = dg.define_asset_job(
    "annual_run",
    selection=dg.AssetSelection.all(),
    description="Ingest every submission, score every year, publish the marts and the reports.",
)


def asset_checks(folder: Path | None = None) -> list[dg.AssetChecksDefinition]:
    """One Great Expectations check per expectations/*.json; the mart suites block publishing."""
    return build_checks(folder, PARTITIONED)


def resources() -> dict[str, object]:
    """The resources, with the SPEC §2 settings as the environment gives them now."""
    return {"dbt": dbt_resource, "settings": SettingsResource.from_env(), "quality": QualityResource()}


defs = dg.Definitions(
    assets=ASSETS,
    asset_checks=asset_checks(),
    jobs=[annual_run],
    sensors=[build_submissions_sensor(annual_run)],
    resources=resources(),
    # DuckDB takes one writing process per file: run the steps one after another in a
    # single process instead of a process per step.
    executor=dg.in_process_executor,
)
