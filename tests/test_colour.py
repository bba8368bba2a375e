"""The kit's colours for every reader (issue 18; WCAG 2.2 1.4.3, 1.4.11 and 1.4.1).

- Text stands 4.5:1 against its background: the charts' type, their source line, the app's pages.
- Every bar and dot of every gallery chart stands 3:1 against the background, by its fill or by
  the outline ``theme.mark_cues`` gives a pale mark.
- Categories of one chart stay apart for readers with the three common colour-vision deficiencies:
  simulated with colorspacious (protan, deutan, tritan at full severity, Machado et al. 2009), two
  categories closer than ``theme.CVD_DISTANCE`` (10, a CAM02-UCS distance) must also differ by a
  pattern or a symbol. Every chart also names each mark's category in words (hover label and its
  "show the data" table, ``briefing.accessible``), so no chart relies on colour alone.
"""

from __future__ import annotations

import itertools
import re

import plotly.graph_objects as go
import pytest
from conftest import REPO

from briefing import charts, data, gallery, theme

CVD_TYPES = ("protanomaly", "deuteranomaly", "tritanomaly")
TEXT_CONTRAST = 4.5


def cvd_distance(first: str, second: str) -> float:
    """The smallest CAM02-UCS distance of two ``#RRGGBB`` colours under normal vision and each
    simulated deficiency."""
    from colorspacious import cspace_convert, deltaE

    pair = [[int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)] for c in (first, second)]
    distances = [deltaE(pair[0], pair[1], input_space="sRGB1", uniform_space="CAM02-UCS")]
    for cvd in CVD_TYPES:
        space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
        seen = [[min(max(v, 0.0), 1.0) for v in cspace_convert(c, space, "sRGB1")] for c in pair]
        distances.append(deltaE(seen[0], seen[1], input_space="sRGB1", uniform_space="CAM02-UCS"))
    return float(min(distances))


def test_contrast_ratio_matches_wcags_examples():
    assert theme.contrast_ratio("#000000") == pytest.approx(21)
    assert theme.contrast_ratio("#FFFFFF") == pytest.approx(1)
    assert theme.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes


def _chart_text_colours() -> dict[str, str]:
    fig = charts.incidents_by_year(data.load("incidents"), as_of=data.as_of())
    template = go.layout.Template(theme._build_template())
    source = next(a for a in fig.layout.annotations if a.name == theme.SOURCE_LINE_NAME)
    return {"chart type": template.layout.font.color, "source line": source.font.color}


@pytest.mark.parametrize("what", ["chart type", "source line"])
def test_chart_text_stands_out_from_the_background(what):
    colour = _chart_text_colours()[what]
    assert theme.contrast_ratio(colour.upper()) >= TEXT_CONTRAST, f"{what}: {colour}"


# The app's index page (share/jupyter/voila/templates/briefing/tree.html): text and its backgrounds.
INDEX_PAIRS = [("#1a1a1a", "#f6f6f6"), ("#0b5394", "#ffffff"), ("#0b5394", "#eef4fb"), ("#555", "#ffffff")]


@pytest.mark.parametrize(("text", "background"), INDEX_PAIRS)
def test_the_app_index_text_stands_out(text, background):
    page = (REPO / "share/jupyter/voila/templates/briefing/tree.html").read_text(encoding="utf-8")
    assert (text in page and background in page.lower()) or background == "#ffffff", (text, background)
    full = "#" + "".join(ch * 2 for ch in text[1:]) if len(text) == 4 else text
    assert theme.contrast_ratio(full.upper(), background.upper()) >= TEXT_CONTRAST


def _marks(fig: go.Figure):
    for trace in fig.data:
        colour = getattr(getattr(trace, "marker", None), "color", None)
        is_mark = trace.type == "bar" or (trace.type == "scatter" and "markers" in (trace.mode or ""))
        if is_mark and isinstance(colour, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
            yield trace, colour.upper()


@pytest.fixture(scope="module")
def gallery_figures():
    tables = data.load_all()
    return {name: gallery.build(name, tables=tables).figure for name in gallery.RECIPES}


@pytest.mark.parametrize("name", list(gallery.RECIPES))
def test_every_mark_stands_out_from_the_background(gallery_figures, name):
    checked = 0
    for trace, colour in _marks(gallery_figures[name]):
        checked += 1
        if theme.contrast_ratio(colour) >= theme.MARK_CONTRAST:
            continue
        line = trace.marker.line
        edge = (line.color or "").upper()
        assert re.fullmatch(r"#[0-9A-F]{6}", edge) and (line.width or 0) >= 1, (
            f"{name}, {trace.name!r}: {colour} is {theme.contrast_ratio(colour):.2f}:1 with no outline"
        )
        assert theme.contrast_ratio(edge) >= theme.MARK_CONTRAST, f"{name}, {trace.name!r}: outline {edge}"
    if name not in ("participation-map", "recommendations-flow", "norms-matrix"):  # no bars or dots
        assert checked, f"{name}: no bar or dot checked"


def _categories(fig: go.Figure) -> dict[tuple[str, str], tuple[str, str | None]]:
    """Each category of bars or dots: its colour and second cue (pattern or symbol)."""
    found = {}
    for trace, colour in _marks(fig):
        kind = "bar" if trace.type == "bar" else "dot"
        cue = trace.marker.pattern.shape if kind == "bar" else trace.marker.symbol
        found.setdefault((kind, trace.legendgroup or trace.name or ""), (colour, cue or None))
    return found


@pytest.mark.parametrize("name", list(gallery.RECIPES))
def test_categories_stay_apart_for_colour_blind_readers(gallery_figures, name):
    categories = _categories(gallery_figures[name])
    for (first, (colour_a, cue_a)), (second, (colour_b, cue_b)) in itertools.combinations(categories.items(), 2):
        if first[0] != second[0] or (colour_a == colour_b and cue_a != cue_b):
            continue
        distance = cvd_distance(colour_a, colour_b)
        assert distance >= theme.CVD_DISTANCE or cue_a != cue_b, (
            f"{name}: {first[1]!r} ({colour_a}) and {second[1]!r} ({colour_b}) are {distance:.1f} apart "
            "under a simulated colour-vision deficiency and share their pattern or symbol"
        )


def test_the_list_of_close_colours_is_up_to_date():
    close = {
        frozenset(pair)
        for pair in itertools.combinations(theme.CATEGORICAL, 2)
        if cvd_distance(*pair) < theme.CVD_DISTANCE
    }
    assert close == set(theme.CLOSE_UNDER_CVD)


def test_two_categories_of_one_colour_get_a_pattern_and_a_pale_bar_an_outline():
    """More categories than the palette holds: colours repeat, and a pattern tells them apart."""
    fig = go.Figure(
        [
            go.Bar(x=["a"], y=[1], name="first", marker_color="#E69F00"),
            go.Bar(x=["a"], y=[2], name="second", marker_color="#E69F00"),
        ]
    )
    theme.mark_cues(fig)
    assert fig.data[0].marker.pattern.shape is None and fig.data[1].marker.pattern.shape in theme.BAR_PATTERNS
    for trace in fig.data:  # both are under 3:1 on white
        assert theme.contrast_ratio(trace.marker.line.color) >= theme.MARK_CONTRAST


def test_a_mark_built_as_plain_properties_is_outlined_as_mark_cues_would_and_then_left_alone():
    # An explorer builds some traces as plain dicts and outlines them as it makes them: the same
    # rule as mark_cues (theme.missing_outline), so its finish finds nothing left to assign.
    from briefing.charts.common import _with_outline

    pale = {"type": "bar", "x": ["a"], "y": [1], "name": "pale", "marker": {"color": "#E69F00", "opacity": 0.45}}
    by_objects = theme.mark_cues(go.Figure([go.Bar(pale)])).data[0].marker.line.to_plotly_json()
    plain = _with_outline(pale)
    assert plain["marker"]["line"] == by_objects and theme.contrast_ratio(by_objects["color"]) >= theme.MARK_CONTRAST
    assert "line" not in pale["marker"]  # the caller's dict is not changed
    assert theme.missing_outline(plain) is None
    dark = {"type": "scatter", "mode": "markers", "marker": {"color": "#000000"}}
    assert _with_outline(dark) is dark  # a mark that stands out needs nothing
