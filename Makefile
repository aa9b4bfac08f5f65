# The README's commands: `make run` and `make test` work on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(abspath $(VENV))/bin
# dagster-dbt runs the `dbt` executable found on PATH.
export PATH := $(BIN):$(PATH)
# Dagster wants an absolute instance directory (SPEC §2 default: .dagster).
export DAGSTER_HOME := $(abspath $(or $(DAGSTER_HOME),.dagster))

DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' \) -print)
MANIFEST := dbt_project/target/manifest.json

.PHONY: run test dev manifest clean lock upgrade lint

# Exactly the locked versions (requirements.lock), then the project itself without
# resolving again.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# The lock: every package pinned, resolved within pyproject.toml's ranges, for this
# platform and Python 3.11. `make lock` after editing pyproject.toml keeps the other pins;
# `make upgrade` takes the newest versions in range. Commit requirements.lock with the change.
LOCK := $(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --annotation-style line -o requirements.lock
lock: $(VENV)/.installed
	$(LOCK)
upgrade: $(VENV)/.installed
	$(LOCK) --upgrade

# ruff on the Python ([tool.ruff] in pyproject.toml), sqlfluff on the dbt models (.sqlfluff)
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint --nocolor dbt_project/models

# A prepared manifest: code locations load it instead of parsing dbt at every start.
$(MANIFEST): $(VENV)/.installed $(DBT_SOURCES)
	$(BIN)/python -m orchestration.dbt_project

manifest: $(MANIFEST)

$(DAGSTER_HOME):
	mkdir -p $@

run: $(MANIFEST) | $(DAGSTER_HOME)
	$(BIN)/python -m orchestration.annual
	$(BIN)/python -m orchestration.summary

test: $(MANIFEST) lint
	scripts/ensure-chromium >/dev/null  # Debian's chromium for the browser tests
	$(BIN)/python -m pytest -n 2 --dist loadfile  # both cores; a module's tests share a worker

.PHONY: bench
# The national-scale benchmark (bench/run.py): generated input in a temporary directory,
# the real pipeline, the floor query; EGOV_BENCH_SCALE=10 for ×10.
bench: $(MANIFEST)
	$(BIN)/python -m bench.load_time
	$(BIN)/python -m bench.run

dev: $(MANIFEST) | $(DAGSTER_HOME)
	$(BIN)/dagster dev -m orchestration.definitions --host 127.0.0.1 --port 3000

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs
