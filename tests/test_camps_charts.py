"""Camps charts: assertions on fig.data and fig.layout, never on pixels."""

from __future__ import annotations

import pandas as pd
import pytest

from briefing import camps, charts, data, law, theme
from briefing.charts import EMPTY_STATE_NAME
from briefing.charts import camps as camps_charts
from briefing.charts import law as law_charts


@pytest.fixture(scope="module")
def tables():
    return data.load_all()


@pytest.fixture(scope="module")
def positions(tables):
    return law.positions_frame(tables)


def _heatmap(fig):
    return next(t for t in fig.data if t.type == "heatmap")


def _cell_colours(fig) -> dict[tuple[str, str], str]:
    """(holder, question label) -> the colour the grid's colourscale paints that cell."""
    grid = _heatmap(fig)
    scale = [colour for _, colour in grid.colorscale]
    steps = len(scale) // 2
    colours = {}
    for holder, row in zip(grid.y, grid.z):
        for question, value in zip(grid.x, row):
            if value is not None:
                colours[(holder, question)] = scale[2 * int(value)]
    assert steps == len(data.enum("position_stances", "stance"))
    return colours


def _legend(fig) -> dict[str, str]:
    return {
        t.meta["stance"]: t.marker.color
        for t in fig.data
        if t.type == "scatter" and t.showlegend is not False and isinstance(t.meta, dict) and "stance" in t.meta
    }


def test_positions_frame_has_one_row_per_position_and_question(tables, positions):
    assert len(positions) == len(tables["position_stances"])
    assert positions["region"].notna().all()
    assert set(positions.loc[positions["holder_id"] == "european_union", "iso3"]) == {"EUU"}
    gbr = positions[positions["holder_id"] == "GBR"].iloc[0]
    assert "budapest_convention" in gbr["member_of"]


def test_select_positions_filters_on_every_choice(positions):
    chosen = law.select_positions(
        positions, questions=("sovereignty",), stances=("rule",), region="Europe", member_of="osce"
    )
    assert len(chosen) and set(chosen["question"]) == {"sovereignty"} and set(chosen["stance"]) == {"rule"}
    assert set(chosen["region"]) == {"Europe"}
    assert all("osce" in forums for forums in chosen["member_of"])
    assert law.select_positions(positions).equals(positions)
    assert set(law.select_positions(positions, holders=("CHN",))["holder_id"]) == {"CHN"}


@pytest.mark.parametrize(
    "choice",
    [
        dict(region="Europe"),
        dict(questions=("ihl", "sovereignty")),
        dict(member_of="osce", questions=("due_diligence",)),
        dict(holders=("AUS", "FRA", "european_union")),
        dict(region="Oceania", member_of="osce"),  # nobody: the empty charts
    ],
)
def test_stances_ranked_once_then_selected_draw_the_charts_of_the_selection(positions, choice):
    # The positions explorer ranks every holder's stances once and selects from them on a change.
    chosen = law.select_positions(positions, **choice)
    selected = law.select_positions(law.holder_stances(positions), **choice)
    key = ["holder_id", "question"]
    assert selected.sort_values(key)[key + ["position_id", "stance", "positions"]].to_numpy().tolist() == (
        law.holder_stances(chosen).sort_values(key)[key + ["position_id", "stance", "positions"]].to_numpy().tolist()
    )
    published = charts.positions_grid(chosen)
    assert charts.positions_grid(chosen, stances=selected).to_json() == published.to_json()
    # What the explorer refills its live grid with (unchecked, from the ranked stances) is the published grid.
    assert _sent(charts.positions_grid(chosen, stances=selected, validate=False)) == _sent(published)
    # ... and the comparison is of real content: one row per holder, each cell's hover text.
    assert len(_heatmap(published).y) == chosen["holder_id"].nunique()
    assert all(cell[0] and cell[3] for row in _heatmap(published).customdata for cell in row if cell[2])
    for question in ("sovereignty", "ihl"):
        drawn = charts.positions_map(chosen, question=question, stances=selected)
        assert drawn.to_json() == charts.positions_map(chosen, question=question).to_json()
        refill = charts.positions_map(chosen, question=question, stances=selected, validate=False)
        assert _sent(refill) == _sent(drawn)
        layers = [t.meta for t in drawn.data if {"stance", "countries"} <= set(t.meta or {})]
        states = selected[(selected["question"] == question) & (selected["holder_kind"] == "state")]
        assert {code for meta in layers for code in meta["countries"]} == set(states["iso3"].dropna())
    refill = charts.positions_timeline(chosen, validate=False)
    assert _sent(refill) == _sent(charts.positions_timeline(chosen))


def test_positions_grid_has_one_cell_per_holder_and_question(positions):
    for frame in (positions, law.select_positions(positions, questions=("ihl", "sovereignty"), region="Asia")):
        fig = law_charts.positions_grid(frame)
        grid = _heatmap(fig)
        cells = sum(value is not None for row in grid.z for value in row)
        assert cells == frame["holder_id"].nunique() * frame["question"].nunique()
        assert len(grid.y) == frame["holder_name"].nunique() == len(set(grid.y))
        assert list(grid.y) == list(fig.layout.yaxis.tickvals)  # every row is named, none thinned out


def test_a_grid_cell_carries_its_position_and_question(positions):
    fig = law_charts.positions_grid(positions)
    grid = _heatmap(fig)
    row = list(grid.y).index("United Kingdom")
    col = list(grid.x).index("Sovereignty")
    position_id, question = grid.customdata[row][col][:2]
    assert question == "sovereignty"
    assert position_id in set(positions.loc[positions["holder_id"] == "GBR", "position_id"])
    coded = positions[(positions["position_id"] == position_id) & (positions["question"] == "sovereignty")]
    assert coded["stance"].iloc[0] == grid.meta["stances"][row][col] != law.NOT_ADDRESSED


def test_the_latest_coded_stance_stands_for_a_holder(positions):
    best = law.holder_stances(positions)
    assert not best.duplicated(["holder_id", "question"]).any()
    australia = best[(best["holder_id"] == "AUS")]
    assert (australia["positions"] == 4).all()
    coded = positions[(positions["holder_id"] == "AUS") & (positions["stance"] != law.NOT_ADDRESSED)]
    for row in australia.itertuples():
        mine = coded[coded["question"] == row.question]
        if len(mine):
            assert row.position_id == mine.sort_values("date").iloc[-1]["position_id"]


def test_grid_colours_are_stable_under_filters_and_not_addressed_is_grey(positions):
    full = law_charts.positions_grid(positions)
    narrowed = law_charts.positions_grid(
        law.select_positions(positions, stances=("rule", "not_addressed", "applies"), region="Europe")
    )
    assert _legend(full)[law.NOT_ADDRESSED] == law.NOT_ADDRESSED_GREY
    for stance, colour in _legend(narrowed).items():
        assert _legend(full)[stance] == colour
    grid = _heatmap(full)
    stances = grid.meta["stances"]
    colours = _cell_colours(full)
    legend = _legend(full)
    for r, holder in enumerate(grid.y):
        for c, question in enumerate(grid.x):
            if stances[r][c] is not None:
                assert colours[(holder, question)] == legend[stances[r][c]]
    assert law.NOT_ADDRESSED_GREY in colours.values()
    assert len(set(legend.values())) == len(legend)  # each stance its own colour


def test_the_grid_legend_names_each_stance_drawn_in_words(positions):
    fig = law_charts.positions_grid(positions)
    drawn = {s for row in _heatmap(fig).meta["stances"] for s in row if s}
    names = {t.meta["stance"]: t.name for t in fig.data if t.type == "scatter" and t.showlegend is not False}
    assert set(names) == drawn
    assert names["rule"] == "Sovereignty is a rule" and "_" not in "".join(names.values())


@pytest.mark.parametrize("question", ["sovereignty", "ihl", "due_diligence"])
def test_the_map_colours_exactly_the_states_with_that_question_coded(positions, question):
    fig = law_charts.positions_map(positions, question=question)
    coded = {
        t.meta["stance"]: set(t.meta["countries"])
        for t in fig.data
        if isinstance(t.meta, dict) and t.meta.get("countries") and t.meta.get("stance")
    }
    drawn = set().union(*(codes for stance, codes in coded.items() if stance != law.NOT_ADDRESSED))
    rows = positions[(positions["question"] == question) & (positions["holder_kind"] == "state")]
    holders_coded = set(rows.loc[rows["stance"] != law.NOT_ADDRESSED, "iso3"])
    assert drawn == holders_coded and drawn
    assert coded.get(law.NOT_ADDRESSED, set()).isdisjoint(drawn)
    assert not any(t.type.startswith("scattergeo") or t.type == "choropleth" for t in fig.data)


def test_the_map_names_the_organisations_it_cannot_draw(positions):
    fig = law_charts.positions_map(positions, question="sovereignty")
    assert "not on the map" in fig.layout.title.text and "AU" in fig.layout.title.text
    with pytest.raises(ValueError):
        law_charts.positions_map(positions, question="cheese")


def test_the_timeline_places_each_dated_position_once_honouring_its_precision(positions):
    fig = law_charts.positions_timeline(positions)
    dated = positions.drop_duplicates("position_id").dropna(subset=["date"])
    placed = [row[0] for t in fig.data if t.customdata is not None for row in t.customdata]
    assert sorted(placed) == sorted(dated["position_id"])
    day_ids = {row[0] for t in fig.data if t.meta and t.meta.get("precision") == "day" for row in t.customdata}
    assert day_ids == set(dated.loc[dated["date_precision"] == "day", "position_id"])
    spans = [t for t in fig.data if t.meta and t.meta.get("precision") == "span"]
    widths = {round(w / 86_400_000) for t in spans for w in t.x}
    assert widths and widths <= {28, 29, 30, 31, 365, 366}
    assert "no known date" in fig.layout.title.text
    assert set(fig.layout.yaxis.tickvals) == set(dated["holder_name"])  # every row is named


def test_attributions_show_both_directions_by_side(tables):
    fig = camps_charts.attributions_directions(tables["attributions"], tables["incidents"])
    pairs = {
        (side, a, b) for t in fig.data if t.type == "heatmap" for a, b in t.meta["pairs"] for side in [t.meta["side"]]
    }
    assert ("allied", "USA", "CHN") in pairs and ("counter", "CHN", "USA") in pairs
    assert ("allied", "USA", "RUS") in pairs and ("counter", "RUS", "USA") in pairs
    assert {a for side, a, _ in pairs if side == "counter"} == {"CHN", "RUS", "IRN"}
    colours = {t.meta["side"]: t.marker.color for t in fig.data if t.meta.get("legend")}
    assert len(set(colours.values())) == 3


def test_attribution_counts_are_written_on_their_own_cells(tables):
    fig = camps_charts.attributions_directions(tables["attributions"], tables["incidents"])
    for heat, counts in zip(
        [t for t in fig.data if t.type == "heatmap"], [t for t in fig.data if t.meta.get("counts")]
    ):
        for x, y, text in zip(counts.x, counts.y, counts.text):
            assert heat.z[list(heat.y).index(y)][list(heat.x).index(x)] == int(text)


def test_attributions_count_incidents_not_statements(tables):
    pairs = camps.attribution_pairs(tables["attributions"], tables["incidents"])
    rows = tables["attributions"]
    usa_rus = rows[(rows["attributing_party"] == "USA") & (rows["attributed_state_iso3"] == "RUS")]
    got = pairs[(pairs["attributing_party"] == "USA") & (pairs["attributed_state_iso3"] == "RUS")]["incidents"]
    assert int(got.iloc[0]) == usa_rus["incident_id"].nunique()


def test_the_votes_chart_never_draws_a_missing_total_as_zero(tables):
    votes = tables["un_votes"]
    fig = camps_charts.un_votes_over_time(votes)
    frame = camps.un_votes_frame(votes)
    label_of = dict(zip(frame["label"], frame["resolution_id"]))
    for trace in (t for t in fig.data if t.type == "bar"):
        column = trace.meta["vote"]
        known = votes.set_index("resolution_id")[column]
        drawn = {label_of[y]: x for x, y in zip(trace.x, trace.y)}
        assert set(drawn) == set(known.dropna().index)  # a bar only where a record gives a total
        assert all(drawn[r] == known[r] for r in drawn)
    notes = {a.name for a in fig.layout.annotations if (a.name or "").startswith(camps.NOT_RECORDED)}
    for stage, columns in camps.VOTE_COLUMNS.items():
        for row in votes.itertuples():
            missing = any(pd.isna(getattr(row, c)) for c in columns)
            assert (f"{camps.NOT_RECORDED}:{stage}:{row.resolution_id}" in notes) == missing


def test_the_votes_chart_shows_sponsors_and_how_each_resolution_was_adopted(tables):
    fig = camps_charts.un_votes_over_time(tables["un_votes"])
    sponsors = {t.meta["sponsor"] for t in fig.data if t.type == "scatter" and t.meta and "sponsor" in t.meta}
    assert {"Russia-led", "US-led", "Joint Russia-US"} <= sponsors
    symbols = {}
    for trace in (t for t in fig.data if t.type == "scatter" and t.showlegend is False and "sponsor" in t.meta):
        symbols.update({row[0]: s for row, s in zip(trace.customdata, trace.marker.symbol)})
    assert symbols["a_res_53_70"] == "circle" and symbols["a_res_73_27"] == "diamond"
    assert symbols["a_res_56_19"] == "circle-open"


def test_norm_links_read_as_claims_with_their_source(tables):
    links = law.norm_links_for("albania_2022", tables)
    assert len(links) == (tables["incident_norms"]["incident_id"] == "albania_2022").sum()
    first = links[links["invoked_id"] == "gge2015_13f"].iloc[0]
    assert first["sentence"].startswith(f"{law.CLAIM_VERB}: Do not damage critical infrastructure")
    assert f"according to {first['claimant']} ({first['source_title']})" in first["sentence"]
    assert law.norm_links_for("no_such_incident", tables).empty
    rule = law.incidents_for_norm("sovereignty", tables)
    assert set(rule["invoked_id"]) == {"sovereignty"} and "georgia_2019" in set(rule["incident_id"])


def test_incident_norm_links_counts_every_claim_once(tables):
    frame = law.incident_norms_frame(tables)
    fig = law_charts.incident_norm_links(frame)
    claims = sum(row[2] for t in fig.data for row in t.customdata)
    assert claims == len(frame)
    kinds = data.enum("incident_norms", "claimant_kind")
    colours = theme.category_colours(kinds)
    for trace in fig.data:
        assert trace.marker.color == colours[trace.meta["claimant_kind"]]


def _all_figures(tables, positions, cut=None):
    cut = cut or (lambda frame: frame)
    return {
        "positions_grid": law_charts.positions_grid(cut(positions), as_of=data.as_of()),
        "positions_map": law_charts.positions_map(cut(positions), question="ihl", as_of=data.as_of()),
        "positions_timeline": law_charts.positions_timeline(cut(positions), as_of=data.as_of()),
        "attributions_directions": camps_charts.attributions_directions(
            cut(tables["attributions"]), tables["incidents"], as_of=data.as_of()
        ),
        "un_votes_over_time": camps_charts.un_votes_over_time(cut(tables["un_votes"]), as_of=data.as_of()),
        "incident_norm_links": law_charts.incident_norm_links(
            cut(law.incident_norms_frame(tables)), as_of=data.as_of()
        ),
    }


def test_every_figure_carries_a_source_line_and_a_title(tables, positions):
    for name, fig in _all_figures(tables, positions).items():
        line = theme.source_line_of(fig)
        assert line and line.startswith("Source: ") and data.as_of() in line and theme.KIT_CREDIT in line, name
        assert fig.layout.title.text, name


def test_empty_frames_say_nothing_matches(tables, positions):
    for name, fig in _all_figures(tables, positions, cut=lambda frame: frame.iloc[0:0]).items():
        messages = [a for a in fig.layout.annotations if a.name == EMPTY_STATE_NAME]
        assert messages, name
        assert theme.source_line_of(fig), name
        if name != "positions_map":  # the map keeps the world as context
            assert fig.layout.xaxis.visible is False, name


_SAMPLES = {  # what an explorer draws: everything, some, nothing
    "all": lambda frame: frame,
    "some": lambda frame: frame.iloc[: len(frame) // 3],
    "none": lambda frame: frame.iloc[0:0],
}
_EXPLORER_CHARTS = {
    "positions_grid": lambda t, p, cut, **o: law_charts.positions_grid(cut(p), **o),
    "positions_map": lambda t, p, cut, **o: law_charts.positions_map(cut(p), question="sovereignty", **o),
    "positions_timeline": lambda t, p, cut, **o: law_charts.positions_timeline(cut(p), **o),
    "incidents_by_year": lambda t, p, cut, **o: charts.incidents_by_year(cut(t["incidents"]), **o),
    "incidents_by_category": lambda t, p, cut, **o: charts.incidents_by_category(
        cut(t["incident_sectors"]), category="sector", title="By sector", **o
    ),
}


def _sent(fig) -> dict:
    """The figure as the page receives it, unnormalised: an unchecked build's layout as written
    (``_drawn`` reads it back through plotly, which would expand ``title_text`` and the like)."""
    import json

    import plotly.io as pio

    layout = fig.layout.to_plotly_json()
    layout.pop("template")
    if layout.get("shapes") == []:  # no lines between regions: a checked figure drops the empty list
        layout.pop("shapes")
    return json.loads(pio.to_json({"data": [t.to_plotly_json() for t in fig.data], "layout": layout}, validate=False))


def _drawn(fig) -> dict:
    """The figure as plotly.js receives it, its template left out."""
    import plotly.io as pio

    layout = fig.layout.to_plotly_json()
    layout.pop("template")
    return pio.from_json(pio.to_json({"data": [t.to_plotly_json() for t in fig.data], "layout": layout})).to_dict()


@pytest.mark.parametrize("chart", list(_EXPLORER_CHARTS))
@pytest.mark.parametrize("sample", list(_SAMPLES))
def test_an_unchecked_build_draws_what_the_checked_chart_draws(tables, positions, chart, sample):
    # What an explorer refills its live figures from (validate=False) against the published chart.
    build, cut = _EXPLORER_CHARTS[chart], _SAMPLES[sample]
    checked = build(tables, positions, cut, as_of=data.as_of())
    unchecked = build(tables, positions, cut, as_of=data.as_of(), validate=False)
    assert _drawn(unchecked) == _drawn(checked)
    assert checked.layout.template.layout.font.size == theme.BODY_FONT_SIZE  # the kit's template, resolved
    if chart == "positions_map":
        assert len(checked.data[0].x) > 1000  # arrays stay arrays (to_dict would pack them as base64)


def test_a_grid_cell_reads_the_same_under_any_filter_and_follows_its_row(positions):
    # Each cell's hover text is made once and remembered (the explorer draws the grid on every
    # change): the same cell under another filter says the same, and a changed row says its change.
    def cell(fig, holder, label):
        grid = _heatmap(fig)
        return list(grid.customdata[list(grid.y).index(holder)][list(grid.x).index(label)])

    everyone = law_charts.positions_grid(positions)
    europe = law_charts.positions_grid(law.select_positions(positions, region="Europe"))
    france = cell(everyone, "France", "Sovereignty")
    assert france == cell(europe, "France", "Sovereignty") and france[0] == "fra_2019"
    assert "Cyberattacks may constitute a violation of sovereignty." in france[4]
    edited = positions.copy()
    mask = (edited["holder_id"] == "FRA") & (edited["question"] == "sovereignty")
    edited.loc[mask, "quotation"] = "An edited quotation <b>"
    assert cell(law_charts.positions_grid(edited), "France", "Sovereignty")[4].startswith(
        "“An edited quotation &lt;b&gt;”"
    )
