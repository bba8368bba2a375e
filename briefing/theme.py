"""The kit's plotly template, palette and source line.

Every figure the kit makes uses the ``briefing`` template and carries a source line, so no chart
leaves the kit without its citation.
"""

from __future__ import annotations

from functools import lru_cache

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
# For charts with more categories than Okabe & Ito's eight: their eight first, then ten chosen
# (greedily, each the farthest from all before it) so that every pair of the eighteen stays at
# least 12 apart in CAM02-UCS under normal vision and simulated protan, deutan and tritan vision
# (colorspacious, full severity), and as far from the kit's greys (#888888, #C8C8C8, #EEEEEE). Paul Tol's colours, used here before, left eleven pairs under 10
# (his indigo and dark blue merged for a deutan reader). tests/test_colour.py checks every chart.
# Greys are left out: the kit draws "none" and "not taking part" in grey.
CATEGORICAL = PALETTE + [
    "#553311",  # dark brown
    "#111177",  # navy
    "#115555",  # dark teal
    "#BBDDFF",  # pale blue
    "#775533",  # brown
    "#9977FF",  # lavender
    "#5511BB",  # violet
    "#55FF99",  # mint
    "#99BB77",  # sage
    "#991155",  # plum
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


# Mark colours and second cues (WCAG 1.4.11 non-text contrast, 1.4.1 use of colour).
BACKGROUND = "#FFFFFF"
MARK_CONTRAST = 3.0
#: Two categories on one chart closer than this (CAM02-UCS distance, under normal vision or a
#: simulated protan, deutan or tritan deficiency) also differ by a pattern or a symbol.
CVD_DISTANCE = 10.0
#: The pairs of :data:`CATEGORICAL` colours closer than :data:`CVD_DISTANCE`, worked out once with
#: colorspacious (full-severity simulation, Machado et al. 2009); tests/test_colour.py works them out
#: again and fails if this list is out of date. Kept as data so drawing a chart needs no colour science.
CLOSE_UNDER_CVD: frozenset[frozenset[str]] = frozenset()  # none since the palette was chosen for it
# "/" is left out: hatching marks imported rows (charts/incidents.py).
BAR_PATTERNS = (".", "x", "+", "-", "|", "\\")
MARKER_SYMBOLS = ("diamond", "square", "triangle-up", "cross", "x", "star", "triangle-down", "pentagon")


@lru_cache(maxsize=256)  # pure, and asked for every mark of every chart
def contrast_ratio(colour: str, background: str = BACKGROUND) -> float:
    """WCAG's contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@lru_cache(maxsize=256)
def outline_for(colour: str) -> str:
    """``colour`` darkened (same hue) until it stands 3:1 against the background: the edge of a
    mark too pale to stand out by its fill (Okabe & Ito's yellow is 1.3:1 on white)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(21):
        factor = 1 - step * 0.05
        darker = f"#{round(red * factor):02X}{round(green * factor):02X}{round(blue * factor):02X}"
        if contrast_ratio(darker) >= MARK_CONTRAST:
            return darker
    return "#000000"


def _hex(colour) -> str | None:
    if isinstance(colour, str) and len(colour) == 7 and colour.startswith("#"):
        return colour.upper()
    return None


def mark_cues(fig: go.Figure) -> go.Figure:
    """Make every mark stand out from the page, and categories differ by more than colour.

    A bar or dot whose colour is under 3:1 against the background gets an outline of its own hue
    that is not. Where two categories of the chart would look alike to a reader with a colour-vision
    deficiency (a pair in :data:`CLOSE_UNDER_CVD`, or one colour used twice when a chart has more
    categories than the palette), the later one also gets a pattern (bars) or a
    symbol (dots). Marks that already have a pattern or symbol keep it.
    """
    # Read from the traces' plain property dicts: asking plotly's trace objects (marker, line,
    # mode ...) cost an explorer's map of 32 traces about 5 ms on every filter change.
    for trace, props in zip(fig.data, fig._data):
        if line := missing_outline(props):
            trace.marker.line.color, trace.marker.line.width = line["color"], line["width"]
    _second_cues(fig)
    return fig


def missing_outline(props: dict) -> dict | None:
    """The outline a pale mark needs (colour and width), or None if it has one or needs none."""
    marker = props.get("marker") or {}
    colour = _hex(marker.get("color")) if _mark_kind(props) else None
    line = marker.get("line") or {}
    if colour and contrast_ratio(colour) < MARK_CONTRAST and not _outlined(line, outline_for(colour)):
        return {"color": outline_for(colour), "width": max(line.get("width") or 0, 1)}
    return None


def _outlined(line: dict, outline: str) -> bool:
    """The mark has that outline already (a trace made once and reused, e.g. a legend square)."""
    return line.get("color") == outline and (line.get("width") or 0) >= 1


def _mark_kind(props: dict) -> str | None:
    """The kind of mark (bar or dot), or None: a sankey, heatmap or map layer has none to cue."""
    if props.get("type") == "bar":
        return "bar"
    if props.get("type") == "scatter" and "markers" in (props.get("mode") or ""):
        return "dot"
    return None


def _entries(fig: go.Figure) -> dict[tuple[str, str], list]:
    """The chart's categories: (kind of mark, legend group or name) -> its (trace, properties)."""
    entries: dict[tuple[str, str], list] = {}
    for trace, props in zip(fig.data, fig._data):
        kind = _mark_kind(props)
        key = props.get("legendgroup") or props.get("name")
        if kind and key and _hex((props.get("marker") or {}).get("color")):
            entries.setdefault((kind, key), []).append((trace, props))
    return entries


def _cue(props: dict) -> str | None:
    marker = props.get("marker") or {}
    if props.get("type") == "bar":
        return (marker.get("pattern") or {}).get("shape") or None
    return marker.get("symbol") if isinstance(marker.get("symbol"), str) else None


def _second_cues(fig: go.Figure) -> None:
    entries = _entries(fig)
    used: dict[str, list[tuple[str | None, str | None]]] = {"bar": [], "dot": []}
    for (kind, _key), traces in entries.items():
        first = traces[0][1]
        colour, cue = _hex(first["marker"]["color"]), _cue(first)
        clashes = [
            other
            for other, other_cue in used[kind]
            if other_cue == cue and (colour == other or frozenset((colour, other)) in CLOSE_UNDER_CVD)
        ]
        if clashes and cue is None:
            taken = {other_cue for _other, other_cue in used[kind]}
            choices = BAR_PATTERNS if kind == "bar" else MARKER_SYMBOLS
            cue = next((c for c in choices if c not in taken), choices[0])
            for trace, _props in traces:
                if kind == "bar":
                    trace.marker.pattern = dict(shape=cue, fillmode="overlay", fgcolor="#333333", solidity=0.3)
                else:
                    trace.marker.symbol = cue
        used[kind].append((colour, cue))


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
    room = plot_width_px(fig, body_size)
    text = wrap_source_text(text, width_px=max(room, 200), font_size=font_size)
    if extra_margin is None:
        extra_margin = int(meta.get("bottom_labels_px", 0))
    else:
        meta["bottom_labels_px"] = extra_margin
    fig.update_layout(meta=meta)
    scale = body_size / BODY_FONT_SIZE
    lines = text.count("<br>") + 1
    top_of_text = round((SOURCE_LINE_MARGIN - 25 + extra_margin) * scale)  # below the axis labels
    below = legend_below_px(fig, body_size)
    if below:  # the legend's rows sit between the tick labels and the source line
        top_of_text = max(top_of_text, round(_tick_labels_px(body_size) + below + body_size * 0.6))
    fig.update_layout(margin_b=top_of_text + round(font_size * 1.3 * lines) + 11)
    place_legend_below(fig, body_size)
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


def legend_grid(names: list[str], *, width: int, body_size: int) -> tuple[int, int]:
    """How a legend laid in rows across ``width`` px takes its entries: the width of one entry
    (symbol, gap and its longest name's text) and the number of rows. Plotly wraps such a legend
    into columns as wide as its widest entry."""
    widest = round(max(len(name) for name in names) * body_size * 0.55 + 40)
    per_row = max(1, int((width - 20) // widest))
    return widest, -(-len(names) // per_row)


def _legend_names(fig: go.Figure) -> list[str]:
    # The traces' plain properties: asked of plotly's trace objects, this cost a map 1 ms a change.
    return [str(props["name"]) for props in fig._data if props.get("name") and props.get("showlegend") is not False]


def plot_width_px(fig: go.Figure, body_size: int) -> int:
    """About how wide the plot is drawn: the figure less its margins, or less its row labels where
    plotly widens the left margin to fit them."""
    margin = fig.layout.margin
    left = max(margin.l if margin.l is not None else 80, _row_label_px(fig, body_size))
    return (fig.layout.width or ASSUMED_WIDTH_PX) - left - (margin.r or 0)


def _tick_labels_px(body_size: int) -> float:
    """The height an x axis's tick marks and one line of tick labels take under the plot."""
    return body_size * 1.5 + 8


def legend_below_px(fig: go.Figure, body_size: int) -> int:
    """The height of the legend's rows where the chart asks for its legend under the plot
    (``meta["legend_below"]``: panels side by side, which a legend beside them squeezes); else 0."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    names = _legend_names(fig)
    if not meta.get("legend_below") or not names or fig.layout.showlegend is False:
        return 0
    _, rows = legend_grid(names, width=plot_width_px(fig, body_size), body_size=body_size)
    return round(rows * body_size * 1.65)  # a legend row is about 1.6 times its type size


def place_legend_below(fig: go.Figure, body_size: int) -> None:
    """Lay the legend (of a chart that asks for it under the plot) in rows under the tick labels,
    in columns as wide as its widest entry, from the plot's left edge. Call again after the
    figure's height changes: the place is a share of the plot's height."""
    if not legend_below_px(fig, body_size):
        return
    widest, _ = legend_grid(_legend_names(fig), width=plot_width_px(fig, body_size), body_size=body_size)
    margin = fig.layout.margin
    top = margin.t if margin.t is not None else 80
    plot_px = max(1, (fig.layout.height or 450) - top - (margin.b or SOURCE_LINE_MARGIN))
    fig.update_layout(
        legend=dict(
            orientation="h",
            x=0,
            xanchor="left",
            yref="paper",
            y=-_tick_labels_px(body_size) / plot_px,
            yanchor="top",
            title_text=None,
            entrywidth=widest - 40,
            entrywidthmode="pixels",
            tracegroupgap=0,
        )
    )


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
