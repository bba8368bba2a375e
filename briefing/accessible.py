"""What a live chart and an explorer offer a reader who cannot see the chart or use a mouse.

- **A name and a table.** Every live figure (``briefing.live_figure.LiveFigure``) carries its drafted
  alt text (:func:`briefing.alt_text.alt_text`) as the chart's accessible name, and a "show the
  data" table, :func:`chart_table`, read from the figure the kernel holds after each update: the
  same values the page draws, one row per mark, after the current filters. There is no second
  update path to fall out of step: the table is the figure's data, read when the figure changes.
- **A keyboard route to the records.** A row of a chart whose marks open a record when clicked has
  an "Open" button; :func:`open_point` sends the kernel the same click a mouse would.
- **Status said aloud.** :class:`StatusLine` is an explorer's "Showing 12 incidents" line as a live
  region (``role=status``): a filter that empties the chart is announced; the details panel
  announces a record opened. Its front end and the live figure's also name the page's slider
  handles for screen readers (ipywidgets leaves them nameless) and give the kit's controls a visible
  focus ring (``assets/page_helpers.js``).
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import anywidget
import traitlets

__all__ = ["MAX_ROWS", "StatusLine", "cell_text", "chart_table", "open_point", "plain_text"]

#: The most rows a chart's table lists (it says how many it left out). The kit's curated charts
#: draw a few hundred marks at most; an imported file's can draw many thousands.
MAX_ROWS = 2000
ASSETS = Path(__file__).parent / "assets"
_FIELD = re.compile(r"%\{([^}:|]+)(?:[:|][^}]*)?\}")
_TAG = re.compile(r"<[^>]+>")
_EXTRA = re.compile(r"<extra>.*?</extra>", re.S)
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(\.0+)?$")


def cell_text(value) -> str:
    """How one value reads in a chart's table (and how a test spells what the page drew)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,.4g}"
    text = html.unescape(str(value))
    midnight = _MIDNIGHT.match(text)
    return midnight.group(1) if midnight else text


def _at(values, index):
    if isinstance(values, (list, tuple)) and not isinstance(index, tuple):
        return values[index] if index < len(values) else None
    if isinstance(index, tuple) and isinstance(values, (list, tuple)):  # a heatmap's (row, column)
        row = values[index[0]] if index[0] < len(values) else None
        return row[index[1]] if isinstance(row, (list, tuple)) and index[1] < len(row) else None
    return values


def _hover_words(trace: dict, index, point: dict) -> str:
    """The hover label a mouse reader sees on this mark, as plain text."""
    template = _at(trace.get("hovertemplate"), index) if trace.get("hovertemplate") else None
    if not template:
        words = _at(trace.get("hovertext"), index) or _at(trace.get("text"), index)
        return plain_text(words) if words is not None else ""

    def field(match: re.Match) -> str:
        name = match.group(1).strip()
        item = re.fullmatch(r"(\w+)\[(\d+)\]", name)
        if item:
            value = point.get(item.group(1))
            value = value[int(item.group(2))] if isinstance(value, (list, tuple)) else None
        else:
            value = point.get(name)
        return cell_text(value)

    return plain_text(_FIELD.sub(field, _EXTRA.sub("", str(template))))


def plain_text(text) -> str:
    """Text of a label as a reader hears it: tags dropped, line breaks as "; ", entities decoded."""
    spaced = re.sub(r"<br\s*/?>", "; ", str(text))
    return html.unescape(_TAG.sub("", spaced)).strip(" ;")


def _points(trace: dict):
    """Each mark of a trace: its index (a heatmap's is (row, column)) and its values."""
    if trace.get("type") == "heatmap":
        for row, (y, values) in enumerate(zip(trace.get("y") or [], trace.get("z") or [])):
            for column, (x, z) in enumerate(zip(trace.get("x") or [], values or [])):
                if z is not None:
                    cell = (row, column)
                    yield cell, {"x": x, "y": y, "z": z, "customdata": _at(trace.get("customdata"), cell)}
        return
    xs, ys = trace.get("x") or [], trace.get("y") or []
    for index in range(max(len(xs), len(ys))):
        point = {key: _at(trace.get(key), index) for key in ("x", "y", "base", "customdata", "text", "hovertext")}
        if point["x"] is not None or point["y"] is not None:
            yield index, point


def chart_table(traces: list[dict], *, x_title: str | None, y_title: str | None, openable: set[int]) -> dict:
    """The rows of a chart's "show the data" table: one per mark the chart draws.

    ``traces`` are the figure's traces as the kernel holds them (``figure._data``); ``openable``
    the indexes of the traces whose marks open a record. Each row keeps where its mark is
    (``trace``, ``point``) so that its "Open" button can send the click a mouse would.
    A map's shaded countries are listed by name (their outlines are not data).
    """
    columns = ["Series", x_title or "Horizontal axis", y_title or "Vertical axis", "Value", "Details"]
    rows: list[dict] = []
    total = 0
    for number, trace in enumerate(traces):
        series = plain_text(trace.get("name") or "")
        if trace.get("fill") == "toself":  # a map layer: its countries, not its outline's points
            for country in (trace.get("meta") or {}).get("countries", []):
                total += 1
                if len(rows) < MAX_ROWS:
                    rows.append({"cells": [series, "", "", "", plain_text(country)], "trace": number, "point": None})
            continue
        for index, point in _points(trace):
            total += 1
            if len(rows) >= MAX_ROWS:
                continue
            cells = [series, cell_text(point["x"]), cell_text(point["y"]), cell_text(point.get("z"))]
            cells.append(_hover_words(trace, index, point))
            where = list(index) if isinstance(index, tuple) else index
            rows.append({"cells": cells, "trace": number, "point": where if number in openable else None})
    if not any(row["cells"][3] for row in rows):  # no heatmap: no "Value" column
        columns.pop(3)
        for row in rows:
            row["cells"].pop(3)
    return {"columns": columns, "rows": rows, "total": total}


def open_point(figure, trace_index: int, point) -> bool:
    """Do what a click on one mark does (the keyboard's "Open"); False if that mark opens nothing."""
    from plotly.callbacks import Points

    if not 0 <= trace_index < len(figure.data):
        return False
    trace = figure.data[trace_index]
    if not getattr(trace, "_click_callbacks", None):
        return False
    index = tuple(point) if isinstance(point, list) else point
    props = figure._data[trace_index]
    if isinstance(index, tuple):
        x, y = _at(props.get("x"), index[1]), _at(props.get("y"), index[0])
    else:
        x, y = _at(props.get("x"), index), _at(props.get("y"), index)
    points = Points(
        point_inds=[list(index) if isinstance(index, tuple) else index],
        xs=[x],
        ys=[y],
        trace_name=props.get("name"),
        trace_index=trace_index,
    )
    trace._dispatch_on_click(points, None)
    return True


class StatusLine(anywidget.AnyWidget):
    """An explorer's status line ("Showing 12 incidents", or that nothing matches) as a live region.

    Same ``value`` as the ``ipywidgets.HTML`` it replaces (escaped HTML, set by the explorer).
    """

    _esm = "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in ("page_helpers.js", "status_line.js"))
    value = traitlets.Unicode("").tag(sync=True)
