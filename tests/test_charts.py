"""Charts: assertions on fig.data and fig.layout, never on pixels."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from briefing import charts, data, theme, tidy


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


def test_every_chart_carries_a_source_line():
    tables = data.load_all()
    figures = [
        charts.timeline(tidy.timeline_frame(tables), as_of=data.as_of()),
        charts.forum_landscape(tables["forums"], as_of=data.as_of()),
        charts.incidents_by_year(tables["incidents"], as_of=data.as_of()),
    ]
    for fig in figures:
        line = theme.source_line_of(fig)
        assert line.startswith("Source: ") and data.as_of() in line and theme.KIT_CREDIT in line
        assert fig.layout.title.text


def test_timeline_with_no_rows_says_so():
    fig = charts.timeline(tidy.timeline_frame().iloc[0:0])
    assert any("Nothing matches" in (a.text or "") for a in fig.layout.annotations)


def test_forum_landscape_runs_open_forums_to_the_as_of_date():
    forums = data.load("forums")
    fig = charts.forum_landscape(forums, as_of="2026-11-23")
    drawn = sum(len(t.y) for t in fig.data if t.type == "bar")
    assert drawn == forums["start_date"].notna().sum()
    open_forum = forums[forums["start_date"].notna() & forums["end_date"].isna()].iloc[0]
    for trace in (t for t in fig.data if t.type == "bar"):
        for name, base, width in zip(trace.y, trace.base, trace.x):
            if name == open_forum["short_name"]:
                end = pd.Timestamp(base) + pd.Timedelta(milliseconds=width)
                assert end == pd.Timestamp("2026-11-23")


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
    assert dict(zip([c[0] for c in fig.data[0].customdata], fig.data[0].x)) == \
        sectors.groupby("sector")["incident_id"].nunique().to_dict()
