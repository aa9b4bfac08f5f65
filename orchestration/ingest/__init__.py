"""Ingest: files under EGOV_DATA_DIR into the raw tables."""
