"""What a report says, read from the published marts: the tables, and the summary text
written in the style of the publications (seeds 000–004). Pure but for `read_marts` and
`year_digests`: figures come from the marts as they are (exact Decimals), nothing is
re-scored here.

A peer group is laid out the DTI way (2020 →: the index of each main indicator, the pillars,
no band unless the framework has some) when the data says so: its criteria nest, it has
pillars, or its framework rates no unit. Only the top level (the DTI's main indicators) is
shown; the 2016–2019 frameworks are all top level.

Across a reorganisation (units/lineage.csv) a year is published on two bases: the report of
the year restated carries, beside its ranking as evaluated, the ranking restated on the
next year's units (`restated_ranking`: a successor's index the mean of its predecessors'),
and the next year's report says, wherever a group compares with that restated ranking
(`rank_prev_restated`, `prev_restated`), that it does. A province's departments restated
under a province code that had no report the year restated are shown in that province's
report of the next year instead (see `provincial_reports`).

Self-assessment and appraisal (SPEC §3.3): a unit scored on some self-assessed value not yet
appraised is marked "tạm tính" wherever its row is shown, and a group whose units assessed
themselves sets the two side by side (`appraisal_differences`): the largest gaps between the
points a unit gave itself and the appraised ones, and how many units over-scored themselves."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .. import vocabulary
from . import vietnamese as vn

# Only our own constant table names are ever put into SQL text.
REPORT_TABLES = (
    "provincial_ranking",
    "provincial_criterion_scores",
    "provincial_rating_distribution",
    "provincial_criterion_highlights",
    "provincial_indicator_statistics",
    "provincial_pillar_scores",
    "provincial_category_averages",
    "national_ranking",
    "national_category_scores",
    "national_category_averages",
    "national_category_highlights",
    "national_indicator_statistics",
    "national_pillar_scores",
    "restated_ranking",
    "appraisal_differences",
)
# The key under which `read_marts` gives the year before's provincial units (code, name and
# evaluating province), read when that year is restated on this year's provincial units.
UNITS_BEFORE = "provincial_units_before"

# How the publications name each peer group, and the noun they count its units with (and
# the annex's sheet). A peer group is its unit type unless a framework names it (the DTI
# ranks the ministries with public services apart from those without).
PEER_GROUPS = {
    "department": ("Khối các sở, ban, ngành", "cơ quan", "Sở, ban, ngành"),
    "district": ("Khối UBND các huyện, thị xã, thành phố", "đơn vị", "UBND cấp huyện"),
    "commune": ("Khối UBND các xã, phường, thị trấn", "đơn vị", "UBND cấp xã"),
    "province": ("Khối các tỉnh, thành phố trực thuộc Trung ương", "tỉnh, thành phố", "Tỉnh, thành phố"),
    "ministry": ("Khối các bộ, cơ quan ngang bộ", "cơ quan", "Bộ, cơ quan ngang bộ"),
    "co-dvc": ("Khối các bộ, cơ quan ngang bộ có cung cấp dịch vụ công", "cơ quan", "Bộ, cơ quan có DVC"),
    "khong-dvc": ("Khối các bộ, cơ quan ngang bộ không cung cấp dịch vụ công", "cơ quan", "Bộ, cơ quan không có DVC"),
}
GROUP_ORDER = ("department", "district", "commune", "province", "ministry", "co-dvc", "khong-dvc")
NOT_RANKED = vocabulary.NOT_RANKED_LABEL  # the marts' label for units scored but not ranked
# The separator of the marts' lists of names and codes in one text column (dbt macro
# list_separator; the registry refuses a unit name with "|"), and the highlights' lists.
LIST_SEPARATOR = " | "
NAME_LISTS = ("best_units", "second_units", "worst_units", "max_reached_units", "zero_units")
PROVISIONAL = "tạm tính (chưa thẩm định)"  # a unit scored on some self-assessed value
TOP = 5
GAPS = 10  # the largest gaps between self-assessed and appraised points a group shows


@dataclass
class Group:
    """One peer group of a report: its ranking table and what is said about it."""

    unit_type: str
    label: str
    noun: str
    sheet: str
    criteria: list[dict]
    rows: list[dict]
    summary: list[str] = field(default_factory=list)
    distribution: list[dict] = field(default_factory=list)
    distribution_prev: list[dict] = field(default_factory=list)
    highlights: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    averages: list[dict] = field(default_factory=list)
    peer_group: str = ""  # the unit type unless a framework names its group
    dti: bool = False  # laid out the DTI way (see the module's docstring)
    rated: bool = True  # its framework has rating bands: some unit has a rating
    pillars: list[dict] = field(default_factory=list)  # code and name; each row's "pillars" follow them
    # what the year-over-year figures compare with: "" for the year before as evaluated, or
    # the year before restated on this year's units ("kết quả năm 2024 tính lại trên …")
    restated_basis: str = ""
    restated: list["Restated"] = field(default_factory=list)  # its ranking restated on the next year's units
    appraisal: "Appraisal | None" = None  # its units' self-assessments against the appraisal, if any

    def __post_init__(self):
        self.peer_group = self.peer_group or self.unit_type

    @property
    def prev_restated(self) -> bool:
        return bool(self.restated_basis)

    @property
    def provisional(self) -> list[dict]:
        """The rows of units scored on some self-assessed value not appraised yet."""
        return [row for row in self.rows if row.get("provisional")]


@dataclass
class Appraisal:
    """One peer group's self-assessments set against the appraisal (appraisal_differences)."""

    rows: list[dict]  # every row, its units in ranking order, each unit's total row after its indicators
    gaps: list[dict]  # the GAPS largest differences of an indicator's points, largest first
    totals: list[dict]  # the units' total rows over the indicators that have both values
    sentence: str = ""

    @property
    def over_scored(self) -> list[dict]:
        """The total rows of the units that gave themselves more points than the appraisal."""
        return [t for t in self.totals if t["points_difference"] < 0]

    @property
    def over_scored_pct(self) -> Decimal:
        return Decimal(100 * len(self.over_scored)) / len(self.totals)


@dataclass
class Restated:
    """One peer group's ranking of `year` restated on the units of `year + 1`
    (restated_ranking), shown beside the ranking as evaluated."""

    year: int  # the year restated
    unit_type: str
    peer_group: str
    label: str
    noun: str
    sheet: str
    evaluator_name: str  # the evaluating province's name in year + 1; "" for the national evaluator
    rows: list[dict]  # in rank order, each with "stt", "composition" and "note"
    by_index: bool = True  # shown by its index (national, the DTI), else by its percentage
    dti: bool = False  # laid out the DTI way (its index is the DTI)
    rated: bool = False  # some unit has a rating
    sentence: str = ""

    @property
    def figure(self) -> str:
        """The column of its table: the index, or the percentage."""
        if not self.by_index:
            return "Tỷ lệ (%)"
        return "Chỉ số DTI" if self.dti else "Chỉ số tổng thể"

    @property
    def units_year(self) -> int:
        return self.year + 1

    @property
    def method(self) -> str:
        """How the year is restated (SPEC §4), in the publications' words."""
        figure = "chỉ số" if self.by_index else "tỷ lệ điểm đạt"
        return (f"{figure} của mỗi {self.noun} là trung bình cộng (không trọng số) {figure} năm {self.year} "
                f"của các đơn vị trước sắp xếp, và các {self.noun} được xếp hạng lại với nhau")


@dataclass
class Report:
    kind: str  # "province" or "national"
    year: int
    code: str  # the file name: the province code, or "national"
    title: str
    evaluator_name: str
    groups: list[Group]
    notes: list[str] = field(default_factory=list)  # province-wide lines (across peer groups)
    restated: list[Restated] = field(default_factory=list)  # rankings restated on the next year's units

    @property
    def restated_alone(self) -> list[Restated]:
        """The restated rankings of a peer group the report has no group of."""
        groups = {(g.unit_type, g.peer_group) for g in self.groups}
        return [r for r in self.restated if (r.unit_type, r.peer_group) not in groups]


def source_years(table: str, year: int) -> tuple[int, int]:
    """The years of `table` one year's reports are made from (first, last): that year,
    and the year before too for the rating distribution (a provincial report sets the two
    side by side) and for the restated ranking (the year restated is the year before for
    a province whose code is new: see `provincial_reports`)."""
    return (year - 1, year) if table in ("provincial_rating_distribution", "restated_ranking") else (year, year)


def read_marts(path: Path, year: int) -> dict[str, list[dict]]:
    """Every row one year's reports are made from, by table, as rows of dicts, read as a
    BI tool does: read-only. Rows come in the marts' order; the rating distribution's is
    the framework's band order. When the year before is restated on this year's provincial
    units, UNITS_BEFORE holds that year's provincial units too (their names, and which
    provinces had a report: see `provincial_reports`)."""
    import duckdb

    tables = {}
    with duckdb.connect(str(path), read_only=True) as con:
        def rows(sql: str, params: dict) -> list[dict]:
            cursor = con.execute(sql, params)
            columns = [column[0] for column in cursor.description]
            return [dict(zip(columns, row)) for row in cursor.fetchall()]

        for table in REPORT_TABLES:
            first, last = source_years(table, year)
            order = "year, province_code, unit_type, band_order" if table == "provincial_rating_distribution" else "rowid"
            tables[table] = rows(f"select * from {table} where year between $first and $last order by {order}",
                                 {"first": first, "last": last})
        restated_before = any(r["year"] == year - 1 and r["evaluator"] != "national" for r in tables["restated_ranking"])
        tables[UNITS_BEFORE] = rows(
            "select year, province_code, unit_code, unit_name from provincial_ranking where year = $year order by rowid",
            {"year": year - 1},
        ) if restated_before else []
    return tables


def year_digests(path: Path) -> dict[int, str]:
    """Per year that has reports, a digest of every row `read_marts` reads for it: the
    same digest, the same reports. DuckDB hashes each whole row (64 bits, in the marts'
    order) in a small part of the time it takes to read the rows into Python; its hash
    may change with its version, which the reports' fingerprints include."""
    import hashlib

    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        years = [year for (year,) in con.execute(
            "select year from provincial_ranking union select year from national_ranking order by year"
        ).fetchall()]
        row_hashes = {
            table: dict(con.execute(
                f"select year, md5(string_agg(hash(r)::varchar, ',' order by r.rowid)) from {table} as r group by year"
            ).fetchall())
            for table in REPORT_TABLES
        }
    digests = {}
    for year in years:
        digest = hashlib.sha256()
        for table in REPORT_TABLES:
            first, last = source_years(table, year)
            for source in range(first, last + 1):
                digest.update(f"{table} {source} {row_hashes[table].get(source, '-')}\n".encode())
        if year - 1 in row_hashes["restated_ranking"]:  # what read_marts reads as UNITS_BEFORE, and more
            digest.update(f"{UNITS_BEFORE} {row_hashes['provincial_ranking'].get(year - 1, '-')}\n".encode())
        digests[year] = digest.hexdigest()
    return digests


def group_meta(unit_type: str, peer_group: str | None = None) -> tuple[str, str, str]:
    """The label, noun and sheet of a peer group: its own, or its unit type's with its name."""
    peer_group = peer_group or unit_type
    if peer_group in PEER_GROUPS:
        return PEER_GROUPS[peer_group]
    label, noun, sheet = PEER_GROUPS.get(unit_type, (f"Khối {unit_type}", "đơn vị", unit_type))
    if peer_group == unit_type:
        return label, noun, sheet[:31]
    return f"{label} ({peer_group})", noun, f"{sheet} {peer_group}"[:31]


def _group_sort(group: tuple[str, str]) -> tuple:
    """(unit_type, peer_group) in the publications' order."""
    def position(name: str) -> int:
        return GROUP_ORDER.index(name) if name in GROUP_ORDER else len(GROUP_ORDER)
    unit_type, peer_group = group
    return (position(unit_type), unit_type, position(peer_group), peer_group)


def _ranking_order(row: dict) -> tuple:
    return (row["rank"] is None, row["rank"] or 0, row["unit_code"])


def split_list(value: str | None) -> list[str]:
    """The names (or codes) of a list column of the marts, in order."""
    return value.split(LIST_SEPARATOR) if value else []


def _names_in_text(highlight: dict) -> dict:
    """A highlights row with its lists of names written as the text prints them."""
    return {**highlight, **{column: ", ".join(split_list(highlight[column])) or None for column in NAME_LISTS}}


# ---------------------------------------------------------------- provincial reports


def provincial_reports(marts: dict[str, list[dict]]) -> list[Report]:
    """A report per year and evaluating province. A province's departments (districts,
    communes) restated on the next year's units go in its report of the year restated; a
    province whose code had no report that year (a new code) shows them in its report of
    the next year, its first, instead."""
    group_key = ("year", "province_code", "unit_type", "peer_group")
    ranking = _index(marts["provincial_ranking"], group_key)
    scores = defaultdict(dict)
    for row in marts["provincial_criterion_scores"]:
        scores[(row["year"], row["unit_code"])][row["criterion_code"]] = row
    by_group = {
        name: _index(marts[table], group_key)
        for name, table in (
            ("distribution", "provincial_rating_distribution"),
            ("highlights", "provincial_criterion_highlights"),
            ("indicators", "provincial_indicator_statistics"),
            ("pillars", "provincial_pillar_scores"),
            ("averages", "provincial_category_averages"),
        )
    }
    units = marts["provincial_ranking"] + marts.get(UNITS_BEFORE, [])
    names = _unit_names(units)
    evaluating = {(r["year"], r["province_code"]) for r in units}
    restated = _index([r for r in marts.get("restated_ranking", []) if r["evaluator"] != "national"],
                      ("year", "evaluator"))
    differences = _index(marts.get("appraisal_differences", []), ("year", "evaluator", "unit_type", "peer_group"))

    reports = []
    for year, province in sorted({key[:2] for key in ranking}):
        groups = []
        for unit_type, peer_group in sorted({k[2:] for k in ranking if k[:2] == (year, province)}, key=_group_sort):
            key = (year, province, unit_type, peer_group)
            group = _group(ranking[key], scores, by_group["highlights"].get(key, []),
                           by_group["pillars"].get(key, []))
            group.distribution = by_group["distribution"].get(key, [])
            group.indicators = by_group["indicators"].get(key, [])
            if group.dti:
                group.averages = [a for a in by_group["averages"].get(key, []) if a["level"] == 1]
            group.restated_basis = restated_basis(year, group)
            group.appraisal = appraisal_of(differences.get(key, []), group)
            # the rating shares of the year before: restated on this year's units where the
            # lineage changed the group (the marts' share_pct_prev), else that year's own
            group.distribution_prev = (
                restated_distribution(group) if group.prev_restated else
                by_group["distribution"].get((year - 1, province, unit_type, peer_group), [])
            )
            group.summary = provincial_summary(year, group)
            groups.append(group)
        province_name = next(
            (r["province_name"] for g in groups for r in g.rows if r["province_name"]), province
        )
        shown = restated.get((year, province), [])
        if (year - 1, province) not in evaluating:  # a new code: the year before, restated on its units
            shown = restated.get((year - 1, province), []) + shown
        reports.append(Report(
            kind="province",
            year=year,
            code=province,
            title=(f"Kết quả đánh giá, xếp hạng mức độ chuyển đổi số (DTI) của các cơ quan, đơn vị "
                   f"tỉnh {province_name} năm {year}"
                   if any(g.dti for g in groups) else
                   f"Kết quả đánh giá, xếp hạng mức độ ứng dụng công nghệ thông tin trong các "
                   f"cơ quan nhà nước tỉnh {province_name} năm {year}"),
            evaluator_name=province_name,
            groups=groups,
            notes=across_groups(groups),
            restated=restated_groups(shown, names, groups),
        ))
    return reports


def _index(rows: list[dict], key: tuple[str, ...]) -> dict[tuple, list[dict]]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[tuple(row[k] for k in key)].append(row)
    return grouped


def _group(ranking: list[dict], scores: dict, highlights: list[dict], pillars: list[dict]) -> Group:
    """One peer group's ranking table: its rows in rank order, each with its top-level
    criteria (and pillars) in the framework's order."""
    unit_type, peer_group = ranking[0]["unit_type"], ranking[0]["peer_group"]
    label, noun, sheet = group_meta(unit_type, peer_group)
    nested = any(h["level"] > 1 for h in highlights)
    highlights = sorted((_names_in_text(h) for h in highlights if h["level"] == 1), key=lambda h: h["criterion_order"])
    criteria = [
        {"code": h["criterion_code"], "name": h["criterion_name"], "max": h["max_score"]}
        for h in highlights
    ]
    pillar_scores = {(p["unit_code"], p["pillar_code"]): p for p in pillars}
    pillar_list = [
        {"code": code, "name": name}
        for _, code, name in sorted({(p["pillar_order"], p["pillar_code"], p["pillar_name"]) for p in pillars})
    ]
    rows = []
    for number, row in enumerate(sorted(ranking, key=_ranking_order), start=1):
        unit_scores = scores.get((row["year"], row["unit_code"]), {})
        rows.append({
            **row,
            "stt": number,
            "scores": [unit_scores.get(c["code"]) for c in criteria],
            "pillars": [pillar_scores.get((row["unit_code"], p["code"])) for p in pillar_list],
            "note": row["not_ranked_reason"] or "",
        })
    rated = any(row["rating"] for row in ranking)
    return Group(unit_type, label, noun, sheet, criteria, rows, highlights=highlights, peer_group=peer_group,
                 dti=nested or bool(pillar_list) or not rated, rated=rated, pillars=pillar_list)


def provincial_summary(year: int, group: Group) -> list[str]:
    """The press text of one peer group (seeds 002, 003, 004, 000)."""
    sentences = [ratings_sentence(group)]
    not_ranked = [r for r in group.rows if not r["ranked"]]
    for row in not_ranked:
        sentences.append(f"{row['unit_name']} không được xếp hạng tổng thể: {row['note']}.")
    optional = [provisional_sentence(group), top_sentence(group), share_change_sentence(year, group),
                rank_movement_sentence(group), pillar_sentence(group),
                group.appraisal.sentence if group.appraisal else None]
    sentences.extend(sentence for sentence in optional if sentence)
    return sentences


def ratings_sentence(group: Group) -> str:
    """'Có 15/20 cơ quan được xếp vào nhóm Tốt, chiếm 75%; 5 cơ quan thuộc nhóm Khá …'"""
    bands = [d for d in group.distribution if d["rating"] != NOT_RANKED]
    if not bands:
        return f"{group.label} có {len(group.rows)} {group.noun} được đánh giá."
    noun, total_units = group.noun, bands[0]["group_units"]
    by_rating = defaultdict(list)
    for row in group.rows:
        if row["ranked"]:
            by_rating[row["rating"]].append(row)
    parts, empty = [], []
    first_filled = next((b["rating"] for b in bands if b["unit_count"]), None)
    for position, band in enumerate(bands):
        count, rating = band["unit_count"], band["rating"]
        if position == 0:
            parts.append(
                f"Có {count}/{total_units} {noun} được xếp vào nhóm {rating}, chiếm {vn.percent(band['share_pct'])}%"
                if count else f"Không có {noun} nào được xếp vào nhóm {rating}"
            )
            continue
        if not count:
            empty.append(rating)
            continue
        part = f"{count} {noun} thuộc nhóm {rating}, chiếm {vn.percent(band['share_pct'])}%"
        units = by_rating.get(rating, [])
        if rating == first_filled and units:
            # the leader is not in the top band: name it with its total (Hưng Yên 2018)
            part += f", đứng đầu là {units[0]['unit_name']} ({vn.total(units[0]['total_score'])} điểm)"
        elif 0 < len(units) <= 10:
            part += ": " + ", ".join(u["unit_name"] for u in units)
        parts.append(part)
    if empty and bands[0]["unit_count"]:
        parts.append(f"không có {noun} nào thuộc nhóm {vn.join(empty, 'hoặc')}")
    elif empty:
        parts[0] += " hoặc " + ", ".join(empty)
    return "; ".join(parts) + "."


def top_sentence(group: Group, top: int = TOP) -> str:
    """'Top 5 cơ quan dẫn đầu …: Sở Y tế xếp thứ nhất với 62,3/70 điểm, tỷ lệ đạt 89%; …'
    (a DTI group: '… Đà Nẵng xếp thứ nhất với chỉ số 0,8002; …')."""
    leaders = [r for r in group.rows if r["rank"] is not None and r["rank"] <= top]
    if not leaders:
        return ""
    items = [
        f"{r['unit_name']} xếp thứ {vn.ordinal(r['rank'])} với chỉ số {vn.fixed(r['index'], 4)}"
        if group.dti else
        f"{r['unit_name']} xếp thứ {vn.ordinal(r['rank'])} với "
        f"{vn.fraction(r['total_score'], r['max_applicable'])} điểm, tỷ lệ đạt {vn.percent(r['score_pct'])}%"
        for r in leaders
    ]
    return f"Top {len(leaders)} {group.noun} dẫn đầu {group.label[0].lower()}{group.label[1:]}: " + "; ".join(items) + "."


def share_change_sentence(year: int, group: Group) -> str:
    """'So với năm 2017, tỷ lệ mức Tốt tăng 20 điểm phần trăm (từ 40% lên 60%) …' (Bình Định
    2018): a change of a share is in percentage points, not a percentage of the share."""
    changes = []
    for band in group.distribution:
        if band["share_pct_prev"] is None or band["change_pct"] is None or band["rating"] == NOT_RANKED:
            continue
        if band["change_pct"] == 0:
            continue
        direction = "tăng" if band["change_pct"] > 0 else "giảm"
        changes.append(
            f"tỷ lệ mức {band['rating']} {direction} {vn.percent(abs(band['change_pct']))} điểm phần trăm "
            f"(từ {vn.percent(band['share_pct_prev'])}% lên {vn.percent(band['share_pct'])}%)"
            if band["change_pct"] > 0 else
            f"tỷ lệ mức {band['rating']} {direction} {vn.percent(abs(band['change_pct']))} điểm phần trăm "
            f"(từ {vn.percent(band['share_pct_prev'])}% xuống {vn.percent(band['share_pct'])}%)"
        )
    if not changes:
        return ""
    return f"So với {group.restated_basis or f'năm {year - 1}'}, " + ", ".join(changes) + "."


def pillar_sentence(group: Group) -> str:
    """'Dẫn đầu trụ cột Chính quyền số là Đà Nẵng (0,8638); trụ cột Kinh tế số …'"""
    parts = []
    for position, pillar in enumerate(group.pillars):
        leaders = [r for r in group.rows if r["pillars"][position] and r["pillars"][position]["rank"] == 1]
        if leaders:
            parts.append(f"trụ cột {pillar['name']} là " + vn.join(
                f"{r['unit_name']} ({vn.fixed(r['pillars'][position]['index'], 4)})" for r in leaders))
    if not parts:
        return ""
    return "Dẫn đầu " + "; ".join(parts) + "."


def rank_movement_sentence(group: Group, top: int = 3) -> str:
    moved = [r for r in group.rows if r["rank_change"]]
    if not moved:
        return ""
    up = sorted((r for r in moved if r["rank_change"] > 0), key=lambda r: (-r["rank_change"], r["rank"]))[:top]
    down = sorted((r for r in moved if r["rank_change"] < 0), key=lambda r: (r["rank_change"], r["rank"]))[:top]
    parts = []
    if up:
        parts.append("tăng hạng nhiều nhất là " + vn.join(
            f"{r['unit_name']} (từ thứ {r['rank_prev']} lên thứ {r['rank']})" for r in up))
    if down:
        parts.append("giảm hạng nhiều nhất là " + vn.join(
            f"{r['unit_name']} (từ thứ {r['rank_prev']} xuống thứ {r['rank']})" for r in down))
    return f"So với {group.restated_basis or 'năm trước'}, " + "; ".join(parts) + "."


def highlight_sentence(h: dict, noun: str, national: bool = False) -> str:
    """One criterion as Hưng Yên 2018 writes it: best, next, worst, at the maximum, at zero.
    The national report gives the category index instead of the points."""
    def show(place: str) -> str:
        if national:
            return f"chỉ số {vn.index(h[place + '_index'])}"
        return f"{vn.points(h[place + '_score'])} điểm"

    head = f"{h['criterion_name']}: điểm tối đa {vn.points(h['max_score'])} điểm"
    if not h["unit_count"]:
        return head + f"; không có {noun} nào được áp dụng tiêu chí này."
    parts = [head]
    if h["best_score"] == h["max_score"]:
        parts.append(
            f"có {h['max_reached_unit_count']} {noun} đạt điểm tối đa ({h['max_reached_units']})"
            if h["max_reached_unit_count"] > 1 else f"{h['max_reached_units']} đạt điểm tối đa"
        )
    else:
        parts.append(f"{noun} đạt điểm cao nhất là {h['best_units']} ({show('best')})")
    if h["second_score"] is not None:
        parts[-1] += f", tiếp đến là {h['second_units']} ({show('second')})"
    if h["worst_score"] != h["best_score"] and h["worst_score"] != h["second_score"]:
        if h["worst_score"] == 0 and h["zero_unit_count"] > 1:
            parts.append(f"{h['zero_unit_count']} {noun} thấp nhất – 0 điểm ({h['zero_units']})")
        else:
            parts.append(f"{noun} có điểm thấp nhất là {h['worst_units']} ({show('worst')})")
    parts.append(f"trung bình {vn.index(h['avg_index'])}" if national
                 else f"điểm trung bình {vn.points(h['avg_score'])}")
    return "; ".join(parts) + "."


def indicator_sentence(s: dict, noun: str) -> str:
    """'26/47 cơ quan: …' for a yes/no indicator; the mean of the reported values for a
    measured one ('… được trang bị máy tính (%): bình quân 43')."""
    if s["rule_type"] == "boolean":
        return f"{s['met_count']}/{s['applicable_count']} {noun}: {s['indicator_name']}"
    if s["value_avg"] is not None:
        return (f"{s['indicator_name']}: bình quân {vn.points(s['value_avg'])} "
                f"({s['reported_count']}/{s['applicable_count']} {noun} báo cáo)")
    return f"{s['indicator_name']}: chưa có {noun} nào báo cáo"


def across_groups(groups: list[Group]) -> list[str]:
    """Yes/no indicators that several peer groups share, counted over the whole province
    (Thanh Hóa 2016: '26/47 cơ quan được đầu tư hệ thống một cửa điện tử' counts its 20
    departments and 27 districts together)."""
    shared = defaultdict(list)
    for group in groups:
        for s in group.indicators:
            if s["rule_type"] == "boolean":
                shared[(s["indicator_code"], s["indicator_name"])].append(s)
    lines = []
    for (_, name), stats in shared.items():
        if len(stats) < 2:
            continue
        met = sum(s["met_count"] for s in stats)
        applicable = sum(s["applicable_count"] for s in stats)
        lines.append(f"{met}/{applicable} cơ quan, đơn vị: {name}")
    return lines


# ---------------------------------------------------------------- self-assessment and appraisal


def provisional_sentence(group: Group) -> str:
    """'Còn 1/20 cơ quan có kết quả tạm tính (chưa thẩm định), được chấm trên số liệu tự đánh
    giá: Sở Y tế.'"""
    provisional = group.provisional
    if not provisional:
        return ""
    sentence = (f"Còn {len(provisional)}/{len(group.rows)} {group.noun} có kết quả {PROVISIONAL}, "
                f"được chấm trên số liệu tự đánh giá")
    if len(provisional) <= 10:
        sentence += ": " + ", ".join(r["unit_name"] for r in provisional)
    return sentence + "."


def appraisal_of(rows: list[dict], group: Group) -> Appraisal | None:
    """A group's rows of appraisal_differences: its units in ranking order, each unit's
    indicators (in code order, as the marts give them) then its total row; the largest gaps,
    by the size of the difference, a unit that over-scored itself before one that
    under-scored itself by as much, then by unit and indicator code. None when no unit of
    the group assessed itself."""
    if not rows:
        return None
    position = {row["unit_code"]: row["stt"] for row in group.rows}
    rows = sorted(rows, key=lambda r: (position.get(r["unit_code"], len(position) + 1), r["unit_code"],
                                       r["indicator_code"] is None, r["indicator_code"] or ""))
    # a gap: an indicator with both values whose points differ
    differing = [r for r in rows if r["indicator_code"] is not None and r["points_difference"]]
    gaps = sorted(differing, key=lambda r: (-abs(r["points_difference"]), r["points_difference"],
                                            r["unit_code"], r["indicator_code"]))[:GAPS]
    totals = [r for r in rows if r["indicator_code"] is None and r["indicators_compared"] > 0]
    appraisal = Appraisal(rows, gaps, totals)
    appraisal.sentence = appraisal_sentence(appraisal, group.noun)
    return appraisal


def appraisal_sentence(appraisal: Appraisal, noun: str) -> str:
    """'Có 1/3 cơ quan đã được thẩm định tự đánh giá cao hơn kết quả thẩm định, chiếm 33,33%:
    Sở Y tế (cao hơn 5 điểm); chênh lệch lớn nhất là Sở Tư pháp, chỉ tiêu Có hệ thống quản
    lý văn bản (tự đánh giá 0 điểm, thẩm định 4 điểm).' A unit is compared on the indicators
    that have both values."""
    if not appraisal.totals:
        assessed = len({r["unit_code"] for r in appraisal.rows})
        return f"{assessed} {noun} đã tự đánh giá; chưa có {noun} nào được thẩm định để so sánh."
    over, compared = appraisal.over_scored, len(appraisal.totals)
    if over:
        sentence = (f"Có {len(over)}/{compared} {noun} đã được thẩm định tự đánh giá cao hơn kết quả thẩm định, "
                    f"chiếm {vn.percent(appraisal.over_scored_pct)}%")
        if len(over) <= 10:
            sentence += ": " + ", ".join(
                f"{t['unit_name']} (cao hơn {vn.points(-t['points_difference'])} điểm)" for t in over)
    else:
        sentence = (f"Không có {noun} nào trong {compared} {noun} đã được thẩm định tự đánh giá cao hơn "
                    f"kết quả thẩm định")
    if appraisal.gaps:
        gap = appraisal.gaps[0]
        sentence += (f"; chênh lệch lớn nhất là {gap['unit_name']}, chỉ tiêu {gap['indicator_name']} "
                     f"(tự đánh giá {vn.points(gap['self_points'])} điểm, "
                     f"thẩm định {vn.points(gap['appraised_points'])} điểm)")
    return sentence + "."


# ---------------------------------------------------------------- national report


def national_reports(marts: dict[str, list[dict]]) -> list[Report]:
    group_key = ("year", "unit_type", "peer_group")
    ranking = _index(marts["national_ranking"], group_key)
    category_scores = defaultdict(dict)
    for row in marts["national_category_scores"]:
        category_scores[(row["year"], row["unit_code"])][row["criterion_code"]] = row
    averages = _index(marts["national_category_averages"], group_key)
    highlights = _index(marts["national_category_highlights"], group_key)
    indicators = _index(marts["national_indicator_statistics"], group_key)
    pillars = _index(marts["national_pillar_scores"], group_key)

    restated = _index([r for r in marts.get("restated_ranking", []) if r["evaluator"] == "national"], ("year",))
    differences = _index(marts.get("appraisal_differences", []), ("year", "evaluator", "unit_type", "peer_group"))
    names = _unit_names(marts["national_ranking"])

    reports = []
    for year in sorted({key[0] for key in ranking}):
        groups = []
        for unit_type, peer_group in sorted({k[1:] for k in ranking if k[0] == year}, key=_group_sort):
            key = (year, unit_type, peer_group)
            group = _group(ranking[key], category_scores, highlights.get(key, []), pillars.get(key, []))
            # the overall average (level 0) and the main indicators'
            group.averages = [a for a in averages.get(key, []) if a["level"] <= 1]
            group.indicators = indicators.get(key, [])
            group.restated_basis = restated_basis(year, group)
            group.appraisal = appraisal_of(differences.get((year, "national", unit_type, peer_group), []), group)
            group.summary = national_summary(year, group)
            groups.append(group)
        reports.append(Report(
            kind="national",
            year=year,
            code="national",
            title=(f"Kết quả đánh giá, xếp hạng mức độ chuyển đổi số (DTI) của các bộ, ngành "
                   f"và địa phương năm {year}"
                   if any(g.dti for g in groups) else
                   f"Kết quả đánh giá mức độ ứng dụng công nghệ thông tin của các bộ, ngành "
                   f"và địa phương năm {year}"),
            evaluator_name="Bộ Thông tin và Truyền thông",
            groups=groups,
            restated=restated_groups(restated.get((year,), []), names, groups),
        ))
    return reports


def national_summary(year: int, group: Group) -> list[str]:
    """The Ministry's report as seed 001 retells it."""
    sentences = []
    overall = next((a for a in group.averages if a["criterion_code"] == "overall"), None)
    intro = f"Năm {year}, {len(group.rows)} {group.noun} được đánh giá"
    if overall and overall["avg_index"] is not None:
        intro += (f"; chỉ số {'DTI' if group.dti else 'tổng thể'} trung bình của "
                  f"{group.label[0].lower()}{group.label[1:]} là {vn.index(overall['avg_index'])}")
        if overall["avg_index_prev"] is not None:
            trend = "tăng" if overall["change"] > 0 else "giảm" if overall["change"] < 0 else "không đổi"
            basis = group.restated_basis if overall.get("prev_restated") else f"năm {year - 1}"
            intro += f", {trend} so với {basis} ({vn.index(overall['avg_index_prev'])})"
    sentences.append(intro + ".")
    provisional = provisional_sentence(group)
    if provisional:
        sentences.append(provisional)

    if group.dti:  # the DTI publications name the leaders with their index
        leaders = top_sentence(group)
        if leaders:
            sentences.append(leaders)
    else:
        leaders = [r for r in group.rows if r["rank"] is not None and r["rank"] <= 3]
        if leaders:
            names = vn.join(r["unit_name"] for r in leaders)
            kept = all(r["rank_prev"] is not None and r["rank_prev"] <= 3 for r in leaders)
            sentences.append(
                f"{names} {'vẫn là' if kept else 'là'} {len(leaders)} {group.noun} đứng đầu bảng xếp hạng"
                + (f" như {group.restated_basis or f'năm {year - 1}'}." if kept else ".")
            )
    movement = rank_movement_sentence(group, top=5)
    if movement:
        sentences.append(movement)
    pillars = pillar_sentence(group)
    if pillars:
        sentences.append(pillars)

    categories = [a for a in group.averages if a["criterion_code"] != "overall" and a["change"] is not None]
    if categories:
        rising = sorted((a for a in categories if a["change"] > 0), key=lambda a: -a["change"])
        if rising:
            # the DTI's main indicators; the old methods called their categories components
            kind = "chỉ số chính" if group.dti else "chỉ số thành phần"
            everything = f" (tất cả các {kind} đều tăng)" if len(rising) == len(categories) else ""
            basis = f" so với {group.restated_basis}" if any(a.get("prev_restated") for a in categories) else ""
            sentences.append(
                f"Các {kind} tăng nhiều nhất{basis}{everything}: "
                + vn.join(f"{a['criterion_name']} (từ {vn.index(a['avg_index_prev'])} lên {vn.index(a['avg_index'])})"
                          for a in rising[:3]) + "."
            )
    if group.appraisal:
        sentences.append(group.appraisal.sentence)
    return sentences


# ---------------------------------------------------------------- across a reorganisation


def restated_basis(year: int, group: Group) -> str:
    """What a group's year-over-year figures compare with, when the marts say it is the year
    before restated on this year's units (rank_prev_restated, prev_restated): said so in
    every sentence and table that compares. "" when they compare with the year as evaluated."""
    flags = [row.get("rank_prev_restated") for row in group.rows]
    flags += [pillar.get("rank_prev_restated") for row in group.rows for pillar in row["pillars"] if pillar]
    flags += [row.get("prev_restated") for row in group.averages + group.distribution]
    if not any(flags):
        return ""
    return f"kết quả năm {year - 1} tính lại trên các {group.noun} năm {year}"


def comparison_note(year: int, group: Group, national: bool = False) -> str:
    """What a group that compares with the restated year before says under its heading."""
    figure = "chỉ số" if national or group.dti or not group.rated else "tỷ lệ điểm đạt"
    return (f"Các so sánh với năm {year - 1} của {group.label[0].lower()}{group.label[1:]} dựa trên "
            f"{group.restated_basis} ({figure} của mỗi {group.noun} là trung bình cộng {figure} năm {year - 1} "
            f"của các đơn vị trước sắp xếp), không phải kết quả năm {year - 1} như đã đánh giá.")


def restated_distribution(group: Group) -> list[dict]:
    """The year before's rating shares restated on this year's units, as the marts give
    them beside this year's (share_pct_prev; no unit count)."""
    return [
        {"rating": d["rating"], "share_pct": d["share_pct_prev"], "unit_count": None}
        for d in group.distribution if d["share_pct_prev"] is not None
    ]


def _unit_names(rows: list[dict]) -> dict[tuple[int, str], str]:
    return {(row["year"], row["unit_code"]): row["unit_name"] for row in rows}


def composition(row: dict, names: dict, split: set[str]) -> str:
    """Who a restated unit carries on, as the publications write it: "Đà Nẵng (mới) = Đà
    Nẵng + Quảng Nam" (the predecessors' names valid the year restated, in
    predecessor_codes order), "Thành phố Huế = Tỉnh Thừa Thiên Huế" for a rename, "…
    (chia tách)" for a part of a split unit; "" for a unit that carries on itself as it was."""
    codes = split_list(row["predecessor_codes"])
    predecessors = [names.get((row["year"], code)) or code for code in codes]
    if len(codes) > 1:
        return f"{row['unit_name']} (mới) = " + " + ".join(predecessors)
    if codes == [row["unit_code"]] and predecessors == [row["unit_name"]]:
        return ""
    return f"{row['unit_name']} = {predecessors[0]}" + (" (chia tách)" if codes[0] in split else "")


def restated_groups(rows: list[dict], names: dict, groups: list[Group]) -> list[Restated]:
    """The restated_ranking rows a report shows, one Restated per year and peer group, in
    the publications' order. A peer group the report ranks lays it out as its own (index or
    percentage) and has the sentence that introduces it added to its summary."""
    by_group = _index(rows, ("year", "unit_type", "peer_group"))
    shown = []
    for year, unit_type, peer_group in sorted(by_group, key=lambda k: (k[0], *_group_sort(k[1:]))):
        group_rows = sorted(by_group[(year, unit_type, peer_group)], key=_ranking_order)
        label, noun, sheet = group_meta(unit_type, peer_group)
        evaluated = next((g for g in groups if (g.unit_type, g.peer_group) == (unit_type, peer_group)), None)
        national = group_rows[0]["evaluator"] == "national"
        rated = any(row["rating"] for row in group_rows)
        seen, split = set(), set()
        for row in group_rows:
            for code in split_list(row["predecessor_codes"]):
                (split if code in seen else seen).add(code)
        restated = Restated(
            year=year, unit_type=unit_type, peer_group=peer_group, label=label, noun=noun, sheet=sheet,
            evaluator_name="" if national else (group_rows[0]["evaluator_name"] or group_rows[0]["evaluator"]),
            rows=[
                {**row, "stt": number, "composition": composition(row, names, split),
                 "note": row["not_ranked_reason"] or ""}
                for number, row in enumerate(group_rows, start=1)
            ],
            by_index=national or (evaluated.dti if evaluated else not rated),
            dti=evaluated.dti if evaluated else not rated,
            rated=rated,
        )
        restated.sentence = restated_sentence(restated)
        if evaluated:
            evaluated.summary.append(restated.sentence)
            evaluated.restated.append(restated)
        shown.append(restated)
    return shown


def restated_sentence(restated: Restated) -> str:
    """'Kết quả năm 2024 cũng được công bố tính lại trên 34 tỉnh, thành phố năm 2025: chỉ số
    của mỗi tỉnh, thành phố là trung bình cộng (không trọng số) chỉ số năm 2024 của các đơn
    vị trước sắp xếp …; hợp nhất: Đà Nẵng (mới) = Đà Nẵng + Quảng Nam.'"""
    where = f" của tỉnh {restated.evaluator_name}" if restated.evaluator_name else ""
    sentence = (f"Kết quả năm {restated.year} cũng được công bố tính lại trên {len(restated.rows)} "
                f"{restated.noun} năm {restated.units_year}{where}: {restated.method}")
    merged = [row["composition"] for row in restated.rows if row["predecessor_count"] > 1]
    if merged:
        sentence += "; hợp nhất: " + "; ".join(merged)
    return sentence + "."
