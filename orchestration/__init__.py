"""egov-warehouse: the Dagster code location that scores and ranks e-government levels."""
