"""Explorers: pure filters tested alone, then the widget app driven as a reader would."""

from __future__ import annotations

import numpy as np
import pytest

from briefing import controls, law, tidy


def _rings(xs) -> int:
    """How many rings a map layer draws: each ends in a gap (NaN or None)."""
    return int(np.isnan(np.asarray(xs, dtype=float)).sum())


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


def test_the_pickers_show_the_labels_the_data_package_declares():
    explorer = controls.RecommendationsExplorer.from_package()
    assert ("Civil society", "civil_society") in explorer.group_picker.options


def test_every_forum_kind_lane_reads_as_its_declared_label():
    lanes = set(tidy.timeline_frame(lanes="forum_kind")["lane"])
    assert {"UN process", "EU instrument", tidy.NO_FORUM_LANE} <= lanes
    assert not any("_" in lane for lane in lanes)


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


def _traces_by_lane(figure):
    """Each non-empty trace's (lane, precision) -> its points, as (record id, x, y) triples."""
    return {
        (t.meta["lane"], t.meta["precision"]): sorted(zip((row[0] for row in t.customdata), map(str, t.x), t.y))
        for t in figure.data
        if t.y is not None and len(t.y)
    }


def test_a_refilled_figure_shows_what_a_fresh_chart_of_the_selection_shows(explorer, rows):
    # The explorer refills its traces in place (and leaves unchanged ones alone); a reader must see
    # exactly what a chart drawn from scratch for the same filter shows, whatever came before.
    from briefing import charts

    # Back and forth, and single years in a row (a lane can hold as many rows one year as the next).
    for years, text in [
        ((2010, 2020), ""),
        ((1998, 2026), ""),
        ((2015, 2018), "gge"),
        ((2010, 2020), ""),
        ((2015, 2018), "gge"),
        ((2016, 2016), ""),
        ((2017, 2017), ""),
        ((2018, 2018), ""),
    ]:
        explorer.search.value = text
        explorer.year_range.value = years
        fresh = charts.timeline(tidy.select_timeline(rows, explorer.current_filter()))
        assert _traces_by_lane(explorer.figure) == _traces_by_lane(fresh), (years, text)
        shown = list(explorer.figure.layout.yaxis.categoryarray)
        assert set(shown) == set(explorer.selection["lane"])


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


# ---- The other explorers: widget changes refill live figures; clicks fill the details panel ----

from plotly.callbacks import InputDeviceState, Points  # noqa: E402

from briefing import data  # noqa: E402


def _click(trace, index=0):
    """Dispatch a click on point ``index`` of ``trace`` through its registered callbacks."""
    x = trace.x[index] if trace.x is not None and len(trace.x) else None
    y = trace.y[index] if trace.y is not None and len(trace.y) else None
    points = Points(point_inds=[index], xs=[x], ys=[y], trace_name=trace.name, trace_index=0)
    trace._dispatch_on_click(points, InputDeviceState())


def _count(figure):
    return sum(len(t.y) for t in figure.data if t.y is not None)


def test_forum_explorer_filters_both_views_and_shows_a_forum():
    explorer = controls.ForumExplorer.from_package()
    lifespans, positions = explorer.lifespans, explorer.positions
    before = _count(lifespans)
    explorer.participation_picker.value = ("industry",)
    assert explorer.lifespans is lifespans and explorer.positions is positions
    industry = explorer.selection
    assert set(industry["participation"]) == {"industry"}
    assert _count(lifespans) == industry["start_date"].notna().sum() < before
    trace = next(t for t in positions.data if len(t.x))
    _click(trace)
    assert "<h4>" in explorer.details.value and "Sources" in explorer.details.value
    explorer.search.value = "no forum is called this"
    assert "Nothing matches" in explorer.status.value and _count(lifespans) == 0
    explorer.reset_button.click()
    assert _count(lifespans) == before


def test_norms_explorer_narrows_the_matrix_and_lists_the_norms_of_a_cell():
    explorer = controls.NormsExplorer.from_package()
    heatmap = explorer.figure.data[0]
    assert len(heatmap.x) >= 7  # frameworks are the columns
    explorer.framework_picker.value = ("Paris Call",)
    assert list(explorer.figure.data[0].x) == ["Paris Call"]
    assert explorer.selection["framework"].eq("Paris Call").all()
    theme = explorer.selection["theme"].iloc[0]
    points = Points(point_inds=[[0, 0]], xs=["Paris Call"], ys=[theme], trace_name=heatmap.name, trace_index=0)
    explorer.figure.data[0]._dispatch_on_click(points, InputDeviceState())
    assert "Paris Call" in explorer.details.value and "<li>" in explorer.details.value


def test_participation_explorer_steps_through_years_and_shows_a_country():
    explorer = controls.ParticipationExplorer.from_package(forum_id="budapest_convention")
    layer = explorer.map.data[1]
    everyone = _rings(layer.x)
    explorer.use_year.value = True
    explorer.year.value = 2005
    early = _rings(explorer.map.data[1].x)
    assert 0 < early < everyone
    assert "by the end of 2005" in explorer.map.layout.title.text
    explorer.forum_picker.value = "osce"
    # The slider follows the forum: its range is the years the OSCE's rows are dated in, or, with no
    # dated row, stepping through the years is switched off (and the map shows everyone).
    dated = tidy.members_as_of(explorer.participation, forum_id="osce")["date"].dropna().dt.year
    if dated.empty:
        assert explorer.use_year.value is False and explorer.use_year.disabled and explorer.year.disabled
        assert "by the end of" not in explorer.map.layout.title.text
    else:
        assert (explorer.year.min, explorer.year.max) == (dated.min(), dated.max())
        assert explorer.year.min <= explorer.year.value <= explorer.year.max
        assert explorer.use_year.value is True and not explorer.year.disabled
    points_trace = explorer.map.data[-1]
    _click(points_trace)
    assert "<h4>" in explorer.details.value and "OSCE" in explorer.details.value


def test_participation_overlap_counts_forums_per_state():
    explorer = controls.ParticipationExplorer.from_package()
    explorer.overlap_picker.value = ("paris_call", "osce")
    names = {t.name: t for t in explorer.overlap_map.data}
    both = tidy.overlap_frame(explorer.participation, ["paris_call", "osce"])
    expected = set(both.loc[both["count"] == 2, "country_iso3"])
    points = names["countries"]
    assert {row[0] for row in points.customdata} == set(both["country_iso3"])
    assert expected and _rings(names["2 forum(s)"].x) >= len(expected)


def test_incidents_explorer_filters_every_view_and_lists_responses():
    explorer = controls.IncidentsExplorer.from_package()
    total = sum(sum(t.y) for t in explorer.by_year.data if t.y is not None)
    assert total == len(data.load("incidents"))
    explorer.type_picker.value = ("wiper",)
    assert sum(sum(t.y) for t in explorer.by_year.data if t.y is not None) == len(explorer.selection)
    assert set(explorer.selection["incident_type"]) == {"wiper"}
    trace = next(t for t in explorer.by_year.data if t.y is not None and len(t.y))
    _click(trace)
    assert "<h4>" in explorer.details.value
    explorer.type_picker.value = ()
    explorer.show_incidents(year=2017, incident_type="wiper")
    assert "NotPetya" in explorer.details.value and "Responses" in explorer.details.value


@pytest.mark.parametrize(
    "choice", [("type_picker", ("wiper",)), ("sector_picker", ("government",)), ("country_picker", "UKR")]
)
def test_the_incidents_explorers_side_charts_count_exactly_the_selection(choice):
    # The attributed states are ranked once for all incidents; each update keeps the selection's.
    explorer = controls.IncidentsExplorer.from_package()
    control, value = choice
    getattr(explorer, control).value = value
    chosen = explorer.selection
    assert 0 < len(chosen) < len(explorer.incidents)
    states = tidy.attributed_states_frame(chosen, explorer.tables["attributions"])
    by_state = states.groupby("attributed_state_iso3")["incident_id"].nunique()
    drawn = {row[0]: count for row, count in zip(explorer.by_state.data[0].customdata, explorer.by_state.data[0].x)}
    assert drawn == by_state.to_dict()
    sectors = explorer.tables["incident_sectors"]
    in_sectors = sectors[sectors["incident_id"].isin(chosen["incident_id"])].groupby("sector")["incident_id"].nunique()
    sector_bars = explorer.by_sector.data[0]
    assert {row[0]: count for row, count in zip(sector_bars.customdata, sector_bars.x)} == in_sectors.to_dict()


def test_the_incidents_explorer_refills_each_chart_before_it_builds_the_next(monkeypatch):
    # The page draws the first chart while the kernel builds the next: each refill leaves at once.
    from briefing import charts
    from briefing.controls import incidents as module

    explorer = controls.IncidentsExplorer.from_package()
    names = {id(explorer.by_year): "by year", id(explorer.by_sector): "by sector", id(explorer.by_state): "by state"}
    steps: list[str] = []
    for name in ("incidents_by_year", "incidents_by_category"):
        build = getattr(charts, name)

        def spy(*args, _build=build, **options):
            steps.append(f"build {options.get('category', 'year')}")
            return _build(*args, **options)

        monkeypatch.setattr(charts, name, spy)
    refill = module.refill

    def refill_spy(figure, fresh):
        steps.append(f"refill {names[id(figure)]}")
        refill(figure, fresh)

    monkeypatch.setattr(module, "refill", refill_spy)
    explorer.type_picker.value = ("wiper",)
    assert steps == [
        "build year",
        "refill by year",
        "build sector",
        "refill by sector",
        "build attributed_state_iso3",
        "refill by state",
    ]
    assert sum(sum(t.y) for t in explorer.by_year.data if t.y is not None) == len(explorer.selection)


def test_recommendations_explorer_lists_what_the_flow_shows():
    explorer = controls.RecommendationsExplorer.from_package()
    assert sum(explorer.figure.data[0].link.value) == len(explorer.frame)
    explorer.group_picker.value = ("citizens",)
    assert sum(explorer.figure.data[0].link.value) == len(explorer.selection) > 0
    assert set(explorer.selection["group"]) == {"citizens"}
    assert explorer.details.value.count("<li><b>") == len(explorer.selection)


def test_refill_keeps_the_live_figure_and_empties_missing_traces():
    import plotly.graph_objects as go

    live = go.FigureWidget(go.Figure([go.Bar(name="a", x=[1, 2], y=[3, 4]), go.Bar(name="b", x=[1], y=[1])]))
    traces = live.data
    controls.refill(live, go.Figure([go.Bar(name="a", x=[5], y=[6])]))
    assert live.data == traces
    assert list(live.data[0].x) == [5] and list(live.data[1].y) == []


def test_select_forums_is_a_pure_filter():
    forums = data.load("forums")
    chosen = tidy.select_forums(forums, tidy.ForumFilter(kinds=("treaty",), text="cybercrime"))
    assert len(chosen) and chosen["kind"].eq("treaty").all()
    # The text matches the name, short name or outcome (the Malabo Convention says cybercrime only in its outcome).
    searched = chosen["name"] + " " + chosen["short_name"] + " " + chosen["outcome"].fillna("")
    assert searched.str.contains("(?i)cybercrime").all()
    assert tidy.select_forums(forums, tidy.ForumFilter()).equals(forums)


def test_select_incidents_uses_the_link_tables():
    incidents, sectors, targets = data.load("incidents"), data.load("incident_sectors"), data.load("incident_targets")
    health = tidy.select_incidents(incidents, tidy.IncidentFilter(sectors=("health",)), sectors=sectors)
    assert set(health["incident_id"]) == set(sectors.loc[sectors["sector"] == "health", "incident_id"])
    ukraine = tidy.select_incidents(
        incidents, tidy.IncidentFilter(country_iso3="UKR", year_from=2015, year_to=2017), targets=targets
    )
    assert {"ukraine_grid_2015", "ukraine_grid_2016", "notpetya_2017"} <= set(ukraine["incident_id"])
    assert ukraine["start_date"].dt.year.between(2015, 2017).all()


def test_members_as_of_counts_only_dated_members_for_a_year():
    participation = tidy.participation_frame()
    everyone = tidy.members_as_of(participation, forum_id="sco")
    by_2016 = tidy.members_as_of(participation, forum_id="sco", year=2016)
    assert set(by_2016["country_iso3"]) < set(everyone["country_iso3"])
    assert {"IND", "PAK"}.isdisjoint(set(by_2016.query("role == 'member'")["country_iso3"]))


def test_norms_in_cell_returns_the_norms_behind_a_heatmap_cell():
    crosswalk = tidy.norms_crosswalk_frame()
    cell = tidy.norms_in_cell(crosswalk, framework="GGE 2014-15", theme="Critical infrastructure")
    assert len(cell) and cell["reference"].str.startswith("A/70/174").all()


@pytest.mark.chromium
def test_chart_studio_previews_drafts_alt_text_and_exports(tmp_path):
    studio = controls.ChartStudio.from_package(folder=str(tmp_path))
    studio.chart.value = "incidents-by-year"
    assert studio.category.options[0] == controls.ChartStudio.ALL and "ransomware" in studio.category.options
    studio.category.value = "ransomware"
    studio.preset.value = "square"
    (frame,) = studio.preview_box.children
    (preview,) = frame.children
    assert (preview.layout.width, preview.layout.height) == (1080, 1080)
    assert (frame.layout.width, frame.layout.height) == ("1080px", "1080px")  # shown at true scale
    drafted = studio.alt.value
    assert drafted.startswith("Bar chart:") and f"{len(studio.visual.rows)} items" in drafted
    studio.alt.value = "My own alt text."
    studio.subtitle.value = "<b>Ransomware</b> only"
    assert studio.alt.value == "My own alt text."  # an edited alt text is kept
    for fmt, box in studio.formats.items():
        box.value = fmt in ("svg", "html")
    studio.filename.value = "ransomware"
    studio.export_button.click()
    assert "Exported" in studio.message.value
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == [
        "ransomware.alt.txt",
        "ransomware.data.citation.txt",
        "ransomware.data.csv",
        "ransomware.html",
        "ransomware.svg",
    ]
    assert (tmp_path / "ransomware.alt.txt").read_text().strip() == "My own alt text."
    svg = (tmp_path / "ransomware.svg").read_text()
    assert "Ransomware" in svg and "<b>Ransomware" not in svg  # shown as text, not markup
    assert "KB" in studio.files.value
    studio.export_button.click()
    assert "exists already" in studio.message.value


def test_chart_studio_switches_between_every_chart():
    studio = controls.ChartStudio.from_package()
    for name in [value for _, value in studio.chart.options]:
        studio.chart.value = name
        assert studio.visual.name == name and studio.alt.value


def test_a_very_full_lane_is_counted_by_month_and_recounted_by_filters():
    import pandas as pd

    incidents = data.load("incidents")
    many = pd.concat([incidents] * 80, ignore_index=True)  # 4,080 rows: more than the lane limit
    many["incident_id"] = [f"copy_{i}" for i in range(len(many))]
    tables = {
        "events": data.load("events"),
        "incidents": many,
        "forums": data.load("forums"),
        "sources": data.load("sources"),
    }
    explorer = controls.TimelineExplorer(tidy.timeline_frame(tables), tables)
    counted = [t for t in explorer.figure.data if t.meta["precision"] == "month_counts"]
    assert len(counted) == 1 and counted[0].meta["lane"] == tidy.INCIDENT_LANE
    assert sum(int(row[3]) for row in counted[0].customdata) == len(many)
    explorer.year_range.value = (2017, 2017)
    in_2017 = int((many["start_date"].dt.year == 2017).sum())
    assert sum(int(row[3]) for row in counted[0].customdata) == in_2017
    assert list(counted[0].marker.color) == [int(row[3]) for row in counted[0].customdata]
    from plotly.callbacks import InputDeviceState, Points

    counted[0]._dispatch_on_click(
        Points(point_inds=[0], xs=[counted[0].x[0]], ys=[counted[0].y[0]], trace_name=counted[0].name, trace_index=0),
        InputDeviceState(),
    )
    assert "2017" in explorer.details.value and "rows</h4>" in explorer.details.value


def test_select_by_choices_is_a_pure_filter():
    crosswalk = tidy.norms_crosswalk_frame()
    chosen = tidy.select_by_choices(crosswalk, {"framework": ("Paris Call", "GCSC"), "theme": ()})
    assert set(chosen["framework"]) == {"Paris Call", "GCSC"}
    assert tidy.select_by_choices(crosswalk, {"framework": (), "theme": ()}).equals(crosswalk)


def test_chart_studio_writes_only_inside_its_exports_folder(tmp_path):
    studio = controls.ChartStudio.from_package(folder=str(tmp_path / "exports"))
    (tmp_path / "data").mkdir()
    for name in ("../data/x", str(tmp_path / "data" / "x"), "..", "  ", "a\\b"):
        studio.filename.value = name
        studio.formats["html"].value, studio.with_data.value = True, False
        for fmt, box in studio.formats.items():
            box.value = fmt == "html"
        studio.overwrite.value = True
        studio._on_export()
        assert "Not exported" in studio.message.value and "plain name" in studio.message.value, name
    assert not any((tmp_path / "data").iterdir()) and not (tmp_path / "x.html").exists()


def test_chart_studio_forgets_the_last_charts_text_when_the_chart_changes():
    studio = controls.ChartStudio.from_package()
    studio.title.value, studio.subtitle.value, studio.notes.value = "Old title", "Old subtitle", "Old note"
    studio.alt.value = "Alt text written for the timeline"
    studio.chart.value = "incidents-by-year"
    assert (studio.title.value, studio.subtitle.value, studio.notes.value) == ("", "", "")
    assert studio.alt.value != "Alt text written for the timeline" and "incident" in studio.alt.value.lower()


def test_chart_studio_lists_exported_files_as_download_links(tmp_path):
    studio = controls.ChartStudio.from_package(folder=str(tmp_path / "exports"))
    for fmt, box in studio.formats.items():
        box.value = fmt == "html"
    studio.filename.value = "timeline <b>"
    studio._on_export()
    assert "Exported" in studio.message.value, studio.message.value
    assert 'download="timeline &lt;b&gt;.html"' in studio.files.value
    assert str(tmp_path) not in studio.files.value  # names, not server paths


def test_positions_explorer_filters_and_opens_the_quotation_behind_a_square():
    explorer = controls.PositionsExplorer.from_package()
    everyone = explorer.selection["holder_id"].nunique()
    explorer.region.value = "Europe"
    europe = explorer.selection
    assert 0 < europe["holder_id"].nunique() < everyone and set(europe["region"]) == {"Europe"}
    explorer.question_picker.value = ("sovereignty",)
    assert set(explorer.selection["question"]) == {"sovereignty"}
    heatmap = next(trace for trace in explorer.grid.data if trace.type == "heatmap")
    assert len(heatmap.y) == explorer.selection["holder_id"].nunique()
    explorer.show_stance("fra_2019", "sovereignty")
    assert "Cyberattacks may constitute a violation of sovereignty." in explorer.details.value
    assert "href=" in explorer.details.value and explorer.details.revealed >= 1
    explorer.region.value = "Oceania"
    assert set(explorer.selection["holder_id"]) <= {"AUS", "NZL"}


def test_the_positions_explorer_refills_its_charts_in_place_and_keeps_them_in_step():
    explorer = controls.PositionsExplorer.from_package()
    grid, world, timeline = explorer.grid, explorer.map, explorer.timeline
    explorer.region.value = "Asia"
    assert (explorer.grid, explorer.map, explorer.timeline) == (grid, world, timeline)  # the same widgets
    heatmap = next(trace for trace in grid.data if trace.type == "heatmap")
    assert len(heatmap.y) == explorer.selection["holder_id"].nunique() and grid.layout.height >= 420
    shown = {t.name for t in grid.data if t.type == "scatter" and t.showlegend}
    coded = {law.STANCE_LABELS.get(s, s) for s in explorer.selection["stance"]}
    assert shown == coded  # the legend names the stances this selection draws, no others
    marked = {t.meta["region"] for t in timeline.data if t.y is not None and len(t.y)}
    assert marked <= {"Asia"} and marked
    explorer.map_question.value = "ihl"
    ihl = {
        t.meta["stance"]: set(t.meta["countries"]) for t in world.data if {"stance", "countries"} <= set(t.meta or {})
    }
    held = explorer.selection[explorer.selection["question"] == "ihl"]
    assert set().union(*ihl.values()) <= set(held["iso3"].dropna())
    explorer.member_of.value = explorer.member_of.options[1][1]
    explorer.reset()
    assert explorer.selection["holder_id"].nunique() == explorer.frame["holder_id"].nunique()


def test_incident_details_say_what_it_was_said_to_breach_and_who_said_so():
    explorer = controls.IncidentsExplorer.from_package()
    explorer.show_incidents(year=2022)
    assert "Albania" in explorer.details.value and "according to" in explorer.details.value


def test_a_click_lists_at_most_so_many_incidents_and_says_how_many_more():
    explorer = controls.IncidentsExplorer.from_package()
    explorer.show_incidents(sector="government")
    behind = explorer.details.value.count("<h4>")
    assert behind > 3 and "more: narrow the filters" not in explorer.details.value
    explorer.LISTED = 3  # an imported file's bar can hold thousands
    explorer.show_incidents(sector="government")
    assert explorer.details.value.count("<h4>") == 3
    assert f"... and {behind - 3:,} more: narrow the filters to list them." in explorer.details.value


def test_the_importer_shows_the_columns_a_file_needs_before_any_upload():
    explorer = controls.ImportExplorer()
    assert "What columns your file needs" in explorer.guide.value and "incident_id" in explorer.guide.value
    assert "required" in explorer.guide.value and "made from the name and the date" in explorer.guide.value
    explorer.table.value = "events"
    assert "(events)" in explorer.guide.value


def test_the_chart_studio_says_why_a_grid_cannot_be_previewed_at_a_size_and_recovers(tmp_path):
    studio = controls.ChartStudio.from_package(folder=str(tmp_path))
    studio.chart.value = "positions-grid"
    assert studio.message.value == "" and studio.preview_box.children
    tall = studio.publication.layout.height
    assert tall > 480  # the newsletter picture grows to its 37 rows, and the preview shows it whole
    assert studio.preview_box.children[0].layout.height == f"{tall}px"
    studio.preset.value = "social"
    assert "Cannot preview" in studio.message.value and "rows cannot be read" in studio.message.value
    assert not studio.preview_box.children
    studio.category.value = "Americas"
    assert studio.message.value == "" and studio.preview_box.children


def test_the_importer_says_what_it_read_offers_a_workbooks_sheets_and_never_shows_a_traceback(monkeypatch):
    import datetime
    import io

    from openpyxl import Workbook

    from briefing import importers

    header = ["incident_id", "name", "start_date", "date_precision", "incident_type", "summary", "attribution_status"]
    book = Workbook()
    book.active.title = "Incidents"
    book.active.append(header)
    book.active.append(["x1", "First \u202egnp.exe", "1900", "year", "wiper", "s", "unattributed"])
    second = book.create_sheet("More")
    second.append(header)
    for n in (2, 3):
        second.append([f"x{n}", "Second sheet", "2021-05-07", "day", "wiper", "s", "unattributed"])
    content = io.BytesIO()
    book.save(content)
    explorer = controls.ImportExplorer()
    upload = content.getvalue()
    explorer.upload.value = (
        {
            "name": "book.xlsx",
            "type": "",
            "size": len(upload),
            "content": memoryview(upload),
            "last_modified": datetime.datetime(2026, 1, 1),
        },
    )
    assert "1 loaded as incidents" in explorer.summary.value
    assert "Read the sheet" in explorer.rejected.value and "&#x27;More&#x27; were not read" in explorer.rejected.value
    assert "Loaded, but check these" in explorer.rejected.value and "\\u202e" in explorer.rejected.value
    assert explorer.sheet.layout.display == "" and list(explorer.sheet.options) == ["Incidents", "More"]
    explorer.sheet.value = "More"
    assert "2 loaded as incidents" in explorer.summary.value
    monkeypatch.setattr(importers, "read_table", lambda *args, **kwargs: 1 / 0)
    explorer.load("any.csv", b"a,b\n1,2\n")
    assert "failed unexpectedly (ZeroDivisionError" in explorer.summary.value


def test_chart_studio_refuses_file_names_that_hide_or_reorder_characters(tmp_path):
    studio = controls.ChartStudio.from_package(folder=str(tmp_path / "exports"))
    for fmt, box in studio.formats.items():
        box.value = fmt == "html"
    for name in ("report\u202elmth.png", "tab\there", "zero\u200bwidth", "bell\x07"):
        studio.filename.value = name
        studio._on_export()
        assert "Not exported" in studio.message.value and "invisible or direction-changing" in studio.message.value
    assert not (tmp_path / "exports").exists() or not any((tmp_path / "exports").iterdir())


@pytest.mark.parametrize(
    "name",
    [
        "ForumExplorer",
        "NormsExplorer",
        "RecommendationsExplorer",
        "TimelineExplorer",
        "IncidentsExplorer",
        "ParticipationExplorer",
        "PositionsExplorer",
    ],
)
def test_an_explorers_first_view_is_what_its_filters_say(name):
    # Explorers draw their first charts when built, some without running their update path (which
    # would build every chart twice): what they drew and the status line must be what that path
    # gives for the filters as they stand.
    import json

    import plotly.graph_objects as go

    explorer = getattr(controls, name).from_package()

    def shown():
        figures = [value for value in vars(explorer).values() if isinstance(value, go.FigureWidget)]
        assert figures, f"{name} holds no live figure"
        drawn = [json.loads(go.Figure(figure).to_json()) for figure in figures]
        for figure in drawn:
            for trace in figure["data"]:
                trace.pop("uid", None)
        return drawn, explorer.status.value

    first = shown()
    explorer._update()
    assert shown() == first
