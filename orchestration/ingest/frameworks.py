"""A framework YAML document (SPEC §3.2) checked and flattened into raw table rows.

Codes become report file names and join keys, numbers DECIMAL columns, texts report
headings: every field is checked for what it will become, and a bad one stops the run
with a FrameworkError naming the file, the framework and the field's path
(`criteria[2].indicators[0].rule.steps[1]`).
"""

import re
import unicodedata
from decimal import Decimal
from typing import Any

from ..partitions import FIRST_YEAR, LAST_YEAR

RULE_TYPES = {"score", "linear", "boolean", "steps", "relative"}
UNIT_TYPES = {"ministry", "province", "department", "district"}
INDICATOR_UNITS = {"ratio", "percent", "count", "money", "points"}
MAX_FILE_BYTES = 2 * 1024 * 1024
# Unit, framework, criterion and indicator codes (and an evaluator): no path separator,
# never `.` or `..`, nothing that is not ASCII.
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
CODE_RULE = "1 to 32 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit"
# (below 10**digits, decimals) that the raw columns hold without rounding: points are
# DECIMAL(18, 4), percentages DECIMAL(9, 4), thresholds and full_at DECIMAL(38, 6).
POINTS = (12, 4)
PERCENT = (3, 4)
VALUES = (20, 6)


class FrameworkError(ValueError):
    """A framework file that cannot be used; the message names the file and the field."""


def show(value: Any) -> str:
    """A value as quoted in a message: numbers as written, anything long cut short."""
    text = str(value) if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def hidden_character(text: str) -> str | None:
    """The first control or invisible character of text (NUL, tab, newline, zero-width
    space, bidi override, line separator…), if any."""
    if text.isprintable():  # the usual case, fast: none of these
        return None
    return next((c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")), None)


class _Checker:
    """Checks the values of one framework; errors name `where` (file and code) and the field."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, field: str, problem: str) -> FrameworkError:
        return FrameworkError(f"{self.where}: {field}: {problem}")

    def present(self, value: Any, field: str) -> Any:
        if value is None or value == "":
            raise self.fail(field, "missing")
        return value

    def mapping(self, value: Any, field: str) -> dict:
        if not isinstance(self.present(value, field), dict):
            raise self.fail(field, f"expected a mapping of fields, got {show(value)}")
        return value

    def sequence(self, value: Any, field: str) -> list:
        if not isinstance(self.present(value, field), list) or not value:
            raise self.fail(field, f"expected a non-empty list, got {show(value)}")
        return value

    def code(self, value: Any, field: str) -> str:
        self.present(value, field)
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(text, str) or not CODE.fullmatch(text):
            raise self.fail(field, f"{show(value)} is not a code ({CODE_RULE})")
        return text

    def text(self, value: Any, field: str, required: bool = False) -> str | None:
        if not required and value in (None, ""):
            return None
        if not isinstance(self.present(value, field), str):
            raise self.fail(field, f"expected text, got {show(value)}")
        character = hidden_character(value)
        if character is not None:
            raise self.fail(field, f"contains the control or invisible character U+{ord(character):04X}")
        return value

    def flag(self, value: Any, field: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(field, f"expected true or false, got {show(value)}")
        return value

    def choice(self, value: Any, field: str, options: set[str], what: str) -> str:
        if not isinstance(self.present(value, field), str) or value not in options:
            raise self.fail(field, f"unknown {what} {show(value)} (one of {sorted(options)})")
        return value

    def number(self, value: Any, field: str, digits: int, decimals: int, above_zero: bool = False) -> Decimal:
        """A number at least 0 (above 0 if asked), below 10**digits, with at most `decimals`."""
        self.present(value, field)
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or not Decimal(value).is_finite():
            raise self.fail(field, f"expected a number, got {show(value)}")
        number = Decimal(value)
        if number < 0 or (above_zero and number == 0):
            raise self.fail(field, f"{number} must be {'above' if above_zero else 'at least'} 0")
        if number >= 10 ** digits:
            raise self.fail(field, f"{number} must be below 10^{digits}")
        if number != round(number, decimals):
            raise self.fail(field, f"{number} has more than {decimals} decimals")
        return number

    def percent(self, value: Any, field: str) -> Decimal:
        number = self.number(value, field, *PERCENT)
        if number > 100:
            raise self.fail(field, f"{number} is above 100")
        return number

    def unique(self, seen: dict[str, str], value: str, field: str) -> None:
        if value in seen:
            raise self.fail(field, f"{show(value)} is also {seen[value]}")
        seen[value] = field


def flatten(doc: Any, source_file: str) -> dict[str, list[tuple]]:
    """Rows for raw.frameworks, framework_years, rating_bands, criteria, indicators and
    indicator_steps. Raises FrameworkError naming `source_file` and the field."""
    check = _Checker(source_file)
    check.mapping(doc, "the document")
    code = check.code(doc.get("code"), "code")
    check.where = where = f"{source_file} ({code})"
    title = check.text(doc.get("title"), "title")
    evaluator = check.code(doc.get("evaluator"), "evaluator")
    unit_type = check.present(doc.get("unit_type"), "unit_type")
    if not isinstance(unit_type, str) or unit_type not in UNIT_TYPES:
        raise FrameworkError(f"{where}: unit_type {show(unit_type)} is not one of {sorted(UNIT_TYPES)}")
    years = check.sequence(doc.get("years"), "years")
    for y, year in enumerate(years):
        if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
            raise check.fail(f"years[{y}]", f"{show(year)} is not a year ({FIRST_YEAR} to {LAST_YEAR})")

    rows: dict[str, list[tuple]] = {
        "frameworks": [(code, title, evaluator, unit_type, source_file)],
        "framework_years": [(code, year) for year in sorted(set(years))],
        "rating_bands": [],
        "criteria": [],
        "indicators": [],
        "indicator_steps": [],
    }

    labels: dict[str, str] = {}
    previous_min = None
    for b, band in enumerate(check.sequence(doc.get("rating"), "rating")):
        at = f"rating[{b}]"
        check.mapping(band, at)
        label = check.text(band.get("label"), f"{at}.label", required=True)
        check.unique(labels, label, f"{at}.label")
        min_pct = check.percent(band.get("min_pct"), f"{at}.min_pct")
        if previous_min is not None and min_pct >= previous_min:
            raise check.fail(f"{at}.min_pct", "bands must be listed highest first")
        previous_min = min_pct
        floor = band.get("min_criterion_pct")
        floor = None if floor is None else check.percent(floor, f"{at}.min_criterion_pct")
        rows["rating_bands"].append((code, b + 1, label, min_pct, floor))
    lowest = len(rows["rating_bands"]) - 1
    *_, lowest_min, lowest_floor = rows["rating_bands"][lowest]
    if lowest_min != 0 or lowest_floor is not None:
        raise check.fail(f"rating[{lowest}]", "the lowest band must take every unit (min_pct: 0 and no "
                                              "min_criterion_pct), or a ranked unit could get no rating")

    criterion_codes: dict[str, str] = {}
    indicator_codes: dict[str, str] = {}
    for c, criterion in enumerate(check.sequence(doc.get("criteria"), "criteria")):
        at = f"criteria[{c}]"
        check.mapping(criterion, at)
        c_code = check.code(criterion.get("code"), f"{at}.code")
        check.unique(criterion_codes, c_code, f"{at}.code")
        rows["criteria"].append((
            code, c + 1, c_code, check.text(criterion.get("name"), f"{at}.name"),
            check.number(criterion.get("max"), f"{at}.max", *POINTS, above_zero=True),
            check.flag(criterion.get("required_for_rank"), f"{at}.required_for_rank"),
        ))
        for i, indicator in enumerate(check.sequence(criterion.get("indicators"), f"{at}.indicators")):
            i_at = f"{at}.indicators[{i}]"
            check.mapping(indicator, i_at)
            i_code = check.code(indicator.get("code"), f"{i_at}.code")
            check.unique(indicator_codes, i_code, f"{i_at}.code")
            name = check.text(indicator.get("name"), f"{i_at}.name")
            max_points = check.number(indicator.get("max"), f"{i_at}.max", *POINTS, above_zero=True)
            unit = indicator.get("unit")
            if unit is not None:
                check.choice(unit, f"{i_at}.unit", INDICATOR_UNITS, "unit")
            rule = check.mapping(indicator.get("rule"), f"{i_at}.rule")
            rule_type = check.choice(rule.get("type"), f"{i_at}.rule.type", RULE_TYPES, "rule type")
            full_at = None
            if rule_type == "linear":
                full_at = check.number(rule.get("full_at"), f"{i_at}.rule.full_at", *VALUES, above_zero=True)
            if rule_type == "steps":
                rows["indicator_steps"].extend(
                    (code, i_code, threshold, points)
                    for threshold, points in _steps(check, rule.get("steps"), f"{i_at}.rule.steps")
                )
            rows["indicators"].append((
                code, c_code, i + 1, i_code, name, max_points, rule_type, full_at, unit,
            ))
    return rows


def _steps(check: _Checker, steps: Any, field: str) -> list[tuple[Decimal, Decimal]]:
    """A steps rule's [threshold, points] pairs, thresholds strictly ascending."""
    pairs = []
    for s, step in enumerate(check.sequence(steps, field)):
        if not isinstance(step, list) or len(step) != 2:
            raise check.fail(f"{field}[{s}]", f"expected a [threshold, points] pair, got {show(step)}")
        threshold = check.number(step[0], f"{field}[{s}][0]", *VALUES)
        points = check.number(step[1], f"{field}[{s}][1]", *POINTS)
        if pairs and threshold <= pairs[-1][0]:
            raise check.fail(field, f"thresholds must be strictly ascending "
                                    f"(steps[{s}] is {threshold} after {pairs[-1][0]})")
        pairs.append((threshold, points))
    return pairs


def check_unique_claims(rows: dict[str, list[tuple]]) -> None:
    """One framework per code, and per evaluator, unit_type and year: otherwise a unit
    would be scored twice. Raises FrameworkError naming both files."""
    files = {}
    for code, _, evaluator, unit_type, source_file in rows["frameworks"]:
        if code in files:
            raise FrameworkError(f"{source_file}: code: '{code}' is also the code of {files[code][0]}")
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