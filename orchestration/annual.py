"""The annual run: every year found in EGOV_DATA_DIR (or the given years) materialised in
one Dagster run, recorded in DAGSTER_HOME. `make run` calls this, then the summary.

    python -m orchestration.annual [YEAR ...] [--force]

does nothing when nothing changed since the last run of every year (see up_to_date.py),
unless told `--force`."""

import argparse
import sys

import dagster as dg

from . import up_to_date
from .partitions import discover_years, plausible_year, years_partitions
from .settings import Settings, SettingsResource

# Dagster's run tags for a run over a range of partitions (what a single-run backfill sets).
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def register_years(instance: dg.DagsterInstance, years: list[str]) -> None:
    """Add the years found; drop keys that are not plausible years, which an earlier
    version registered from folders like `20180` and every run would then fail on."""
    known = instance.get_dynamic_partitions(years_partitions.name)
    for key in known:
        if plausible_year(key) is None:
            instance.delete_dynamic_partition(years_partitions.name, key)
    new = [year for year in years if year not in known]
    if new:
        instance.add_dynamic_partitions(years_partitions.name, new)


def select_years(known: list[str], years: list[int] | None) -> list[str]:
    """The partition keys of one run: all known years, or the given consecutive ones."""
    if not known:
        raise ValueError("no years found: no submissions/<year>/ folder and no framework")
    if years is None:
        return known
    wanted = sorted({str(year) for year in years})
    missing = [year for year in wanted if year not in known]
    if missing:
        raise ValueError(f"no such year in the data: {', '.join(missing)}")
    positions = sorted(known.index(year) for year in wanted)
    if positions != list(range(positions[0], positions[-1] + 1)):
        raise ValueError("give one year or consecutive years: a run covers a range of partitions")
    return known[positions[0]:positions[-1] + 1]


def run(settings: Settings | None = None, years: list[int] | None = None,
        instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    """Materialise every asset for `years` (all discovered years when None). A successful
    run of every year records what it was built from (up_to_date.record)."""
    settings = settings or Settings.from_env()
    from .definitions import annual_run, defs

    instance = instance or dg.DagsterInstance.get()
    register_years(instance, discover_years(settings.data_dir))
    known = instance.get_dynamic_partitions(years_partitions.name)
    keys = select_years(known, years)
    inputs = up_to_date.inputs_digest(settings)  # before the run: a file may change meanwhile
    # The defined job, not dg.materialize(): that one runs an ad hoc job the UI lists as
    # __ephemeral_asset_job__.
    result = defs.resolve_job_def(annual_run.name).execute_in_process(
        instance=instance,
        tags={RANGE_START: keys[0], RANGE_END: keys[-1]},
        raise_on_error=True,
        resources={"settings": SettingsResource.of(settings)},
    )
    if result.success and keys == known:
        up_to_date.record(settings, inputs, keys, result.run_id)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.annual", description=__doc__.split("\n\n")[0])
    parser.add_argument("years", nargs="*", type=int, help="the years to run (default: every year found)")
    parser.add_argument("--force", action="store_true",
                        help="run even when nothing changed since the last run of every year")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if not args.force and (built := up_to_date.unchanged(settings, args.years)):
        print(up_to_date.explain(built, settings))
        return 0
    result = run(settings, args.years or None)
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
