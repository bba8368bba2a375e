"""An instructor's notes for one stage, resolved from the data tables: each norm, precedent, forum and
legal rule with its reference, date and source.

A stage's ``open_response.notes`` names ids; where a stage has no notes, the ids its choices name
stand in (``docs/scenario_format.md``). :func:`resolve_notes` turns the ids into rows of the tables
(pure frames, tested without HTML); :func:`notes_html` writes them with :mod:`briefing.render`, and
every source it cites comes back from :func:`cited_sources` for the pack's source line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from briefing import data, law, render, tidy
from briefing.teaching.open_response import LEGAL_RULES

#: The tables the notes read.
NOTE_TABLES = ("norms", "events", "incidents", "forums", "sources", *law.POSITION_TABLES, *law.NORM_LINK_TABLES)
REFERENCE_KEYS = ("norms", "precedents", "forums", "legal_rules")


def note_tables() -> dict[str, pd.DataFrame]:
    """The tables :func:`resolve_notes` reads, loaded from the kit's data."""
    return {name: data.load(name) for name in dict.fromkeys(NOTE_TABLES)}


def stage_references(stage: dict) -> dict[str, list[str]]:
    """The ids a stage's notes name: its ``open_response.notes``, else those its choices name (in order)."""
    notes = stage.get("open_response", {}).get("notes")
    if notes is not None:
        return {key: list(notes.get(key, [])) for key in REFERENCE_KEYS}
    found: dict[str, dict[str, None]] = {key: {} for key in REFERENCE_KEYS}
    for choice in stage["choices"]:
        for key in ("norms", "precedents", "forums"):
            found[key].update(dict.fromkeys(choice.get(key, [])))
    return {key: list(ids) for key, ids in found.items()}


@dataclass
class StageNotes:
    """The rows behind one stage's notes; each frame has a ``source_id`` and a ``when`` (date as known)."""

    norms: pd.DataFrame
    precedents: pd.DataFrame
    forums: pd.DataFrame
    #: Per legal rule: the coded national positions and the incident claims the kit holds.
    positions: dict[str, pd.DataFrame] = field(default_factory=dict)
    claims: dict[str, pd.DataFrame] = field(default_factory=dict)


def _ordered(table: pd.DataFrame, key: str, ids: list[str]) -> pd.DataFrame:
    return table.set_index(key).loc[ids].reset_index()


def _source_date(source_id: str, sources: pd.DataFrame) -> str:
    if source_id not in sources.index or pd.isna(sources.loc[source_id, "date"]):
        return "source undated"
    precision = sources.loc[source_id, "date_precision"]
    return tidy.format_date(sources.loc[source_id, "date"], "day" if pd.isna(precision) else str(precision))


def _norm_rows(ids: list[str], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = _ordered(tables["norms"], "norm_id", ids)
    sources = tables["sources"].set_index("source_id")
    # A norm's date is its text's: the date of the document it is cited from.
    rows["when"] = [_source_date(sid, sources) for sid in rows["source_id"]]
    rows["framework"] = rows["forum_id"].map(tables["forums"].set_index("forum_id")["short_name"])
    return rows


def _precedent_rows(ids: list[str], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    events = tables["events"].set_index("event_id")
    incidents = tables["incidents"].set_index("incident_id")
    rows = []
    for ref in ids:
        if ref in events.index:
            row = events.loc[ref]
            rows.append((ref, "event", row["date"], row["date_precision"], row["title"], row["summary"], row))
        else:
            row = incidents.loc[ref]
            rows.append((ref, "incident", row["start_date"], row["date_precision"], row["name"], row["summary"], row))
    return pd.DataFrame(
        [
            {
                "precedent_id": ref,
                "kind": kind,
                "date": date,
                "when": tidy.format_date(date, str(precision)),
                "title": title,
                "summary": summary,
                "source_id": row["source_id"],
                "extra_source_id": row["extra_source_id"],
            }
            for ref, kind, date, precision, title, summary, row in rows
        ],
        columns=["precedent_id", "kind", "date", "when", "title", "summary", "source_id", "extra_source_id"],
    )


def _forum_rows(ids: list[str], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = _ordered(tables["forums"], "forum_id", ids)
    rows["when"] = [
        f"since {tidy.format_date(start, str(precision))}"
        for start, precision in zip(rows["start_date"], rows["start_precision"])
    ]
    return rows


def _rule_rows(rule: str, tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The coded national positions on ``rule`` (each holder's newest coded stance) and the incident claims."""
    frame = law.positions_frame(tables)
    chosen = law.select_positions(frame, questions=(rule,))
    positions = law.holder_stances(chosen)
    positions = positions[positions["stance"] != law.NOT_ADDRESSED].sort_values(["date", "holder_name"])
    positions = positions.assign(
        when=[tidy.format_date(d, str(p)) for d, p in zip(positions["date"], positions["date_precision"])]
    )
    claims = law.incidents_for_norm(rule, tables)
    claims = claims.assign(when=[tidy.format_date(d, str(p)) for d, p in zip(claims["date"], claims["date_precision"])])
    return positions.reset_index(drop=True), claims


def resolve_notes(stage: dict, tables: dict[str, pd.DataFrame] | None = None) -> StageNotes:
    """The rows of the data behind a stage's notes (ids the scenario check has already found in the data).

    >>> from briefing import teaching
    >>> stage = teaching.load_scenario("hospital_ransomware").stages[0]
    >>> list(resolve_notes(stage).precedents["precedent_id"])[:1]
    ['kaseya_2021']
    """
    tables = tables or note_tables()
    refs = stage_references(stage)
    notes = StageNotes(
        _norm_rows(refs["norms"], tables),
        _precedent_rows(refs["precedents"], tables),
        _forum_rows(refs["forums"], tables),
    )
    for rule in refs["legal_rules"]:
        notes.positions[rule], notes.claims[rule] = _rule_rows(rule, tables)
    return notes


def cited_sources(notes: StageNotes) -> list[str]:
    """Every source id the notes cite, in order, once."""
    frames = [notes.norms, notes.precedents, notes.forums, *notes.positions.values(), *notes.claims.values()]
    ids: list[str] = []
    for frame in frames:
        for column in ("source_id", "extra_source_id", "position_source_id"):
            if column in frame:
                ids += [str(sid) for sid in frame[column] if pd.notna(sid)]
    return list(dict.fromkeys(ids))


def _cite(source_id: object, sources: pd.DataFrame) -> str:
    link = render.source_link(source_id, sources)
    return f" <small>[{link}]</small>" if link else ""


def _rule_html(rule: str, notes: StageNotes, sources: pd.DataFrame) -> str:
    positions, claims = notes.positions[rule], notes.claims[rule]
    items = [
        f"<b>{render.escape(row.holder_name)}</b> ({render.escape(row.when)}): "
        f"{render.escape(law.STANCE_LABELS.get(row.stance, tidy.words(row.stance)))}, according to "
        f"{render.escape(row.title)}"
        + (f": &ldquo;{render.escape(row.quotation)}&rdquo;" if pd.notna(row.quotation) else "")
        + _cite(row.source_id, sources)
        for row in positions.itertuples()
    ]
    items += [
        f"{render.escape(row.when)}, <i>{render.escape(row.incident)}</i>: {render.escape(row.sentence)}"
        + _cite(row.source_id, sources)
        for row in claims.itertuples()
    ]
    heading = f"<h4>{render.escape(LEGAL_RULES[rule])}</h4>"
    if not items:
        return (
            heading
            + "<p><i>The kit's data holds no coded national position or incident claim on this rule yet.</i></p>"
        )
    return heading + render.items_list(items, escaped=True)


def notes_html(notes: StageNotes, sources: pd.DataFrame) -> str:
    """The resolved notes as HTML: norms (reference, summary), precedents, forums, legal rules, each cited."""
    parts = []
    norms = [
        f"<b>{render.escape(r.reference)}</b> ({render.escape(r.framework)}, {render.escape(r.when)}): "
        f"{render.escape(r.summary)}{_cite(r.source_id, sources)}"
        for r in notes.norms.itertuples()
    ]
    precedents = [
        f"<b>{render.escape(r.when)}</b>: {render.escape(r.title)}. {render.escape(r.summary)}{_cite(r.source_id, sources)}"
        for r in notes.precedents.itertuples()
    ]
    forums = [
        f"<b>{render.escape(r.name)}</b> ({render.escape(r.when)}): {render.escape(r.outcome)}{_cite(r.source_id, sources)}"
        for r in notes.forums.itertuples()
    ]
    for heading, items in (("Norms", norms), ("Precedents", precedents), ("Forums", forums)):
        if items:
            parts.append(f"<h4>{heading}</h4>" + render.items_list(items, escaped=True))
    if notes.positions:
        parts.append("<h4>Legal rules: national positions and incident claims</h4>")
        parts += [_rule_html(rule, notes, sources) for rule in notes.positions]
    return "".join(parts)
