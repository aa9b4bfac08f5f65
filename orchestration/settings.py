"""The SPEC §2 environment variables, resolved once to absolute paths.

Relative values are taken from the directory the command runs in (the repository root
for `make`), so Python and the dbt subprocess (which runs inside `dbt_project/`) agree on
the same files.
"""

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULTS = {
    "EGOV_DATA_DIR": "data",
    "EGOV_WAREHOUSE": "data/warehouse.duckdb",
    "EGOV_PUBLISH_DIR": "data/published",
}


# DuckDB caches up to 80% of the machine's memory unless told; past the limit it spills to
# <warehouse>.tmp/. dbt's profile reads the same variable.
DEFAULT_MEMORY_LIMIT = "1GB"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    warehouse: Path
    publish_dir: Path
    memory_limit: str = DEFAULT_MEMORY_LIMIT

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        env = os.environ if environ is None else environ

        def path(name: str) -> Path:
            return Path(env.get(name) or DEFAULTS[name]).expanduser().absolute()

        return cls(
            data_dir=path("EGOV_DATA_DIR"),
            warehouse=path("EGOV_WAREHOUSE"),
            publish_dir=path("EGOV_PUBLISH_DIR"),
            memory_limit=env.get("EGOV_DUCKDB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT,
        )

    def export(self) -> None:
        """Hand the resolved paths to child processes: dbt's profiles.yml reads them."""
        os.environ["EGOV_DATA_DIR"] = str(self.data_dir)
        os.environ["EGOV_WAREHOUSE"] = str(self.warehouse)
        os.environ["EGOV_PUBLISH_DIR"] = str(self.publish_dir)
        os.environ["EGOV_DUCKDB_MEMORY_LIMIT"] = self.memory_limit
