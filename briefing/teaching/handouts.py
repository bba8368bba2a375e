"""The pages of an exercise pack, as printable HTML: stage handouts, instructor notes, the scorecard and
the timing plans (:mod:`briefing.teaching.packs` writes them to files and prints them to PDF).

A stage's handout holds that stage only (its report, question and the brief templates), so a pack
can be released stage by stage; the story text is fictional, and every real norm, precedent and
forum is in the instructor's notes with its source. Every page ends with its source line.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from briefing import charts, data, render, theme
from briefing.teaching import notes as stage_notes
from briefing.teaching.rubric import Rubric, scorecard_html
from briefing.teaching.tabletop import Scenario

#: The print style of every page: A4, no web fonts or scripts (a pack opens offline).
PAGE_STYLE = """
@page { size: A4; margin: 16mm 15mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4; color: #222; }
h1 { font-size: 17pt; margin: 0 0 4pt; } h2 { font-size: 13.5pt; margin: 14pt 0 4pt; }
h3 { font-size: 11.5pt; margin: 10pt 0 3pt; } h4 { font-size: 10.5pt; margin: 8pt 0 2pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; } td, th { border: 1px solid #999;
padding: 3pt 4pt; vertical-align: top; text-align: left; font-size: 9pt; }
.score-box { min-width: 14mm; } .stage { break-before: page; } .lines { border-bottom: 1px solid #bbb;
height: 16pt; } .source-line { margin-top: 14pt; color: #555; font-size: 8.5pt; border-top: 1px solid #ccc;
padding-top: 4pt; } .kicker { color: #555; font-size: 9pt; } .confidence { font-weight: bold; }
a { color: #0b4f8a; }
"""

BRIEF_SECTIONS = (
    ("Assessment", "What is known, what is not, and how confident you are."),
    ("Implications", "What it means for your role, for others affected and for the norms at stake."),
    ("Options", "Two to four real options, each with its pros and cons."),
    ("Recommendation", "The option you recommend, why, and the first steps: who does what, by when."),
)
DECISION_SECTIONS = (
    "Decision",
    "Why (in three sentences)",
    "Who does what, by when",
    "Risks, and how we would know it is going wrong",
    "What would change our mind",
)


def page(title: str, body: str, source_line: str) -> str:
    """A whole printable page: ``body`` (HTML built with :mod:`briefing.render`) and its source line."""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{render.escape(title)}</title><style>{PAGE_STYLE}</style></head><body>"
        f"{body}<p class='source-line'>{source_line}</p></body></html>"
    )


def file_link(text: str, name: str) -> str:
    """A link to a file beside the page (``render.title_link`` links only web and mail addresses)."""
    return f'<a href="{html.escape(name, quote=True)}">{render.escape(text)}</a>'


def story_source_line(scenario: Scenario) -> str:
    """The source line of a page that holds only the (fictional) story."""
    label = f"fictional scenario '{scenario.spec['title']}' ({Path(scenario.path).name})"
    return theme.source_text([label], as_of=data.as_of())


def _lines(count: int) -> str:
    return "".join("<div class='lines'></div>" for _ in range(count))


def _report_html(stage: dict) -> str:
    report = stage.get("open_response", {}).get("report")
    if not report:  # the multiple-choice inject is the report
        return f"<h3>Intelligence report</h3><p>{render.escape(stage['inject'])}</p>"
    parts = [f"<h3>Intelligence report</h3><p>{render.escape(stage['inject'])}</p>"]
    if report.get("known"):
        parts.append("<h4>What is known</h4>" + render.items_list(report["known"]))
    if report.get("unknown"):
        parts.append("<h4>What is not known yet</h4>" + render.items_list(report["unknown"]))
    if report.get("assessments"):
        items = [
            f"<span class='confidence'>{render.escape(a['confidence'].capitalize())} confidence:</span> "
            f"{render.escape(a['claim'])}"
            for a in report["assessments"]
        ]
        parts.append("<h4>Assessments</h4>" + render.items_list(items, escaped=True))
    return "".join(parts)


def team_question(stage: dict) -> str:
    """The open question put to the teams (the multiple-choice question where the file has none)."""
    return stage.get("open_response", {}).get("team_question") or stage["question"]


def templates_html() -> str:
    """The brief template (500 words or two pages) and the one-page decision document."""
    brief = "".join(
        f"<h4>{render.escape(name)}</h4><p class='kicker'>{render.escape(hint)}</p>{_lines(4)}"
        for name, hint in BRIEF_SECTIONS
    )
    decision = "".join(f"<h4>{render.escape(name)}</h4>{_lines(3)}" for name in DECISION_SECTIONS)
    return (
        "<h3>Your policy brief</h3><p class='kicker'>At most 500 words or two pages; you will brief the panel "
        "in ten minutes.</p>" + brief + "<h3 class='stage'>Decision document (one page)</h3>" + decision
    )


def handout_html(scenario: Scenario, index: int) -> str:
    """Stage ``index``'s student handout (0-based): the setting, this stage's report and question, the
    templates; nothing of any later stage, and none of the choices or feedback of the self-study mode."""
    stage = scenario.stages[index]
    roles = [f"<b>{render.escape(r['name'])}</b>: {render.escape(r['brief'])}" for r in scenario.roles]
    body = (
        f"<p class='kicker'>Student handout &middot; stage {index + 1} of {len(scenario.stages)} &middot; "
        "a fictional scenario: names, places and organisations are invented</p>"
        f"<h1>{render.escape(scenario.spec['title'])}</h1><p>{render.escape(scenario.spec['summary'])}</p>"
        f"<h3>Roles</h3>{render.items_list(roles, escaped=True)}"
        f"<h2>{render.escape(stage['title'])}</h2>{_report_html(stage)}"
        f"<h3>Your question</h3><p><b>{render.escape(team_question(stage))}</b></p>{templates_html()}"
    )
    return page(f"{scenario.spec['title']}: stage {index + 1}", body, story_source_line(scenario))


def _options_html(stage: dict) -> str:
    options = stage.get("open_response", {}).get("notes", {}).get("options")
    if options is None:  # the self-study choices, with their quality and feedback, stand in
        items = [
            f"<b>{render.escape(c['text'])}</b> ({render.escape(c['quality'])}): {render.escape(c['feedback'])}"
            for c in stage["choices"]
        ]
        return "<h3>Options (the self-study choices)</h3>" + render.items_list(items, escaped=True)
    items = [
        f"<b>{render.escape(o['option'])}</b>"
        + (f"<br>Pros: {render.items_list(o['pros'])}" if o.get("pros") else "")
        + (f"Cons: {render.items_list(o['cons'])}" if o.get("cons") else "")
        for o in options
    ]
    return "<h3>Model options and their trade-offs</h3>" + render.items_list(items, escaped=True)


def _states_did_html(stage: dict, resolved: stage_notes.StageNotes, sources: pd.DataFrame) -> str:
    told = stage.get("open_response", {}).get("notes", {}).get("what_states_did", [])
    precedents = resolved.precedents.set_index("precedent_id")
    items = []
    for item in told:
        row = precedents.loc[item["precedent"]]
        link = render.source_link(row["source_id"], sources)
        items.append(
            f"<b>{render.escape(row['title'])}</b> ({render.escape(row['when'])}): {render.escape(item['text'])}"
            + (f" <small>[{link}]</small>" if link else "")
        )
    return "<h3>What states did in the precedent cases</h3>" + render.items_list(items, escaped=True) if items else ""


def notes_page(scenario: Scenario, tables: dict[str, pd.DataFrame]) -> tuple[str, list[str]]:
    """The instructor's notes for every stage, and the ids of every source they cite."""
    sources = tables["sources"]
    parts = [
        "<p class='kicker'>Instructor's notes &middot; not for students until the debrief</p>"
        f"<h1>{render.escape(scenario.spec['title'])}</h1><p>{render.escape(scenario.spec['summary'])}</p>"
    ]
    cited: list[str] = []
    for number, stage in enumerate(scenario.stages, start=1):
        resolved = stage_notes.resolve_notes(stage, tables)
        cited += stage_notes.cited_sources(resolved)
        parts.append(
            f"<section class='stage'><h2>Stage {number}: {render.escape(stage['title'])}</h2>"
            f"<p><b>Team question:</b> {render.escape(team_question(stage))}</p>"
            f"<h3>Norms, law and precedents that bear on it</h3>{stage_notes.notes_html(resolved, sources)}"
            f"{_options_html(stage)}{_states_did_html(stage, resolved, sources)}</section>"
        )
    cited = list(dict.fromkeys(cited))
    parts.append(f"<section class='stage'><h2>Debrief</h2><p>{render.escape(scenario.spec['debrief'])}</p></section>")
    parts.append(render.sources_list(cited, sources))
    return page(
        f"{scenario.spec['title']}: instructor's notes", "".join(parts), notes_source_line(cited, sources)
    ), cited


def notes_source_line(source_ids: list[str], sources: pd.DataFrame) -> str:
    """The chart kit's source line for the rows the notes cite ("... N cited sources (see the sources table)")."""
    frame = sources[sources["source_id"].isin(source_ids)].rename(columns={"title": "source_title"})
    return charts.source_line_for(frame, as_of=data.as_of())


def scorecard_page(rubric: Rubric) -> str:
    """The rubric's printable scorecard as a page."""
    line = theme.source_text([f"rubric '{rubric.spec['title']}' ({Path(rubric.path).name})"], as_of=data.as_of())
    return page(rubric.spec["title"], scorecard_html(rubric), line)
