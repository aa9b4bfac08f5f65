"""Quality: the Great Expectations suites of expectations/*.json as Dagster asset checks."""

from .checks import QualityResource, SuiteError, build_checks, expectations_dir, load_suites

__all__ = ["QualityResource", "SuiteError", "build_checks", "expectations_dir", "load_suites"]
