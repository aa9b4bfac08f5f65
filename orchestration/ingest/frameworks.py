"""A framework YAML document (SPEC §3.2) checked and flattened into raw table rows."""

from decimal import Decimal
from typing import Any

RULE_TYPES = {"score", "linear", "boolean", "steps", "relative"}
UNIT_TYPES = {"ministry", "province", "department", "district"}


class FrameworkError(ValueError):
    """A framework file that cannot be used; the message names the file and the field."""


def _number(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise FrameworkError(f"{where}: expected a number, got {value!r}")
    return Decimal(value)


def _required(mapping: Any, key: str, where: str) -> Any:
    if not isinstance(mapping, dict) or mapping.get(key) in (None, ""):
        raise FrameworkError(f"{where}: missing field '{key}'")
    return mapping[key]


def flatten(doc: Any, source_file: str) -> dict[str, list[tuple]]:
    """Rows for raw.frameworks, framework_years, rating_bands, criteria, indicators and
    indicator_steps. Raises FrameworkError naming `source_file` and the field."""
    code = str(_required(doc, "code", source_file))
    where = f"{source_file} ({code})"
    evaluator = str(_required(doc, "evaluator", where))
    unit_type = _required(doc, "unit_type", where)
    if unit_type not in UNIT_TYPES:
        raise FrameworkError(f"{where}: unit_type {unit_type!r} is not one of {sorted(UNIT_TYPES)}")
    years = _required(doc, "years", where)
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        raise FrameworkError(f"{where}: years must be a list of years, got {years!r}")

    rows: dict[str, list[tuple]] = {
        "frameworks": [(code, doc.get("title"), evaluator, unit_type, source_file)],
        "framework_years": [(code, year) for year in sorted(set(years))],
        "rating_bands": [],
        "criteria": [],
        "indicators": [],
        "indicator_steps": [],
    }

    bands = _required(doc, "rating", where)
    previous_min = None
    for order, band in enumerate(bands, start=1):
        at = f"{where}: rating[{order - 1}]"
        min_pct = _number(_required(band, "min_pct", at), f"{at}.min_pct")
        if previous_min is not None and min_pct >= previous_min:
            raise FrameworkError(f"{at}.min_pct: bands must be listed highest first")
        previous_min = min_pct
        floor = band.get("min_criterion_pct")
        rows["rating_bands"].append((
            code, order, str(_required(band, "label", at)), min_pct,
            None if floor is None else _number(floor, f"{at}.min_criterion_pct"),
        ))

    for c_order, criterion in enumerate(_required(doc, "criteria", where), start=1):
        at = f"{where}: criteria[{c_order - 1}]"
        c_code = str(_required(criterion, "code", at))
        rows["criteria"].append((
            code, c_order, c_code, criterion.get("name"),
            _number(_required(criterion, "max", at), f"{at}.max"),
            bool(criterion.get("required_for_rank", False)),
        ))
        for i_order, indicator in enumerate(_required(criterion, "indicators", at), start=1):
            i_at = f"{at}.indicators[{i_order - 1}]"
            i_code = str(_required(indicator, "code", i_at))
            rule = _required(indicator, "rule", i_at)
            rule_type = _required(rule, "type", f"{i_at}.rule")
            if rule_type not in RULE_TYPES:
                raise FrameworkError(
                    f"{i_at}.rule.type: unknown rule type {rule_type!r} "
                    f"(one of {sorted(RULE_TYPES)})"
                )
            full_at = None
            if rule_type == "linear":
                full_at = _number(_required(rule, "full_at", f"{i_at}.rule"), f"{i_at}.rule.full_at")
                if full_at <= 0:
                    raise FrameworkError(f"{i_at}.rule.full_at: must be above 0")
            if rule_type == "steps":
                steps = _required(rule, "steps", f"{i_at}.rule")
                thresholds = [_number(s[0], f"{i_at}.rule.steps") for s in steps]
                if thresholds != sorted(set(thresholds)):
                    raise FrameworkError(f"{i_at}.rule.steps: thresholds must be strictly ascending")
                rows["indicator_steps"].extend(
                    (code, i_code, _number(t, f"{i_at}.rule.steps"), _number(p, f"{i_at}.rule.steps"))
                    for t, p in steps
                )
            rows["indicators"].append((
                code, c_code, i_order, i_code, indicator.get("name"),
                _number(_required(indicator, "max", i_at), f"{i_at}.max"), rule_type, full_at,
            ))
    return rows


def check_unique_claims(rows: dict[str, list[tuple]]) -> None:
    """One framework per code, and per evaluator, unit_type and year: otherwise a unit
    would be scored twice. Raises FrameworkError naming both files."""
    files = {}
    for code, _, evaluator, unit_type, source_file in rows["frameworks"]:
        if code in files:
            raise FrameworkError(f"{source_file}: code: '{code}' is also the code of {files[code]}")
        files[code] = (source_file, evaluator, unit_type)
    claimed = {}
    for code, year in rows["framework_years"]:
        source_file, evaluator, unit_type = files[code]
        key = (evaluator, unit_type, year)
        if key in claimed:
            other_code, other_file = claimed[key]
            raise FrameworkError(
                f"{source_file} ({code}): years: {year} is already evaluated for evaluator "
                f"{evaluator!r}, unit_type {unit_type!r} by {other_file} ({other_code})"
            )
        claimed[key] = (code, source_file)
