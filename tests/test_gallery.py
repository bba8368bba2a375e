"""Named chart recipes: the filters reach the title, and the rows behind a visual are the rows drawn."""

from __future__ import annotations

import html

import pytest

from briefing import charts, data, gallery, tidy


@pytest.fixture(scope="module")
def tables():
    return data.load_all()


def _drawn(visual) -> int:
    """How many rows the figure draws, counted from fig.data the way each chart draws a row."""
    fig = visual.figure
    if visual.name == "timeline":
        return sum(len(t.y) for t in fig.data)
    if visual.name == "incidents-by-year":
        return int(sum(sum(t.y) for t in fig.data))
    if visual.name in ("forum-landscape", "forum-positions"):
        return sum(len(t.y) for t in fig.data if t.type in ("bar", "scatter"))
    if visual.name == "participation-map":
        return len(fig.data[1].meta["countries"])
    if visual.name == "recommendations-flow":
        return int(sum(fig.data[0].link.value))
    if visual.name == "positions-grid":  # one cell per holder x question
        return sum(value is not None for row in fig.data[0].z for value in row)
    if visual.name == "positions-map":  # a dot per state, and the organisations named in the subtitle
        title = fig.layout.title.text
        named = title.split("not on the map: ")[1].split(";")[0].count(" (") if "not on the map" in title else 0
        return sum(len(t.customdata) for t in fig.data if t.meta == {"layer": "points"}) + named
    if visual.name == "attributions-directions":  # one written count per party x state
        return sum(len(t.text) for t in fig.data if isinstance(t.meta, dict) and t.meta.get("counts"))
    if visual.name == "un-votes":  # one sponsor mark per resolution
        return sum(len(t.y) for t in fig.data if t.type == "scatter" and t.showlegend is False)
    raise AssertionError(visual.name)


@pytest.mark.parametrize(
    "name, options",
    [
        ("timeline", {"year_from": 2016, "year_to": 2018}),
        ("incidents-by-year", {"category": "ransomware"}),
        ("forum-landscape", {}),
        ("forum-positions", {}),
        ("participation-map", {"year_to": 2015}),
        ("participation-map", {"forum": "osce"}),
        ("recommendations-flow", {}),
        ("positions-grid", {}),
        ("positions-grid", {"category": "Europe"}),
        ("positions-grid", {"category": "sovereignty"}),
        ("positions-map", {"category": "ihl"}),
        ("attributions-directions", {"year_from": 2017}),
        ("un-votes", {"category": "Russia-led", "year_from": 2010}),
    ],
)
def test_the_rows_of_a_visual_are_the_rows_its_chart_draws(tables, name, options):
    visual = gallery.build(name, tables=tables, **options)
    assert len(visual.rows) == _drawn(visual)


def test_every_recipe_draws_every_row_it_hands_on(tables):
    sectors = gallery.build("incidents-by-sector", tables=tables, category="wiper")
    assert sum(sectors.figure.data[0].x) == sectors.rows.groupby("sector")["incident_id"].nunique().sum()
    matrix = gallery.build("norms-matrix", tables=tables)
    cells = sum(v for row in matrix.figure.data[0].z for v in row if v is not None)
    assert cells == matrix.rows.groupby(["theme", "framework"])["norm_id"].nunique().sum()


def test_a_category_filter_changes_the_title_and_the_years_go_in_the_subtitle(tables):
    title = gallery.build(
        "incidents-by-year", tables=tables, category="ransomware", year_from=2015, year_to=2025
    ).figure.layout.title.text
    heading, _, subtitle = title.partition("<br>")
    assert heading == "Significant ransomware incidents by year"
    assert "2015" in subtitle and "2025" in subtitle
    timeline = gallery.build("timeline", tables=tables, category="incident", search="NotPetya").figure
    assert "incidents" in timeline.layout.title.text.split("<br>")[0]
    assert html.escape("\u201cNotPetya\u201d") in timeline.layout.title.text
    forums = gallery.build("forum-positions", tables=tables, category="treaty").figure.layout.title.text
    assert "Forum kind: Treaty" in forums


def test_a_title_the_reader_typed_wins_over_the_drafted_one(tables):
    visual = gallery.build("incidents-by-year", tables=tables, category="wiper", title="My title")
    assert visual.figure.layout.title.text.startswith("My title")


def test_a_filter_that_matches_nothing_gives_the_empty_state(tables):
    visual = gallery.build("timeline", tables=tables, search="no record says this")
    assert visual.rows.empty
    assert any(a.name == charts.EMPTY_STATE_NAME for a in visual.figure.layout.annotations)
    assert visual.figure.layout.xaxis.visible is False


def test_undated_members_are_not_in_the_rows_of_a_map_by_year(tables):
    members = tidy.members_as_of(tidy.participation_frame(tables), forum_id="budapest_convention")
    visual = gallery.build("participation-map", tables=tables, year_to=2015)
    assert len(visual.rows) < len(members)
    assert visual.rows["date"].notna().all() and (visual.rows["date"].dt.year <= 2015).all()


@pytest.mark.parametrize("name", list(gallery.RECIPES))
def test_every_recipe_builds_with_its_source_line_and_its_own_alt_text(tables, name):
    from briefing import export, theme

    visual = gallery.build(name, tables=tables)
    line = theme.source_line_of(visual.figure)
    assert line and "Data as of" in line and visual.citation == line
    alt = export.alt_text(visual.figure)
    assert not alt.startswith("Chart:"), alt  # the drafting knows every kind of chart the gallery makes


@pytest.mark.parametrize("name", list(gallery.RECIPES))
def test_every_choice_a_recipe_offers_builds(tables, name):
    recipe = gallery.RECIPES[name]
    offered = recipe.choices(tables)
    assert offered, name
    if "category" in recipe.filters:
        visual = gallery.build(name, tables=tables, category=offered[-1])
        assert visual.figure.layout.title.text


@pytest.fixture
def throwaway_recipe():
    """A recipe that exists only for one test: the studio and the CLI must list it with no other edit."""

    def build(request):
        rows = request.tables["incidents"].head(3)
        return gallery.Visual(request.name, charts.incidents_by_year(rows, **request.chart_options("Three")), rows)

    recipe = gallery.register(
        gallery.Recipe("three-incidents", "Three incidents, for a test", ("category",), build, lambda tables: ["any"])
    )
    yield recipe
    gallery.unregister(recipe.name)


def test_a_registered_recipe_is_in_the_cli_and_the_studio(throwaway_recipe, tmp_path, capsys):
    from briefing import cli, controls

    assert cli.main(["export", "three-incidents", "--format", "html", "--out", str(tmp_path / "three")]) == 0
    assert "Three" in (tmp_path / "three.html").read_text()
    studio = controls.ChartStudio.from_package()
    assert "three-incidents" in [value for _, value in studio.chart.options]
    studio.chart.value = "three-incidents"
    assert studio.visual.name == "three-incidents" and studio.category.options[1:] == ("any",)
    assert studio.years.disabled and not studio.category.disabled


def test_a_recipe_with_an_unknown_filter_is_refused():
    with pytest.raises(ValueError, match="unknown filters"):
        gallery.Recipe("x", "x", ("colour",), lambda request: None, lambda tables: [])  # type: ignore[arg-type, return-value]


def test_an_unknown_chart_names_the_charts_there_are():
    with pytest.raises(KeyError, match="incidents-by-year"):
        gallery.build("incidents-by-state")
