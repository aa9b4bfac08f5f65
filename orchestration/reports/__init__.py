"""The publication: the reports officials publish, generated from the published marts.

`build.py` reads `marts.duckdb` (read-only) and writes, per year, `national.html` and one
`<province_code>.html` per evaluating province, each with an `.xlsx` annex beside it;
`assets.py` is the Dagster asset that runs it after `published_marts`.
"""
