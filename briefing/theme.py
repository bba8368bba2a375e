"""The kit's plotly template, palette and source line.

Every figure the kit makes uses the ``briefing`` template and carries a source line, so no chart
leaves the kit without its citation.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from briefing import render

TEMPLATE_NAME = "briefing"

# Okabe & Ito's palette: distinguishable with the common colour-vision deficiencies.
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
# For charts with more categories than Okabe & Ito's eight: their eight first, then ten from Paul
# Tol's schemes, chosen so that every pair stays apart (CIE76 delta E >= 11) under simulated
# protanopia, deuteranopia and tritanopia as well as normal vision (tests/test_charts.py checks).
# Greys are left out: the kit draws "none" and "not taking part" in grey.
CATEGORICAL = PALETTE + [
    "#332288",  # indigo
    "#882255",  # wine
    "#774411",  # brown
    "#D1BBD7",  # pale purple
    "#AAAA44",  # olive
    "#117733",  # green
    "#114477",  # dark blue
    "#FFAABB",  # pink
    "#99DDFF",  # pale cyan
    "#EECC66",  # sand
]
SEQUENTIAL = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
FONT_FAMILY = "Inter, 'Helvetica Neue', Arial, sans-serif"
SOURCE_LINE_NAME = "source_line"
KIT_CREDIT = "Cyber Norms Briefing Kit"
# The bottom margin leaves room for axis title and tick labels above the source line.
SOURCE_LINE_MARGIN = 120


def _build_template() -> go.layout.Template:
    template = go.layout.Template()
    template.layout = go.Layout(
        font=dict(family=FONT_FAMILY, size=14, color="#222222"),
        title=dict(font=dict(size=20), x=0.01, xanchor="left"),
        colorway=PALETTE,
        colorscale=dict(sequential=[[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)]),
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=13), align="left"),
        legend=dict(font=dict(size=13), bgcolor="rgba(255,255,255,0.8)"),
        xaxis=dict(
            showgrid=True, gridcolor="#e5e5e5", zeroline=False, linecolor="#888888", ticks="outside", automargin=True
        ),
        yaxis=dict(
            showgrid=True, gridcolor="#e5e5e5", zeroline=False, linecolor="#888888", ticks="outside", automargin=True
        ),
        margin=dict(l=60, r=30, t=80, b=SOURCE_LINE_MARGIN),
    )
    return template


def category_colours(declared, present=()) -> dict[str, str]:
    """A colour for every category, fixed by its position in ``declared`` (a schema's enum).

    A category keeps its colour whatever else is filtered out, because the colour never depends on
    which categories are present. Values the schema does not declare (e.g. in imported data) come
    after the declared ones, in sorted order. With more categories than :data:`CATEGORICAL` holds,
    colours repeat; the charts then add a second cue (a marker symbol).
    """
    order = list(dict.fromkeys(declared))
    order += sorted({str(value) for value in present if value is not None and value == value} - set(order))
    return {value: CATEGORICAL[index % len(CATEGORICAL)] for index, value in enumerate(order)}


def register_template() -> str:
    """Register the kit's template with plotly (idempotent) and return its name."""
    if TEMPLATE_NAME not in pio.templates:
        pio.templates[TEMPLATE_NAME] = _build_template()
    return TEMPLATE_NAME


def source_text(source_titles: list[str], *, as_of: str | None = None) -> str:
    """The text of a source line: 'Source: A; B. Data as of 2026-11-23. Cyber Norms Briefing Kit.'

    Titles are escaped, since plotly renders a subset of HTML in annotations.
    """
    titles = [render.escape(title) for title in dict.fromkeys(source_titles) if title]
    text = "Source: " + ("; ".join(titles) if titles else "Cyber Norms Briefing Kit curated data")
    if as_of:
        text += f". Data as of {render.escape(as_of)}"
    return text + f". {KIT_CREDIT}."


SOURCE_FONT_SIZE = 11
BODY_FONT_SIZE = 14


def add_source_line(
    fig: go.Figure,
    text: str,
    *,
    extra_margin: int | None = None,
    font_size: int = SOURCE_FONT_SIZE,
    body_size: int = BODY_FONT_SIZE,
) -> go.Figure:
    """Put ``text`` as the figure's source line (bottom left), replacing any earlier one.

    ``extra_margin`` widens the bottom margin for charts with long tick labels under the plot (at
    the template's body size); it is remembered in the figure's layout ``meta``, so a figure
    dressed again (e.g. for export at a larger type size) keeps the room, scaled to ``body_size``.
    """
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    # The line starts at the plot's left edge: after the margin, or after the row labels where
    # plotly widens the margin to fit them (a grid of states' names).
    margin = fig.layout.margin
    left = max(margin.l if margin.l is not None else 80, _row_label_px(fig, body_size))
    room = (fig.layout.width or ASSUMED_WIDTH_PX) - left - (margin.r or 0)
    text = wrap_source_text(text, width_px=max(room, 200), font_size=font_size)
    if extra_margin is None:
        extra_margin = int(meta.get("bottom_labels_px", 0))
    else:
        meta["bottom_labels_px"] = extra_margin
    fig.update_layout(meta=meta)
    scale = body_size / BODY_FONT_SIZE
    lines = text.count("<br>") + 1
    top_of_text = round((SOURCE_LINE_MARGIN - 25 + extra_margin) * scale)  # below the axis labels
    fig.update_layout(margin_b=top_of_text + round(font_size * 1.3 * lines) + 11)
    kept = [a for a in fig.layout.annotations if a.name != SOURCE_LINE_NAME]
    fig.layout.annotations = kept
    fig.add_annotation(
        name=SOURCE_LINE_NAME,
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-top_of_text,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font=dict(size=font_size, color="#555555"),
    )
    return fig


def source_line_of(fig: go.Figure) -> str | None:
    """The figure's source line text (one line, as a citation reads), or None if it has none."""
    for annotation in fig.layout.annotations:
        if annotation.name == SOURCE_LINE_NAME:
            return " ".join(part.strip() for part in annotation.text.split("<br>"))
    return None


def _row_label_px(fig: go.Figure, body_size: int) -> int:
    """About how wide the longest text label on a y axis is drawn (0 for numeric axes)."""
    longest = 0
    for trace in fig.data:
        values = getattr(trace, "y", None)
        if values is not None and len(values) and isinstance(values[0], str):
            longest = max(longest, max(len(str(value)) for value in values))
    return round(longest * body_size * 0.55) + 20 if longest else 0


# A chart without a set width (a live figure in a page) is assumed this narrow: two charts side by
# side in an explorer, or a newsletter column.
ASSUMED_WIDTH_PX = 560


def wrap_source_text(text: str, *, width_px: int, font_size: int) -> str:
    """``text`` broken into lines (``<br>``) that fit ``width_px`` at ``font_size``, between words.

    Plotly never wraps an annotation: a long source line ran off the chart's right edge.

    >>> wrap_source_text("Source: a b c. Data as of 2026-11-30. Cyber Norms Briefing Kit.", width_px=120, font_size=10)
    'Source: a b c. Data<br>as of 2026-11-30.<br>Cyber Norms Briefing<br>Kit.'
    """
    limit = max(20, int(width_px / (font_size * 0.55)))
    lines = []
    for segment in text.split("<br>"):
        line = ""
        for word in segment.split(" "):
            if line and len(line) + 1 + len(word) > limit:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "<br>".join(lines)
