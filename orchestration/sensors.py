"""Automation: a sensor that notices new or changed submission files and asks for a run
of that year's partition. Off by default: turn it on in the UI (Automation → Sensors),
where it runs under `dagster dev`'s daemon."""

import hashlib
import json
from pathlib import Path

import dagster as dg

from .ingest.load import submission_files
from .partitions import years_partitions
from .settings import SettingsResource


def submission_fingerprints(data_dir: Path) -> dict[str, str]:
    """Per year, a digest of its files' names, sizes and modification times: cheap to take
    at every tick, and different as soon as a file is added, replaced, edited or removed."""
    listing: dict[str, list] = {}
    for year, path in submission_files(data_dir):
        stat = path.stat()
        listing.setdefault(str(year), []).append((path.relative_to(data_dir).as_posix(), stat.st_size, stat.st_mtime_ns))
    return {year: hashlib.sha256(json.dumps(files).encode()).hexdigest()[:16] for year, files in listing.items()}


def build_submissions_sensor(job) -> dg.SensorDefinition:
    @dg.sensor(
        name="submission_files",
        job=job,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Runs a year's partition when files under `submissions/<year>/` appear or change.",
    )
    def submission_files_sensor(context: dg.SensorEvaluationContext, settings: SettingsResource) -> dg.SensorResult:
        seen = json.loads(context.cursor) if context.cursor else {}
        now = submission_fingerprints(settings.get().data_dir)
        changed = sorted(year for year, digest in now.items() if seen.get(year) != digest)
        known = set(context.instance.get_dynamic_partitions(years_partitions.name))
        new_years = [year for year in changed if year not in known]
        return dg.SensorResult(
            run_requests=[dg.RunRequest(run_key=f"{year}-{now[year]}", partition_key=year) for year in changed],
            dynamic_partitions_requests=[years_partitions.build_add_request(new_years)] if new_years else [],
            cursor=json.dumps(now),
        )

    return submission_files_sensor
