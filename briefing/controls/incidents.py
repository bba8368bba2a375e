"""The incidents explorer: incidents by year and type, by target sector and by attributed state."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from briefing import charts, data, law, render, tidy
from briefing.controls.base import Explorer, labelled, live_figure, multi, refill


def incident_html(incident, events: pd.DataFrame, sources: pd.DataFrame, claims: pd.DataFrame | None = None) -> str:
    """One incident (a row of ``incidents`` as a named tuple): what, when, the responses to it, and
    what it was said to breach, by whom (``claims``: :func:`briefing.law.incident_norms_frame`)."""
    responses = events[events["incident_id"] == incident.incident_id].sort_values("date")
    answers = [f"{charts.format_date(r.date, r.date_precision)}: {r.title}" for r in responses.itertuples()]
    said = [] if claims is None else list(claims.loc[claims["incident_id"] == incident.incident_id, "sentence"])
    return (
        f"<h4>{render.escape(incident.name)}</h4>"
        f"<p><b>{render.escape(charts.format_date(incident.start_date, incident.date_precision))}</b> &middot; "
        f"{render.escape(tidy.words(incident.incident_type))} &middot; "
        f"{render.escape(tidy.words(incident.attribution_status))}</p>"
        f"<p>{render.escape(incident.summary)}</p>"
        + (
            "<p><b>Responses</b></p>" + render.items_list(answers)
            if answers
            else "<p><i>No state response in the kit's data.</i></p>"
        )
        + ("<p><b>What it was said to breach, and who said so</b></p>" + render.items_list(said) if said else "")
        + render.sources_list([incident.source_id, incident.extra_source_id], sources)
    )


class IncidentsExplorer(Explorer):
    """Incidents by year and type, by target sector and by attributed state, with their responses."""

    #: The most incidents a click lists (the curated bars hold at most 21; an imported file's can
    #: hold thousands, which took half a minute and 25 MB of HTML at 100,000 incidents).
    LISTED = 50
    #: The tables ``from_package`` loads (the benchmarks build their synthetic explorers from the same).
    TABLES = (
        "incidents",
        "incident_sectors",
        "incident_targets",
        "attributions",
        "events",
        "sources",
        "incident_norms",
        "norms",
        "forums",
    )

    def __init__(self, tables: dict[str, pd.DataFrame], *, as_of: str | None = None):
        super().__init__()
        self.tables = tables
        self.incidents = tables["incidents"]
        # Who said each incident breached which norm or rule (none where the tables lack the claims).
        self.claims = law.incident_norms_frame(tables) if "incident_norms" in tables else None
        self.as_of = as_of
        self.selection = self.incidents
        self._sources = tables["sources"].set_index("source_id")  # looked up by id for every incident listed
        # Which states each incident was attributed to does not depend on the filters: worked out
        # once, then each update only keeps the selected incidents' rows (at 100,000 incidents,
        # ranking the attributions again cost 100-150 ms a filter change).
        self._attributed_states = tidy.attributed_states_frame(self.incidents, tables["attributions"])
        years = self.incidents["start_date"].dt.year
        first, last = int(years.min()), int(years.max())
        self.year_range = widgets.IntRangeSlider(
            value=(first, last),
            min=first,
            max=last,
            description="Years",
            continuous_update=False,
            layout=widgets.Layout(width="420px"),
        )
        self.type_picker = multi(labelled("incident_type", self.incidents["incident_type"]), "Type")
        self.sector_picker = multi(labelled("sector", tables["incident_sectors"]["sector"]), "Sector")
        countries = labelled("country_iso3", tables["incident_targets"]["country_iso3"])
        self.country_picker = widgets.Dropdown(
            options=[("Any country", "")] + countries, value="", description="Target"
        )
        self._watch(self.year_range, self.type_picker, self.sector_picker, self.country_picker)
        self.by_year, self.by_sector, self.by_state = (live_figure(f) for f in self._figures(self.incidents))
        for figure in (self.by_year, self.by_sector, self.by_state):
            for trace in figure.data:
                trace.on_click(self._on_click_factory(figure))
        filters = widgets.HBox(
            [
                widgets.VBox([self.year_range, self.country_picker, self.reset_button]),
                self.type_picker,
                self.sector_picker,
            ]
        )
        # Side by side where there is room, one under the other on a narrow screen.
        side_by_side = widgets.Layout(flex="1 1 440px", min_width="0")
        charts_row = widgets.HBox(
            [widgets.Box([self.by_sector], layout=side_by_side), widgets.Box([self.by_state], layout=side_by_side)]
        )
        self.widget = self._root(
            [filters, self.status, self.by_year, charts_row, self.details], "briefing-incidents-explorer"
        )
        self._update()

    @classmethod
    def from_package(cls) -> IncidentsExplorer:
        return cls({name: data.load(name) for name in cls.TABLES}, as_of=data.as_of())

    def _figures(self, incidents: pd.DataFrame, *, validate: bool = True) -> Iterator[go.Figure]:
        """The three charts of ``incidents`` (by year, by sector, by state), each built when asked
        for; unchecked (``validate=False``) for a refill, which the live figures check themselves.

        One at a time, so that an update sends each chart's refill as soon as it is built: the page
        can draw the first chart while the kernel builds the next, rather than wait for all three."""
        # isin of the column, not of a Python set of its values: 55 ms less at 100,000 incidents.
        ids = incidents["incident_id"]
        yield charts.incidents_by_year(incidents, as_of=self.as_of, validate=validate)
        sectors = self.tables["incident_sectors"][self.tables["incident_sectors"]["incident_id"].isin(ids)]
        yield charts.incidents_by_category(
            sectors, category="sector", title="By target sector", as_of=self.as_of, validate=validate
        )
        states = self._attributed_states[self._attributed_states["incident_id"].isin(ids)]
        yield charts.incidents_by_category(
            states.assign(source_id=None),
            category="attributed_state_iso3",
            title="By state publicly held responsible",
            source_line=charts.source_line_for(self.tables["attributions"], as_of=self.as_of),
            validate=validate,
        )

    def current_filter(self) -> tidy.IncidentFilter:
        first, last = self.year_range.value
        return tidy.IncidentFilter(
            year_from=first,
            year_to=last,
            types=tuple(self.type_picker.value),
            sectors=tuple(self.sector_picker.value),
            country_iso3=self.country_picker.value,
        )

    def _update(self) -> None:
        self.selection = tidy.select_incidents(
            self.incidents,
            self.current_filter(),
            sectors=self.tables["incident_sectors"],
            targets=self.tables["incident_targets"],
        )
        # Each chart refilled as soon as it is built (``_figures`` builds them one at a time).
        for figure, fresh in zip(
            (self.by_year, self.by_sector, self.by_state), self._figures(self.selection, validate=False)
        ):
            refill(figure, fresh)
        self._say_count(len(self.selection), "incident")

    def _on_click_factory(self, figure):
        def on_click(trace, points, _state=None):
            if not points.point_inds:
                return
            index = points.point_inds[0]
            if figure is self.by_year:
                self.show_incidents(year=int(trace.x[index]), incident_type=(trace.meta or {}).get("incident_type"))
            elif figure is self.by_sector:
                self.show_incidents(sector=trace.customdata[index][0])
            else:
                self.show_incidents(attributed_state=trace.customdata[index][0])

        return on_click

    def show_incidents(
        self,
        *,
        year: int | None = None,
        incident_type: str | None = None,
        sector: str | None = None,
        attributed_state: str | None = None,
    ) -> None:
        """List the selected incidents behind a bar, each with its sources and the responses to it."""
        bar = tidy.IncidentBar(year=year, incident_type=incident_type, sector=sector, attributed_state=attributed_state)
        rows = tidy.incidents_behind(
            self.selection, bar, sectors=self.tables["incident_sectors"], attributions=self.tables["attributions"]
        )
        listed = rows.sort_values("start_date").head(self.LISTED)
        # The responses and claims of the listed incidents only, found once: each incident's own are
        # then picked from a few rows, not from every event (a bar of 20 incidents took 20 ms).
        ids = listed["incident_id"]
        events = self.tables["events"][self.tables["events"]["incident_id"].isin(ids)]
        claims = None if self.claims is None else self.claims[self.claims["incident_id"].isin(ids)]
        parts = [incident_html(incident, events, self._sources, claims) for incident in listed.itertuples()]
        if len(rows) > self.LISTED:
            parts.append(f"<p>... and {len(rows) - self.LISTED:,} more: narrow the filters to list them.</p>")
        self.details.value = "".join(parts) or "<p>No incident here under the current filters.</p>"
