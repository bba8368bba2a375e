"""The benchmarks' pure parts: percentiles, ratios as interleaved pairs, the README table's extras,
the filter sequence of the browser round trips and the synthetic imported incidents."""

from __future__ import annotations

import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO))

from benchmarks import report, stats
from benchmarks.roundtrip import filter_sequence


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ([7], 0.95, 7),
        ([3, 1, 2], 0.5, 2),
        ([4, 1, 3, 2], 0.0, 1),
        ([4, 1, 3, 2], 1.0, 4),
        (list(range(1, 21)), 0.95, 19),
    ],
)
def test_percentile_is_the_nearest_rank(values, share, expected):
    assert stats.percentile(values, share) == expected


def test_percentile_of_nothing_says_so():
    with pytest.raises(ValueError, match="no values"):
        stats.percentile([], 0.5)


def test_paired_ratio_is_the_median_of_each_pairs_ratio_not_the_ratio_of_medians():
    # A slow spell doubles both sides of the second pair: the pairwise ratios stay at 1.1-1.3.
    summary = stats.paired_ratio([1.0, 2.0, 1.0], [1.1, 2.6, 1.2])
    assert summary.ratio == pytest.approx(1.2)
    assert (summary.low, summary.high, summary.pairs) == (pytest.approx(1.1), pytest.approx(1.3), 3)
    assert (summary.floor, summary.value) == (1.0, 1.2)
    assert summary.spread_text() == "1.10-1.30 over 3 pairs"


def test_paired_ratio_needs_pairs():
    with pytest.raises(ValueError, match="pairs"):
        stats.paired_ratio([1.0, 2.0], [1.0])
    with pytest.raises(ValueError):
        stats.paired_ratio([], [])


def test_interleaved_alternates_which_side_of_each_pair_runs_first():
    order = []

    def taking(name, value):
        def take():
            order.append(name)
            return value

        return take

    result = stats.interleaved(taking("floor", 2.0), {"a": taking("a", 3.0), "b": taking("b", 4.0)}, rounds=3)
    assert order == ["floor", "a", "floor", "b", "a", "floor", "b", "floor", "floor", "a", "floor", "b"]
    assert result["a"].ratio == 1.5 and result["b"].ratio == 2.0 and result["a"].pairs == 3


def test_shared_floors_stand_between_two_neighbours_and_alternate_sides():
    order, floors = [], iter(range(100))

    def floor():
        order.append("F")
        return 10.0 + next(floors)  # each floor run its own value: which run was paired shows

    def taking(name, value):
        def take():
            order.append(name)
            return value

        return take

    measured = {name: taking(name, 20.0) for name in "abcde"}
    result = stats.interleaved_shared_floors(floor, measured, rounds=2)
    assert "".join(order) == "FabFcdFe" + "aFbcFdeF"
    # Round one: a has floor 0, b and c share floor 1 (after b, before c), d and e floor 2; round
    # two: a and b share floor 3, c and d floor 4, e has floor 5 (the neighbours change with the
    # sides). Each pair's ratio is 20 / its own floor run.
    expected = {"a": (10, 13), "b": (11, 13), "c": (11, 14), "d": (12, 14), "e": (12, 15)}
    for name, (first, second) in expected.items():
        assert result[name].pairs == 2
        assert result[name].low == pytest.approx(20 / second)
        assert result[name].high == pytest.approx(20 / first)
    # Five figures in two rounds: six floor runs, where a floor per figure takes ten.
    assert order.count("F") == 6


def test_a_paired_figure_shows_its_spread_and_a_note_in_the_readme_table(capsys):
    report.rows.clear()
    report.report_ratio("notebook 05_timeline", stats.paired_ratio([4.0, 4.2], [4.4, 4.4]), 1.2)
    report.report(
        "timeline explorer in the browser: filter, p95", 80.0, None, "<= 100 ms", True, "ms", note="p50 40 ms"
    )
    assert "(1.05-1.10 over 2 pairs)" in capsys.readouterr().out
    table = report.readme_table({"machine": "Linux", "cores": 2, "seconds": 1.0, "figures": report.rows})
    rows = table.splitlines()[-2:]
    report.rows.clear()
    assert rows == [
        "| notebook 05_timeline | 4.4 s | 4.1 s | 1.07x (1.05-1.10 over 2 pairs) | ratio <= 1.2 | met |",
        "| timeline explorer in the browser: filter, p95 | 80 ms (p50 40 ms) |  |  | <= 100 ms | met |",
    ]


def test_a_paired_figure_without_a_target_is_reported_and_met():
    report.rows.clear()
    report.report_ratio("full validation (info)", stats.paired_ratio([1.0], [40.0]), None)
    row = report.rows.pop()
    assert row["target"] == "reported, no target" and row["passed"] and row["ratio"] == 40.0


def test_the_filter_sequence_goes_back_to_the_first_view_between_choices():
    assert filter_sequence(["Any", "Europe", "Asia"], "Any", multiple=False, count=6) == [
        "Europe",
        "Any",
        "Asia",
        "Any",
        "Europe",
        "Any",
    ]
    assert filter_sequence(["ddos", "wiper"], [], multiple=True, count=3) == [["ddos"], [], ["wiper"]]


def test_imported_incidents_copy_the_links_of_the_incident_they_resample():
    from benchmarks.synthetic import imported_incident_tables

    tables = imported_incident_tables(200)
    incidents = tables["incidents"]
    assert (incidents["provenance"] == "imported").sum() == 200
    assert incidents["incident_id"].is_unique
    assert tables["attributions"]["attribution_id"].is_unique
    imported = incidents[incidents["provenance"] == "imported"].iloc[0]
    original = incidents[(incidents["provenance"] == "curated") & (incidents["name"] == imported["name"])].iloc[0]
    sectors = tables["incident_sectors"]
    assert sorted(sectors.loc[sectors["incident_id"] == imported["incident_id"], "sector"]) == sorted(
        sectors.loc[sectors["incident_id"] == original["incident_id"], "sector"]
    )


def test_each_round_trip_waits_for_as_many_charts_as_its_explorer_draws():
    # The timers go in once the case's number of charts is drawn: a number short of the explorer's
    # would leave a chart without one again, a number above it would wait for ever.
    import plotly.graph_objects as go

    from benchmarks.roundtrip import AT_SCALE_CASE, CASES
    from briefing import controls

    def widgets(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from widgets(child)

    drawn = {}
    for name in ("TimelineExplorer", "PositionsExplorer", "IncidentsExplorer", "ParticipationExplorer"):
        explorer = getattr(controls, name).from_package()
        root_class = next(c for c in explorer.widget._dom_classes if c.endswith("-explorer"))
        drawn[f".{root_class}"] = sum(isinstance(w, go.FigureWidget) for w in widgets(explorer.widget))
    for case in (*CASES, AT_SCALE_CASE):
        assert case.charts == drawn[case.selector], case.label
