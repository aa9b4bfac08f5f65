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

from .. import vocabulary
from ..partitions import FIRST_YEAR, LAST_YEAR

RULE_TYPES = {"score", "linear", "boolean", "steps", "relative"}
UNIT_TYPES = vocabulary.UNIT_TYPES
# Criteria nest to this many levels (main indicator → component → criterion → … → the
# criterion holding indicators); dbt sums them bottom-up in as many steps (the dbt var
# `criterion_levels`, which must agree).
MAX_LEVELS = 8
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
    """Rows for raw.frameworks, framework_years, framework_units, rating_bands, criteria,
    indicators, indicator_steps, pillars and pillar_criteria. Raises FrameworkError naming
    `source_file` and the field."""
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
    peer_group = unit_type if doc.get("peer_group") is None else check.code(doc["peer_group"], "peer_group")

    rows: dict[str, list[tuple]] = {
        "frameworks": [(code, title, evaluator, unit_type, source_file, peer_group)],
        "framework_years": [(code, year) for year in sorted(set(years))],
        "framework_units": [],
        "rating_bands": [],
        "criteria": [],
        "indicators": [],
        "indicator_steps": [],
        "pillars": [],
        "pillar_criteria": [],
    }
    if doc.get("units") is not None:
        members: dict[str, str] = {}
        for u, unit in enumerate(check.sequence(doc["units"], "units")):
            unit_code = check.code(unit, f"units[{u}]")
            check.unique(members, unit_code, f"units[{u}]")
            rows["framework_units"].append((code, unit_code))
    if doc.get("rating") is not None:  # the DTI publishes no bands
        rows["rating_bands"] = _bands(check, doc["rating"], code)
    _Criteria(check, code, rows).add(check.sequence(doc.get("criteria"), "criteria"), "criteria")
    if doc.get("pillars") is not None:
        _pillars(check, doc["pillars"], code, rows)
    return rows


def _bands(check: _Checker, bands: Any, code: str) -> list[tuple]:
    """Rating bands, highest first; the lowest must take every unit."""
    rows = []
    labels: dict[str, str] = {}
    previous_min = None
    for b, band in enumerate(check.sequence(bands, "rating")):
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
        rows.append((code, b + 1, label, min_pct, floor))
    *_, lowest_min, lowest_floor = rows[-1]
    if lowest_min != 0 or lowest_floor is not None:
        raise check.fail(f"rating[{len(rows) - 1}]", "the lowest band must take every unit (min_pct: 0 and no "
                                                     "min_criterion_pct), or a ranked unit could get no rating")
    return rows


class _Criteria:
    """The criteria tree, depth first: every criterion gets its place in the framework's
    order (`criterion_order`), its parent, its level (1 = top) and its height (0 = it holds
    indicators; else 1 + its highest child's), the order dbt sums the levels in."""

    def __init__(self, check: _Checker, framework_code: str, rows: dict[str, list[tuple]]):
        self.check, self.framework_code, self.rows = check, framework_code, rows
        self.codes: dict[str, str] = {}  # criterion and indicator codes: one namespace
        self.open: dict[int, str] = {}  # id of each criterion being read -> its field

    def add(self, criteria: list, at: str, parent: str | None = None, level: int = 1) -> int:
        """Rows of these sibling criteria (and below); returns their highest height."""
        return max(self._criterion(criterion, f"{at}[{c}]", parent, level)
                   for c, criterion in enumerate(criteria))

    def _criterion(self, criterion: Any, at: str, parent: str | None, level: int) -> int:
        check = self.check
        if id(criterion) in self.open:  # a YAML alias to a criterion that holds it
            raise check.fail(at, f"is {self.open[id(criterion)]} again, inside itself: a cycle")
        if level > MAX_LEVELS:
            raise check.fail(at, f"criteria nest deeper than {MAX_LEVELS} levels")
        check.mapping(criterion, at)
        c_code = check.code(criterion.get("code"), f"{at}.code")
        check.unique(self.codes, c_code, f"{at}.code")
        row = len(self.rows["criteria"])
        self.rows["criteria"].append(None)  # depth-first order: the row is filled after its children
        name = check.text(criterion.get("name"), f"{at}.name")
        max_points = check.number(criterion.get("max"), f"{at}.max", *POINTS, above_zero=True)
        required = check.flag(criterion.get("required_for_rank"), f"{at}.required_for_rank")
        holds = [key for key in ("indicators", "criteria") if criterion.get(key) is not None]
        if len(holds) != 1:
            raise check.fail(at, "holds both indicators and criteria: a criterion holds one or the other"
                             if holds else "holds neither indicators nor criteria")
        self.open[id(criterion)] = at
        if holds == ["criteria"]:
            height = 1 + self.add(check.sequence(criterion["criteria"], f"{at}.criteria"),
                                  f"{at}.criteria", c_code, level + 1)
        else:
            height = 0
            for i, indicator in enumerate(check.sequence(criterion["indicators"], f"{at}.indicators")):
                self._indicator(indicator, f"{at}.indicators[{i}]", c_code, i + 1)
        del self.open[id(criterion)]
        self.rows["criteria"][row] = (
            self.framework_code, row + 1, c_code, name, max_points, required, parent, level, height,
        )
        return height

    def _indicator(self, indicator: Any, at: str, criterion_code: str, order: int) -> None:
        check, code = self.check, self.framework_code
        check.mapping(indicator, at)
        i_code = check.code(indicator.get("code"), f"{at}.code")
        check.unique(self.codes, i_code, f"{at}.code")
        name = check.text(indicator.get("name"), f"{at}.name")
        max_points = check.number(indicator.get("max"), f"{at}.max", *POINTS, above_zero=True)
        unit = indicator.get("unit")
        if unit is not None:
            check.choice(unit, f"{at}.unit", INDICATOR_UNITS, "unit")
        rule = check.mapping(indicator.get("rule"), f"{at}.rule")
        rule_type = check.choice(rule.get("type"), f"{at}.rule.type", RULE_TYPES, "rule type")
        full_at = None
        if rule_type == "linear":
            full_at = check.number(rule.get("full_at"), f"{at}.rule.full_at", *VALUES, above_zero=True)
        if rule_type == "steps":
            self.rows["indicator_steps"].extend(
                (code, i_code, threshold, points)
                for threshold, points in _steps(check, rule.get("steps"), f"{at}.rule.steps")
            )
        self.rows["indicators"].append((code, criterion_code, order, i_code, name, max_points, rule_type, full_at, unit))


def _pillars(check: _Checker, pillars: Any, code: str, rows: dict[str, list[tuple]]) -> None:
    """Pillars: named sets of top-level criteria (they may overlap)."""
    top = {c_code: order for _, order, c_code, *_, parent, _level, _height in rows["criteria"] if parent is None}
    codes: dict[str, str] = {}
    for p, pillar in enumerate(check.sequence(pillars, "pillars")):
        at = f"pillars[{p}]"
        check.mapping(pillar, at)
        p_code = check.code(pillar.get("code"), f"{at}.code")
        check.unique(codes, p_code, f"{at}.code")
        rows["pillars"].append((code, p + 1, p_code, check.text(pillar.get("name"), f"{at}.name")))
        members: dict[str, str] = {}
        for m, member in enumerate(check.sequence(pillar.get("criteria"), f"{at}.criteria")):
            c_code = check.code(member, f"{at}.criteria[{m}]")
            if c_code not in top:
                raise check.fail(f"{at}.criteria[{m}]", f"{show(c_code)} is not a top-level criterion of the "
                                 f"framework (one of {sorted(top, key=top.get)})")
            check.unique(members, c_code, f"{at}.criteria[{m}]")
            rows["pillar_criteria"].append((code, p_code, c_code))


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
    """One framework per code, and each unit scored once a year per evaluator: frameworks of
    one evaluator, unit_type and year each name their `units` (disjoint sets, peer groups of
    different names), or one framework takes them all. Raises FrameworkError naming both
    files and the field."""
    files = {}
    for code, _, evaluator, unit_type, source_file, peer_group in rows["frameworks"]:
        if code in files:
            raise FrameworkError(f"{source_file}: code: '{code}' is also the code of {files[code][0]}")
        files[code] = (source_file, evaluator, unit_type, peer_group)
    members: dict[str, set[str]] = {}
    for code, unit_code in rows["framework_units"]:
        members.setdefault(code, set()).add(unit_code)
    claimed: dict[tuple, list[str]] = {}
    for code, year in rows["framework_years"]:
        claimed.setdefault((files[code][1], files[code][2], year), []).append(code)
    for (evaluator, unit_type, year), codes in claimed.items():
        for i, code in enumerate(codes):
            source_file, *_, peer_group = files[code]
            for other in codes[:i]:
                other_file, *_, other_group = files[other]
                clash = None
                if code not in members or other not in members:
                    clash = "units", "without a `units` list a framework takes every unit of its unit_type"
                elif shared := sorted(members[code] & members[other]):
                    clash = "units", f"both list {', '.join(shared[:5])}"
                elif peer_group == other_group:
                    clash = "peer_group", f"both name the peer group {peer_group!r}"
                if clash:
                    raise FrameworkError(
                        f"{source_file} ({code}): {clash[0]}: in {year}, {other_file} ({other}) evaluates "
                        f"evaluator {evaluator!r}, unit_type {unit_type!r} too, and {clash[1]}"
                    )
