"""The whole system on one screen: files → raw tables → dbt scoring → marts → published."""

import dagster as dg

from .ingest.assets import raw_frameworks, raw_submissions, raw_units
from .publish import published_marts
from .quality import build_checks
from .reports.assets import published_reports
from .scoring import dbt_marts, dbt_resource, dbt_staging, dbt_yearly
from .sensors import build_submissions_sensor

annual_run = dg.define_asset_job(
    "annual_run",
    selection=dg.AssetSelection.all(),
    description="Ingest every submission, score every year, publish the marts and the reports.",
)

defs = dg.Definitions(
    assets=[
        raw_units, raw_frameworks, raw_submissions,
        dbt_staging, dbt_yearly, dbt_marts,
        published_marts,
        published_reports,
    ],
    # one Great Expectations check per expectations/*.json; the mart suites block publishing
    asset_checks=build_checks(),
    jobs=[annual_run],
    sensors=[build_submissions_sensor(annual_run)],
    resources={"dbt": dbt_resource},
    # DuckDB takes one writing process per file: run the steps one after another in a
    # single process instead of a process per step.
    executor=dg.in_process_executor,
)
