"""The SPEC §2 environment variables: a Dagster resource that the assets, checks and sensor
are given, resolved at each run to absolute paths.

Relative values are taken from the directory the command runs in (the repository root
for `make`), so Python and the dbt subprocess (which runs inside `dbt_project/`) agree on
the same files.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

# field of SettingsResource → (environment variable, SPEC default)
VARIABLES = {
    "data_dir": ("EGOV_DATA_DIR", "data"),
    "warehouse": ("EGOV_WAREHOUSE", "data/warehouse.duckdb"),
    "publish_dir": ("EGOV_PUBLISH_DIR", "data/published"),
    # DuckDB caches up to 80% of the machine's memory unless told; past the limit it spills
    # to <warehouse>.tmp/. dbt's profile reads the same variable.
    "memory_limit": ("EGOV_DUCKDB_MEMORY_LIMIT", "512MB"),
}


@dataclass(frozen=True)
class Settings:
    """The settings of one run, resolved."""

    data_dir: Path
    warehouse: Path
    publish_dir: Path
    memory_limit: str = VARIABLES["memory_limit"][1]

    @classmethod
    def resolve(cls, data_dir: str, warehouse: str, publish_dir: str, memory_limit: str) -> "Settings":
        def path(value: str) -> Path:
            return Path(value).expanduser().absolute()

        return cls(path(data_dir), path(warehouse), path(publish_dir), memory_limit)

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        """For the command-line entry points; an empty variable counts as unset."""
        env = os.environ if environ is None else environ
        return cls.resolve(**{field: env.get(name) or default for field, (name, default) in VARIABLES.items()})


class SettingsResource(dg.ConfigurableResource):
    """Where the data, the warehouse and the publication are, and DuckDB's memory limit
    (SPEC §2). Each is the environment variable of its name when set, else the SPEC's
    default; relative paths are taken from the working directory."""

    data_dir: str = VARIABLES["data_dir"][1]
    warehouse: str = VARIABLES["warehouse"][1]
    publish_dir: str = VARIABLES["publish_dir"][1]
    memory_limit: str = VARIABLES["memory_limit"][1]

    @classmethod
    def from_env(cls) -> "SettingsResource":
        """The variables set now as `dg.EnvVar`s, which Dagster reads when a run starts and
        shows by name in the UI; the others keep the SPEC's default (a `dg.EnvVar` has none,
        and fails a run when its variable is unset)."""
        return cls(**{field: dg.EnvVar(name) for field, (name, _) in VARIABLES.items() if os.environ.get(name)})

    @classmethod
    def of(cls, settings: Settings) -> "SettingsResource":
        return cls(data_dir=str(settings.data_dir), warehouse=str(settings.warehouse),
                   publish_dir=str(settings.publish_dir), memory_limit=settings.memory_limit)

    def get(self) -> Settings:
        return Settings.resolve(self.data_dir, self.warehouse, self.publish_dir, self.memory_limit)
