"""The reports' charts as Vega-Lite specifications, written as plain dicts.

Charts are drawn in the browser by the Vega bundle embedded in each report (see
`vega_bundle`), so a report needs no network when it is opened. Figures are plotted as
floats: a chart shows shapes; the exact numbers are in the tables and the text.

The specs are written out directly, not built with Altair: Altair validates every chart
and every channel against the Vega-Lite schema as it builds them, which was most of the
time it took to publish a national run's 600 reports. tests/test_reports.py validates the
specs of real reports against the Vega-Lite schema instead.
"""

import os
import tempfile
from pathlib import Path

from . import content, vietnamese

# The Vega-Lite version the specs are written for; `vega_bundle` embeds the same minor release.
VEGA_LITE_VERSION = "v6.4.1"
SCHEMA_URL = f"https://vega.github.io/schema/vega-lite/{VEGA_LITE_VERSION}.json"

# The bands' usual colours; unknown labels get the scheme's.
RATING_COLOURS = {
    "Tốt": "#2e7d32",
    "Khá": "#1e88e5",
    "Trung bình": "#f9a825",
    "Yếu": "#c62828",
    content.NOT_RANKED: "#9e9e9e",
}
FONT = "DejaVu Sans, Arial, sans-serif"
TYPES = {"N": "nominal", "Q": "quantitative"}


def _float(value):
    return None if value is None else float(value)


def _channel(shorthand: str, **options) -> dict:
    """A field channel from its shorthand, "Năm:N" → {"field": "Năm", "type": "nominal"}."""
    field, _, type_code = shorthand.rpartition(":")
    return {"field": field, "type": TYPES[type_code], **options}


def _tooltip(*fields) -> list[dict]:
    """Tooltip channels: shorthands, or channels already made (to give a title)."""
    return [_channel(f) if isinstance(f, str) else f for f in fields]


def _top_level(spec: dict, values: list[dict]) -> dict:
    """A complete spec: its data, the reports' font, and the view Altair's default theme
    gives (the charts were first drawn with Altair; they look the same)."""
    return {
        "$schema": SCHEMA_URL,
        "config": {"view": {"continuousWidth": 300, "continuousHeight": 300, "stroke": None}, "font": FONT},
        "data": {"values": values},
        **spec,
    }


def _rating_scale(ratings: list[str]) -> dict:
    palette = ["#6a1b9a", "#00838f", "#8d6e63", "#546e7a"]
    colours = [RATING_COLOURS.get(r) or palette[i % len(palette)] for i, r in enumerate(ratings)]
    return {"domain": ratings, "range": colours}


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def rating_shares(year: int, group: content.Group) -> dict | None:
    """Pie charts of the rating shares, last year beside this year (Bình Định 2018). Where
    the lineage changed the group, last year's are its shares restated on this year's units
    (the marts give their shares, not their counts: each pie is drawn by its shares)."""
    before = f"Năm {year - 1}" + (" (tính lại)" if group.prev_restated else "")
    values = []
    ratings = []
    for label, rows in ((before, group.distribution_prev), (f"Năm {year}", group.distribution)):
        for row in rows:
            if row["rating"] not in ratings:
                ratings.append(row["rating"])
            if row["share_pct"]:
                values.append({
                    "Năm": label,
                    "Xếp loại": row["rating"],
                    **({"Số đơn vị": row["unit_count"]} if row["unit_count"] is not None else {}),
                    "Tỷ lệ (%)": _float(row["share_pct"]),
                    "Nhãn": f"{vietnamese.percent(row['share_pct'])}%",
                    "order": ratings.index(row["rating"]),
                })
    if not values:
        return None
    encoding = {
        "theta": _channel("Tỷ lệ (%):Q", stack=True),
        "order": _channel("order:Q"),
        "tooltip": _tooltip("Năm:N", "Xếp loại:N", "Số đơn vị:Q", _channel("Nhãn:N", title="Tỷ lệ")),
    }
    pie = {
        "mark": {"type": "arc", "outerRadius": 90, "stroke": "#fff"},
        "encoding": {**encoding, "color": _channel(
            "Xếp loại:N", scale=_rating_scale(ratings), sort=ratings,
            legend={"title": "Xếp loại", "orient": "bottom"})},
    }
    labels = {
        "mark": {"type": "text", "radius": 112, "fontSize": 12},
        "encoding": {**encoding, "text": _channel("Nhãn:N"), "color": {"value": "#333"}},
    }
    return _top_level({
        "facet": {"column": _channel("Năm:N", title=None, sort=[before, f"Năm {year}"],
                                     header={"labelFontSize": 14})},
        "spec": {"layer": [pie, labels], "width": 240, "height": 240},
        "title": f"Tỷ lệ xếp loại – {group.label}",
    }, values)


def scores(group: content.Group, national: bool = False) -> dict | None:
    """A bar per unit, in rank order: its percentage (its index in a national or DTI
    report), coloured by its rating (in a provincial report whose framework has bands)."""
    by_index = national or group.dti
    field, title = (("Chỉ số", "Chỉ số DTI" if group.dti else "Chỉ số tổng thể") if by_index
                    else ("Tỷ lệ (%)", "Tỷ lệ điểm đạt (%)"))
    values = []
    for row in group.rows:
        figure = row["index"] if by_index else row["score_pct"]
        values.append({
            "Đơn vị": row["unit_name"],
            field: _float(figure),
            "Nhãn": vietnamese.fixed(figure, 4 if by_index else 2),
            **({"Xếp loại": row["rating"] or content.NOT_RANKED} if group.rated else {}),
            "Xếp hạng": row["rank"],
        })
    if not values:
        return None
    encoding = {
        # an explicit order: the rows come in rank order (unranked last)
        "y": _channel("Đơn vị:N", sort=_unique(v["Đơn vị"] for v in values), title=None,
                      axis={"labelLimit": 320}),
        "x": _channel(f"{field}:Q", title=title, scale={"domain": [0, 1] if by_index else [0, 100]}),
        # a framework without bands gives no rating to speak of
        "tooltip": _tooltip("Đơn vị:N", _channel("Nhãn:N", title=title),
                            *(["Xếp loại:N"] if group.rated else []), "Xếp hạng:Q"),
    }
    if national or not group.rated:
        colour = {"value": "#1e88e5"}
    else:
        ratings = _unique(v["Xếp loại"] for v in values)
        colour = _channel("Xếp loại:N", scale=_rating_scale(ratings), legend={"orient": "bottom"})
    bars = {"mark": {"type": "bar"}, "encoding": {**encoding, "color": colour}}
    text = {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
            "encoding": {**encoding, "text": _channel("Nhãn:N")}}
    return _top_level({
        "layer": [bars, text],
        "width": 300 if by_index else 520,
        "height": max(60, (14 if by_index else 18) * len(values)),
        "title": f"{title} – {group.label}",
    }, values)


def category_averages(year: int, group: content.Group) -> dict | None:
    """Average index per category (a DTI's main indicator), last year beside this year
    (seed 001); last year restated on this year's units where the lineage changed the group."""
    before = str(year - 1) + (" (tính lại)" if group.prev_restated else "")
    values = []
    for a in group.averages:
        name = a["criterion_name"]
        if a["avg_index_prev"] is not None:
            values.append({"Hạng mục": name, "Năm": before, "Chỉ số trung bình": _float(a["avg_index_prev"]),
                           "Nhãn": vietnamese.index(a["avg_index_prev"])})
        if a["avg_index"] is not None:
            values.append({"Hạng mục": name, "Năm": str(year), "Chỉ số trung bình": _float(a["avg_index"]),
                           "Nhãn": vietnamese.index(a["avg_index"])})
    if not values:
        return None
    names = _unique(v["Hạng mục"] for v in values)
    years = [before, str(year)]
    return _top_level({
        "mark": {"type": "bar"},
        # categories down the side, their full names on one line each: written along a
        # horizontal axis they were slanted and cut ("…")
        "encoding": {
            "y": _channel("Hạng mục:N", sort=names, title=None, axis={"labelLimit": 0, "labelFontSize": 11}),
            "yOffset": _channel("Năm:N", sort=years),
            "x": _channel("Chỉ số trung bình:Q", scale={"domain": [0, 1]}),
            "color": _channel("Năm:N", sort=years, scale={"range": ["#90caf9", "#1565c0"]},
                              legend={"orient": "bottom", "title": None}),
            "tooltip": _tooltip("Hạng mục:N", "Năm:N", _channel("Nhãn:N", title="Chỉ số trung bình")),
        },
        "width": 320,
        "height": {"step": 13},
        "title": f"Chỉ số trung bình theo {'chỉ số chính' if group.dti else 'hạng mục'} – {group.label}",
    }, values)


def rank_movement(year: int, group: content.Group) -> dict | None:
    """Each unit's rank last year (restated on this year's units where the lineage changed the
    group) and this year: an arrow per unit, in this year's order."""
    values = [
        {
            "Đơn vị": row["unit_name"],
            "Xếp hạng": row["rank"],
            "Năm trước": row["rank_prev"],
            "Thay đổi": row["rank_change"],
            "Hướng": ("Tăng hạng" if row["rank_change"] > 0 else
                      "Giảm hạng" if row["rank_change"] < 0 else "Giữ nguyên"),
        }
        for row in group.rows
        if row["rank"] is not None and row["rank_prev"] is not None
    ]
    if not values:
        return None
    restated = " tính lại" if group.prev_restated else ""
    encoding = {
        "y": _channel("Đơn vị:N", sort=_unique(v["Đơn vị"] for v in values), title=None,
                      axis={"labelLimit": 240}),
        "color": _channel("Hướng:N", legend={"orient": "bottom", "title": None}, scale={
            "domain": ["Tăng hạng", "Giữ nguyên", "Giảm hạng"], "range": ["#2e7d32", "#757575", "#c62828"]}),
        "tooltip": _tooltip("Đơn vị:N", "Năm trước:Q", "Xếp hạng:Q", "Thay đổi:Q"),
    }
    lines = {
        "mark": {"type": "rule", "strokeWidth": 2},
        "encoding": {**encoding, "x2": {"field": "Xếp hạng"}, "x": _channel(
            "Năm trước:Q", title=f"Xếp hạng (năm {year - 1}{restated} → năm {year})",
            scale={"reverse": True, "zero": False})},
    }
    before = {"mark": {"type": "point", "filled": False, "size": 30},
              "encoding": {**encoding, "x": _channel("Năm trước:Q")}}
    after = {"mark": {"type": "point", "filled": True, "size": 50},
             "encoding": {**encoding, "x": _channel("Xếp hạng:Q")}}
    return _top_level({
        "layer": [lines, before, after],
        "width": 300,
        "height": max(60, 14 * len(values)),
        "title": f"Thay đổi thứ hạng – {group.label}",
    }, values)


def vega_bundle() -> str:
    """The JavaScript that draws the charts (vega, vega-lite, vega-embed), for the Vega-Lite
    version the specs are written for, to embed in each report.

    vl-convert takes over a second to bundle it, in every process that renders: the bundle
    is kept in the temporary directory, under the name of the versions it is made of."""
    import vl_convert

    major, minor = VEGA_LITE_VERSION.lstrip("v").split(".")[:2]
    cached = Path(tempfile.gettempdir()) / f"egov-vega-bundle-{vl_convert.__version__}-{major}.{minor}.js"
    try:
        bundle = cached.read_text(encoding="utf-8")
    except OSError:
        bundle = vl_convert.javascript_bundle(vl_version=f"{major}.{minor}")
        partial = cached.with_name(f"{cached.name}.tmp-{os.getpid()}")
        partial.write_text(bundle, encoding="utf-8")
        os.replace(partial, cached)  # whole or not at all, when two workers race
    if "</script" in bundle.lower():  # it is embedded in a <script> element as it is
        raise ValueError("the Vega bundle cannot be embedded in a <script> element")
    return bundle
