"""Classroom pieces: self-check quizzes built from the data, and tabletop exercises from scenario files.

Quiz answers are computed here from the curated tables, so a student reading a notebook's code sees
``teaching.quiz("timeline")``, not the answers. Scenarios are YAML files (see
``briefing/scenarios/``); instructors can write their own and load them by path. A malformed file
gets a :class:`ScenarioError` that names the file, the place and the problem.
"""

from __future__ import annotations

import html
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from briefing import charts, data, render

# ---- Quizzes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str


@dataclass(frozen=True)
class ChoiceQuestion:
    """A multiple-choice question; ``answer`` is the index of the right option."""

    prompt: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    source_ids: tuple[str, ...] = ()

    def check(self, choice: int | None) -> Feedback:
        if choice is None:
            return Feedback(False, "Pick an answer first.")
        right = self.options[self.answer]
        if choice == self.answer:
            return Feedback(True, f"Correct: {right}. {self.explanation}")
        return Feedback(False, f"Not quite: the answer is {right}. {self.explanation}")


@dataclass(frozen=True)
class OrderingQuestion:
    """Put items in order; ``items`` are shown shuffled, ``correct`` is the right order."""

    prompt: str
    items: tuple[str, ...]
    correct: tuple[str, ...]
    explanation: str
    source_ids: tuple[str, ...] = ()

    def check(self, order: tuple[str, ...] | list[str]) -> Feedback:
        order = tuple(order)
        if sorted(order) != sorted(self.correct):
            return Feedback(False, "Place every item once.")
        if order == self.correct:
            return Feedback(True, f"Correct. {self.explanation}")
        placed = sum(a == b for a, b in zip(order, self.correct))
        return Feedback(
            False,
            f"{placed} of {len(self.correct)} in the right place. The order is: "
            + " → ".join(self.correct)
            + f". {self.explanation}",
        )


def _event(events: pd.DataFrame, event_id: str) -> pd.Series:
    return events.set_index("event_id").loc[event_id]


def ordering_from_events(
    event_ids: list[str], *, prompt: str = "Put these milestones in order, earliest first.", tables: dict | None = None
) -> OrderingQuestion:
    """An ordering question from events in the data; the explanation gives each date and source."""
    tables = tables or {"events": data.load("events")}
    rows = [(_event(tables["events"], eid), eid) for eid in event_ids]
    ordered = sorted(rows, key=lambda pair: pair[0]["date"])
    spans = {"day": pd.DateOffset(days=1), "month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}
    for (earlier, first_id), (later, second_id) in itertools.pairwise(ordered):
        # A month-precision event cannot be ordered against a day in the same month: refuse the pair.
        if earlier["date"] + spans[earlier["date_precision"]] > later["date"]:
            raise ValueError(f"{first_id} and {second_id} cannot be ordered at the precision their dates are known")
    explanation = "; ".join(
        f"{row['title']} ({charts.format_date(row['date'], row['date_precision'])})" for row, _ in ordered
    )
    shuffled = [row["title"] for row, _ in rows]
    random.Random(" ".join(event_ids)).shuffle(shuffled)
    if shuffled == [row["title"] for row, _ in ordered]:  # never show the answer as the starting order
        shuffled = shuffled[1:] + shuffled[:1]
    return OrderingQuestion(
        prompt,
        tuple(shuffled),
        tuple(row["title"] for row, _ in ordered),
        explanation,
        tuple(dict.fromkeys(row["source_id"] for row, _ in rows)),
    )


def framework_of_norm(norm_id: str, *, tables: dict | None = None, distractors: int = 3) -> ChoiceQuestion:
    """'Which framework is this item from?', built from the norms table."""
    tables = tables or {name: data.load(name) for name in ("norms", "forums")}
    norms, forums = tables["norms"].set_index("norm_id"), tables["forums"].set_index("forum_id")
    norm = norms.loc[norm_id]
    right = forums.loc[norm["forum_id"], "short_name"]
    others = sorted(set(forums.loc[norms["forum_id"].unique(), "short_name"]) - {right})
    rng = random.Random(norm_id)
    options = rng.sample(others, k=min(distractors, len(others))) + [right]
    rng.shuffle(options)
    return ChoiceQuestion(
        f"Which framework asks this? “{norm['summary']}”",
        tuple(options),
        options.index(right),
        f"It is {norm['reference']} ({norm['short_title']}).",
        (norm["source_id"],),
    )


def year_of_event(event_id: str, *, tables: dict | None = None) -> ChoiceQuestion:
    """'In which year did this happen?', with neighbouring years as distractors."""
    tables = tables or {"events": data.load("events")}
    event = _event(tables["events"], event_id)
    year = event["date"].year
    options = [str(y) for y in sorted({year - 2, year - 1, year, year + 1})]
    return ChoiceQuestion(
        f"In which year: {event['title']}?",
        tuple(options),
        options.index(str(year)),
        f"{event['summary']} ({charts.format_date(event['date'], event['date_precision'])}).",
        (event["source_id"],),
    )


def fact_question(
    prompt: str, options: list[str], answer: str, explanation: str, source_ids: list[str]
) -> ChoiceQuestion:
    """A hand-written question whose answer and sources are checked against the data in the tests."""
    return ChoiceQuestion(prompt, tuple(options), options.index(answer), explanation, tuple(source_ids))


def _forum_fact(forum_id: str, column: str, tables: dict):
    return tables["forums"].set_index("forum_id").loc[forum_id, column]


def question_bank(topic: str) -> list:
    """The self-check questions for one walk-through notebook, built from the curated data."""
    tables = data.load_all()
    if topic == "why":
        return [
            framework_of_norm("gge2015_13f", tables=tables),
            fact_question(
                "What is a confidence-building measure?",
                [
                    "A binding ban on cyber weapons",
                    "A practical step that makes states more predictable to each other",
                    "A court ruling on a cyber attack",
                    "A national cybersecurity law",
                ],
                "A practical step that makes states more predictable to each other",
                "For example contact points, hotlines or sharing national doctrine, as in the OSCE measures of 2013 and 2016.",
                [tables["glossary"].set_index("term_id").loc["confidence_building_measure", "source_id"]],
            ),
            ordering_from_events(
                [
                    "rs_uk_notpetya_attribution_2018",
                    "ms_budapest_opened_2001",
                    "ms_unga_res_53_70_1998",
                    "ms_gge_2014_report_a_70_174",
                ],
                tables=tables,
            ),
        ]
    if topic == "forums":
        consensus = tables["forums"].query("forum_id.str.startswith('un_gge')")
        reached = int(consensus["consensus_report"].fillna(False).sum())
        return [
            fact_question(
                "How many of the six UN GGEs reached a consensus report?",
                [str(n) for n in (2, 3, 4, 6)],
                str(reached),
                "The groups of 2004-05 and 2016-17 did not; the others did (2010, 2013, 2015, 2021).",
                list(consensus["source_id"].unique()[:2]),
            ),
            fact_question(
                "Who may take part in an Open-ended Working Group (OEWG)?",
                [
                    "Only the five permanent Security Council members",
                    "A group of 25 experts",
                    "All UN member states",
                    "Companies and NGOs only",
                ],
                "All UN member states",
                "That is what 'open-ended' means; GGEs, by contrast, had 15 to 25 members.",
                [_forum_fact("un_oewg_2019", "source_id", tables)],
            ),
            ordering_from_events(
                [
                    "ms_oewg_final_report_2021",
                    "ms_global_mechanism_org_session_2026",
                    "ms_paris_call_2018",
                    "ms_unga_res_73_266_2018",
                ],
                tables=tables,
            ),
        ]
    if topic == "norms":
        return [framework_of_norm(norm_id, tables=tables) for norm_id in ("gge2015_13k", "paris_call_p7", "osce_cbm01")]
    if topic == "timeline":
        return [
            ordering_from_events(
                [
                    "rs_eu_first_cyber_sanctions_2020",
                    "rs_us_wannacry_attribution_2017",
                    "rs_uk_solarwinds_svr_attribution_2021",
                    "ms_eu_cyber_sanctions_framework_2019",
                ],
                tables=tables,
            ),
            year_of_event("rs_eu_first_cyber_sanctions_2020", tables=tables),
        ]
    if topic == "stakeholders":
        recommendations = tables["recommendations"].set_index("recommendation_id")
        citizens = recommendations.loc["gzero_citizens_security_features"]
        return [
            fact_question(
                "Which of these does the Digital Peace brief ask of citizens?",
                [
                    "Report every phishing email to the UN",
                    "Use easy security features such as strong passwords and two-factor authentication",
                    "Stop using smartphones",
                    "Join a national cyber reserve",
                ],
                "Use easy security features such as strong passwords and two-factor authentication",
                citizens["summary"],
                [citizens["source_id"]],
            ),
            ordering_from_events(
                ["ms_gcsc_launch_2017", "ms_tech_accord_2018", "ms_paris_call_2018", "ms_christchurch_call_2019"],
                tables=tables,
            ),
        ]
    if topic == "next":
        convention = tables["forums"].set_index("forum_id").loc["un_cybercrime_convention"]
        return [
            fact_question(
                "What is the status of the UN Convention against Cybercrime in the kit's data?",
                [
                    "In force worldwide",
                    "Open for signature, not yet in force",
                    "Rejected by the General Assembly",
                    "Replaced by the Budapest Convention",
                ],
                "Open for signature, not yet in force",
                "It was adopted in December 2024 and opened for signature in Hanoi in October 2025; it enters into force after forty ratifications.",
                [convention["source_id"]],
            ),
            year_of_event("ms_pall_mall_launch_2024", tables=tables),
        ]
    raise KeyError(f"no quiz on {topic!r}; choose one of: why, forums, norms, timeline, stakeholders, next")


class Quiz:
    """A self-check quiz widget: answer, press Check, read the feedback and its source."""

    def __init__(self, questions: list, *, sources: pd.DataFrame | None = None):
        self.questions = questions
        self.sources = sources if sources is not None else data.load("sources")
        self.rows = [self._build(index, question) for index, question in enumerate(questions)]
        self.widget = widgets.VBox([row["box"] for row in self.rows])
        self.widget.add_class("briefing-quiz")

    @classmethod
    def on(cls, topic: str) -> Quiz:
        return cls(question_bank(topic))

    def _build(self, index: int, question) -> dict:
        prompt = widgets.HTML(f"<p><b>{index + 1}. {html.escape(question.prompt)}</b></p>")
        feedback = widgets.HTML()
        button = widgets.Button(description="Check")
        read: Callable[[], object]
        if isinstance(question, OrderingQuestion):
            slots = [
                widgets.Dropdown(options=["(choose)"] + list(question.items), description=f"{n + 1}.")
                for n in range(len(question.items))
            ]
            answer_box = widgets.VBox(slots)
            read = lambda: tuple(s.value for s in slots)  # noqa: E731
        else:
            radio = widgets.RadioButtons(
                options=list(question.options), value=None, layout=widgets.Layout(width="auto")
            )
            answer_box = radio
            read = lambda: None if radio.value is None else list(question.options).index(radio.value)  # noqa: E731
        row = {
            "box": widgets.VBox([prompt, answer_box, button, feedback]),
            "read": read,
            "feedback": feedback,
            "answer_box": answer_box,
            "button": button,
        }
        button.on_click(lambda _b, i=index: self.check(i))
        return row

    def check(self, index: int) -> Feedback:
        """Check question ``index`` as answered in its widgets and show the feedback."""
        question, row = self.questions[index], self.rows[index]
        result = question.check(row["read"]())
        cites = "; ".join(filter(None, (render.source_link(s, self.sources) for s in question.source_ids)))
        mark = "✅" if result.correct else "❌"
        row["feedback"].value = (
            f"<p class='briefing-feedback {'right' if result.correct else 'wrong'}'>{mark} "
            f"{html.escape(result.message)}</p>" + (f"<p><small>Source: {cites}</small></p>" if cites else "")
        )
        return result


def quiz(topic: str) -> widgets.Widget:
    """The self-check quiz of a walk-through notebook, ready to show (answers stay in the package)."""
    return Quiz.on(topic).widget


# ---- Tabletop scenarios -----------------------------------------------------------------------------


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


def _where(error) -> str:
    return "/".join(str(part) for part in error.absolute_path) or "(top level)"


def load_scenario(path_or_name: str | Path) -> Scenario:
    """Load and check a scenario: a path to a YAML file, or the name of one the kit ships.

    Checks the structure (jsonschema), unique ids, that each stage has a good and a poor choice,
    that stage roles are declared, and that every norm, precedent and forum id exists in the data.
    """
    import jsonschema
    import yaml

    candidate = Path(path_or_name)
    if not candidate.suffix:
        shipped = resources.files("briefing").joinpath(f"scenarios/{path_or_name}.yaml")
        if not shipped.is_file():
            raise ScenarioError(f"no scenario named {path_or_name!r}; the kit ships: {', '.join(shipped_scenarios())}")
        text, label = shipped.read_text(encoding="utf-8"), f"{path_or_name}.yaml"
    else:
        try:
            text, label = candidate.read_text(encoding="utf-8"), str(candidate)
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(f"{candidate}: cannot read the file ({exc})") from exc
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ScenarioError(f"{label}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(spec, dict):
        raise ScenarioError(f"{label}: expected a mapping with id, title, stages ...; got {type(spec).__name__}")
    errors = sorted(
        jsonschema.Draft202012Validator(SCENARIO_SCHEMA).iter_errors(spec), key=lambda e: list(e.absolute_path)
    )
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise ScenarioError(f"{label}: at {_where(first)}: {first.message}{more}")
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


def shipped_scenarios() -> list[str]:
    """Names of the scenarios that ship with the kit."""
    folder = resources.files("briefing").joinpath("scenarios")
    return sorted(item.name.removesuffix(".yaml") for item in folder.iterdir() if item.name.endswith(".yaml"))


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
    parts = [f"<p class='briefing-feedback {choice['quality']}'><b>{label}.</b> {html.escape(choice['feedback'])}</p>"]
    norms = tables["norms"].set_index("norm_id")
    events = tables["events"].set_index("event_id")
    incidents = tables["incidents"].set_index("incident_id")
    forums = tables["forums"].set_index("forum_id")
    sources = tables["sources"].set_index("source_id")

    def link(source_id) -> str:
        title = render.source_link(source_id, sources)
        return f" <small>[{title}]</small>" if title else ""

    items = [
        f"<li><b>{html.escape(norms.loc[n, 'reference'])}</b>: {html.escape(norms.loc[n, 'summary'])}"
        f"{link(norms.loc[n, 'source_id'])}</li>"
        for n in choice.get("norms", [])
    ]
    for ref in choice.get("precedents", []):
        if ref in events.index:
            row = events.loc[ref]
            items.append(
                f"<li>{html.escape(charts.format_date(row['date'], row['date_precision']))}: "
                f"{html.escape(row['title'])}{link(row['source_id'])}</li>"
            )
        else:
            row = incidents.loc[ref]
            items.append(
                f"<li>{html.escape(charts.format_date(row['start_date'], row['date_precision']))}: "
                f"{html.escape(row['name'])}{link(row['source_id'])}</li>"
            )
    items += [
        f"<li>Forum: {html.escape(forums.loc[f, 'name'])}{link(forums.loc[f, 'source_id'])}</li>"
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
            f"<h3>{html.escape(scenario.spec['title'])}</h3><p>{html.escape(scenario.spec['summary'])}</p>"
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
                f"<p>{html.escape(self.scenario.spec['debrief'])}</p><p>Your choices: {score['good']} strong, "
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
                f" <small>({html.escape(decider)} decides"
                + ("" if yours else "; discuss, then advise them")
                + ")</small>"
            )
        )
        self.heading.value = (
            f"<h4>Stage {self.run.stage_index + 1} of {len(self.scenario.stages)}: {html.escape(stage['title'])}</h4>"
        )
        self.inject.value = f"<p>{html.escape(stage['inject'])}</p><p><b>{html.escape(stage['question'])}</b>{note}</p>"
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
