"""Tabletop exercises from scenario files (``briefing/scenarios/``, format: ``docs/scenario_format.md``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from briefing import charts, data, render
from briefing.teaching import checked_yaml, open_response


class ScenarioError(Exception):
    """A scenario file that cannot be used; the message names the file, the place and the problem."""


_ID = {"type": "string", "pattern": "^[a-z0-9_]+$"}
SCENARIO_SCHEMA = {
    "type": "object",
    "required": ["id", "title", "summary", "fictional", "roles", "stages", "debrief"],
    "additionalProperties": False,
    "properties": {
        "id": _ID,
        "title": {"type": "string", "minLength": 1},
        "summary": {"type": "string", "minLength": 1},
        "fictional": {"const": True},
        "debrief": {"type": "string", "minLength": 1},
        "timing": open_response.TIMING_SCHEMA,
        "roles": {
            "type": "array",
            "minItems": 1,
            "maxItems": 4,
            "items": {
                "type": "object",
                "required": ["id", "name", "brief"],
                "additionalProperties": False,
                "properties": {"id": _ID, "name": {"type": "string"}, "brief": {"type": "string"}},
            },
        },
        "stages": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "title", "inject", "question", "choices"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "title": {"type": "string"},
                    "inject": {"type": "string"},
                    "question": {"type": "string"},
                    "role": _ID,
                    "open_response": open_response.STAGE_SCHEMA,
                    "choices": {
                        "type": "array",
                        "minItems": 2,
                        "maxItems": 6,
                        "items": {
                            "type": "object",
                            "required": ["id", "text", "quality", "feedback"],
                            "additionalProperties": False,
                            "properties": {
                                "id": _ID,
                                "text": {"type": "string"},
                                "feedback": {"type": "string"},
                                "quality": {"enum": ["good", "mixed", "poor"]},
                                "norms": {"type": "array", "items": _ID},
                                "precedents": {"type": "array", "items": _ID},
                                "forums": {"type": "array", "items": _ID},
                            },
                        },
                    },
                },
            },
        },
    },
}


@dataclass
class Scenario:
    """A loaded, checked scenario (the YAML file as a dict, plus where it came from)."""

    spec: dict
    path: str

    @property
    def stages(self) -> list[dict]:
        return self.spec["stages"]

    @property
    def roles(self) -> list[dict]:
        return self.spec["roles"]


def load_scenario(path_or_name: str | Path) -> Scenario:
    """Load and check a scenario: a path to a YAML file, or the name of one the kit ships.

    Checks the structure (jsonschema), unique ids, that each stage has a good and a poor choice,
    that stage roles are declared, and that every norm, precedent and forum id exists in the data
    (the choices' and the open-response notes'). The format is described in ``docs/scenario_format.md``.
    """
    spec, label = checked_yaml.read(path_or_name, folder="scenarios", what="scenario", error=ScenarioError)
    checked_yaml.check_schema(spec, SCENARIO_SCHEMA, label=label, error=ScenarioError)
    _check_references(spec, label)
    return Scenario(spec, label)


def _check_references(spec: dict, label: str) -> None:
    known = {
        "norms": set(data.load("norms")["norm_id"]),
        "precedents": set(data.load("events")["event_id"]) | set(data.load("incidents")["incident_id"]),
        "forums": set(data.load("forums")["forum_id"]),
    }
    roles = [role["id"] for role in spec["roles"]]
    if len(set(roles)) != len(roles):
        raise ScenarioError(f"{label}: at roles: role ids must be unique, got {roles}")
    stage_ids = [stage["id"] for stage in spec["stages"]]
    if len(set(stage_ids)) != len(stage_ids):
        raise ScenarioError(f"{label}: at stages: stage ids must be unique, got {stage_ids}")
    for number, stage in enumerate(spec["stages"]):
        place = f"stages/{number} ({stage['id']})"
        if stage.get("role") and stage["role"] not in roles:
            raise ScenarioError(f"{label}: at {place}: role {stage['role']!r} is not one of the roles {roles}")
        qualities = {choice["quality"] for choice in stage["choices"]}
        if not {"good", "poor"} <= qualities:
            raise ScenarioError(f"{label}: at {place}: each stage needs at least one good and one poor choice")
        choice_ids = [choice["id"] for choice in stage["choices"]]
        if len(set(choice_ids)) != len(choice_ids):
            raise ScenarioError(f"{label}: at {place}: choice ids must be unique, got {choice_ids}")
        for choice in stage["choices"]:
            for key, valid in known.items():
                unknown = [ref for ref in choice.get(key, []) if ref not in valid]
                if unknown:
                    table = {"norms": "norms.csv", "precedents": "events.csv or incidents.csv", "forums": "forums.csv"}[
                        key
                    ]
                    raise ScenarioError(
                        f"{label}: at {place}, choice {choice['id']}: {key} {unknown} not found in the kit's {table}"
                    )
    open_response.check_references(spec, known, label, ScenarioError)


def shipped_scenarios() -> list[str]:
    """Names of the scenarios that ship with the kit."""
    return checked_yaml.shipped("scenarios")


@dataclass
class Decision:
    stage_id: str
    choice_id: str
    quality: str


@dataclass
class TabletopRun:
    """The pure state of one run through a scenario: where we are and what was chosen."""

    scenario: Scenario
    stage_index: int = 0
    decisions: list[Decision] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.stage_index >= len(self.scenario.stages)

    @property
    def stage(self) -> dict:
        return self.scenario.stages[self.stage_index]

    def choose(self, choice_id: str) -> dict:
        """Record a choice at the current stage and return that choice (with its feedback)."""
        if self.finished:
            raise ScenarioError("the scenario is over; start again to replay it")
        choices = {choice["id"]: choice for choice in self.stage["choices"]}
        if choice_id not in choices:
            raise ScenarioError(f"no choice {choice_id!r} at {self.stage['id']}; choose one of {sorted(choices)}")
        self.decisions.append(Decision(self.stage["id"], choice_id, choices[choice_id]["quality"]))
        return choices[choice_id]

    def advance(self) -> None:
        self.stage_index += 1

    def score(self) -> dict[str, int]:
        counts = {"good": 0, "mixed": 0, "poor": 0}
        for decision in self.decisions:
            counts[decision.quality] += 1
        return counts


def feedback_html(choice: dict, tables: dict[str, pd.DataFrame]) -> str:
    """The feedback for a choice, with the norms (reference and summary) and precedents it rests on."""
    label = {"good": "A strong choice", "mixed": "A defensible choice, with costs", "poor": "A weak choice"}[
        choice["quality"]
    ]
    parts = [
        f"<p class='briefing-feedback {choice['quality']}'><b>{label}.</b> {render.escape(choice['feedback'])}</p>"
    ]
    norms = tables["norms"].set_index("norm_id")
    events = tables["events"].set_index("event_id")
    incidents = tables["incidents"].set_index("incident_id")
    forums = tables["forums"].set_index("forum_id")
    sources = tables["sources"].set_index("source_id")

    def link(source_id) -> str:
        title = render.source_link(source_id, sources)
        return f" <small>[{title}]</small>" if title else ""

    items = [
        f"<li><b>{render.escape(norms.loc[n, 'reference'])}</b>: {render.escape(norms.loc[n, 'summary'])}"
        f"{link(norms.loc[n, 'source_id'])}</li>"
        for n in choice.get("norms", [])
    ]
    for ref in choice.get("precedents", []):
        if ref in events.index:
            row = events.loc[ref]
            items.append(
                f"<li>{render.escape(charts.format_date(row['date'], row['date_precision']))}: "
                f"{render.escape(row['title'])}{link(row['source_id'])}</li>"
            )
        else:
            row = incidents.loc[ref]
            items.append(
                f"<li>{render.escape(charts.format_date(row['start_date'], row['date_precision']))}: "
                f"{render.escape(row['name'])}{link(row['source_id'])}</li>"
            )
    items += [
        f"<li>Forum: {render.escape(forums.loc[f, 'name'])}{link(forums.loc[f, 'source_id'])}</li>"
        for f in choice.get("forums", [])
    ]
    if items:
        parts.append(f"<p><b>Norms and precedents</b></p><ul>{''.join(items)}</ul>")
    return "".join(parts)


class TabletopExercise:
    """A tabletop exercise in stages: read the inject, choose a response, read the feedback, go on."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.tables = {name: data.load(name) for name in ("norms", "events", "incidents", "forums", "sources")}
        self.run = TabletopRun(scenario)
        roles = [("Everyone decides together", "")] + [(role["name"], role["id"]) for role in scenario.roles]
        self.role = widgets.Dropdown(options=roles, value="", description="Your role")
        self.heading = widgets.HTML()
        self.inject = widgets.HTML()
        self.choices = widgets.RadioButtons(options=[], value=None, layout=widgets.Layout(width="auto"))
        self.submit = widgets.Button(description="Decide", button_style="primary")
        self.next_button = widgets.Button(description="Next inject", disabled=True)
        self.restart = widgets.Button(description="Start again")
        self.feedback = widgets.HTML()
        self.submit.on_click(self._on_submit)
        self.next_button.on_click(self._on_next)
        self.restart.on_click(self._on_restart)
        self.role.observe(lambda _c: self._show_stage(), names="value")
        intro = widgets.HTML(
            f"<h3>{render.escape(scenario.spec['title'])}</h3><p>{render.escape(scenario.spec['summary'])}</p>"
            "<p><i>A fictional scenario: names, places and organisations in the story are invented; "
            "the norms and precedents in the feedback are real.</i></p>"
        )
        self.widget = widgets.VBox(
            [
                intro,
                self.role,
                self.heading,
                self.inject,
                self.choices,
                widgets.HBox([self.submit, self.next_button, self.restart]),
                self.feedback,
            ]
        )
        self.widget.add_class("briefing-tabletop")
        self._show_stage()

    @classmethod
    def from_file(cls, path_or_name: str | Path) -> TabletopExercise:
        return cls(load_scenario(path_or_name))

    def _show_stage(self) -> None:
        if self.run.finished:
            score = self.run.score()
            self.heading.value = "<h4>Debrief</h4>"
            self.inject.value = (
                f"<p>{render.escape(self.scenario.spec['debrief'])}</p><p>Your choices: {score['good']} strong, "
                f"{score['mixed']} defensible with costs, {score['poor']} weak.</p>"
            )
            self.choices.options, self.choices.layout.display = [], "none"
            self.submit.disabled = self.next_button.disabled = True
            return
        stage = self.run.stage
        roles = {role["id"]: role["name"] for role in self.scenario.roles}
        decider = roles.get(stage.get("role", ""), "")
        yours = not self.role.value or not stage.get("role") or stage.get("role") == self.role.value
        note = (
            ""
            if not decider
            else (
                f" <small>({render.escape(decider)} decides"
                + ("" if yours else "; discuss, then advise them")
                + ")</small>"
            )
        )
        self.heading.value = (
            f"<h4>Stage {self.run.stage_index + 1} of {len(self.scenario.stages)}: {render.escape(stage['title'])}</h4>"
        )
        self.inject.value = (
            f"<p>{render.escape(stage['inject'])}</p><p><b>{render.escape(stage['question'])}</b>{note}</p>"
        )
        self.choices.layout.display = None
        self.choices.options = [(choice["text"], choice["id"]) for choice in stage["choices"]]
        self.choices.value = None
        self.submit.disabled, self.next_button.disabled = False, True

    def decide(self, choice_id: str) -> dict:
        """Take ``choice_id`` at the current stage and show its feedback (what Decide does)."""
        choice = self.run.choose(choice_id)
        self.feedback.value = feedback_html(choice, self.tables)
        self.submit.disabled, self.next_button.disabled = True, False
        return choice

    def _on_submit(self, _button=None) -> None:
        if self.choices.value is None:
            self.feedback.value = "<p>Choose a response first.</p>"
            return
        self.decide(self.choices.value)

    def _on_next(self, _button=None) -> None:
        self.run.advance()
        self.feedback.value = ""
        self._show_stage()

    def _on_restart(self, _button=None) -> None:
        self.run = TabletopRun(self.scenario)
        self.feedback.value = ""
        self._show_stage()
