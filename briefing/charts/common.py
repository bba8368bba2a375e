"""Shared pieces of every chart: the finish (template, title, source line), the empty state, axes, dates."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from briefing import render, theme, tidy
from briefing.tidy import _DATE_FORMAT as _DATE_FORMAT
from briefing.tidy import format_date as format_date

EMPTY_MESSAGE = "Nothing matches these filters"
#: The name of the annotation an empty figure carries (tests and alt text look for it).
EMPTY_STATE_NAME = "empty_state"

_PRECISION_SPAN = {"month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}


def source_line_for(frame: pd.DataFrame, *, as_of: str | None = None) -> str:
    """A source line that says how many cited sources stand behind the rows of ``frame``."""
    count = frame["source_id"].nunique() if "source_id" in frame else 0
    titles = frame["source_title"].dropna() if "source_title" in frame else pd.Series(dtype=object)
    if count == 1 and len(titles):
        return theme.source_text([str(titles.iloc[0])], as_of=as_of)
    described = f"Cyber Norms Briefing Kit curated data, {tidy.count_of(count, 'cited source')} (see the sources table)"
    return theme.source_text([described], as_of=as_of)


def _finish(
    fig: go.Figure,
    *,
    title: str,
    source_line: str,
    height: int | None = None,
    bottom_labels_px: int = 0,
    subtitle: str | None = None,
    notes: tuple[str, ...] = (),
    empty: bool = False,
) -> go.Figure:
    """Apply the template, title, subtitle and source line.

    The subtitle line holds ``subtitle`` (e.g. the filters applied) and then the chart's own
    ``notes`` (what it could not place), all escaped. ``bottom_labels_px`` reserves room for long
    tick labels under the plot, so they never run into the source line. ``empty`` replaces the
    axes with the message that nothing matches.
    """
    heading = render.escape(title)
    below = "; ".join(part for part in (subtitle, *notes) if part)
    if below:
        heading += f"<br><sup>{render.escape(below)}</sup>"
    fig.update_layout(template=theme.register_template(), title=dict(text=heading))
    if height:
        fig.update_layout(height=height + bottom_labels_px)
    if empty:
        _show_empty(fig)
    theme.mark_cues(fig)  # pale marks outlined; categories alike to colour-blind readers patterned
    return theme.add_source_line(fig, source_line, extra_margin=bottom_labels_px)


def _unchecked_figure(*traces, layout: dict | None = None) -> go.Figure:
    """A figure that skips plotly's per-property checks while a chart is built into it.

    plotly validates every property on every call (each ``update_layout``, each trace, and the
    whole template when it is named): building an explorer's three figures cost 60-80 ms a filter
    change. A chart built here is checked once, as a whole, by :func:`_checked`; an explorer
    refilling a live figure skips even that, since the live figure checks what it is given.

    ``layout`` is plain layout properties, nested as plotly.js reads them (``{"legend": {"title":
    {"text": ...}}}``, never ``legend_title_text``: unchecked, nothing expands the short form).
    Each ``update_layout`` or ``update_xaxes`` call costs about a millisecond; a dict costs nothing.
    The template is left empty here: :func:`_finish` names the kit's, and plotly's default (copied
    whole into every new figure) cost 0.6 ms a chart for nothing.
    """
    return go.Figure(list(traces), layout={"template": {}} | (layout or {}), _validate=False)


def _checked(fig: go.Figure, validate: bool) -> go.Figure:
    """``fig`` checked by plotly as a whole (its template name resolved), unless ``validate`` is False."""
    if not validate:
        return fig
    # Each part's own properties, not ``fig.to_dict()``: that packs numeric arrays as base64.
    return go.Figure(data=[trace.to_plotly_json() for trace in fig.data], layout=fig.layout.to_plotly_json())


def _with_outline(props: dict) -> dict:
    """A trace's plain properties with the outline ``theme.mark_cues`` would give its pale marks:
    a chart that builds its traces as plain dicts outlines them as it makes them (cheaply), and
    its finish then finds them done (assigning through plotly's objects cost 0.3 ms a trace)."""
    line = theme.missing_outline(props)
    if not line:
        return props
    return props | {"marker": props["marker"] | {"line": (props["marker"].get("line") or {}) | line}}


def empty_annotation(**style) -> go.layout.Annotation:
    """The message an empty figure shows in its middle (named, so tests, alt text and explorers find it)."""
    return go.layout.Annotation(
        name=EMPTY_STATE_NAME,
        text=EMPTY_MESSAGE,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font=dict(size=18, color="#555555"),
        **style,
    )


def _show_empty(fig: go.Figure) -> None:
    """Say that nothing matches instead of drawing axes with made-up ranges."""
    fig.add_annotation(empty_annotation())
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(showlegend=False)


def _count_axis(most: float, *, most_ticks: int = 8) -> dict:
    """Axis settings for a count: whole-number ticks only (never 0.5), ``most_ticks`` at most."""
    step = 1
    while most / step > most_ticks:
        for factor in (2, 2.5, 2):  # 1, 2, 5, 10, 20, 50 ...
            step = int(step * factor)
            if most / step <= most_ticks:
                break
    return dict(tick0=0, dtick=step, tickformat=",d", rangemode="tozero")


def _year_axis(years) -> dict:
    """Axis settings for years: every year when there are few, every 2nd or 5th when there are many."""
    years = [int(y) for y in years]
    span = (max(years) - min(years)) if years else 0
    step = 1 if span <= 12 else 2 if span <= 24 else 5
    return dict(tick0=0, dtick=step, tickformat="d")


def _in_declared_order(values, colours: dict) -> list:
    """The distinct ``values`` in the order their colours were assigned (the schema's order)."""
    present = set(values)
    return [value for value in colours if value in present]


def _text_rows(frame: pd.DataFrame, columns: list[str]) -> list[list[str]]:
    """Cells of ``columns`` as lists of strings, a missing value as "" (strict JSON has no NaN)."""
    return [
        ["" if pd.isna(value) else str(value) for value in row]
        for row in frame[columns].itertuples(index=False, name=None)
    ]


def _two_lines(label: str) -> str:
    """A tick label broken after its middle word, so labels sit level instead of slanting."""
    words = label.split()
    if len(words) < 3:
        return label
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "<br>" + " ".join(words[half:])


def _rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"
