"""Named chart recipes: the kit's charts by name, each with the filters it takes, its build and its choices.

The chart studio, ``briefing export`` and the tests all iterate :data:`RECIPES`, so a chart made on
the command line is the same chart as the one previewed in the studio, and a new chart is one
:func:`register` call (see CONTRIBUTING.md).

Examples
--------
>>> from briefing import gallery
>>> visual = gallery.build("incidents-by-year", year_from=2015, year_to=2025)
>>> visual.figure.layout.title.text  # doctest: +SKIP
>>> "incidents-by-year" in gallery.RECIPES
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from briefing import camps, charts, data, law, theme, tidy

#: The filters a recipe may take (what the studio shows and the CLI passes on):
#: ``years`` (from and to), ``year_to`` (who had joined by the end of a year), ``category``,
#: ``forum`` and ``search``.
FILTERS = ("years", "year_to", "category", "forum", "search")


@dataclass(frozen=True)
class Visual:
    """A built chart and the tidy rows it draws (what a CSV export of the chart holds: no more)."""

    name: str
    figure: go.Figure
    rows: pd.DataFrame

    @property
    def citation(self) -> str:
        """The chart's source line: what an export of its rows must cite."""
        line = theme.source_line_of(self.figure)
        if line is None:  # every chart of the kit has one (tests check); never export without it
            raise ValueError(f"chart {self.name!r} has no source line")
        return line


@dataclass(frozen=True)
class Request:
    """What a reader asked of a recipe: the filters, an own title, and the tables to draw from."""

    name: str
    tables: dict[str, pd.DataFrame]
    year_from: int | None = None
    year_to: int | None = None
    category: str | None = None
    forum: str | None = None
    search: str = ""
    title: str | None = None
    as_of: str | None = field(default_factory=data.as_of)

    def searched(self, what: str = "records") -> str:
        """The subtitle part that names the search ("" without one)."""
        text = self.search.strip()
        return f"Only {what} mentioning \u201c{text}\u201d" if text else ""

    def years(self) -> str:
        """The subtitle part that names the years ("" without them)."""
        return _years_phrase(self.year_from, self.year_to)

    def chart_options(self, default_title: str, *parts: str) -> dict:
        """Keyword options for a chart function: the reader's title or ``default_title``, the filters said."""
        return {"as_of": self.as_of, "title": self.title or default_title, "subtitle": _filter_subtitle(*parts)}


@dataclass(frozen=True)
class Recipe:
    """One named chart: what it shows, the filters that apply, how to build it, what ``category`` may be."""

    name: str
    description: str
    filters: tuple[str, ...]
    build: Callable[[Request], Visual]
    choices: Callable[[dict[str, pd.DataFrame]], list[str]]

    def __post_init__(self) -> None:
        unknown = set(self.filters) - set(FILTERS)
        if unknown:
            raise ValueError(f"recipe {self.name!r}: unknown filters {sorted(unknown)}; choose from {FILTERS}")


#: Every chart by name, in the order the studio and the CLI list them.
RECIPES: dict[str, Recipe] = {}


def register(recipe: Recipe) -> Recipe:
    """Add ``recipe`` to :data:`RECIPES` (the studio, the CLI and the tests pick it up from there)."""
    RECIPES[recipe.name] = recipe
    return recipe


def unregister(name: str) -> None:
    """Take a recipe out again (tests that register a throwaway recipe)."""
    RECIPES.pop(name, None)


def recipe(name: str) -> Recipe:
    """The recipe called ``name``; a KeyError that lists the names there are."""
    if name not in RECIPES:
        raise KeyError(f"no chart named {name!r}; choose one of: {', '.join(RECIPES)}")
    return RECIPES[name]


def choices(name: str, tables: dict[str, pd.DataFrame] | None = None) -> list[str]:
    """The values ``category`` can take for chart ``name``."""
    return recipe(name).choices(tables or data.load_all())


def forum_choices(tables: dict[str, pd.DataFrame] | None = None) -> list[str]:
    """The values ``forum`` can take (the forums with participation rows)."""
    return sorted((tables or data.load_all())["participation"]["forum_id"].unique())


def _years_phrase(year_from: int | None, year_to: int | None) -> str:
    if year_from is not None and year_to is not None:
        return f"Years {year_from}\u2013{year_to}" if year_from != year_to else f"Year {year_from}"
    if year_from is not None:
        return f"From {year_from}"
    if year_to is not None:
        return f"Up to {year_to}"
    return ""


def _filter_subtitle(*parts: str) -> str | None:
    """The subtitle that names the filters applied (None when there are none)."""
    said = [part for part in parts if part]
    return " \u00b7 ".join(said) if said else None


def build(
    name: str,
    *,
    year_from: int | None = None,
    year_to: int | None = None,
    category: str | None = None,
    forum: str | None = None,
    search: str = "",
    title: str | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
) -> Visual:
    """Build chart ``name`` from the curated data with the given filters.

    ``category`` means, by chart: the record type or lane (timeline), the incident type, the forum
    kind, the framework (norms matrix) or the stakeholder group (recommendations). ``year_to`` on a
    participation map shows who had joined by the end of that year.
    """
    chosen = recipe(name)
    tables = tables or data.load_all()
    if category:
        allowed = chosen.choices(tables)
        if category not in allowed:
            raise ValueError(f"{category!r} is not a category of {name}; choose one of: {', '.join(allowed)}")
    return chosen.build(
        Request(
            name,
            tables,
            year_from=year_from,
            year_to=year_to,
            category=category,
            forum=forum,
            search=search,
            title=title,
        )
    )


# ---- The kit's recipes -------------------------------------------------------------------------


def _timeline(request: Request) -> Visual:
    category = request.category
    kinds = (category,) if category in ("event", "incident") else ("event", "incident")
    lanes = (category,) if category and category not in ("event", "incident") else ()
    rows = tidy.select_timeline(
        tidy.timeline_frame(request.tables),
        tidy.TimelineFilter(
            year_from=request.year_from, year_to=request.year_to, lanes=lanes, text=request.search, record_types=kinds
        ),
    )
    headings = {"incident": "Significant cyber incidents on a time axis", "event": "Cyber diplomacy on a time axis"}
    default = f"{category} on a time axis" if category else "Cyber diplomacy and cyber incidents on one time axis"
    options = request.chart_options(headings.get(category or "", default), request.years(), request.searched())
    return Visual(request.name, charts.timeline(rows, **options), rows)


def _timeline_choices(tables: dict[str, pd.DataFrame]) -> list[str]:
    return ["event", "incident"] + sorted(tidy.timeline_frame(tables)["lane"].unique())


def _incidents(request: Request) -> pd.DataFrame:
    return tidy.select_incidents(
        request.tables["incidents"],
        tidy.IncidentFilter(
            year_from=request.year_from, year_to=request.year_to, types=(request.category,) if request.category else ()
        ),
    )


def _incident_kind(request: Request) -> str:
    kind = tidy.label("incidents", "incident_type", request.category) if request.category else ""
    return f"{tidy.in_sentence(kind)} " if kind else ""


def _incident_types(tables: dict[str, pd.DataFrame]) -> list[str]:
    return sorted(tables["incidents"]["incident_type"].unique())


def _incidents_by_year(request: Request) -> Visual:
    rows = _incidents(request)
    heading = (
        f"Significant {_incident_kind(request)}incidents by year"
        if request.category
        else "Significant cyber incidents by year and type"
    )
    return Visual(request.name, charts.incidents_by_year(rows, **request.chart_options(heading, request.years())), rows)


def _incidents_by_sector(request: Request) -> Visual:
    rows = _incidents(request)
    sectors = request.tables["incident_sectors"]
    sectors = sectors[sectors["incident_id"].isin(rows["incident_id"])]
    heading = f"Significant {_incident_kind(request) or 'cyber '}incidents by target sector"
    figure = charts.incidents_by_category(sectors, category="sector", **request.chart_options(heading, request.years()))
    return Visual(request.name, figure, sectors)


def _forums(request: Request) -> tuple[pd.DataFrame, tuple[str, str]]:
    """The forums a forum chart draws, and the subtitle parts that say how they were chosen."""
    category = request.category
    rows = tidy.select_forums(
        request.tables["forums"], tidy.ForumFilter(kinds=(category,) if category else (), text=request.search)
    )
    kind = f"Forum kind: {tidy.label('forums', 'kind', category)}" if category else ""
    return rows, (kind, request.searched("forums"))


def _forum_kinds(tables: dict[str, pd.DataFrame]) -> list[str]:
    return sorted(tables["forums"]["kind"].unique())


def _forum_landscape(request: Request) -> Visual:
    rows, said = _forums(request)
    options = request.chart_options("Forums of the cyber-norms landscape and how long they ran", *said)
    return Visual(request.name, charts.forum_landscape(rows, **options), charts.landscape_rows(rows))


def _forum_positions(request: Request) -> Visual:
    rows, said = _forums(request)
    options = request.chart_options("Who may take part, and does it bind?", *said)
    return Visual(request.name, charts.forum_positions(rows, **options), charts.positions_rows(rows))


def _norms_matrix(request: Request) -> Visual:
    rows = tidy.norms_crosswalk_frame(request.tables)
    if request.category:
        rows = rows[rows["framework"] == request.category]
    heading = (
        f"Which themes {request.category} addresses" if request.category else "Which frameworks address which themes"
    )
    return Visual(request.name, charts.norms_matrix(rows, **request.chart_options(heading)), rows)


def _frameworks(tables: dict[str, pd.DataFrame]) -> list[str]:
    return sorted(tidy.norms_crosswalk_frame(tables)["framework"].unique())


def _participation_map(request: Request) -> Visual:
    forum, year_to = request.forum or "budapest_convention", request.year_to
    rows = tidy.members_as_of(tidy.participation_frame(request.tables), forum_id=forum)
    if rows.empty:
        known = ", ".join(forum_choices(request.tables))
        raise ValueError(f"no participation recorded for forum {forum!r}; choose one of: {known}")
    heading = f"Who takes part: {rows['forum'].iloc[0]}" + (f", by the end of {year_to}" if year_to is not None else "")
    figure = charts.participation_map(rows, year=year_to, **request.chart_options(heading))
    # The rows coloured on the map, not the forum's whole list (those who joined later are not drawn).
    return Visual(request.name, figure, charts.participation_rows(rows, year=year_to))


def _recommendations_flow(request: Request) -> Visual:
    rows = tidy.recommendations_frame(request.tables)
    category = request.category
    if category:
        rows = rows[rows["group"] == category]
    heading = (
        f"What {tidy.in_sentence(tidy.label('stakeholders', 'group', category))} is asked to do"
        if category
        else "Who is asked to do what"
    )
    return Visual(request.name, charts.recommendations_flow(rows, **request.chart_options(heading)), rows)


def _stakeholder_groups(tables: dict[str, pd.DataFrame]) -> list[str]:
    return sorted(tidy.recommendations_frame(tables)["group"].dropna().unique())


def _positions_grid(request: Request) -> Visual:
    category, frame, said = request.category, law.positions_frame(request.tables), ""
    if category in law.QUESTION_LABELS:
        frame, said = law.select_positions(frame, questions=(category,)), f"Question: {law.QUESTION_LABELS[category]}"
    elif category:  # a region
        frame, said = law.select_positions(frame, region=category), f"Region: {category}"
    options = request.chart_options("How states say international law applies in cyberspace", said)
    return Visual(request.name, charts.positions_grid(frame, **options), law.holder_stances(frame))


def _questions(tables: dict[str, pd.DataFrame]) -> list[str]:
    return list(law.QUESTION_LABELS)


def _question_or_region(tables: dict[str, pd.DataFrame]) -> list[str]:
    return _questions(tables) + [r for r in law.REGIONS if r in set(law.positions_frame(tables)["region"])]


def _positions_map(request: Request) -> Visual:
    question, frame = request.category or "sovereignty", law.positions_frame(request.tables)
    options = request.chart_options(f"{law.QUESTION_LABELS[question]}: what states say")
    rows = law.holder_stances(frame[frame["question"] == question])
    return Visual(request.name, charts.positions_map(frame, question=question, **options), rows)


def _attributions(request: Request) -> Visual:
    incidents, attributions = _incidents(request), request.tables["attributions"]
    heading = f"Who publicly attributes {_incident_kind(request) or 'cyber '}operations to whom"
    figure = charts.attributions_directions(attributions, incidents, **request.chart_options(heading, request.years()))
    return Visual(request.name, figure, camps.attribution_pairs(attributions, incidents))


def _un_votes(request: Request) -> Visual:
    votes = request.tables["un_votes"]
    keep = tidy._within_years(votes["date"], request.year_from, request.year_to)
    if request.category:
        keep &= votes["main_sponsor"].map(camps.sponsor_group) == request.category
    said = f"Sponsor: {request.category}" if request.category else ""
    options = request.chart_options("UN resolutions on ICTs: who tabled them, how they passed", request.years(), said)
    return Visual(request.name, charts.un_votes_over_time(votes[keep], **options), camps.un_votes_frame(votes[keep]))


def _sponsors(tables: dict[str, pd.DataFrame]) -> list[str]:
    return sorted(camps.un_votes_frame(tables["un_votes"])["sponsor"].unique())


for _recipe in (
    Recipe(
        "timeline",
        "Diplomatic milestones and incidents on one time axis",
        ("years", "category", "search"),
        _timeline,
        _timeline_choices,
    ),
    Recipe(
        "incidents-by-year",
        "Significant incidents by year and type",
        ("years", "category"),
        _incidents_by_year,
        _incident_types,
    ),
    Recipe(
        "incidents-by-sector",
        "Significant incidents by target sector",
        ("years", "category"),
        _incidents_by_sector,
        _incident_types,
    ),
    Recipe("forum-landscape", "The forums' lifespans", ("category", "search"), _forum_landscape, _forum_kinds),
    Recipe(
        "forum-positions",
        "Forums by who may take part and whether they bind",
        ("category", "search"),
        _forum_positions,
        _forum_kinds,
    ),
    Recipe("norms-matrix", "Frameworks x themes crosswalk", ("category",), _norms_matrix, _frameworks),
    Recipe(
        "participation-map",
        "Which states take part in a forum",
        ("forum", "year_to"),
        _participation_map,
        forum_choices,
    ),
    Recipe(
        "recommendations-flow", "Who is asked to do what", ("category",), _recommendations_flow, _stakeholder_groups
    ),
    Recipe("positions-grid", "Stances on the legal questions", ("category",), _positions_grid, _question_or_region),
    Recipe("positions-map", "What states say on one legal question", ("category",), _positions_map, _questions),
    Recipe("attributions-directions", "Who attributes to whom", ("years", "category"), _attributions, _incident_types),
    Recipe("un-votes", "UN ICT resolutions by sponsor and vote", ("years", "category"), _un_votes, _sponsors),
):
    register(_recipe)
del _recipe
