#!/usr/bin/env python3
"""Demo input for the 2025 reform (63 provinces → 34), written so that the published DTI 2024
figures come out on both bases: as evaluated on the 63 provinces, and restated on the 34.

    python scripts/reform_demo.py data            # (re)writes the demo input in place
    python scripts/reform_demo.py /tmp/reform     # the same files in another folder

writes OUTDIR/units/units.csv (the whole registry: data/units/units.csv as it was before the
reform, plus the reform's rows), OUTDIR/units/lineage.csv, OUTDIR/frameworks/
mic-dti-province-2024.yaml and bkhcn-dti-province-2025.yaml, OUTDIR/submissions/2024/
mic_dti_tinh_2024.csv and OUTDIR/submissions/2025/bkhcn_dti_tinh_2025.csv, and the section
"## The 2025 reform" of OUTDIR/README.md (replaced in place when the file exists, else written
to OUTDIR/README_reform.md). It then re-reads what it wrote and checks every published figure
with an independent exact computation (verify()): the indices and ranks of the 63 provinces,
the restatement on the 34 (a successor's index is the unweighted mean of its predecessors'
exact indices; a province with no lineage row keeps its own), the registry and the lineage.
Prints the table of checks; exits 1 when a figure does not hold. Running it again gives the
same bytes (fixed seed; the registry is read back to its pre-reform rows first).

How the points are made (exact decimals, random.Random with a fixed seed):
* a 2024 total is a multiple of 0.1 point, so each index (total / 1000) is an exact 4-decimal
  value; the published ones are set (Đà Nẵng 833.5, Quảng Nam 580.3, …), and so are the
  partners of the published restated means (Hải Phòng + Hải Dương = 1.5714, TP.HCM + Bà Rịa -
  Vũng Tàu + Bình Dương = 2.3310: means 0.7857 and 0.7770 exactly);
* every other restated province gets a distinct mean in the band its published neighbours
  leave (ranks 8–16 between Hà Tĩnh and Đà Nẵng's 0.7069, ranks 18–34 below it), split over
  its predecessors; six predecessors go below Quảng Nam so that it is 57th of the 63;
* demo_common.split() spreads a total over the indicators (appraised points, rule `score`) without
  reaching a cap.
Stdlib only; imports the helpers of scripts/demo_common.py (writing YAML, splitting points,
reading the YAML back, scoring a tree).
"""
import csv
import io
import random
import sys
import textwrap
import unicodedata
from fractions import Fraction
from pathlib import Path

import demo_common as dc
from demo_common import D, fmt, leaves, q4, rank, root

REPO = Path(__file__).resolve().parent.parent
SEED = 20250612  # Resolution 202/2025/QH15, 12/6/2025
YEAR = 2025  # the first year of the 34 provinces
HEADER = ["unit_code", "unit_name", "unit_type", "parent_code", "valid_from", "valid_to"]

# ---------------------------------------------------------------- the reform (Resolution 202/2025/QH15)
# successor code, its name from 2025, its predecessors (code, name in the registry until 2024)
MERGES = [
    ("08", "Tuyên Quang", [("02", "Hà Giang"), ("08", "Tuyên Quang")]),
    ("15", "Lào Cai", [("10", "Lào Cai"), ("15", "Yên Bái")]),
    ("19", "Thái Nguyên", [("06", "Bắc Kạn"), ("19", "Thái Nguyên")]),
    ("25", "Phú Thọ", [("26", "Vĩnh Phúc"), ("17", "Hòa Bình"), ("25", "Phú Thọ")]),
    ("24", "Bắc Ninh", [("24", "Bắc Giang"), ("27", "Bắc Ninh")]),
    ("33", "Hưng Yên", [("34", "Thái Bình"), ("33", "Hưng Yên")]),
    ("31", "Hải Phòng", [("30", "Hải Dương"), ("31", "Hải Phòng")]),
    ("37", "Ninh Bình", [("35", "Hà Nam"), ("36", "Nam Định"), ("37", "Ninh Bình")]),
    ("44", "Quảng Trị", [("44", "Quảng Bình"), ("45", "Quảng Trị")]),
    ("48", "Đà Nẵng", [("48", "Đà Nẵng"), ("49", "Quảng Nam")]),
    ("51", "Quảng Ngãi", [("62", "Kon Tum"), ("51", "Quảng Ngãi")]),
    ("52", "Gia Lai", [("64", "Gia Lai"), ("52", "Bình Định")]),
    ("56", "Khánh Hòa", [("58", "Ninh Thuận"), ("56", "Khánh Hòa")]),
    ("68", "Lâm Đồng", [("68", "Lâm Đồng"), ("67", "Đắk Nông"), ("60", "Bình Thuận")]),
    ("66", "Đắk Lắk", [("54", "Phú Yên"), ("66", "Đắk Lắk")]),
    ("79", "Thành phố Hồ Chí Minh", [("77", "Bà Rịa - Vũng Tàu"), ("74", "Bình Dương"), ("79", "Thành phố Hồ Chí Minh")]),
    ("75", "Đồng Nai", [("70", "Bình Phước"), ("75", "Đồng Nai")]),
    ("80", "Tây Ninh", [("80", "Long An"), ("72", "Tây Ninh")]),
    ("92", "Cần Thơ", [("94", "Sóc Trăng"), ("93", "Hậu Giang"), ("92", "Cần Thơ")]),
    ("86", "Vĩnh Long", [("83", "Bến Tre"), ("86", "Vĩnh Long"), ("84", "Trà Vinh")]),
    ("82", "Đồng Tháp", [("82", "Tiền Giang"), ("87", "Đồng Tháp")]),
    ("96", "Cà Mau", [("95", "Bạc Liêu"), ("96", "Cà Mau")]),
    ("91", "An Giang", [("91", "Kiên Giang"), ("89", "An Giang")]),
]
# the 11 provinces the reform left as they were: code → name until 2024 (Huế is renamed)
UNCHANGED = {"01": "Hà Nội", "46": "Thừa Thiên Huế", "12": "Lai Châu", "11": "Điện Biên", "14": "Sơn La",
             "20": "Lạng Sơn", "22": "Quảng Ninh", "38": "Thanh Hóa", "40": "Nghệ An", "42": "Hà Tĩnh",
             "04": "Cao Bằng"}
RENAMED = {"46": "Huế"}  # Tỉnh Thừa Thiên Huế → Thành phố Huế (the registry writes no "Tỉnh"/"Thành phố" but for TP.HCM)

# ---------------------------------------------------------------- the published DTI 2024 (QĐ 405/QĐ-BKHCN)
PUB_63 = [("79", None, 1), ("48", "0.8335", 2), ("31", None, 3), ("01", "0.8241", 4), ("46", "0.7951", 5),
          ("49", "0.5803", 57)]  # as evaluated, among the 63
PUB_34 = [("01", "0.8241", 1), ("46", "0.7951", 2), ("31", "0.7857", 3), ("79", "0.7770", 4), ("38", None, 5),
          ("11", None, 6), ("42", None, 7), ("48", "0.7069", 17)]  # restated on the 34
# the chosen 2024 indices, in 0.0001 (= 0.1 point of 1,000): the published ones and their partners
FIXED_24 = {"79": 8496, "48": 8335, "31": 8276, "01": 8241, "46": 7951, "74": 7887, "38": 7718, "11": 7652,
            "42": 7594, "30": 7438, "77": 6927, "49": 5803}
UPPER = ["22", "24", "92", "75", "37", "25", "33", "56", "80"]  # restated 8th–16th (order illustrative)
LOW_63 = ["02", "04", "06", "12", "62", "67"]  # the six below Quảng Nam on the 63
TOP_25 = ["79", "31", "01", "48", "46"]  # DTI 2025 (illustrative): Hà Nội 3rd, not 1st as restated
PROFILE = [1.15, 1.1, 1.0, 0.95, 0.95, 1.05, 0.9, 0.7]  # foundation strong, xã hội số weakest


# ---------------------------------------------------------------- frameworks
DTI_2024 = """
NT Nhận thức số | 100
  Ban Chỉ đạo chuyển đổi số do người đứng đầu làm Trưởng ban, họp định kỳ | 40
  Tin, bài về chuyển đổi số trên báo, đài, cổng thông tin của tỉnh (đo tự động) | 30
  Tỷ lệ thôn, tổ dân phố có Tổ công nghệ số cộng đồng hoạt động | 30
TC Thể chế số | 100
  Kế hoạch chuyển đổi số năm 2024: tỷ lệ nhiệm vụ hoàn thành | 40
  Chính sách và kinh phí cho chuyển đổi số | 30
  Kiến trúc Chính quyền điện tử được cập nhật, triển khai | 30
HT Hạ tầng số | 100
  Tỷ lệ thôn, bản có sóng di động băng rộng (đo tự động) | 25
  Tỷ lệ hộ gia đình có Internet băng rộng cáp quang | 25
  Tỷ lệ hệ thống thông tin vận hành trên điện toán đám mây | 25
  Giao dịch qua nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh kết nối NDXP (đo tự động) | 25
NL Nhân lực số | 100
  Tỷ lệ cán bộ, công chức hoàn thành khóa học kỹ năng số trên nền tảng MOOCs (đo tự động) | 40
  Nhân lực chuyên trách chuyển đổi số, an toàn thông tin | 30
  Tỷ lệ người dân được phổ cập kỹ năng số | 30
ATTT An toàn thông tin mạng | 100
  Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn | 35
  Giám sát an toàn thông tin kết nối hệ thống giám sát quốc gia (đo tự động) | 35
  Tỷ lệ máy trạm, máy chủ phòng, chống mã độc có quản trị tập trung (đo tự động) | 30
HD_CQS Hoạt động chính quyền số | 200
  Dịch vụ công trực tuyến (đo trên Cổng Dịch vụ công quốc gia) | 100
    Tỷ lệ hồ sơ trực tuyến toàn trình | 50
    Tỷ lệ hồ sơ thanh toán trực tuyến | 25
    Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa | 25
  Văn bản điện tử và dữ liệu số | 100
    Tỷ lệ văn bản ký số, gửi nhận qua Trục liên thông văn bản quốc gia (đo tự động) | 50
    Dữ liệu mở, dữ liệu dùng chung được công bố, cập nhật | 50
HD_KTS Hoạt động kinh tế số | 150
  Tỷ trọng kinh tế số trong GRDP | 60
  Tỷ lệ doanh nghiệp sử dụng hóa đơn điện tử, hợp đồng điện tử | 45
  Tỷ lệ giao dịch thanh toán không dùng tiền mặt | 45
HD_XHS Hoạt động xã hội số | 150
  Tỷ lệ dân số trưởng thành có định danh điện tử mức 2 được kích hoạt | 50
  Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử | 50
  Tỷ lệ dân số có hồ sơ sức khỏe điện tử | 50
"""


def fw_2024():
    """QĐ 405/QĐ-BKHCN: the 2022 main indicators and maxima, fewer components, measured more
    automatically (illustrative below the main indicators)."""
    return dc.framework(
        "mic-dti-province-2024",
        "Bộ chỉ số đánh giá chuyển đổi số cấp tỉnh năm 2024 (QĐ 405/QĐ-BKHCN ngày 3/4/2025 của Bộ Khoa học và Công nghệ)",
        "national", "province", 2024, dc.mains(*dc.outline(DTI_2024)), pillars=dc.pillars_22())

DTI_2025 = """
NT Nhận thức số | 100
  Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số hoạt động | 40
  Tin, bài về chuyển đổi số trên báo, đài, cổng thông tin của tỉnh (đo tự động) | 30
  Tỷ lệ xã, phường, đặc khu có Tổ công nghệ số cộng đồng hoạt động | 30
TC Thể chế số | 100
  Kế hoạch chuyển đổi số năm 2025: tỷ lệ nhiệm vụ hoàn thành | 40
  Chính sách và kinh phí cho chuyển đổi số của chính quyền địa phương hai cấp | 30
  Kiến trúc số của tỉnh sau sắp xếp được ban hành | 30
HT Hạ tầng số | 100
  Tỷ lệ thôn, bản có sóng di động băng rộng (đo tự động) | 30
  Tỷ lệ xã, phường, đặc khu kết nối mạng truyền số liệu chuyên dùng | 35
  Tỷ lệ hệ thống thông tin vận hành trên điện toán đám mây | 35
NL Nhân lực số | 100
  Tỷ lệ cán bộ, công chức cấp xã hoàn thành khóa học kỹ năng số (đo tự động) | 50
  Nhân lực chuyên trách chuyển đổi số, an toàn thông tin | 50
ATTT An toàn thông tin mạng | 100
  Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn | 50
  Giám sát an toàn thông tin kết nối hệ thống giám sát quốc gia (đo tự động) | 50
HD_CQS Hoạt động chính quyền số | 200
  Dịch vụ công trực tuyến (đo trên Cổng Dịch vụ công quốc gia) | 120
    Tỷ lệ hồ sơ trực tuyến toàn trình | 50
    Tỷ lệ thủ tục tiếp nhận không phụ thuộc địa giới hành chính | 40
    Tỷ lệ hồ sơ thanh toán trực tuyến | 30
  Chính quyền địa phương hai cấp và dữ liệu số | 80
    Hệ thống thông tin giải quyết thủ tục hành chính dùng chung cho cấp tỉnh và cấp xã | 40
    Dữ liệu dùng chung được kết nối, chia sẻ (đo tự động) | 40
HD_KTS Hoạt động kinh tế số | 150
  Tỷ trọng kinh tế số trong GRDP | 75
  Tỷ lệ doanh nghiệp, hộ kinh doanh sử dụng hóa đơn điện tử | 75
HD_XHS Hoạt động xã hội số | 150
  Tỷ lệ dân số trưởng thành dùng định danh điện tử VNeID | 75
  Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử | 75
"""


def fw_2025():
    """Illustrative: the same main indicators and maxima on the 34 provinces and the
    two-tier local government (province, commune)."""
    return dc.framework(
        "bkhcn-dti-province-2025",
        "Bộ chỉ số đánh giá chuyển đổi số cấp tỉnh năm 2025 (Bộ Khoa học và Công nghệ)",
        "national", "province", 2025, dc.mains(*dc.outline(DTI_2025)), pillars=dc.pillars_22())

# ---------------------------------------------------------------- registry
def read_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER, rows[0]
    return rows[1:]


def pre_reform(rows):
    """data/units/units.csv as it was before this script: no row from 2025 on, every province
    valid until 2024 (so that running the script again, in place, changes nothing)."""
    out = []
    for r in rows:
        if int(r[4]) >= YEAR:
            continue
        out.append(r[:5] + ["2024"] if r[2] == "province" and not r[5] else r)
    assert not any(not r[5] for r in out), "a pre-reform row with an open valid_to"
    return out


def reform_registry(rows):
    """The reform's rows: the unchanged provinces' rows extended, Huế's row from 2025, one new
    row per merged province (a new unit, even where it carries an old code), put after the
    provinces of 2000–2024. Departments, districts, communes and ministries stay as they were."""
    by_code = {r[0]: r for r in rows if r[2] == "province"}
    problems = [f"{c} is {by_code.get(c, ['', None])[1]!r} in the registry, not {n!r}"
                for c, n in list(UNCHANGED.items()) + [p for _, _, ps in MERGES for p in ps]
                if c not in by_code or by_code[c][1] != n or by_code[c][5] != "2024"]
    assert not problems, problems
    assert len(by_code) == 63 == len(UNCHANGED) + sum(len(ps) for _, _, ps in MERGES)
    out = [r[:5] + [""] if r[2] == "province" and r[0] in UNCHANGED and r[0] not in RENAMED else r for r in rows]
    new = sorted([(c, n) for c, n in RENAMED.items()] + [(c, n) for c, n, _ in MERGES])
    at = max(i for i, r in enumerate(out) if r[2] == "province") + 1
    return out[:at] + [[c, n, "province", "", str(YEAR), ""] for c, n in new] + out[at:]


def lineage_rows():
    return sorted((p, s, YEAR) for s, _, ps in MERGES for p, _ in ps)


def write_csv(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(unicodedata.normalize("NFC", out.getvalue()), encoding="utf-8")


# ---------------------------------------------------------------- points
def indices_2024(rng, provinces):
    """Every 2024 index in 0.0001 (a total of idx / 10 points). Restated groups: the fixed ones
    (FIXED_24), UPPER (means between Hà Tĩnh and Đà Nẵng's 0.7069), the others below 0.7069."""
    groups = {s: [p for p, _ in ps] for s, _, ps in MERGES} | {c: [c] for c in UNCHANGED}
    free = [s for s in groups if not set(groups[s]) <= set(FIXED_24)]
    assert all(not set(groups[s]) & set(FIXED_24) for s in free) and set(UPPER) <= set(free)
    strength = dc.strength(rng, sorted(provinces))  # lower is stronger
    for attempt in range(1000):
        idx = dict(FIXED_24)
        means = [Fraction(sum(idx[p] for p in groups[s]), len(groups[s])) for s in groups if s not in free]
        for s in sorted(free):
            n, members = len(groups[s]), sorted(groups[s], key=lambda p: p not in LOW_63)  # the low ones first
            high = (6400, 7930) if s in UPPER else (5860, 7300)  # a predecessor not in LOW_63
            bounds = [(4700, 5740) if p in LOW_63 else high for p in members]
            lo, hi = (7100, 7560) if s in UPPER else (5650, 7040)  # the band of the mean
            total = rng.randint(max(lo * n, sum(b[0] for b in bounds)), min(hi * n, sum(b[1] for b in bounds)))
            for _ in range(200):
                vals = [rng.randint(max(a, total // n - 1000), min(b, total // n + 1000)) if (a, b) == high
                        else rng.randint(a, b) for a, b in bounds[:-1]]
                last = total - sum(vals)
                if bounds[-1][0] <= last <= bounds[-1][1]:
                    break
            else:
                break
            low = [p for p in members if p in LOW_63]  # the others: the stronger province gets the higher index
            high_vals = sorted(vals[len(low):] + [last], reverse=True)
            idx.update(zip(low + sorted(set(members) - set(low), key=strength.get), vals[:len(low)] + high_vals))
            means.append(Fraction(total, n))
        else:
            if len(set(idx.values())) == len(idx) == 63 and len(set(means)) == len(means) == 34:
                return idx, attempt
    raise AssertionError("no assignment found")


def gen_2024(rng, fw, provinces):
    idx, attempts = indices_2024(rng, provinces)
    assert sorted(idx) == sorted(provinces)
    return {u: dc.split(rng, root(fw), D(idx[u]) / 10, weights=PROFILE) for u in sorted(idx)}, idx, attempts


def gen_2025(rng, fw, provinces, idx24):
    """Illustrative: TOP_25 first, then the others in their restated 2024 order, shuffled a little."""
    before = {s: Fraction(sum(idx24[p] for p in ps), len(ps))
              for s, ps in ({s: [p for p, _ in ps] for s, _, ps in MERGES} | {c: [c] for c in UNCHANGED}).items()}
    place = {s: i for i, s in enumerate(sorted(before, key=lambda s: -before[s]))}
    key = {s: place[s] + rng.uniform(0, 9) for s in provinces if s not in TOP_25}
    order = TOP_25 + sorted(key, key=key.get)
    totals = dc.distinct(rng, len(order), 540, 870)
    return {u: dc.split(rng, root(fw), t, weights=PROFILE) for u, t in zip(order, totals)}


# ---------------------------------------------------------------- verification: re-read OUTDIR, score exactly
def verify(out, fw_paths, sub_paths):
    """Score every province from the files in `out` on its own and compare with the published figures."""
    checks, problems = [], []

    def check(what, expected, got):
        checks.append((what, str(expected), str(got), str(expected) == str(got)))

    # -- the registry and the lineage, read back
    raw = (out / "units" / "units.csv").read_bytes()
    text = raw.decode("utf-8")
    if raw.startswith(b"\xef\xbb\xbf") or "\r" in text or unicodedata.normalize("NFC", text) != text:
        problems.append("units.csv: BOM, CR or not NFC")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if rows[0] != HEADER:
        problems.append("units.csv: header")
    registry = [{"code": r[0], "name": r[1], "type": r[2], "from": int(r[4]), "to": int(r[5]) if r[5] else 9999}
                for r in rows[1:]]
    problems += [f"{code}: rows overlap" for code in sorted(dc.overlapping(registry))]

    def unit(code, year, kind="province"):
        found = [u for u in registry if u["code"] == code and u["type"] == kind and u["from"] <= year <= u["to"]]
        return found[0] if len(found) == 1 else None

    prov = {y: sorted(u["code"] for u in registry if u["type"] == "province" and u["from"] <= y <= u["to"])
            for y in (2024, 2025)}
    check("provinces valid in 2024, 2025", "63, 34", f"{len(prov[2024])}, {len(prov[2025])}")
    lin_text = (out / "units" / "lineage.csv").read_text(encoding="utf-8")
    lin = list(csv.reader(io.StringIO(lin_text, newline="")))
    if lin[0] != ["predecessor_code", "successor_code", "year"]:
        problems.append("lineage.csv: header")
    lineage = [(p, s, int(y)) for p, s, y in lin[1:]]
    if len(set(lineage)) != len(lineage):
        problems.append("lineage.csv: a row given twice")
    for p, s, y in lineage:
        if not (y == 2025 and unit(p, y - 1) and unit(s, y)):
            problems.append(f"lineage {p},{s},{y}: predecessor not a province of {y - 1} or successor not one of {y}")
    preds = {}
    for p, s, _ in lineage:
        preds.setdefault(s, []).append(p)
    for s in preds:  # a merged unit that carries an old code: that code's own row is there, and it is a new unit
        if unit(s, 2024) and s not in preds[s]:
            problems.append(f"{s}: successor valid in 2024 without its own lineage row")
        if unit(s, 2024) is not None and unit(s, 2024) is unit(s, 2025):
            problems.append(f"{s}: a merged successor on the same registry row as its 2024 unit")
    orphans = [p for p in prov[2024] if p not in {q for q, _, _ in lineage} and p not in prov[2025]]
    carried = {s: preds.get(s, [s]) for s in prov[2025]}
    check("2024 provinces with no successor; 2025 provinces with no predecessor", "none; none",
          f"{', '.join(orphans) or 'none'}; {', '.join(s for s, ps in carried.items() if not all(unit(p, 2024) for p in ps)) or 'none'}")
    check("lineage rows; merged successors; provinces carrying on themselves", "52; 23; 11",
          f"{len(lineage)}; {len(preds)}; {sum(s not in preds for s in prov[2025])}")
    check("46 named in 2024 / 2025", "Thừa Thiên Huế / Huế", f"{unit('46', 2024)['name']} / {unit('46', 2025)['name']}")
    check("48 named in 2024 / 2025; predecessors", "Đà Nẵng / Đà Nẵng; 48, 49",
          f"{unit('48', 2024)['name']} / {unit('48', 2025)['name']}; {', '.join(sorted(preds['48']))}")

    # -- the submissions and the frameworks, read back, scored
    values, found = dc.read_values(sub_paths, r"[0-9]+(\.[0-9]{1,2})?")
    problems += found
    results, fws = {}, {}
    for path in fw_paths:
        fw = dc.read_yaml(path)
        found, over = dc.structure_problems(fw)
        problems += [f"{fw['code']}: {p}" for p in found + over]
        (year,) = fw["years"]
        fws[year] = fw
        if fw["evaluator"] != "national" or fw["unit_type"] != "province" or fw["rating"]:
            problems.append(f"{fw['code']}: not a national province framework without bands")
        check(f"{fw['code']}: maximum; pillars", "1000; CQS, KTS, XHS",
              f"{fmt(sum(c['max'] for c in fw['criteria']))}; {', '.join(p for p, _, _ in fw['pillars'])}")
        indicators = {x["code"]: x["max"] for c in fw["criteria"] for x in leaves(c)}
        res = results[year] = {}
        for u in prov[year]:
            got = values.get((year, u), {})
            if set(got) != set(indicators):
                problems.append(f"{year} {u}: {len(got)} values for {len(indicators)} indicators")
                continue
            problems += [f"{year} {u} {k}: {v} above {indicators[k]}" for k, v in got.items() if not 0 <= v <= indicators[k]]
            tops = {c["code"]: dc.score(c, got, {}) for c in fw["criteria"]}
            total, cap = sum(s for s, _, _ in tops.values()), sum(m for _, m, _ in tops.values())
            res[u] = {"total": total, "index": Fraction(total) / Fraction(cap)}
        rank(res)
    problems += [f"{y} {u}: submitted but not a province valid that year" for y, u in values if u not in prov[y]]

    # -- DTI 2024 as evaluated (the 63) and restated on the 34
    e24, e25 = results[2024], results[2025]
    name24 = lambda c: unit(c, 2024)["name"]
    name25 = lambda c: unit(c, 2025)["name"]
    check("2024 totals on a 0.1-point grid (each index an exact 4-decimal value)", "63 of 63",
          f"{sum(r['total'] * 10 == int(r['total'] * 10) for r in e24.values())} of {len(e24)}")
    for code, v, place in PUB_63:
        r = e24[code]
        check(f"DTI 2024 (63) {name24(code)}: index, rank", f"{v or q4(r['index'])}, {place}", f"{q4(r['index'])}, {r['rank']}")
    check("DTI 2024 (63): ties in exact index", "none", ties(e24))
    restated = {s: {"index": sum(e24[p]["index"] for p in ps) / len(ps), "from": ps} for s, ps in carried.items()}
    rank(restated)
    for code, v, place in PUB_34:
        r = restated[code]
        check(f"DTI 2024 restated (34) {name25(code)}: index, rank", f"{v or q4(r['index'])}, {place}",
              f"{q4(r['index'])}, {r['rank']}")
    check("DTI 2024 restated Đà Nẵng = (old Đà Nẵng + Quảng Nam) / 2", "(0.8335 + 0.5803) / 2 = 0.7069",
          f"({q4(e24['48']['index'])} + {q4(e24['49']['index'])}) / 2 = {q4(restated['48']['index'])}")
    check("DTI 2024 restated (34): ties in exact mean", "none", ties(restated))
    check("DTI 2025 (34): Hà Nội not 1st; ties", "True; none", f"{e25['01']['rank'] != 1}; {ties(e25)}")
    check("indices of 2024 within 0.45–0.86, of 2025 within 0.50–0.90", "True",
          all(Fraction(45, 100) <= r["index"] <= Fraction(86, 100) for r in e24.values())
          and all(Fraction(1, 2) <= r["index"] <= Fraction(9, 10) for r in e25.values()))
    check("problems (files, units, codes, completeness, maxima)", "none", "; ".join(problems[:5]) or "none")
    return all(ok for *_, ok in checks), checks, {"2024": e24, "restated": restated, "2025": e25,
                                                   "name24": name24, "name25": name25, "fws": fws}


def ties(res):
    seen = {}
    for u, r in res.items():
        seen.setdefault(r["index"], []).append(u)
    return "; ".join(" = ".join(sorted(us)) for us in seen.values() if len(us) > 1) or "none"


# ---------------------------------------------------------------- README section
def readme(fw_list, sub_paths, res):
    e24, rs, e25, n24, n25 = res["2024"], res["restated"], res["2025"], res["name24"], res["name25"]
    by = lambda d: sorted(d, key=lambda u: (d[u]["rank"], u))
    idx = lambda r: q4(r["index"])
    lines = [
        "## The 2025 reform", "",
        "Written by `scripts/reform_demo.py` (deterministic: fixed seed, exact decimals, stdlib only, with the helpers of",
        "`scripts/dti_demo.py`): `python scripts/reform_demo.py data` (re)writes the files below and this section in place",
        "(a second run changes nothing); `python scripts/reform_demo.py /tmp/reform` writes them into another folder. It then",
        "re-reads what it wrote, scores every province on its own, restates 2024 on the 34 provinces and checks every",
        "published figure below, printing the table; it exits 1 if one does not hold.", "",
        "### Registry rows (`units/units.csv`)", "",
        "Resolution 202/2025/QH15 (12/6/2025) makes 34 provinces of the 63 from 2025:",
        "* the 63 provinces keep their rows of 2000–2024, under their names of those years;",
        f"* the {len(UNCHANGED) - len(RENAMED)} provinces the reform left as they were have their one row extended (empty `valid_to`): "
        + ", ".join(f"`{c}` {UNCHANGED[c]}" for c in sorted(UNCHANGED) if c not in RENAMED) + ";",
        "* `46` is renamed: `46,Thừa Thiên Huế,…,2000,2024` and `46,Huế,province,,2025,` (Thành phố Huế; the registry",
        "  writes no *Tỉnh* / *Thành phố* but for Thành phố Hồ Chí Minh), so the name of each year is the name valid that year;",
        f"* each of the {len(MERGES)} merged provinces is a new unit with a row from 2025 (empty `valid_to`), also where it",
        "  carries an old code (SPEC §3.1): `08` Tuyên Quang of 2025 is not the `08` of 2024. Its code is the one the",
        "  resolution gives it, the code of one predecessor, not always the one of the same name (`15` Lào Cai was Yên Bái's,",
        "  `24` Bắc Ninh Bắc Giang's, `44` Quảng Trị Quảng Bình's, `52` Gia Lai Bình Định's, `80` Tây Ninh Long An's,",
        "  `82` Đồng Tháp Tiền Giang's, `91` An Giang Kiên Giang's):", "",
        "| code | from 2025 | predecessors (2024) |", "|---|---|---|"]
    lines += [f"| `{s}` | {n} | {' + '.join(f'`{p}` {pn}' for p, pn in ps)} |" for s, n, ps in sorted(MERGES)]
    lines += [
        "",
        "* departments, districts, communes and ministries are left as they were (valid until 2024): the district",
        "  level was abolished and the communes merged in 2025, and the ministries were merged too (the Ministry of",
        "  Information and Communications into the Ministry of Science and Technology, March 2025); the demo evaluates",
        "  none of them after 2024, so none has a row from 2025 or a lineage row.", "",
        "### `units/lineage.csv`", "",
        f"`predecessor_code,successor_code,year`: {len(lineage_rows())} rows, one per predecessor of each of the {len(MERGES)} merges,",
        "all of year 2025, including the row of the code that carries on (`02,08,2025` and `08,08,2025`; `48,48,2025` and",
        "`49,48,2025`). The 11 unchanged provinces (Huế included) have no row: a unit with no row carries on itself. Every",
        "predecessor is a province valid in 2024, every successor one valid in 2025.", "",
        "### Frameworks", "",
        "| file / code | evaluator | unit_type | years | main indicators (max) | total | indicators (depth below a main indicator) | bands | pillars |",
        "|---|---|---|---|---|---|---|---|---|"]
    lines += [dc.framework_row(fw) for fw in fw_list]
    lines += [
        "",
        "* DTI 2024 (`mic-dti-province-2024`, QĐ 405/QĐ-BKHCN of 3/4/2025: the evaluation of 2024, published by the",
        "  Ministry of Science and Technology after the Ministry of Information and Communications was merged into it):",
        "  fewer, more automatically measured indicators, still 1,000 points. Its structure is illustrative: the eight",
        "  main indicators and maxima of 2022, with two to five indicators each (appraised points, `rule: {type: score}`).",
        "* DTI 2025 (`bkhcn-dti-province-2025`): illustrative, the same main indicators and maxima on the 34 provinces,",
        "  indicators of the two-tier local government (commune-level connections, procedures received regardless of",
        "  the administrative boundary).", "",
        "### Submissions", "", "| file | layout | what it holds |", "|---|---|---|",
        f"| `2024/{sub_paths[0].name}` | long CSV, comma, decimal points, no `note` | the 63 provinces valid in 2024, DTI 2024 |",
        f"| `2025/{sub_paths[1].name}` | long CSV, comma, decimal points, no `note` | the 34 provinces valid in 2025, DTI 2025 |",
        "",
        "Every province valid in the year has exactly one value for every indicator of its framework, within the",
        "indicator's maximum (nothing is quarantined). Every 2024 total is a multiple of 0.1 point, so each 2024 index",
        "(total / 1000) is an exact 4-decimal value.", "",
        "### Published vs illustrative", "",
        "These come out of the files **exactly** (index = total / 1000, 4 decimals half up; ranks on the exact index,",
        "standard competition ranking; restated: a successor's index is the unweighted mean of its predecessors' exact",
        "indices, a province with no lineage row keeps its own, ranked among the 34 on the exact mean):", "",
        "| figure | source |", "|---|---|",
        "| DTI 2024 on the 63: " + "; ".join(f"`{c}` {n24(c)} " + (f"{v}, " if v else "") + ordinal(p) for c, v, p in PUB_63) + " | QĐ 405/QĐ-BKHCN (3/4/2025), DTI 2024 of the 63 provinces |",
        "| DTI 2024 restated on the 34: " + "; ".join(f"`{c}` {n25(c)} " + (f"{v}, " if v else "") + ordinal(p) for c, v, p in PUB_34)
        + "; Đà Nẵng 0.7069 = (0.8335 + 0.5803) / 2 (old Đà Nẵng and Quảng Nam) | the Ministry published the DTI 2024 on both bases (QĐ 405/QĐ-BKHCN; national press) |",
        "",
        "**Illustrative**: every other index and rank, the indices of the published ranks that have no published value,",
        "all points below the totals, both frameworks below the main indicators, the whole DTI 2025. The chosen 2024",
        "indices of the published provinces and of their predecessors:", "",
        "| 2025 unit | restated 2024 (rank of 34) | predecessors: index 2024 (rank of 63) |", "|---|---|---|"]
    for s in by(rs)[:7] + ["48"]:
        lines.append(f"| `{s}` {n25(s)} | {idx(rs[s])} ({rs[s]['rank']}) | "
                     + " + ".join(f"`{p}` {n24(p)} {idx(e24[p])} ({e24[p]['rank']})" for p in rs[s]["from"]) + " |")
    lines += [
        "",
        "How they were chosen: the published indices are set (Đà Nẵng 833.5 points, Hà Nội 824.1, Thừa Thiên Huế 795.1,",
        f"Quảng Nam 580.3), TP.HCM first ({idx(e24['79'])}) and Hải Phòng third ({idx(e24['31'])}); Hải Dương",
        f"({idx(e24['30'])}) is chosen so that Hải Phòng + Hải Dương = 1.5714 (restated 0.7857 exactly), Bà Rịa - Vũng",
        f"Tàu ({idx(e24['77'])}) and Bình Dương ({idx(e24['74'])}, {ordinal(e24['74']['rank'])} of 63) so that the three of TP.HCM add up to",
        "2.3310 (0.7770 exactly). Thanh Hóa, Điện Biên and Hà Tĩnh (unchanged, so restated on their own) are set",
        "between TP.HCM's 0.7770 and the rest; nine provinces of 2025 get distinct means between Hà Tĩnh and Đà Nẵng's",
        "0.7069 (8th–16th), the seventeen others below (18th–34th), split over their predecessors; six predecessors",
        "(" + ", ".join(f"`{c}` {n24(c)}" for c in LOW_63) + ") are set below Quảng Nam, which is then 57th of the 63.",
        "No two provinces share an exact index on either basis. DTI 2025: first "
        + ", ".join(f"`{u}` {n25(u)} {idx(e25[u])}" for u in by(e25)[:5])
        + f"; last `{by(e25)[-1]}` {n25(by(e25)[-1])} {idx(e25[by(e25)[-1]])}. Hà Nội is {ordinal(e25['01']['rank'])} in 2025"
        + f" after 1st in the restated 2024, Huế {ordinal(e25['46']['rank'])} after 2nd: the year-over-year change of"
        " rank compares 2025 with the restated 2024.", ""]
    wrapped = []
    for line in lines:  # prose at most 118 characters a line; tables as they are
        indent = "  " if line.startswith(("* ", "  ")) else ""
        wrapped += textwrap.wrap(line, 118, subsequent_indent=indent, break_on_hyphens=False) \
            if len(line) > 118 and not line.startswith("|") else [line]
    return "\n".join(wrapped)


def ordinal(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def put_section(out, text):
    """Replace the section "## The 2025 reform" of OUTDIR/README.md (to the next "## " or the end),
    or append it; without a README.md, write OUTDIR/README_reform.md."""
    path = out / "README.md"
    if not path.is_file():
        (out / "README_reform.md").write_text(text, encoding="utf-8")
        return out / "README_reform.md"
    old = path.read_text(encoding="utf-8")
    head, mark, tail = old.partition("## The 2025 reform\n")
    rest = tail[tail.find("\n## ") + 1:] if mark and "\n## " in tail else ""
    path.write_text(head.rstrip("\n") + "\n\n" + text + ("\n" + rest if rest else ""), encoding="utf-8")
    return path


# ---------------------------------------------------------------- main
def main(argv):
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    out, rng = Path(argv[1]), random.Random(SEED)
    rows = pre_reform(read_rows(REPO / "data" / "units" / "units.csv"))
    write_csv(out / "units" / "units.csv", [HEADER] + reform_registry(rows))
    write_csv(out / "units" / "lineage.csv", [["predecessor_code", "successor_code", "year"]] + lineage_rows())
    valid = lambda year: sorted(r[0] for r in reform_registry(rows)
                                if r[2] == "province" and int(r[4]) <= year <= int(r[5] or 9999))
    fw24, fw25 = fw_2024(), fw_2025()
    subs24, idx24, attempts = gen_2024(rng, fw24, valid(2024))
    subs25 = gen_2025(rng, fw25, valid(2025), idx24)
    fw_paths, sub_paths = [], []
    for fw, subs, name in ((fw24, subs24, "2024/mic_dti_tinh_2024.csv"), (fw25, subs25, "2025/bkhcn_dti_tinh_2025.csv")):
        fw_paths.append(dc.write_framework(out, fw))
        sub_paths.append(out / "submissions" / name)
        dc.write_submissions(sub_paths[-1], [(fw, subs)])
    ok, checks, res = verify(out, fw_paths, sub_paths)
    dc.print_table(checks)
    where = put_section(out, readme([fw24, fw25], sub_paths, res))
    print(f"\nunits/units.csv, units/lineage.csv, {len(fw_paths)} frameworks, {len(sub_paths)} submission files in {out};"
          f" README section in {where} (2024 indices found at attempt {attempts})")
    print("all published figures hold" if ok else "SOME FIGURES DO NOT HOLD")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
