"""Explorers: pure filters tested alone, then the widget app driven as a reader would."""

from __future__ import annotations

import pytest

from briefing import controls, tidy


@pytest.fixture(scope="module")
def rows():
    return tidy.timeline_frame()


def test_select_timeline_filters_by_years_lanes_and_text(rows):
    in_years = tidy.select_timeline(rows, tidy.TimelineFilter(year_from=2015, year_to=2017))
    assert in_years["date"].dt.year.between(2015, 2017).all() and len(in_years) < len(rows)
    lane = tidy.select_timeline(rows, tidy.TimelineFilter(lanes=(tidy.INCIDENT_LANE,)))
    assert set(lane["record_type"]) == {"incident"}
    text = tidy.select_timeline(rows, tidy.TimelineFilter(text="notpetya"))
    assert len(text) and text["label"].str.cat(text["summary"], sep=" ").str.contains("(?i)notpetya").all()
    assert tidy.select_timeline(rows, tidy.TimelineFilter()).equals(rows)


def test_record_details_of_an_incident_lists_the_responses():
    details = tidy.record_details("notpetya_2017", "incident")
    assert details["record"]["name"]
    assert details["sources"] and details["sources"][0]["title"]
    assert any(r["category"] in ("attribution", "joint_attribution", "sanctions") for r in details["related"])


@pytest.fixture()
def explorer():
    return controls.TimelineExplorer.from_package()


def _shown(explorer):
    return sum(len(t.y) for t in explorer.figure.data)


def test_explorer_starts_with_everything_shown(explorer, rows):
    assert _shown(explorer) == len(rows)
    assert "events" in explorer.status.value


def test_changing_the_years_refills_the_same_figure(explorer):
    figure, traces = explorer.figure, explorer.figure.data
    explorer.year_range.value = (2016, 2018)
    assert explorer.figure is figure and explorer.figure.data == traces  # updated, not rebuilt
    years = {x.year for t in explorer.figure.data if t.meta["precision"] == "day" for x in t.x}
    assert years and years <= {2016, 2017, 2018}
    assert _shown(explorer) == len(explorer.selection)


def test_a_search_with_no_match_shows_the_empty_state_and_reset_restores(explorer, rows):
    explorer.search.value = "zzz-no-such-thing"
    assert _shown(explorer) == 0
    assert controls.TimelineExplorer.EMPTY_MESSAGE in explorer.status.value
    explorer.reset_button.click()
    assert _shown(explorer) == len(rows) and explorer.search.value == ""


def test_clicking_a_point_fills_the_details_panel(explorer):
    explorer.search.value = "NotPetya"
    trace = next(t for t in explorer.figure.data if len(t.y))
    from plotly.callbacks import InputDeviceState, Points

    # The same dispatch plotly's front end triggers on a click, through the registered callback.
    points = Points(point_inds=[0], xs=[trace.x[0]], ys=[trace.y[0]], trace_name=trace.name, trace_index=0)
    trace._dispatch_on_click(points, InputDeviceState())
    assert "<h4>" in explorer.details.value and "href=" in explorer.details.value
