"""What the demo scripts share (scripts/dti_demo.py, scripts/reform_demo.py): framework trees
written as outlines, points spread exactly over a tree, framework YAML and long CSVs written and
read back, every unit scored on its own (SPEC §4) and the table of checks printed.

Exact decimals throughout (60 digits); stdlib only. YAML is written as text and read back by a
reader for exactly the subset emit_yaml writes.
"""
import decimal
import json
import re
import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_UP
from decimal import Decimal as D
from fractions import Fraction

decimal.getcontext().prec = 60
HALF, CENT = D("0.00005"), D("0.01")
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


def q4(x) -> D:
    """Half-up to 4 decimals, as the DTI prints its values (x a Decimal or a Fraction)."""
    if isinstance(x, Fraction):
        x = D(x.numerator) / D(x.denominator)
    return x.quantize(D("0.0001"), ROUND_HALF_UP)


# ---------------------------------------------------------------- framework trees
def I(name, mx):  # noqa: E743 (short, as the trees read)  an indicator: appraised points, rule `score`
    return {"name": name, "max": D(mx)}


def C(name, mx, *children, note=None):  # a criterion: sub-criteria or indicators
    return {"name": name, "max": D(mx), "children": list(children), "note": note}


def is_crit(node):
    return "children" in node


def number(node, code):
    """Codes follow the tree: NT → NT.1 → NT.1.2 → NT.1.2.1."""
    node["code"] = code
    for i, child in enumerate(node.get("children", ()), 1):
        number(child, f"{code}.{i}")
    return node


def mains(*items):
    return [number(node, code) for code, node in items]


def leaves(node):
    return [node] if not is_crit(node) else [x for c in node["children"] for x in leaves(c)]


def framework(code, title, evaluator, unit_type, year, criteria, **more):
    return {"code": code, "title": title, "evaluator": evaluator, "unit_type": unit_type,
            "years": [year], "criteria": criteria, **more}


def outline(text):
    """Main indicators written one node a line: `CODE name | max` at the margin, then
    `name | max` (and `| note` for a criterion) two spaces deeper a level. A line with deeper
    lines under it is a criterion, the others are indicators. Returns [(code, node)] for mains()."""
    lines = [line for line in text.splitlines() if line.strip()]
    depth = [(len(line) - len(line.lstrip())) // 2 for line in lines]
    items, stack = [], []  # stack: the open criteria, one a level
    for i, line in enumerate(lines):
        name, mx, *note = line.strip().split(" | ")
        if i + 1 < len(lines) and depth[i + 1] > depth[i]:
            node = C(name, mx, note=note[0] if note else None)
        else:
            node = I(name, mx)
        del stack[depth[i]:]
        if depth[i]:
            stack[-1]["children"].append(node)
        else:
            code, node["name"] = name.split(" ", 1)
            items.append((code, node))
        if is_crit(node):
            stack.append(node)
    return items


PILLARS_22 = [("CQS", "Chính quyền số", "HD_CQS"), ("KTS", "Kinh tế số", "HD_KTS"),
              ("XHS", "Xã hội số", "HD_XHS")]


def pillars_22():
    return [(c, n, ["NT", "TC", "HT", "NL", "ATTT", act]) for c, n, act in PILLARS_22]


TIERS = ["79 22 01 31 74 48 46 27 92".split(),  # the usual leaders
         "75 77 56 26 24 37 80 87 19 38 15 40 33 10".split(),  # industrial provinces, regional centres
         [],  # everyone else
         "02 04 06 11 12 14 17 62 64 67 93 94 95 84 58 45 54 83".split()]  # mountainous, poorer provinces


def strength(rng, codes):
    """A plausible strength of each province, lower is stronger: four tiers that overlap a little."""
    tier = lambda c: next((i for i, t in enumerate(TIERS) if c in t), 2)
    return {c: tier(c) + rng.uniform(0, 1.6) for c in codes}


# ---------------------------------------------------------------- points
def capacity(node, na):
    """The points a node can take for a unit: its applicable max (0: not applicable)."""
    if node["code"] in na:
        return D(0)
    if not is_crit(node):
        return node["max"]
    return min(node["max"], sum(capacity(c, na) for c in node["children"]))


def allocate(rng, target, caps, weights=None):
    """Shares of `target`, share i ≤ caps[i], roughly proportional to caps × weights, adding up exactly."""
    f = target / sum(caps)
    assert 0 <= f <= 1, (target, caps)
    shares = [(c * min(D(1), f * D(repr(round((weights[i] if weights else 1) * rng.uniform(0.8, 1.2), 4)))))
              .quantize(CENT, ROUND_DOWN) for i, c in enumerate(caps)]
    rest = target - sum(shares)
    room = [c - s if rest > 0 else s for c, s in zip(caps, shares)]
    if sum(room):  # first spread the rest in proportion to the room, then greedily
        part = [(abs(rest) * r / sum(room)).quantize(CENT, ROUND_DOWN) for r in room]
        shares = [s + p if rest > 0 else s - p for s, p in zip(shares, part)]
        rest = target - sum(shares)
    order = list(range(len(caps)))
    rng.shuffle(order)
    for i in order:
        step = min(rest, caps[i] - shares[i]) if rest > 0 else -min(-rest, shares[i])
        shares[i] += step
        rest -= step
    assert rest == 0 and all(0 <= s <= c for s, c in zip(shares, caps))
    return shares


def split(rng, node, target, na=frozenset(), weights=None, out=None):
    """Indicator values (code → Decimal or 'N/A') under node adding up to target, no cap biting."""
    out = {} if out is None else out
    if not is_crit(node):
        out[node["code"]] = target
        return out
    caps = [capacity(c, na) for c in node["children"]]
    live = [i for i, c in enumerate(caps) if c > 0]
    for i, child in enumerate(node["children"]):
        if caps[i] == 0:
            out.update({x["code"]: "N/A" for x in leaves(child)})
    shares = allocate(rng, target, [caps[i] for i in live], [weights[i] for i in live] if weights else None)
    for i, share in zip(live, shares):
        split(rng, node["children"][i], share, na, None, out)
    return out


def root(fw, members=None):
    kids = [c for c in fw["criteria"] if members is None or c["code"] in members]
    return {"code": "", "max": sum(c["max"] for c in kids), "children": kids}


def distinct(rng, n, lo, hi):
    """n distinct totals in [lo, hi) with two decimals, highest first."""
    return [D(c) / 100 for c in sorted(rng.sample(range(int(lo * 100), int(hi * 100)), n), reverse=True)]


# ---------------------------------------------------------------- writing
def fmt(x):
    """A value as written: decimal point, no exponent; never exactly 3 decimals (read as a thousands group)."""
    if x == "N/A":
        return x
    text = format(x.normalize(), "f") if x != x.to_integral_value() else str(int(x))
    return text + "0" if "." in text and len(text.split(".")[1]) == 3 else text


def quoted(text):
    return json.dumps(unicodedata.normalize("NFC", text), ensure_ascii=False)


def emit_yaml(fw):
    out = [f"code: {fw['code']}", f"title: {quoted(fw['title'])}", f"evaluator: {quoted(fw['evaluator'])}",
           f"unit_type: {fw['unit_type']}", f"years: [{', '.join(map(str, fw['years']))}]"]
    if fw.get("peer_group"):
        out.append(f"peer_group: {fw['peer_group']}")
    if fw.get("units"):
        out.append("units: [" + ", ".join(quoted(u) for u in fw["units"]) + "]")
    if fw.get("rating"):
        out += ["rating:                    # highest band first; a unit gets the first band it meets"]
        out += [f"  - {{label: {label}, min_pct: {pct}}}" for label, pct in fw["rating"]]
    out.append("criteria:                  # main indicators (chỉ số chính); rule score = appraised points")

    def node(n, pad):
        if not is_crit(n):
            out.append(f"{pad}- {{code: {n['code']}, name: {quoted(n['name'])}, max: {fmt(n['max'])}, rule: {{type: score}}}}")
            return
        if n.get("note"):
            out.append(f"{pad}# {n['note']}")
        out.extend([f"{pad}- code: {n['code']}", f"{pad}  name: {quoted(n['name'])}", f"{pad}  max: {fmt(n['max'])}",
                    f"{pad}  {'criteria' if is_crit(n['children'][0]) else 'indicators'}:"])
        for child in n["children"]:
            node(child, pad + "    ")
    for crit in fw["criteria"]:
        node(crit, "  ")
    if fw.get("pillars"):
        out.append("pillars:")
        out += [f"  - {{code: {c}, name: {quoted(n)}, criteria: [{', '.join(m)}]}}" for c, n, m in fw["pillars"]]
    return "\n".join(out) + "\n"


def write_submissions(path, parts):
    """One long CSV for [(framework, {unit: {indicator: value}})], units sorted, indicators in order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["unit_code,indicator_code,value"]
    for fw, subs in parts:
        codes = [x["code"] for c in fw["criteria"] for x in leaves(c)]
        lines += [f"{u},{code},{fmt(subs[u][code])}" for u in sorted(subs) for code in codes]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_framework(out, fw):
    path = out / "frameworks" / f"{fw['code']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(emit_yaml(fw), encoding="utf-8")
    return path


# ---------------------------------------------------------------- verification: re-read OUTDIR, score exactly
def scalar(text):
    if text.startswith("["):
        return [scalar(x.strip()) for x in text[1:-1].split(",")]
    if text.startswith('"'):
        return json.loads(text)
    return int(text) if text.isdigit() else text


def read_yaml(path):
    """A framework as emit_yaml writes it, read back (exactly that subset of YAML)."""
    fw = {"criteria": [], "pillars": [], "rating": [], "units": None, "peer_group": None}
    section, stack = None, []  # stack: (indent, criterion) of the open criteria
    for line in path.read_text(encoding="utf-8").splitlines():
        text = "" if line.lstrip().startswith("#") else line.split("  #")[0].strip()
        if not text:
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            section, _, value = text.partition(":")
            if value.strip():
                fw[section] = scalar(value.strip())
        elif section == "rating":
            m = re.fullmatch(r"- \{label: (.+), min_pct: (\d+)\}", text)
            fw["rating"].append((m[1], D(m[2])))
        elif section == "pillars":
            m = re.fullmatch(r'- \{code: (\S+), name: (".*"), criteria: \[(.*)\]\}', text)
            fw["pillars"].append((m[1], json.loads(m[2]), m[3].split(", ")))
        elif section == "criteria":
            m = re.fullmatch(r'- \{code: (\S+), name: (".*"), max: ([0-9.]+), rule: \{type: score\}\}', text)
            if m or text.startswith("- code: "):
                while stack and stack[-1][0] >= indent:
                    stack.pop()
                node = {"code": m[1], "name": json.loads(m[2]), "max": D(m[3])} if m else {"code": text[8:], "children": []}
                (stack[-1][1]["children"] if stack else fw["criteria"]).append(node)
                if not m:
                    stack.append((indent, node))
            elif text.startswith("name: "):
                stack[-1][1]["name"] = json.loads(text[6:])
            elif text.startswith("max: "):
                stack[-1][1]["max"] = D(text[5:])
            elif text in ("criteria:", "indicators:"):
                stack[-1][1]["holds"] = text[:-1]
            else:
                raise ValueError(f"{path}: unexpected line {line!r}")
    return fw


def score(node, values, seen):
    """(points, applicable max, applicable) of a node (SPEC §4): an N/A indicator scores 0; a
    criterion none of whose children applies does not apply; caps at every level."""
    if "children" not in node:
        v = values[node["code"]]
        result = (D(0), D(0), False) if v == "N/A" else (min(v, node["max"]), node["max"], True)
    else:
        kids = [score(c, values, seen) for c in node["children"]]
        live = [k for k in kids if k[2]]
        raw = sum(k[0] for k in live)
        result = (min(raw, node["max"]), min(node["max"], sum(k[1] for k in live)), True) if live else (D(0), D(0), False)
        seen[node["code"] + ":raw"] = raw
    seen[node["code"]] = result
    return result


def structure_problems(fw):
    """Codes, nesting and maxima of a framework read back; returns (problems, over-max criteria)."""
    problems, over, codes = [], [], []

    def walk(n):
        codes.append(n["code"])
        if not CODE.fullmatch(n["code"]) or unicodedata.normalize("NFC", n["name"]) != n["name"]:
            problems.append(f"bad code or name {n['code']}")
        if "children" in n:
            if {("children" in c) for c in n["children"]} != {n["holds"] == "criteria"}:
                problems.append(f"{n['code']} mixes criteria and indicators")
            if sum(c["max"] for c in n["children"]) != n["max"]:
                over.append(f"{n['code']} ({'+'.join(fmt(c['max']) for c in n['children'])} > {fmt(n['max'])})")
            for c in n["children"]:
                walk(c)
    for n in fw["criteria"]:
        walk(n)
    if len(codes) != len(set(codes)):
        problems.append("duplicate codes")
    tops = {n["code"] for n in fw["criteria"]}
    problems += [f"pillar {p} names an unknown criterion" for p, _, m in fw["pillars"] if not set(m) <= tops]
    return problems, over


def read_values(paths, value_pattern):
    """The long CSVs read back: ({(year, unit): {indicator: Decimal or 'N/A'}}, problems)."""
    values, problems = {}, []
    for path in paths:
        year, data = int(path.parent.name), path.read_bytes()
        rows = data.decode("utf-8").splitlines()
        if data.startswith(b"\xef\xbb\xbf") or rows[0] != "unit_code,indicator_code,value":
            problems.append(f"{path.name}: BOM or header")
        for row in rows[1:]:
            unit, indicator, value = row.split(",")
            if not re.fullmatch(value_pattern, value):
                problems.append(f"{path.name}: value {value!r}")
            unit_values = values.setdefault((year, unit), {})
            if indicator in unit_values:
                problems.append(f"{path.name}: {unit} {indicator} given twice")
            unit_values[indicator] = value if value == "N/A" else D(value)
    return values, problems


def overlapping(registry):
    """The codes whose registry rows overlap in years."""
    spans = {}
    for u in registry:
        spans.setdefault(u["code"], []).append((u["from"], u["to"]))
    return {code for code, s in spans.items() if any(a[1] >= b[0] for a, b in zip(sorted(s), sorted(s)[1:]))}


def rank(res):
    """Standard competition ranking on the exact index (ties share a rank, the next is skipped)."""
    for r in res.values():
        r["rank"] = 1 + sum(o["index"] > r["index"] for o in res.values())


def print_table(checks):
    width = max(len(w) for w, *_ in checks)
    print(f"{'figure':<{width}}  {'expected':<28}  {'computed':<28}  ok")
    for what, expected, got, ok in checks:
        print(f"{what:<{width}}  {expected:<28}  {got:<28}  {'yes' if ok else 'NO'}")


# ---------------------------------------------------------------- README
def framework_row(fw):
    """A framework's row in the READMEs' tables of frameworks."""
    def depths(n, d=0):
        return {d} if not is_crit(n) else {x for c in n["children"] for x in depths(c, d + 1)}

    d = sorted(x for c in fw["criteria"] for x in depths(c))
    group = f" (`{fw['peer_group']}`: {len(fw['units'])} units)" if fw.get("peer_group") else ""
    pillars = "; ".join(f"{c} = {' + '.join(m)}" for c, _, m in fw.get("pillars") or []) or "—"
    bands = ", ".join(f"{b} {p}" for b, p in fw["rating"]) if fw.get("rating") else "none (index and rank)"
    return (f"| `{fw['code']}` | `\"{fw['evaluator']}\"` | {fw['unit_type']}{group} | {', '.join(map(str, fw['years']))} | "
            f"{', '.join(c['code'] + ' ' + fmt(c['max']) for c in fw['criteria'])} | {fmt(root(fw)['max'])} | "
            f"{sum(len(leaves(c)) for c in fw['criteria'])} ({d[0]}{'–' + str(d[-1]) if d[-1] != d[0] else ''}) | {bands} | {pillars} |")
