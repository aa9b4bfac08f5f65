"""The reports' charts as Vega-Lite specifications, built with Altair.

Charts are drawn in the browser by the Vega bundle embedded in each report (see
`vega_bundle`), so a report needs no network when it is opened. Figures are plotted as
floats: a chart shows shapes; the exact numbers are in the tables and the text.
"""

from . import content, vietnamese

# The bands' usual colours; unknown labels get the scheme's.
RATING_COLOURS = {
    "Tốt": "#2e7d32",
    "Khá": "#1e88e5",
    "Trung bình": "#f9a825",
    "Yếu": "#c62828",
    content.NOT_RANKED: "#9e9e9e",
}
FONT = "DejaVu Sans, Arial, sans-serif"


def _float(value):
    return None if value is None else float(value)


def _config(chart):
    return chart.configure(font=FONT).configure_view(stroke=None)


def _rating_scale(ratings: list[str]):
    import altair as alt

    palette = ["#6a1b9a", "#00838f", "#8d6e63", "#546e7a"]
    colours = [RATING_COLOURS.get(r) or palette[i % len(palette)] for i, r in enumerate(ratings)]
    return alt.Scale(domain=ratings, range=colours)


def rating_shares(year: int, group: content.Group) -> dict | None:
    """Pie charts of the rating shares, last year beside this year (Bình Định 2018)."""
    import altair as alt

    values = []
    ratings = []
    for label, rows in ((f"Năm {year - 1}", group.distribution_prev), (f"Năm {year}", group.distribution)):
        for row in rows:
            if row["rating"] not in ratings:
                ratings.append(row["rating"])
            if row["unit_count"]:
                values.append({
                    "Năm": label,
                    "Xếp loại": row["rating"],
                    "Số đơn vị": row["unit_count"],
                    "Tỷ lệ (%)": _float(row["share_pct"]),
                    "Nhãn": f"{vietnamese.percent(row['share_pct'])}%",
                    "order": ratings.index(row["rating"]),
                })
    if not values:
        return None
    base = alt.Chart(alt.Data(values=values)).encode(
        theta=alt.Theta("Số đơn vị:Q", stack=True),
        order=alt.Order("order:Q"),
        color=alt.Color("Xếp loại:N", scale=_rating_scale(ratings), sort=ratings,
                        legend=alt.Legend(title="Xếp loại", orient="bottom")),
        tooltip=["Năm:N", "Xếp loại:N", "Số đơn vị:Q", alt.Tooltip("Nhãn:N", title="Tỷ lệ")],
    )
    pie = base.mark_arc(outerRadius=90, stroke="#fff")
    labels = base.mark_text(radius=112, fontSize=12).encode(text="Nhãn:N", color=alt.value("#333"))
    chart = alt.layer(pie, labels).properties(width=240, height=240).facet(
        column=alt.Column("Năm:N", title=None, sort=[f"Năm {year - 1}", f"Năm {year}"],
                          header=alt.Header(labelFontSize=14))
    ).properties(title=f"Tỷ lệ xếp loại – {group.label}")
    return _config(chart).to_dict()


def scores(group: content.Group, national: bool = False) -> dict | None:
    """A bar per unit, in rank order: its percentage (or index), coloured by its rating."""
    import altair as alt

    field, title = ("Chỉ số", "Chỉ số tổng thể") if national else ("Tỷ lệ (%)", "Tỷ lệ điểm đạt (%)")
    values = []
    for row in group.rows:
        figure = row["index"] if national else row["score_pct"]
        values.append({
            "Đơn vị": row["unit_name"],
            field: _float(figure),
            "Nhãn": vietnamese.fixed(figure, 4 if national else 2),
            "Xếp loại": row["rating"] or content.NOT_RANKED,
            "Xếp hạng": row["rank"],
        })
    if not values:
        return None
    ratings = list(dict.fromkeys(v["Xếp loại"] for v in values))
    base = alt.Chart(alt.Data(values=values)).encode(
        # an explicit order: the rows come in rank order (unranked last)
        y=alt.Y("Đơn vị:N", sort=_unique(v["Đơn vị"] for v in values), title=None,
                axis=alt.Axis(labelLimit=320)),
        x=alt.X(f"{field}:Q", title=title, scale=alt.Scale(domain=[0, 1] if national else [0, 100])),
        tooltip=["Đơn vị:N", alt.Tooltip("Nhãn:N", title=title), "Xếp loại:N", "Xếp hạng:Q"],
    )
    bars = base.mark_bar().encode(
        color=(alt.value("#1e88e5") if national else
               alt.Color("Xếp loại:N", scale=_rating_scale(ratings), legend=alt.Legend(orient="bottom")))
    )
    text = base.mark_text(align="left", dx=3, fontSize=10).encode(text="Nhãn:N")
    chart = alt.layer(bars, text).properties(
        width=300 if national else 520, height=max(60, (14 if national else 18) * len(values)),
        title=f"{title} – {group.label}"
    )
    return _config(chart).to_dict()


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def category_averages(year: int, group: content.Group) -> dict | None:
    """Average index per category, last year beside this year (seed 001)."""
    import altair as alt

    values = []
    for a in group.averages:
        name = a["criterion_name"]
        if a["avg_index_prev"] is not None:
            values.append({"Hạng mục": name, "Năm": str(year - 1), "Chỉ số trung bình": _float(a["avg_index_prev"]),
                           "Nhãn": vietnamese.index(a["avg_index_prev"])})
        if a["avg_index"] is not None:
            values.append({"Hạng mục": name, "Năm": str(year), "Chỉ số trung bình": _float(a["avg_index"]),
                           "Nhãn": vietnamese.index(a["avg_index"])})
    if not values:
        return None
    names = list(dict.fromkeys(v["Hạng mục"] for v in values))
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=alt.X("Hạng mục:N", sort=names, title=None, axis=alt.Axis(labelAngle=-20, labelLimit=200)),
        xOffset=alt.XOffset("Năm:N", sort=[str(year - 1), str(year)]),
        y=alt.Y("Chỉ số trung bình:Q", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("Năm:N", sort=[str(year - 1), str(year)],
                        scale=alt.Scale(range=["#90caf9", "#1565c0"]), legend=alt.Legend(orient="bottom")),
        tooltip=["Hạng mục:N", "Năm:N", alt.Tooltip("Nhãn:N", title="Chỉ số trung bình")],
    ).properties(width=max(360, 90 * len(names)), height=260,
                 title=f"Chỉ số trung bình theo hạng mục – {group.label}")
    return _config(chart).to_dict()


def rank_movement(year: int, group: content.Group) -> dict | None:
    """Each unit's rank last year and this year: an arrow per unit, in this year's order."""
    import altair as alt

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
    y = alt.Y("Đơn vị:N", sort=_unique(v["Đơn vị"] for v in values), title=None,
              axis=alt.Axis(labelLimit=240))
    colour = alt.Color("Hướng:N", scale=alt.Scale(
        domain=["Tăng hạng", "Giữ nguyên", "Giảm hạng"], range=["#2e7d32", "#757575", "#c62828"]),
        legend=alt.Legend(orient="bottom", title=None))
    tooltip = ["Đơn vị:N", "Năm trước:Q", "Xếp hạng:Q", "Thay đổi:Q"]
    data = alt.Data(values=values)
    lines = alt.Chart(data).mark_rule(strokeWidth=2).encode(
        y=y, x=alt.X("Năm trước:Q", title=f"Xếp hạng (năm {year - 1} → năm {year})",
                     scale=alt.Scale(reverse=True, zero=False)),
        x2="Xếp hạng:Q", color=colour, tooltip=tooltip)
    before = alt.Chart(data).mark_point(filled=False, size=30).encode(
        y=y, x="Năm trước:Q", color=colour, tooltip=tooltip)
    after = alt.Chart(data).mark_point(filled=True, size=50).encode(
        y=y, x="Xếp hạng:Q", color=colour, tooltip=tooltip)
    chart = alt.layer(lines, before, after).properties(
        width=300, height=max(60, 14 * len(values)), title=f"Thay đổi thứ hạng – {group.label}")
    return _config(chart).to_dict()


def vega_bundle() -> str:
    """The JavaScript that draws the charts (vega, vega-lite, vega-embed), for the Vega-Lite
    version this Altair writes, to embed in each report."""
    import altair as alt
    import vl_convert

    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    bundle = vl_convert.javascript_bundle(vl_version=f"{major}.{minor}")
    if "</script" in bundle.lower():  # it is embedded in a <script> element as it is
        raise ValueError("the Vega bundle cannot be embedded in a <script> element")
    return bundle
