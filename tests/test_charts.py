"""Charts: assertions on fig.data and fig.layout, never on pixels."""

from __future__ import annotations

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
    drawn = sum(len(t.y) for t in fig.data)
    assert drawn == forums["start_date"].notna().sum()
    open_forum = forums[forums["start_date"].notna() & forums["end_date"].isna()].iloc[0]
    for trace in fig.data:
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
