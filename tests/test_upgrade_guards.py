"""The private parts of Dagster, dagster-dbt and Great Expectations this code leans on, each
for a reason given where it is used. An upgrade that renames or reshapes one fails here,
loudly and by name, instead of silently costing seconds or breaking a run."""

import inspect
import uuid
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.annual import RANGE_END, RANGE_START
from orchestration.dbt_project import STEP_FOLDER
from orchestration.scoring import EgovDbtCliResource


def test_dbt_cli_resource_still_has_what_egov_dbt_cli_resource_overrides():
    # scoring.EgovDbtCliResource: `dbt --version` per command, and a dbt-core adapter per step
    assert isinstance(inspect.getattr_static(DbtCliResource, "_cli_version"), type(
        inspect.getattr_static(EgovDbtCliResource, "_cli_version")))
    parameters = list(inspect.signature(DbtCliResource._initialize_dbt_core_adapter).parameters)
    assert parameters == ["self", "args"]
    # both are still called where they save their cost
    source = inspect.getsource(DbtCliResource)
    assert "self._cli_version" in source and "self._initialize_dbt_core_adapter(" in source


def test_dagster_dbt_still_names_step_folders_as_dbt_project_prunes_them():
    # dbt_project._prune_step_folders: <op name>-<run id[:7]>-<7 characters of a uuid>
    source = inspect.getsource(DbtCliResource._get_unique_target_path)
    assert 'f"{context.op_execution_context.op.name}-{context.run.run_id[:7]}-{unique_id}"' in source
    assert "str(uuid.uuid4())[:7]" in source
    assert STEP_FOLDER.fullmatch(f"dbt_yearly-{uuid.uuid4().hex[:7]}-{str(uuid.uuid4())[:7]}")


def test_dagster_still_reads_partition_ranges_from_these_run_tags():
    # annual.run: the years of a run given as a partition range, as the UI's backfills do
    from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

    assert (RANGE_START, RANGE_END) == (ASSET_PARTITION_RANGE_START_TAG, ASSET_PARTITION_RANGE_END_TAG)


def test_a_job_still_reaches_its_assets_partitions_as_the_checks_do():
    # quality/checks.py: a check finds the partitions of the asset it guards
    from orchestration.definitions import annual_run, defs

    job = defs.resolve_job_def(annual_run.name)
    asset = dg.AssetKey(["raw", "submissions"])
    assert job.asset_layer.asset_graph.get(asset).partitions_def is not None


def test_great_expectations_still_has_what_the_checks_use():
    # quality/checks.py: the Data Docs built page by page, progress bars off, batches let go
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.render.renderer.site_builder import SiteBuilder

    assert "globally" in inspect.signature(ProgressBarsConfig).parameters
    assert "resource_identifiers" in inspect.signature(SiteBuilder.build).parameters
    engine = PandasExecutionEngine()
    assert callable(engine.batch_manager.reset_batch_cache)
    assert hasattr(engine.batch_manager, "batch_data_cache")
    assert Path(inspect.getfile(SiteBuilder)).name == "site_builder.py"
