"""Charts: assertions on fig.data and fig.layout, never on pixels."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import pytest

from briefing import charts, data, law, theme, tidy


@pytest.fixture(scope="module")
def timeline_rows():
    return tidy.timeline_frame()


def _points(fig, precision):
    return sum(len(t.y) for t in fig.data if t.meta["precision"] == precision)


def test_timeline_draws_every_row_once_in_its_lane(timeline_rows):
    fig = charts.timeline(timeline_rows)
    assert _points(fig, "day") + _points(fig, "span") == len(timeline_rows)
    lanes = {t.meta["lane"] for t in fig.data}
    assert lanes == set(timeline_rows["lane"])
    assert tidy.INCIDENT_LANE in lanes
    assert fig.layout.template.layout.colorway == tuple(theme.PALETTE)


def test_year_precision_rows_span_their_year_and_are_not_drawn_as_days(timeline_rows):
    fig = charts.timeline(timeline_rows)
    year_rows = timeline_rows[timeline_rows["date_precision"] == "year"]
    assert len(year_rows), "the data has year-precision rows to draw"
    spans = [t for t in fig.data if t.meta["precision"] == "span"]
    assert all(t.type == "bar" for t in spans)
    widths_days = {round(width / 86_400_000) for t in spans for width in t.x}
    assert widths_days <= {28, 29, 30, 31, 365, 366}
    day_ids = {row[0] for t in fig.data if t.meta["precision"] == "day" for row in t.customdata}
    assert not day_ids & set(year_rows["record_id"])


def test_hover_text_is_escaped():
    frame = tidy.timeline_frame().head(3).copy()
    frame.loc[frame.index[0], "label"] = "<script>alert(1)</script>"
    fig = charts.timeline(frame)
    labels = [row[2] for t in fig.data for row in t.customdata]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in labels
    assert not any("<script>" in label for label in labels)


_EVERY_CHART = {
    "timeline": lambda t, a: charts.timeline(tidy.timeline_frame(t), as_of=a),
    "forum_landscape": lambda t, a: charts.forum_landscape(t["forums"], as_of=a),
    "forum_positions": lambda t, a: charts.forum_positions(t["forums"], as_of=a),
    "incidents_by_year": lambda t, a: charts.incidents_by_year(t["incidents"], as_of=a),
    "incidents_by_category": lambda t, a: charts.incidents_by_category(
        t["incident_sectors"], category="sector", title="By sector", as_of=a
    ),
    "norms_matrix": lambda t, a: charts.norms_matrix(tidy.norms_crosswalk_frame(t), as_of=a),
    "participation_map": lambda t, a: charts.participation_map(
        tidy.members_as_of(tidy.participation_frame(t), forum_id="budapest_convention"), as_of=a
    ),
    "participation_overlap": lambda t, a: charts.participation_overlap(
        tidy.overlap_frame(tidy.participation_frame(t), ["paris_call", "budapest_convention"]), as_of=a
    ),
    "recommendations_flow": lambda t, a: charts.recommendations_flow(tidy.recommendations_frame(t), as_of=a),
    "positions_grid": lambda t, a: charts.positions_grid(law.positions_frame(t), as_of=a),
    "positions_map": lambda t, a: charts.positions_map(law.positions_frame(t), question="ihl", as_of=a),
    "positions_timeline": lambda t, a: charts.positions_timeline(law.positions_frame(t), as_of=a),
    "incident_norm_links": lambda t, a: charts.incident_norm_links(law.incident_norms_frame(t), as_of=a),
    "attributions_directions": lambda t, a: charts.attributions_directions(t["attributions"], t["incidents"], as_of=a),
    "un_votes_over_time": lambda t, a: charts.un_votes_over_time(t["un_votes"], as_of=a),
}


def test_the_source_line_check_covers_every_chart_function():
    import inspect

    figures = {
        name
        for name in charts.__all__
        if callable(getattr(charts, name))
        and inspect.signature(getattr(charts, name)).return_annotation in ("go.Figure", go.Figure)
    }
    assert figures == set(_EVERY_CHART)


@pytest.mark.parametrize("name", sorted(_EVERY_CHART))
def test_every_chart_carries_a_source_line(name):
    fig = _EVERY_CHART[name](data.load_all(), data.as_of())
    line = theme.source_line_of(fig)
    assert line and line.startswith("Source: ") and data.as_of() in line and theme.KIT_CREDIT in line
    assert fig.layout.title.text


def test_timeline_with_no_rows_says_so():
    fig = charts.timeline(tidy.timeline_frame().iloc[0:0])
    assert any("Nothing matches" in (a.text or "") for a in fig.layout.annotations)


def test_forum_landscape_runs_open_forums_to_the_as_of_date():
    forums = data.load("forums")
    fig = charts.forum_landscape(forums, as_of="2026-11-23")
    drawn = sum(len(t.y) for t in fig.data if t.type == "bar")
    assert drawn == forums["start_date"].notna().sum()
    still_open = set(forums.loc[forums["start_date"].notna() & forums["end_date"].isna(), "forum_id"])
    assert still_open, "the data has forums still running"
    ends = {
        row[0]: pd.Timestamp(base) + pd.Timedelta(milliseconds=width)
        for trace in fig.data
        if trace.type == "bar"
        for row, base, width in zip(trace.customdata, trace.base, trace.x)
    }
    assert still_open <= set(ends), "every running forum is drawn"
    assert {ends[forum_id] for forum_id in still_open} == {pd.Timestamp("2026-11-23")}


def test_incidents_by_year_counts_each_incident_once():
    incidents = data.load("incidents")
    fig = charts.incidents_by_year(incidents)
    assert sum(sum(t.y) for t in fig.data) == len(incidents)
    assert fig.layout.barmode == "stack"


def test_format_date_never_claims_more_precision_than_known():
    day = pd.Timestamp("2017-06-27")
    assert charts.format_date(day, "year") == "2017"
    assert charts.format_date(day, "month") == "Jun 2017"
    assert charts.format_date(day, "day") == "27 Jun 2017"


def test_forum_positions_places_every_forum_with_a_known_binding_status():
    forums = data.load("forums")
    fig = charts.forum_positions(forums)
    placed = [row[0] for t in fig.data for row in t.customdata]
    assert sorted(placed) == sorted(forums.loc[forums["binding"].notna(), "forum_id"])
    binding = set(forums.loc[forums["binding"] == True, "forum_id"])  # noqa: E712
    for trace in fig.data:
        for y, row in zip(trace.y, trace.customdata):
            assert (y > 0.5) == (row[0] in binding)
    if forums["binding"].isna().any():
        assert "not placed" in fig.layout.title.text


def test_norms_matrix_counts_each_framework_theme_pair():
    crosswalk = tidy.norms_crosswalk_frame()
    fig = charts.norms_matrix(crosswalk)
    heatmap = fig.data[0]
    expected = crosswalk.groupby(["theme", "framework"])["norm_id"].nunique()
    for i, theme_name in enumerate(heatmap.y):
        for j, framework in enumerate(heatmap.x):
            value = heatmap.z[i][j]
            count = expected.get((html.unescape(theme_name), html.unescape(framework)))
            assert (value != value and count is None) or value == count  # NaN marks an empty cell


def test_participation_map_by_year_shows_only_states_joined_by_then():
    participation = tidy.participation_frame()
    budapest = tidy.members_as_of(participation, forum_id="budapest_convention")
    fig = charts.participation_map(budapest, year=2010)
    shown = fig.data[1].meta["countries"]
    joined = budapest[budapest["date"].dt.year <= 2010]
    assert sorted(shown) == sorted(joined["country_iso3"]) and len(shown) < len(budapest)
    assert "no confirmed date" in fig.layout.title.text
    assert "Natural Earth" in theme.source_line_of(fig)


def test_maps_need_nothing_from_the_web():
    fig = charts.participation_map(tidy.members_as_of(tidy.participation_frame(), forum_id="osce"))
    assert not any(t.type in ("choropleth", "scattergeo") for t in fig.data)
    assert all(t.type == "scatter" for t in fig.data)


def test_recommendations_flow_carries_every_recommendation_once():
    frame = tidy.recommendations_frame()
    fig = charts.recommendations_flow(frame)
    assert sum(fig.data[0].link.value) == len(frame)
    assert set(frame["theme"]) <= set(fig.data[0].node.label)


def test_incidents_by_category_counts_incidents_not_rows():
    sectors = data.load("incident_sectors")
    fig = charts.incidents_by_category(sectors, category="sector", title="By sector")
    assert (
        dict(zip([c[0] for c in fig.data[0].customdata], fig.data[0].x))
        == sectors.groupby("sector")["incident_id"].nunique().to_dict()
    )


# ---- Publication quality (issue 13): colours, legends, empty states, axes --------------------

# Machado, Oliveira & Fernandes (2009), full severity, applied in linear RGB.
_CVD = {
    "normal": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _lab(hex_colour, matrix):
    import numpy as np

    srgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(np.array(matrix) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _colours_by_name(fig):
    return {t.name: (t.marker.color, getattr(t.marker, "symbol", None)) for t in fig.data if t.name}


@pytest.mark.parametrize("vision", sorted(_CVD))
def test_the_categorical_palette_stays_distinct_for_colour_blind_readers(vision):
    import itertools

    import numpy as np

    assert len(theme.CATEGORICAL) >= 17, "enough for the largest category list (forum-kind lanes)"
    assert len(set(theme.CATEGORICAL)) == len(theme.CATEGORICAL)
    labs = [_lab(c, _CVD[vision]) for c in theme.CATEGORICAL]
    closest = min(np.linalg.norm(a - b) for a, b in itertools.combinations(labs, 2))
    assert closest >= 10, f"two colours nearly merge under {vision} (delta E {closest:.1f})"


def _every_incident_type():
    """The curated incidents, plus one made-up incident of every declared type the data lacks."""
    incidents = data.load("incidents")
    missing = [t for t in data.enum("incidents", "incident_type") if t not in set(incidents["incident_type"])]
    extra = incidents.head(len(missing)).assign(incident_type=missing, incident_id=[f"made_up_{t}" for t in missing])
    return pd.concat([incidents, extra], ignore_index=True)


def test_every_incident_type_has_its_own_colour_and_keeps_it_under_any_filter():
    incidents = _every_incident_type()
    declared = data.enum("incidents", "incident_type")
    full = _colours_by_name(charts.incidents_by_year(incidents))
    assert len(full) == len(declared) == len({colour for colour, _ in full.values()})
    assert full["Wiper"] != full["DDoS"]
    for kept in (["ransomware"], ["wiper", "ddos"], ["ddos"], declared[5:]):
        filtered = charts.incidents_by_year(incidents[incidents["incident_type"].isin(kept)])
        assert {name: full[name] for name in _colours_by_name(filtered)} == _colours_by_name(filtered)
    in_2016_18 = tidy.select_incidents(incidents, tidy.IncidentFilter(year_from=2016, year_to=2018))
    assert all(full[n] == c for n, c in _colours_by_name(charts.incidents_by_year(in_2016_18)).items())


@pytest.mark.parametrize("lanes", ["category", "forum_kind"])
def test_timeline_lanes_have_distinct_colours_that_do_not_change_with_the_filter(lanes):
    rows = tidy.timeline_frame(lanes=lanes)

    def lane_colours(fig):
        return {t.meta["lane"]: t.marker.color for t in fig.data if t.meta["precision"] == "day"}

    full = lane_colours(charts.timeline(rows))
    assert len(set(full.values())) == len(full) == rows["lane"].nunique()
    for choice in (
        tidy.TimelineFilter(year_from=2016, year_to=2018),
        tidy.TimelineFilter(record_types=("event",)),
        tidy.TimelineFilter(lanes=(sorted(full)[-1],)),
    ):
        filtered = lane_colours(charts.timeline(tidy.select_timeline(rows, choice)))
        assert filtered and filtered == {lane: full[lane] for lane in filtered}
    if lanes == "category":
        attribution = lane_colours(charts.timeline(rows[rows["date"].dt.year.between(2016, 2018)]))["Attribution"]
        assert attribution == full["Attribution"]


def test_forum_kinds_keep_their_colour_and_the_legend_names_every_kind_placed():
    forums = data.load("forums")
    full = charts.forum_positions(forums)
    placed = forums[forums["binding"].notna()]
    legend = [t.name for t in full.data if t.showlegend is not False]
    assert sorted(legend) == sorted(data.labels("forums", "kind")[k] for k in placed["kind"].unique())
    assert len(set(_colours_by_name(full).values())) == len(legend)
    assert len({colour for colour, _ in _colours_by_name(full).values()}) == len(legend), (
        "colour alone tells them apart"
    )
    some = forums[forums["kind"].isin(["treaty", "ngo", "proposal"])]
    filtered = _colours_by_name(charts.forum_positions(some))
    assert filtered == {name: _colours_by_name(full)[name] for name in filtered}


def test_legends_name_exactly_the_categories_drawn():
    incidents = data.load("incidents")
    fig = charts.incidents_by_year(incidents[incidents["incident_type"].isin(["wiper", "ddos"])])
    assert sorted(t.name for t in fig.data if t.showlegend is not False) == ["DDoS", "Wiper"]
    forums = data.load("forums")
    fig = charts.forum_landscape(forums, as_of="2026-11-23")
    shown = forums[forums["start_date"].notna()]["participation"].unique()
    assert sorted(t.name for t in fig.data if t.showlegend is not False) == sorted(
        data.labels("forums", "participation")[p] for p in shown
    )


def test_participation_and_stakeholder_colours_are_fixed_by_the_schema():
    forums = data.load("forums")
    full = _colours_by_name(charts.forum_landscape(forums, as_of="2026-11-23"))
    industry_only = _colours_by_name(
        charts.forum_landscape(forums[forums["participation"] == "industry"], as_of="2026-11-23")
    )
    assert industry_only == {"Industry": full["Industry"]}
    frame = tidy.recommendations_frame()
    sankey = charts.recommendations_flow(frame).data[0]
    every = dict(zip(sankey.node.label, sankey.node.color))
    one = charts.recommendations_flow(frame[frame["group"] == "civil_society"]).data[0]
    assert one.node.color[0] == every["Civil society"]


_EMPTY_CASES = [
    ("timeline", lambda t: charts.timeline(tidy.timeline_frame(t).iloc[0:0])),
    ("incidents_by_year", lambda t: charts.incidents_by_year(t["incidents"].iloc[0:0])),
    (
        "incidents_by_category",
        lambda t: charts.incidents_by_category(t["incident_sectors"].iloc[0:0], category="sector", title="By sector"),
    ),
    ("forum_landscape", lambda t: charts.forum_landscape(t["forums"].iloc[0:0])),
    ("forum_positions", lambda t: charts.forum_positions(t["forums"].iloc[0:0])),
    ("norms_matrix", lambda t: charts.norms_matrix(tidy.norms_crosswalk_frame(t).iloc[0:0])),
    ("recommendations_flow", lambda t: charts.recommendations_flow(tidy.recommendations_frame(t).iloc[0:0])),
]


@pytest.mark.parametrize("name, make", _EMPTY_CASES, ids=[c[0] for c in _EMPTY_CASES])
def test_an_empty_selection_says_so_and_draws_no_made_up_axes(name, make):
    fig = make(data.load_all())
    messages = [a.text for a in fig.layout.annotations if a.name == charts.EMPTY_STATE_NAME]
    assert messages == ["Nothing matches these filters"]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.showlegend is False
    assert theme.source_line_of(fig), "an empty chart still carries its source line"


def test_an_empty_map_keeps_the_world_and_says_nothing_matches():
    osce = tidy.members_as_of(tidy.participation_frame(), forum_id="osce")
    fig = charts.participation_map(osce, year=1900)
    assert [a.text for a in fig.layout.annotations if a.name == charts.EMPTY_STATE_NAME] == [charts.EMPTY_MESSAGE]
    assert fig.data[1].meta["countries"] == []


@pytest.mark.parametrize("kept", [["ransomware"], ["defacement"], None])
def test_counts_are_drawn_on_whole_number_ticks(kept):
    incidents = data.load("incidents")
    if kept:
        incidents = incidents[incidents["incident_type"].isin(kept)]
    fig = charts.incidents_by_year(incidents)
    for axis in (fig.layout.yaxis, fig.layout.xaxis):
        assert axis.tickformat in (",d", "d") and float(axis.dtick).is_integer() and axis.dtick >= 1
    sectors = data.load("incident_sectors")
    fig = charts.incidents_by_category(
        sectors[sectors["incident_id"].isin(incidents["incident_id"])], category="sector", title="By sector"
    )
    most = max(fig.data[0].x)
    assert fig.layout.xaxis.tickformat == ",d" and float(fig.layout.xaxis.dtick).is_integer()
    assert 1 <= fig.layout.xaxis.dtick <= max(1, most), "at least two ticks, none at a half"


def test_the_lifespan_axis_fits_the_forums_and_labels_the_ones_that_began_earlier():
    forums = data.load("forums")
    fig = charts.forum_landscape(forums, as_of="2026-11-23")
    start, end = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    dated = forums["start_date"].dropna()
    assert start.year >= dated.quantile(0.1).year - 10, "the axis starts near the bulk of the forums, not 1949"
    last_end = max(forums["end_date"].max(), pd.Timestamp("2026-11-23"))  # open forums run to as_of
    assert end.year == last_end.year + 1
    earlier = forums[forums["start_date"] < start]
    labels = list(fig.layout.yaxis.categoryarray)
    for row in earlier.itertuples():
        assert f"{row.short_name} (since {row.start_date.year})" in labels
    assert len(labels) == len(dated)


def test_imported_incidents_are_drawn_hatched_beside_the_curated_ones_and_counted_apart():
    curated = data.load("incidents")
    imported = curated.head(8).assign(incident_id=lambda rows: rows["incident_id"] + "_imported", provenance="imported")
    fig = charts.incidents_by_year(pd.concat([curated.assign(provenance="curated"), imported], ignore_index=True))
    bars = [t for t in fig.data if t.type == "bar" and not (t.meta or {}).get("legend")]
    hatched = [t for t in bars if t.marker.pattern.shape]
    assert {t.meta["provenance"] for t in hatched} == {"imported"}
    assert sum(sum(t.y) for t in hatched) == len(imported)
    assert sum(sum(t.y) for t in bars if not t.marker.pattern.shape) == len(curated)
    # Each hatched bar has its type's colour; one legend key stands for every imported bar.
    colour = {t.meta["incident_type"]: t.marker.color for t in bars if not t.marker.pattern.shape}
    assert all(t.marker.color == colour[t.meta["incident_type"]] for t in hatched)
    assert [t.name for t in fig.data if t.showlegend is not False and t.marker.pattern.shape] == [
        "imported rows (hatched)"
    ]
    assert "hatched: imported rows" in fig.layout.title.text


def test_forum_subtitles_count_in_words_with_the_right_verb():
    # Issue 13: "2 forum(s) with no known start date are not shown" read as a form, not a sentence.
    forums = data.load("forums")
    undated = forums[forums["start_date"].isna()]
    unknown = forums[forums["binding"].isna()]
    assert len(undated) >= 2 and len(unknown) >= 2
    many = charts.forum_landscape(forums).layout.title.text
    one = charts.forum_landscape(pd.concat([forums[forums["start_date"].notna()], undated.iloc[:1]])).layout.title.text
    assert f"{len(undated)} forums with no known start date are not shown" in many
    assert "1 forum with no known start date is not shown" in one
    placed = charts.forum_positions(pd.concat([forums[forums["binding"].notna()], unknown.iloc[:1]])).layout.title.text
    assert "1 forum whose binding status no source confirms is not placed" in placed
    assert "(s)" not in many + one + placed
