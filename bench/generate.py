"""A synthetic national input root (SPEC §3) at a chosen scale, deterministic by seed.

    python -m bench.generate OUT [--years 10] [--scale 1] [--seed 1] [--provinces 63]

63 provinces, each with about 22 departments and 12 districts (× scale), one framework per
province × peer group per period of 2–5 years (60–100 indicators mixing every rule type,
a required criterion, capped criteria, floors on the top band), the Ministry's national
framework over the provinces, and each year's submissions written the ways agencies send
them: one file per unit or one per province, long or wide, comma or semicolon, decimal
points or Vietnamese decimal commas (`"417,30"`, `1.234,5`), N/A spellings, a title row
above an Excel header, a BOM. Scale 1 over 10 years is about 2 million submitted values.

The data is clean on purpose (no duplicate, unknown unit or out-of-range value), so the
benchmark's floor query can score it without the quarantine rules; what is not clean is
only what SPEC §4 scores: N/A indicators and criteria, values never sent (0 points), and
exact ties between units.
"""

import argparse
import csv
import datetime
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

LAST_YEAR = 2024  # the 2025 reform merged the provinces and abolished the districts

# (code, name) of the 63 provinces until 2024
PROVINCES = [tuple(item.strip().split(" ", 1)) for item in """
    01 Hà Nội, 02 Hà Giang, 04 Cao Bằng, 06 Bắc Kạn, 08 Tuyên Quang, 10 Lào Cai, 11 Điện Biên, 12 Lai Châu,
    14 Sơn La, 15 Yên Bái, 17 Hòa Bình, 19 Thái Nguyên, 20 Lạng Sơn, 22 Quảng Ninh, 24 Bắc Giang, 25 Phú Thọ,
    26 Vĩnh Phúc, 27 Bắc Ninh, 30 Hải Dương, 31 Hải Phòng, 33 Hưng Yên, 34 Thái Bình, 35 Hà Nam, 36 Nam Định,
    37 Ninh Bình, 38 Thanh Hóa, 40 Nghệ An, 42 Hà Tĩnh, 44 Quảng Bình, 45 Quảng Trị, 46 Thừa Thiên Huế, 48 Đà Nẵng,
    49 Quảng Nam, 51 Quảng Ngãi, 52 Bình Định, 54 Phú Yên, 56 Khánh Hòa, 58 Ninh Thuận, 60 Bình Thuận, 62 Kon Tum,
    64 Gia Lai, 66 Đắk Lắk, 67 Đắk Nông, 68 Lâm Đồng, 70 Bình Phước, 72 Tây Ninh, 74 Bình Dương, 75 Đồng Nai,
    77 Bà Rịa - Vũng Tàu, 79 Thành phố Hồ Chí Minh, 80 Long An, 82 Tiền Giang, 83 Bến Tre, 84 Trà Vinh, 86 Vĩnh Long, 87 Đồng Tháp,
    89 An Giang, 91 Kiên Giang, 92 Cần Thơ, 93 Hậu Giang, 94 Sóc Trăng, 95 Bạc Liêu, 96 Cà Mau
""".split(",")]

DEPARTMENTS = [
    ("VPUBND", "Văn phòng Ủy ban nhân dân tỉnh"), ("SNV", "Sở Nội vụ"), ("STP", "Sở Tư pháp"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư"), ("STC", "Sở Tài chính"), ("SCT", "Sở Công Thương"),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn"), ("SGTVT", "Sở Giao thông vận tải"),
    ("SXD", "Sở Xây dựng"), ("STNMT", "Sở Tài nguyên và Môi trường"),
    ("STTTT", "Sở Thông tin và Truyền thông"), ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"), ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SYT", "Sở Y tế"), ("TTR", "Thanh tra tỉnh"),
    ("SNGV", "Sở Ngoại vụ"), ("BDT", "Ban Dân tộc"), ("BQLKCN", "Ban Quản lý các khu công nghiệp"),
    ("SDL", "Sở Du lịch"), ("VPDDBQH", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân"),
]

DISTRICT_KINDS = [("H", "Ủy ban nhân dân huyện"), ("TX", "Ủy ban nhân dân thị xã"),
                  ("TP", "Ủy ban nhân dân thành phố")]
PLACE_NAMES = [
    "An Phú", "Bình Sơn", "Cẩm Thủy", "Diên Khánh", "Đông Hưng", "Gio Linh", "Hải Hậu",
    "Hương Trà", "Kim Bảng", "Lạc Dương", "Mỹ Đức", "Nam Đàn", "Ngọc Hồi", "Phù Cát",
    "Quảng Điền", "Sơn Tịnh", "Tam Nông", "Thạch Hà", "Triệu Phong", "Tuy Phước",
    "Vân Đồn", "Văn Lâm", "Xuân Lộc", "Yên Mỹ", "Ân Thi", "Bảo Lâm", "Chợ Mới",
    "Đức Phổ", "Hoài Nhơn", "Kỳ Anh", "Long Thành", "Mộ Đức", "Nghĩa Hành", "Phong Điền",
    "Quỳnh Lưu", "Tân Uyên", "Thanh Chương", "Tiên Du", "Vĩnh Thạnh", "Ý Yên",
]

# (code, name, topics) — the criteria a framework draws from
CRITERIA = [
    ("HT", "Hạ tầng kỹ thuật công nghệ thông tin",
     ["máy tính/cán bộ, công chức", "băng thông Internet", "mạng LAN", "kết nối mạng chuyên dùng"]),
    ("UD", "Ứng dụng công nghệ thông tin trong hoạt động nội bộ",
     ["văn bản điện tử", "thư điện tử công vụ", "chữ ký số", "hệ thống quản lý văn bản"]),
    ("DV", "Cung cấp dịch vụ công trực tuyến",
     ["dịch vụ công mức độ 3, 4", "hồ sơ trực tuyến", "thanh toán trực tuyến", "một cửa điện tử"]),
    ("CTT", "Trang/Cổng thông tin điện tử",
     ["thông tin theo Nghị định 43/2011/NĐ-CP", "chức năng hỗ trợ", "cập nhật tin bài"]),
    ("NL", "Nguồn nhân lực cho ứng dụng công nghệ thông tin",
     ["cán bộ chuyên trách CNTT", "lượt đào tạo", "chế độ đãi ngộ"]),
    ("ATTT", "Bảo đảm an toàn thông tin",
     ["giải pháp an toàn thông tin", "phương án ứng cứu sự cố", "diễn tập"]),
    ("CS", "Cơ chế, chính sách và đầu tư",
     ["kế hoạch ứng dụng CNTT", "kiến trúc Chính quyền điện tử", "chi ngân sách cho CNTT"]),
    ("CDS", "Chuyển đổi số", ["nền tảng số", "dữ liệu mở", "kỹ năng số"]),
]
NATIONAL_CRITERIA = ("HT", "UD", "DV", "CTT", "NL", "CS")  # the six categories

RULES = ("score", "linear", "boolean", "steps", "relative")
RULE_WEIGHTS = (30, 20, 20, 20, 10)
NA_SPELLINGS = ("N/A", "N/A", "N/A", "N/A", "KAD", "không áp dụng")
NOTES = ("", "", "", "Số liệu đến 31/12", "Theo báo cáo tự đánh giá", "Đã thẩm định, có minh chứng")

# How agencies send a province's values in a year (weights: share of provinces).
STYLES = {
    "unit_csv": 22,          # one long CSV per unit, decimal points
    "unit_csv_vn": 8,        # one long CSV per unit, "417,30" quoted
    "unit_xlsx": 3,          # one long workbook per unit
    "province_long_vn": 17,  # one long semicolon CSV per province, 417,30
    "province_wide_vn": 25,  # one wide semicolon CSV per province and peer group
    "province_wide": 13,     # one wide comma CSV per province and peer group, decimal points
    "province_xlsx": 12,     # one wide workbook per province and peer group, title row above
}


# --- values --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Value:
    """A submitted value: a decimal `mantissa / 10**scale`, an N/A spelling, or a boolean."""

    mantissa: int = 0
    scale: int = 0
    na: str | None = None
    boolean: bool = False


def decimal_value(mantissa: int, scale: int) -> Value:
    while scale and mantissa % 10 == 0:  # 87.50 is written 87.5
        mantissa //= 10
        scale -= 1
    return Value(mantissa, scale)


def as_dot(v: Value) -> str:
    if v.na:
        return v.na
    if v.scale == 0:
        return str(v.mantissa)
    whole, frac = divmod(v.mantissa, 10 ** v.scale)
    return f"{whole}.{frac:0{v.scale}d}"


def as_vietnamese(v: Value, words: bool) -> str:
    """`417,3`, `1.234,5`; booleans as có/không when `words`. A whole number keeps no
    thousands dot: `1.234` alone reads as a decimal point (the warehouse's documented choice)."""
    if v.na:
        return v.na
    if v.boolean and words:
        return "có" if v.mantissa else "không"
    if v.scale == 0:
        return str(v.mantissa)
    whole, frac = divmod(v.mantissa, 10 ** v.scale)
    whole_text = f"{whole:,}".replace(",", ".")
    return f"{whole_text},{frac:0{v.scale}d}"


def as_cell(v: Value):
    if v.na:
        return v.na
    if v.scale == 0:
        return v.mantissa
    return v.mantissa / 10 ** v.scale


# --- frameworks ----------------------------------------------------------------------------

@dataclass
class Indicator:
    code: str
    name: str
    max_halves: int  # the maximum in halves of a point (2.5 → 5)
    rule: str
    full_at: tuple[int, int] | None = None  # (mantissa, scale): 1.0, 0.9, 100, 20
    steps: list[tuple[int, int]] = field(default_factory=list)  # (threshold, points in halves)
    base: int = 0  # typical magnitude of a `relative` value


@dataclass
class Criterion:
    code: str
    name: str
    max_text: str
    required: bool
    indicators: list[Indicator]


@dataclass
class Framework:
    code: str
    title: str
    evaluator: str
    unit_type: str
    years: list[int]
    bands: list[tuple[str, int, int | None]]
    criteria: list[Criterion]

    @property
    def indicators(self) -> list[Indicator]:
        return [i for c in self.criteria for i in c.indicators]


def halves_text(halves: int) -> str:
    return str(halves // 2) if halves % 2 == 0 else f"{halves // 2}.5"


def make_indicator(rng: random.Random, code: str, topic: str) -> Indicator:
    rule = rng.choices(RULES, RULE_WEIGHTS)[0]
    max_halves = rng.choice((2, 4, 5, 6, 8, 10, 12, 16, 20))
    if rule == "score":
        return Indicator(code, f"Điểm thẩm định: {topic}", max_halves, rule)
    if rule == "linear":
        full_at = rng.choice(((10, 1), (9, 1), (100, 0), (20, 0)))
        unit = "(%)" if full_at == (100, 0) else ""
        return Indicator(code, f"Tỷ lệ {topic} {unit}".strip(), max_halves, rule, full_at=full_at)
    if rule == "boolean":
        return Indicator(code, f"Có {topic}", max_halves, rule)
    if rule == "steps":
        top = rng.choice((5, 10, 20, 50, 100))
        count = rng.randint(2, 4)
        thresholds = sorted(rng.sample(range(1, top), count - 1)) + [top]
        points = [max(1, round(max_halves * (k + 1) / count)) for k in range(count)]
        return Indicator(code, f"Số {topic}", max_halves, rule, steps=list(zip(thresholds, points)))
    return Indicator(code, f"{topic[0].upper()}{topic[1:]} so với đơn vị dẫn đầu", max_halves, rule,
                     base=rng.choice((10, 50, 100, 500, 2000)))


def make_framework(rng: random.Random, code: str, title: str, evaluator: str, unit_type: str,
                   years: list[int]) -> Framework:
    if evaluator == "national":
        chosen = [c for c in CRITERIA if c[0] in NATIONAL_CRITERIA]
    else:
        optional = [c for c in CRITERIA if c[0] not in ("HT", "DV")]
        extra = rng.sample(optional, rng.randint(3, 6))
        chosen = [c for c in CRITERIA if c[0] in ("HT", "DV") or c in extra]
    count = max(rng.randint(60, 100), rng.randint(60, 100))
    weights = [rng.uniform(0.6, 1.4) for _ in chosen]
    sizes = [max(4, round(count * w / sum(weights))) for w in weights]
    criteria = []
    for (c_code, c_name, topics), size in zip(chosen, sizes):
        indicators = [make_indicator(rng, f"{c_code}.{n}", topics[(n - 1) % len(topics)])
                      for n in range(1, size + 1)]
        total = sum(i.max_halves for i in indicators)
        # a third of the criteria are capped below the sum of their indicators
        max_text = str(int(total * 0.85 / 2)) if rng.random() < 0.33 else halves_text(total)
        required = evaluator != "national" and unit_type == "department" and c_code == "DV"
        criteria.append(Criterion(c_code, c_name, max_text, required, indicators))
    bands = [
        ("Tốt", rng.choice((80, 85)), rng.choice((None, 50))),
        ("Khá", rng.choice((65, 70)), None),
        ("Trung bình", 50, None),
        ("Yếu", 0, None),
    ]
    return Framework(code, title, evaluator, unit_type, years, bands, criteria)


def framework_yaml(f: Framework) -> str:
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        f"code: {f.code}",
        f"title: {q(f.title)}",
        f"evaluator: {q(f.evaluator)}",
        f"unit_type: {f.unit_type}",
        f"years: [{', '.join(str(y) for y in f.years)}]",
        "rating:",
    ]
    for label, min_pct, floor in f.bands:
        extra = f", min_criterion_pct: {floor}" if floor is not None else ""
        lines.append(f"  - {{label: {label}, min_pct: {min_pct}{extra}}}")
    lines.append("criteria:")
    for c in f.criteria:
        lines += [f"  - code: {c.code}", f"    name: {q(c.name)}", f"    max: {c.max_text}",
                  f"    required_for_rank: {'true' if c.required else 'false'}", "    indicators:"]
        for i in c.indicators:
            if i.rule == "linear":
                rule = f"{{type: linear, full_at: {as_dot(Value(*i.full_at)) if i.full_at[1] else i.full_at[0]}}}"
            elif i.rule == "steps":
                steps = ", ".join(f"[{t}, {halves_text(p)}]" for t, p in i.steps)
                rule = f"{{type: steps, steps: [{steps}]}}"
            else:
                rule = f"{{type: {i.rule}}}"
            lines.append(f"      - {{code: {i.code}, name: {q(i.name)}, max: {halves_text(i.max_halves)}, rule: {rule}}}")
    return "\n".join(lines) + "\n"


def periods(rng: random.Random, years: list[int]) -> list[list[int]]:
    """Consecutive runs of 2–5 years: a framework is revised every few years."""
    out, at = [], 0
    while at < len(years):
        length = rng.randint(2, 5)
        out.append(years[at:at + length])
        at += length
    return out


# --- units ---------------------------------------------------------------------------------

@dataclass
class Unit:
    code: str
    name: str
    unit_type: str
    parent: str
    valid_from: int
    valid_to: int | None
    quality: float
    no_public_services: bool = False  # its required criterion is N/A: scored, not ranked

    def valid(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


def make_units(rng: random.Random, province: str, scale: float, years: list[int]) -> list[Unit]:
    first, last = years[0], years[-1]
    units = []
    departments = max(3, round(rng.randint(19, 25) * scale))
    for k in range(departments):
        abbr, name = DEPARTMENTS[k % len(DEPARTMENTS)]
        cycle = k // len(DEPARTMENTS) + 1
        valid_from, valid_to = 2008, None
        if len(years) > 2 and rng.random() < 0.04:  # created or abolished during the period
            if rng.random() < 0.5:
                valid_from = rng.randint(first + 1, last)
            else:
                valid_to = rng.randint(first, last - 1)
        units.append(Unit(
            f"{province}.{abbr}{cycle}", name if cycle == 1 else f"{name} (khối {cycle})",
            "department", province, valid_from, valid_to, rng.uniform(0.35, 0.95),
            no_public_services=rng.random() < 0.04,
        ))
    districts = max(2, round(rng.randint(9, 15) * scale))
    places = rng.sample(PLACE_NAMES, min(districts, len(PLACE_NAMES)))
    counters: dict[str, int] = {}
    for k in range(districts):
        abbr, prefix = DISTRICT_KINDS[0] if k >= 3 else DISTRICT_KINDS[k % 3]
        counters[abbr] = counters.get(abbr, 0) + 1
        place = places[k % len(places)]
        name = f"{prefix} {place}" if k < len(places) else f"{prefix} {place} {k // len(places) + 1}"
        units.append(Unit(f"{province}.{abbr}{counters[abbr]}", name, "district", province,
                          2000, None, rng.uniform(0.35, 0.95)))
    return units


def unit_values(rng: random.Random, unit: Unit, framework: Framework, quality: float) -> dict[str, Value | None]:
    """One unit's values for one year: None is a value never sent (scores 0)."""
    gauss, random_ = rng.gauss, rng.random
    values: dict[str, Value | None] = {}
    for criterion in framework.criteria:
        whole_na = (criterion.required and unit.no_public_services) or (
            not criterion.required and random_() < 0.015)
        na_text = rng.choice(NA_SPELLINGS) if whole_na else None
        for i in criterion.indicators:
            if whole_na:
                values[i.code] = Value(na=na_text)
                continue
            r = random_()
            if r < 0.012:
                values[i.code] = Value(na=NA_SPELLINGS[int(r * 500) % len(NA_SPELLINGS)])
                continue
            if r > 0.997:
                values[i.code] = None
                continue
            level = min(max(quality + gauss(0, 0.15), 0.0), 1.0)
            if i.rule == "score":
                values[i.code] = decimal_value(int(level * i.max_halves * 50), 2)
            elif i.rule == "linear":
                mantissa, scale = i.full_at
                if scale:  # a ratio such as 0.8734
                    values[i.code] = decimal_value(int(level * 1.2 * mantissa * 10 ** (4 - scale)), 4)
                elif mantissa == 100:  # a percentage such as 87.34
                    values[i.code] = decimal_value(int(level * 10000), 2)
                else:  # a count
                    values[i.code] = Value(int(level * 1.3 * mantissa))
            elif i.rule == "boolean":
                values[i.code] = Value(1 if random_() < quality + 0.15 else 0, boolean=True)
            elif i.rule == "steps":
                values[i.code] = Value(int(level * 1.3 * i.steps[-1][0]))
            else:
                values[i.code] = decimal_value(int(i.base * max(level, 0.05) * 100 * rng.uniform(0.5, 1.5)), 2)
    return values


# --- files ---------------------------------------------------------------------------------

def quoted(text: str, delimiter: str) -> str:
    if delimiter in text or '"' in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class Writer:
    """Writes submission files and counts the values the loader will read from them."""

    def __init__(self, root: Path):
        self.root = root
        self.values = 0
        self.files: dict[str, int] = {}
        self.values_by_kind: dict[str, int] = {}

    def _count(self, kind: str, values: int) -> None:
        self.files[kind] = self.files.get(kind, 0) + 1
        self.values_by_kind[kind] = self.values_by_kind.get(kind, 0) + values
        self.values += values

    def text(self, path: Path, lines: list[str], values: int, kind: str, bom: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            out.write("\n".join(lines) + "\n")
        self._count(kind, values)

    def workbook(self, path: Path, rows: list[list], values: int, kind: str) -> None:
        import openpyxl

        path.parent.mkdir(parents=True, exist_ok=True)
        book = openpyxl.Workbook(write_only=True)
        stamp = datetime.datetime(2000, 1, 1)  # fixed: the same seed gives the same workbook content
        book.properties.created = book.properties.modified = stamp
        sheet = book.create_sheet("Số liệu")
        for row in rows:
            sheet.append(row)
        book.save(path)
        self._count(kind, values)


def long_lines(units_values, delimiter: str, vietnamese: bool, notes: bool, rng: random.Random) -> tuple[list[str], int]:
    header = ["unit_code", "indicator_code", "value"] + (["note"] if notes else [])
    lines, count = [delimiter.join(header)], 0
    for unit, values in units_values:
        for code, v in values.items():
            if v is None:
                continue  # never sent
            text = as_vietnamese(v, words=True) if vietnamese else as_dot(v)
            row = [unit.code, code, quoted(text, delimiter)]
            if notes:
                row.append(quoted(NOTES[int(rng.random() * len(NOTES))], delimiter))
            lines.append(delimiter.join(row))
            count += 1
    return lines, count


def wide_lines(units_values, codes: list[str], delimiter: str, vietnamese: bool) -> tuple[list[str], int]:
    lines = [delimiter.join(["unit_code", "unit_name"] + codes)]
    for unit, values in units_values:
        cells = []
        for code in codes:
            v = values.get(code)
            cells.append("" if v is None else quoted(as_vietnamese(v, words=False) if vietnamese else as_dot(v), delimiter))
        lines.append(delimiter.join([unit.code, quoted(unit.name, delimiter)] + cells))
    return lines, len(units_values) * len(codes)


def write_province_year(writer: Writer, rng: random.Random, year: int, province: tuple[str, str],
                        style: str, bom: bool, notes: bool,
                        groups: list[tuple[Framework, list[tuple[Unit, dict]]]]) -> None:
    code, name = province
    folder = writer.root / "submissions" / str(year)
    if style.startswith("unit_"):
        for _framework, units_values in groups:
            for unit, values in units_values:
                if style == "unit_xlsx":
                    rows = [["unit_code", "indicator_code", "value"]]
                    rows += [[unit.code, c, as_cell(v)] for c, v in values.items() if v is not None]
                    writer.workbook(folder / code / f"{unit.code}.xlsx", rows, len(rows) - 1, "xlsx per unit")
                else:
                    lines, count = long_lines([(unit, values)], ",", style == "unit_csv_vn", notes, rng)
                    writer.text(folder / code / f"{unit.code}.csv", lines, count, "csv per unit", bom)
        return
    if style == "province_long_vn":
        everyone = [uv for _, units_values in groups for uv in units_values]
        lines, count = long_lines(everyone, ";", True, notes, rng)
        writer.text(folder / f"{code}-tong-hop-{year}.csv", lines, count, "csv per province", bom)
        return
    for framework, units_values in groups:
        codes = [i.code for i in framework.indicators]
        stem = f"{code}-{framework.unit_type}-{year}"
        if style == "province_xlsx":
            rows = [[f"BIỂU TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ NĂM {year} - {name.upper()}"], [],
                    ["unit_code", "unit_name"] + codes]
            rows += [[u.code, u.name] + [None if values.get(c) is None else as_cell(values[c]) for c in codes]
                     for u, values in units_values]
            writer.workbook(folder / f"{stem}.xlsx", rows, len(units_values) * len(codes), "xlsx per province")
        else:
            vietnamese = style == "province_wide_vn"
            lines, count = wide_lines(units_values, codes, ";" if vietnamese else ",", vietnamese)
            writer.text(folder / f"{stem}.csv", lines, count, "csv per province", bom)


# --- the whole input root ------------------------------------------------------------------

def generate(out: Path, years: int = 10, scale: float = 1.0, seed: int = 1,
             provinces: int = len(PROVINCES), last_year: int = LAST_YEAR) -> dict:
    """Write an input root under `out` (which must not hold one already); return its summary."""
    started = time.perf_counter()
    rng = random.Random(seed)
    year_list = list(range(last_year - years + 1, last_year + 1))
    chosen = PROVINCES[:provinces]
    out.mkdir(parents=True, exist_ok=True)
    if (out / "units").exists() or (out / "submissions").exists():
        raise SystemExit(f"{out} already holds an input root")
    for folder in ("units", "frameworks", "submissions"):
        (out / folder).mkdir()

    units_by_province = {p: make_units(rng, p, scale, year_list) for p, _ in chosen}
    # The first province always shows the cases of SPEC §4 that a small input could miss:
    # its first two departments tie every year, its third is scored but never ranked.
    showcase = units_by_province[chosen[0][0]]
    for unit in showcase[:3]:
        unit.valid_from, unit.valid_to = 2008, None
    showcase[0].no_public_services = showcase[1].no_public_services = False
    showcase[2].no_public_services = True
    with open(out / "units" / "units.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit_code", "unit_name", "unit_type", "parent_code", "valid_from", "valid_to"])
        for p, name in PROVINCES:  # the registry always lists all 63 provinces
            w.writerow([p, name, "province", "", 2000, last_year])
        for p, _ in chosen:
            for u in units_by_province[p]:
                w.writerow([u.code, u.name, u.unit_type, u.parent, u.valid_from, u.valid_to or ""])

    # one framework per province × peer group per period, and the Ministry's
    frameworks: dict[tuple[str, str], dict[int, Framework]] = {}
    plans = [(p, t, f"{p}-{t}", f"Bộ tiêu chí đánh giá mức độ ứng dụng CNTT cấp {'sở, ban, ngành' if t == 'department' else 'huyện'} tỉnh {n}")
             for p, n in chosen for t in ("department", "district")]
    plans.append(("national", "province", "national-province",
                  "Bộ chỉ số đánh giá mức độ ứng dụng CNTT của các tỉnh, thành phố (Bộ TT&TT)"))
    for evaluator, unit_type, stem, title in plans:
        by_year = frameworks.setdefault((evaluator, unit_type), {})
        for period in periods(rng, year_list):
            f = make_framework(rng, f"{stem}-{period[0]}", f"{title}, áp dụng từ năm {period[0]}",
                               evaluator, unit_type, period)
            (out / "frameworks" / f"{f.code}.yaml").write_text(framework_yaml(f), encoding="utf-8")
            by_year.update({y: f for y in period})

    # each province's habit; every style appears once before the weights take over
    names = list(STYLES)
    rng.shuffle(names)
    styles = {p: names[k] if k < len(names) else rng.choices(list(STYLES), list(STYLES.values()))[0]
              for k, (p, _) in enumerate(chosen)}
    boms = {p: rng.random() < 0.3 for p, _ in chosen}
    notes = {p: rng.random() < 0.5 for p, _ in chosen}
    province_quality = {p: rng.uniform(0.35, 0.95) for p, _ in PROVINCES}

    writer = Writer(out)
    for year in year_list:
        for p, _ in chosen:  # a unit's level drifts from year to year
            for u in units_by_province[p]:
                u.quality = min(max(u.quality + rng.gauss(0, 0.04), 0.1), 1.0)
        for province in chosen:
            p = province[0]
            style = styles[p] if rng.random() > 0.1 else rng.choices(list(STYLES), list(STYLES.values()))[0]
            groups = []
            for unit_type in ("department", "district"):
                framework = frameworks[(p, unit_type)][year]
                units = [u for u in units_by_province[p] if u.unit_type == unit_type and u.valid(year)]
                values = [(u, unit_values(rng, u, framework, u.quality)) for u in units]
                for k in range(1, len(values)):  # now and then two units tie exactly
                    if rng.random() < 0.03 or (p == chosen[0][0] and unit_type == "department" and k == 1):
                        values[k] = (values[k][0], dict(values[0 if k == 1 else rng.randrange(k)][1]))
                groups.append((framework, values))
            write_province_year(writer, rng, year, province, style, boms[p], notes[p], groups)
        # the Ministry's appraisal of every province: one wide file a year
        national = frameworks[("national", "province")][year]
        for p in province_quality:
            province_quality[p] = min(max(province_quality[p] + rng.gauss(0, 0.04), 0.1), 1.0)
        rows = []
        for p, n in PROVINCES:
            unit = Unit(p, n, "province", "", 2000, None, province_quality[p])
            rows.append((unit, unit_values(rng, unit, national, unit.quality)))
        codes = [i.code for i in national.indicators]
        folder = out / "submissions" / str(year)
        if year % 3 == 0:
            book = [[f"KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ ỨNG DỤNG CNTT NĂM {year}"], ["unit_code", "unit_name"] + codes]
            book += [[u.code, u.name] + [None if v.get(c) is None else as_cell(v[c]) for c in codes] for u, v in rows]
            writer.workbook(folder / f"bo-tttt-{year}.xlsx", book, len(rows) * len(codes), "xlsx per province")
        else:
            lines, count = wide_lines(rows, codes, ",", False)
            writer.text(folder / f"bo-tttt-{year}.csv", lines, count, "csv per province", False)

    summary = {
        "seed": seed, "scale": scale, "years": year_list, "provinces": len(chosen),
        "units": sum(len(v) for v in units_by_province.values()) + len(PROVINCES),
        "frameworks": sum(len(set(map(id, v.values()))) for v in frameworks.values()),
        "files": dict(sorted(writer.files.items())),
        "values_by_kind": dict(sorted(writer.values_by_kind.items())), "values": writer.values,
        "seconds": round(time.perf_counter() - started, 1),
    }
    # beside the input folders, where no loader looks
    (out / "bench-input.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the input root to create (EGOV_DATA_DIR)")
    parser.add_argument("--years", type=int, default=10, help="years of submissions, ending in 2024")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the units per province")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--provinces", type=int, default=len(PROVINCES), help="only the first N provinces")
    args = parser.parse_args(argv)
    summary = generate(args.out, args.years, args.scale, args.seed, args.provinces)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
