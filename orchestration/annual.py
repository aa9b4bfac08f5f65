"""The annual run: every year found in EGOV_DATA_DIR (or the given years) materialised in
one Dagster run, recorded in DAGSTER_HOME. `make run` calls this, then the summary."""

import sys

import dagster as dg

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
    """Materialise every asset for `years` (all discovered years when None)."""
    settings = settings or Settings.from_env()
    from .definitions import annual_run, defs

    instance = instance or dg.DagsterInstance.get()
    register_years(instance, discover_years(settings.data_dir))
    keys = select_years(instance.get_dynamic_partitions(years_partitions.name), years)
    # The defined job, not dg.materialize(): that one runs an ad hoc job the UI lists as
    # __ephemeral_asset_job__.
    return defs.resolve_job_def(annual_run.name).execute_in_process(
        instance=instance,
        tags={RANGE_START: keys[0], RANGE_END: keys[-1]},
        raise_on_error=True,
        resources={"settings": SettingsResource.of(settings)},
    )


def main(argv: list[str]) -> int:
    years = [int(arg) for arg in argv] or None
    result = run(years=years)
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
