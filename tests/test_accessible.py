"""A live chart's text alternative without a browser (briefing.accessible; issue 18): its name follows
the filters, its table holds the marks the kernel's figure draws, and "Open" does what a click does."""

from __future__ import annotations

import json

import pytest

from briefing.accessible import StatusLine, cell_text, chart_table, open_point, plain_text
from briefing.controls import IncidentsExplorer, NormsExplorer, TimelineExplorer


@pytest.fixture(scope="module")
def incidents():
    return IncidentsExplorer.from_package()


def _table(figure) -> dict:
    figure._briefing_table_wanted = True
    return json.loads(figure._briefing_table)


def test_cell_text_reads_as_a_reader_expects():
    assert cell_text(3.0) == "3" and cell_text(1234) == "1,234" and cell_text(None) == ""
    assert cell_text("2017-06-27T00:00:00") == "2017-06-27" and cell_text("a &amp; b") == "a & b"
    assert plain_text("<b>NotPetya</b><br>27 Jun 2017") == "NotPetya; 27 Jun 2017"


def test_a_bar_charts_table_is_its_bars_after_a_filter(incidents):
    figure = incidents.by_sector
    first = _table(figure)
    kind = incidents.type_picker.options[0][1]
    incidents.type_picker.value = (kind,)
    try:
        table = _table(figure)
        bars = [(cell_text(x), cell_text(y)) for x, y in zip(figure.data[0].x, figure.data[0].y)]
        assert [tuple(row["cells"][1:3]) for row in table["rows"]] == bars
        assert table["total"] == len(bars) < first["total"]
        # The hover label (and so the table's details) names the bar it is on, after a filter too.
        assert all(row["cells"][3].startswith(row["cells"][2] + ":") for row in table["rows"])
        assert figure._briefing_alt.startswith("Bar chart: By target sector.")
        assert f"{sum(figure.data[0].x)} items" in figure._briefing_alt
    finally:
        incidents.reset()


def test_open_does_what_a_click_on_the_mark_does(incidents):
    table = _table(incidents.by_state)
    row = table["rows"][0]
    state = row["cells"][2]
    assert open_point(incidents.by_state, row["trace"], row["point"])
    assert "<h4>" in incidents.details.value
    expected = incidents.details.value
    incidents.details.value = incidents.HINT
    incidents.show_incidents(attributed_state=incidents.by_state.data[0].customdata[row["point"]][0])
    assert incidents.details.value == expected, state


def test_a_heatmap_square_opens_by_row_and_column():
    explorer = NormsExplorer.from_package()
    rows = [row for row in _table(explorer.figure)["rows"] if row["point"] is not None]
    assert rows and all(isinstance(row["point"], list) and len(row["point"]) == 2 for row in rows)
    framework, theme = rows[0]["cells"][1], rows[0]["cells"][2]
    assert open_point(explorer.figure, rows[0]["trace"], rows[0]["point"])
    assert framework in explorer.details.value or theme in explorer.details.value


def test_a_mark_that_opens_nothing_says_so():
    explorer = TimelineExplorer.from_package()
    assert not open_point(explorer.figure, len(explorer.figure.data), 0)
    table = chart_table(
        [{"type": "bar", "x": [1], "y": ["a"], "name": "n"}], x_title=None, y_title=None, openable=set()
    )
    assert table["rows"] == [{"cells": ["n", "1", "a", ""], "trace": 0, "point": None}]


def test_an_emptied_chart_is_named_so_and_the_status_is_a_live_region():
    explorer = TimelineExplorer.from_package()
    assert isinstance(explorer.status, StatusLine)
    explorer.search.value = "zzqx-nothing-matches"
    assert "briefing-empty" in explorer.status.value
    assert "Nothing matches these filters" in explorer.figure._briefing_alt
    assert _table(explorer.figure)["rows"] == []
    explorer.reset()
    assert "Showing" in explorer.status.value and explorer.figure._briefing_alt.startswith("Timeline:")
