"""What a notebook's widgets become in the static site (runs in the kernel, only when building it).

A widget needs a kernel; a page on disk has none. :func:`static_display` tells IPython to show each
figure and widget as HTML instead, read from the objects the notebook holds after it ran:

- a figure (a live figure too) as a plotly chart that draws the kernel's figure, interactive in the
  page (hover, zoom, legend toggling);
- an explorer (:class:`briefing.controls.base.Explorer`) as its charts as the notebook left them,
  the count it showed, and the rows behind the charts: a table, a CSV download and a citation line
  (rows imported from a reader's own file are never copied into a page);
- a quiz as its questions, each answer's feedback revealed in the page when a reader picks it;
- a tabletop exercise as its briefing and its stage cards, each choice's feedback behind a reveal.

Each output also carries :data:`MIME`: what each chart holds in the kernel (``live_figure.kernel_state``),
which the site's browser test compares with what the page drew. In JupyterLab and Voila nothing
changes: only the site builder calls :func:`static_display`.
"""

from __future__ import annotations

import gc
import html
import json
import urllib.parse

import ipywidgets as widgets
import pandas as pd
from IPython import get_ipython
from IPython.display import display
from plotly.basedatatypes import BaseFigure

from briefing import alt_text, data, render, writing
from briefing.live_figure import kernel_state, plain

MIME = "application/vnd.briefing.site+json"
#: Rows of a "data behind this chart" table shown in the page; the CSV always holds them all.
TABLE_ROWS = 100
NEEDS_KERNEL_TO_SCORE = (
    "<p class='briefing-static-note'><i>Print this scorecard for the judges; totalling the scores on screen "
    "needs a running kernel (make lab or make app).</i></p>"
)
PACKS_WITHOUT_KERNEL = (
    "<p class='briefing-static-note'><i>Writing an exercise pack needs the kit itself: run "
    "<code>briefing export-pack SCENARIO --out FOLDER</code> in a terminal, or press Export pack in this "
    "notebook in JupyterLab (make lab) or in the app (make app).</i></p>"
)
NEEDS_KERNEL = (
    "<p class='briefing-static-note'>This edition shows the explorer as the notebook first shows it. "
    "Its filters and clickable details need a running kernel: open the notebook in JupyterLab "
    "(<code>make lab</code>) or in the app (<code>make app</code>).</p>"
)


def static_display() -> None:
    """Show figures and widgets as static HTML from now on in this kernel (the site builder's first cell)."""
    formatter = get_ipython().display_formatter.ipython_display_formatter
    formatter.for_type(BaseFigure, _show)
    formatter.for_type(widgets.Widget, _show)


def _show(obj) -> None:
    content, figures = static_html(obj)
    display({"text/html": content, MIME: {"figures": [drawn_state(f) for f in figures]}}, raw=True)


def drawn_state(figure: BaseFigure) -> list[dict]:
    """What each trace holds in the kernel (``live_figure.kernel_state``), a flow chart's nodes and
    links too (a sankey has no x or y)."""
    traces = kernel_state(figure)
    for entry, trace in zip(traces, figure.data):
        if trace.type == "sankey":
            entry["node"] = {"label": plain(trace.node.label)}
            entry["link"] = {key: plain(trace.link[key]) for key in ("source", "target", "value")}
    return traces


def static_html(obj) -> tuple[str, list[BaseFigure]]:
    """The static HTML of a figure or widget, and the figures it draws (in page order)."""
    if isinstance(obj, BaseFigure):
        return chart_html(obj), [obj]
    owner = _owner(obj)
    from briefing.controls.base import Explorer
    from briefing.teaching.quizzes import Quiz
    from briefing.teaching.tabletop import TabletopExercise

    if isinstance(owner, Quiz):
        return quiz_html(owner), []
    if isinstance(owner, TabletopExercise):
        return tabletop_html(owner), []
    from briefing.teaching.packs import PackExporter
    from briefing.teaching.rubric import RubricScorer, scorecard_html

    if isinstance(owner, RubricScorer):
        # The printable scorecard stands in for the scoring widget: judges can score on paper.
        return scorecard_html(owner.rubric) + NEEDS_KERNEL_TO_SCORE, []
    if isinstance(owner, PackExporter):
        return PACKS_WITHOUT_KERNEL, []
    figures = list(_figures_in(obj))
    if isinstance(owner, Explorer):
        return explorer_html(owner, figures), figures
    return "".join(chart_html(f) for f in figures) + NEEDS_KERNEL, figures


def _owner(widget: widgets.Widget):
    """The app whose root widget is ``widget`` (its ``widget`` attribute), found among its referrers."""
    for ref in gc.get_referrers(widget):
        if not isinstance(ref, widgets.Widget) and getattr(ref, "widget", None) is widget:
            return ref
        if isinstance(ref, dict) and ref.get("widget") is widget:
            for obj in gc.get_referrers(ref):
                if getattr(obj, "__dict__", None) is ref:
                    return obj
    return None


def _figures_in(widget: widgets.Widget):
    """Every figure inside ``widget``, in the order a page shows them."""
    if isinstance(widget, BaseFigure):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _figures_in(child)


def _json_for_script(value) -> str:
    # Inside <script> only "</" could end the element early; escaping "<" keeps the JSON valid.
    return json.dumps(value, ensure_ascii=False, allow_nan=False).replace("<", "\\u003c")


def chart_html(figure: BaseFigure, *, year_slider: bool = False) -> str:
    """A plotly chart drawn in the page from the kernel's figure, its alt text as the caption.

    ``year_slider`` adds plotly's own range slider under the x axis: what an explorer's "Years"
    filter does, done in the page (the handouts leave it out)."""
    # Trace by trace: a whole figure's to_plotly_json packs numeric arrays as base64 ("bdata"), which the
    # page would draw the same but a reader of the JSON (and the site's test) could not compare.
    spec = {
        "data": [plain(trace.to_plotly_json()) for trace in figure.data],
        "layout": plain(figure.layout.to_plotly_json()),
    }
    if year_slider:
        spec["layout"].setdefault("xaxis", {})["rangeslider"] = {"visible": True, "thickness": 0.08}
    description = alt_text.alt_text(figure)
    return (
        "<figure class='briefing-chart'>"
        f"<script type='application/json' class='briefing-plot-spec'>{_json_for_script(spec)}</script>"
        "<div class='briefing-plot'></div>"
        f"<figcaption class='briefing-alt'>{render.escape(description)}</figcaption></figure>"
    )


def rows_behind(explorer, figures: list[BaseFigure]) -> pd.DataFrame:
    """The rows an explorer's charts draw: its selection, else the rows of its forum, else the traces."""
    selection = getattr(explorer, "selection", None)
    if isinstance(selection, pd.DataFrame):
        return selection
    if hasattr(explorer, "participation") and hasattr(explorer, "forum_picker"):
        frame = explorer.participation
        return frame[frame["forum_id"] == explorer.forum_picker.value]
    return traces_frame(figures)


def traces_frame(figures: list[BaseFigure]) -> pd.DataFrame:
    """What each trace draws, one row per point: chart, series, and its x / y / z or location."""
    rows = []
    for number, figure in enumerate(figures, start=1):
        for trace in figure.data:
            points = trace.to_plotly_json()
            columns = {key: points[key] for key in ("x", "y", "z", "locations") if points.get(key) is not None}
            length = max((len(v) for v in columns.values()), default=0)
            for i in range(length):
                row = {"chart": number, "series": trace.name}
                row.update({key: _at(values, i) for key, values in columns.items()})
                rows.append(row)
    return pd.DataFrame(rows)


def _at(values, index: int):
    value = values[index] if index < len(values) else None
    return json.dumps(plain(value)) if isinstance(value, (list, tuple)) or hasattr(value, "tolist") else value


def redistributable(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The rows a page may copy, and how many it may not: rows imported from a reader's file
    (``provenance == "imported"``, or any row carrying an importer's ``origin``) stay out."""
    if frame.empty:
        return frame, 0
    imported = pd.Series(False, index=frame.index)
    if "provenance" in frame:
        imported |= frame["provenance"].eq("imported")
    if "origin" in frame:
        imported |= frame["origin"].notna()
    return frame[~imported], int(imported.sum())


def citation() -> str:
    """How to cite the curated data, with its "as of" date and licence (from datapackage.json)."""
    package = data.descriptor()
    licence = package["licenses"][0]
    return (
        f"{package['contributors'][0]['title']}. {package['title']}, version {package['version']}, "
        f"data as of {package['as_of']}. Licence: {licence['title']} ({licence['name']}); "
        "each row's source_id resolves to its source in sources.csv."
    )


def data_html(frame: pd.DataFrame, *, name: str) -> str:
    """The "data behind this chart" section: a citation, a CSV download and the rows in a table."""
    rows, withheld = redistributable(frame)
    csv = writing.safe_csv(rows)
    href = "data:text/csv;charset=utf-8," + urllib.parse.quote(csv)
    left_out = (
        f"<p>{withheld} rows imported from a reader's own file are left out: they are not the kit's to share.</p>"
        if withheld
        else ""
    )
    shown = rows.head(TABLE_ROWS)
    more = f" (the first {len(shown)} of {len(rows)}; the CSV holds them all)" if len(rows) > len(shown) else ""
    return (
        "<div class='briefing-data'>"
        f"<p class='briefing-citation'><b>Data:</b> {render.escape(citation())}</p>"
        f"<details><summary>Data behind this chart: {len(rows)} rows</summary>{left_out}"
        f"<p><a class='briefing-download' href='{html.escape(href, quote=True)}' "
        f"download='{render.escape(name)}.csv'>Download the data (CSV, {len(rows)} rows)</a></p>"
        f"{table_html(shown, caption=f'The rows behind this chart{more}')}</details></div>"
    )


def table_html(frame: pd.DataFrame, *, caption: str) -> str:
    """A labelled table (caption, column headers with scope), every cell escaped."""
    head = "".join(f"<th scope='col'>{render.escape(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{render.escape(render.cell_text(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return (
        f"<div class='briefing-table-wrap'><table class='briefing-table'><caption>{render.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def explorer_html(explorer, figures: list[BaseFigure]) -> str:
    """An explorer as the notebook left it: the count it showed, its charts, the rows behind them."""
    name = type(explorer).__name__.removesuffix("Explorer").lower() or "explorer"
    status = getattr(getattr(explorer, "status", None), "value", "")
    parts = [f"<section class='briefing-static-explorer' aria-label='{name} explorer'>", NEEDS_KERNEL, status]
    # The explorers with a "Years" filter draw years along the x axis of their first chart.
    years = hasattr(explorer, "year_range")
    parts += [chart_html(figure, year_slider=years and n == 0) for n, figure in enumerate(figures)]
    if figures:
        parts.append(data_html(rows_behind(explorer, figures), name=f"{name}-data"))
    return "".join(parts) + "</section>"


def quiz_html(quiz) -> str:
    """A quiz a reader answers without a kernel: picking an option shows the kernel's feedback for it;
    each question's answer, with its source, is also behind a reveal."""
    items = []
    for number, question in enumerate(quiz.questions, start=1):
        cites = "; ".join(filter(None, (render.source_link(s, quiz.sources) for s in question.source_ids)))
        source = f"<p><small>Source: {cites}</small></p>" if cites else ""
        if hasattr(question, "options"):
            answer, choices = question.check(question.answer).message, _choices_html(question, number)
        else:  # an ordering question: the items to order, and the order behind the reveal
            answer = question.check(question.correct).message + " The order: " + " → ".join(question.correct)
            choices = "<p>Put these in order:</p>" + render.items_list(question.items)
        items.append(
            f"<li class='briefing-question'><p><b>{render.escape(question.prompt)}</b></p>{choices}"
            f"<details class='briefing-answer'><summary>Show the answer</summary>"
            f"<p>{render.escape(answer)}</p>{source}</details></li>"
        )
    return f"<section class='briefing-static-quiz' aria-label='Self-check quiz'><ol>{''.join(items)}</ol></section>"


def _choices_html(question, number: int) -> str:
    """One radio button per option, each carrying the feedback the kernel's quiz gives for it."""
    options = []
    for index, option in enumerate(question.options):
        feedback = question.check(index)
        options.append(
            f"<label><input type='radio' name='question-{number}' value='{index}' "
            f"data-correct='{'yes' if feedback.correct else 'no'}' "
            f"data-feedback='{html.escape(feedback.message, quote=True)}'> {render.escape(option)}</label>"
        )
    return (
        f"<fieldset class='briefing-choices'><legend>Question {number}: pick an answer</legend>"
        f"{''.join(options)}</fieldset><p class='briefing-verdict' aria-live='polite'></p>"
    )


def tabletop_html(exercise) -> str:
    """A tabletop exercise as cards: the briefing and roles, then each stage with its choices, each
    choice's feedback (norms and precedents) behind a reveal, then the debrief."""
    from briefing.teaching.tabletop import feedback_html

    spec, roles = exercise.scenario.spec, {role["id"]: role["name"] for role in exercise.scenario.roles}
    parts = [
        f"<section class='briefing-static-tabletop'><h3>{render.escape(spec['title'])}</h3>"
        f"<p>{render.escape(spec['summary'])}</p><p><i>A fictional scenario: names, places and organisations "
        "in the story are invented; the norms and precedents in the feedback are real.</i></p><dl class='briefing-roles'>",
        *(
            f"<dt><b>{render.escape(role['name'])}</b></dt><dd>{render.escape(role['brief'])}</dd>"
            for role in exercise.scenario.roles
        ),
        "</dl>",
    ]
    for number, stage in enumerate(exercise.scenario.stages, start=1):
        decider = roles.get(stage.get("role", ""), "")
        choices = "".join(
            f"<li>{render.escape(choice['text'])}<details><summary>Feedback on this choice</summary>"
            f"{feedback_html(choice, exercise.tables)}</details></li>"
            for choice in stage["choices"]
        )
        parts.append(
            f"<article class='briefing-stage-card'><h4>Stage {number} of {len(exercise.scenario.stages)}: "
            f"{render.escape(stage['title'])}</h4><p>{render.escape(stage['inject'])}</p>"
            f"<p><b>{render.escape(stage['question'])}</b>"
            + (f" <small>({render.escape(decider)} decides)</small>" if decider else "")
            + f"</p><ol>{choices}</ol></article>"
        )
    parts.append(f"<h4>Debrief</h4><p>{render.escape(spec['debrief'])}</p></section>")
    return "".join(parts)
