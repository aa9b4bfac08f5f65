"""The names the warehouse shares across its layers, defined once: in dbt_project.yml's
vars, where dbt reads them, and read from there for Python (ingest, checks, reports)."""

from pathlib import Path

import yaml

DBT_PROJECT_FILE = Path(__file__).resolve().parent.parent / "dbt_project" / "dbt_project.yml"
DBT_VARS = yaml.safe_load(DBT_PROJECT_FILE.read_text(encoding="utf-8"))["vars"]

# the unit types the registry and the frameworks accept, with the label of each
UNIT_TYPE_LABELS: dict[str, str] = DBT_VARS["unit_type_labels"]
UNIT_TYPES = frozenset(UNIT_TYPE_LABELS)
# the rating label of a unit scored but not ranked, and of a ranked unit no band rates
NOT_RANKED_LABEL: str = DBT_VARS["not_ranked_label"]
NOT_RATED_LABEL: str = DBT_VARS["not_rated_label"]
