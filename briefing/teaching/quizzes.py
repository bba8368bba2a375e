"""Self-check quizzes: questions declared in YAML (``briefing/quizzes/<topic>.yaml``), built from the data.

A quiz file names, for each question, the generator that builds it and what it needs (a norm id,
an event id, events to order, or the text of a fact). Answers that live in the data are computed
when the quiz is built, so a notebook shows ``teaching.quiz("timeline")`` and not the answers,
and a data update cannot leave a question wrong. A malformed file gets a :class:`QuizError` that
names the file, the place and the problem. How to add a question: ``docs/instructor_guide.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from briefing import data, render
from briefing.teaching import checked_yaml
from briefing.teaching.questions import (
    ChoiceQuestion,
    Feedback,
    OrderingQuestion,
    fact_question,
    framework_of_norm,
    ordering_from_events,
    year_of_event,
)


class QuizError(Exception):
    """A quiz file that cannot be used; the message names the file, the place and the problem."""


_ID = {"type": "string", "pattern": "^[a-z0-9_]+$"}
#: A row of the data by table and key ("forums/un_oewg_2019"): its source, or its summary.
_ROW = {"type": "string", "pattern": "^[a-z_]+/[A-Za-z0-9_.-]+$"}
_TEXT = {"type": "string", "minLength": 1}
_OPTIONS = {"type": "array", "minItems": 2, "maxItems": 6, "items": {"type": ["string", "integer"]}}
_SOURCES = {"type": "array", "minItems": 1, "items": {"anyOf": [_ID, _ROW]}}


def _shape(required: list[str], properties: dict) -> dict:
    return {
        "type": "object",
        "required": ["generator", *required],
        "additionalProperties": False,
        "properties": {"generator": {"type": "string"}, **properties},
    }


@dataclass(frozen=True)
class Generator:
    """How one kind of question is built: the keys it takes (a JSON schema) and the builder."""

    schema: dict
    build: Callable[[dict, dict[str, pd.DataFrame]], ChoiceQuestion | OrderingQuestion]


def _row(reference: str, tables: dict[str, pd.DataFrame]) -> pd.Series:
    table, key = reference.split("/", 1)
    return tables[table].set_index(data.resource(table)["schema"]["primaryKey"]).loc[key]


def _sources(spec: dict, tables: dict[str, pd.DataFrame]) -> list[str]:
    """Source ids as written, or the source of a referenced row ("glossary/attribution")."""
    return [str(_row(s, tables)["source_id"]) if "/" in s else s for s in spec["sources"]]


def _fact(spec: dict, tables: dict[str, pd.DataFrame]) -> ChoiceQuestion:
    explanation = spec.get("explanation") or str(_row(spec["explanation_from"], tables)["summary"])
    return fact_question(
        spec["prompt"], [str(o) for o in spec["options"]], str(spec["answer"]), explanation, _sources(spec, tables)
    )


def _count_rows(spec: dict, tables: dict[str, pd.DataFrame]) -> ChoiceQuestion:
    table = tables[spec["table"]]
    key = data.resource(spec["table"])["schema"]["primaryKey"]
    rows = table[table[key].str.startswith(spec["ids_starting"])]
    answer = str(int(rows[spec["true_in"]].fillna(False).sum()))
    sources = list(rows["source_id"].unique()[: spec.get("cite", 2)])
    return fact_question(spec["prompt"], [str(o) for o in spec["options"]], answer, spec["explanation"], sources)


#: Every generator a quiz file may name, with the keys it takes.
GENERATORS: dict[str, Generator] = {
    "framework_of_norm": Generator(
        _shape(["norm"], {"norm": _ID}), lambda spec, tables: framework_of_norm(spec["norm"], tables=tables)
    ),
    "year_of_event": Generator(
        _shape(["event"], {"event": _ID}), lambda spec, tables: year_of_event(spec["event"], tables=tables)
    ),
    "order_events": Generator(
        _shape(["events"], {"events": {"type": "array", "minItems": 2, "items": _ID}, "prompt": _TEXT}),
        lambda spec, tables: ordering_from_events(
            spec["events"], tables=tables, **({"prompt": spec["prompt"]} if "prompt" in spec else {})
        ),
    ),
    "fact": Generator(
        {
            **_shape(
                ["prompt", "options", "answer", "sources"],
                {
                    "prompt": _TEXT,
                    "options": _OPTIONS,
                    "answer": {"type": ["string", "integer"]},
                    "explanation": _TEXT,
                    "explanation_from": _ROW,
                    "sources": _SOURCES,
                },
            ),
            "oneOf": [{"required": ["explanation"]}, {"required": ["explanation_from"]}],
        },
        _fact,
    ),
    "count_rows": Generator(
        _shape(
            ["prompt", "table", "ids_starting", "true_in", "options", "explanation"],
            {
                "prompt": _TEXT,
                "table": _ID,
                "ids_starting": _TEXT,
                "true_in": _ID,
                "options": _OPTIONS,
                "explanation": _TEXT,
                "cite": {"type": "integer", "minimum": 1},
            },
        ),
        _count_rows,
    ),
}

QUIZ_SCHEMA = {
    "type": "object",
    "required": ["topic", "questions"],
    "additionalProperties": False,
    "properties": {
        "topic": _ID,
        "questions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["generator"],
                "properties": {"generator": {"enum": sorted(GENERATORS)}},
            },
        },
    },
}


def shipped_quizzes() -> list[str]:
    """The topics of the quizzes that ship with the kit."""
    return checked_yaml.shipped("quizzes")


def load_quiz(path_or_topic: str | Path, *, tables: dict[str, pd.DataFrame] | None = None) -> list:
    """The questions of a quiz file (a path, or the topic of a shipped quiz), checked and built.

    Checks the file's structure, each question's keys for its generator, that every id it names is
    in the data, and that the question can be built (a fact's answer is one of its options; events
    can be ordered at the precision their dates are known).
    """
    spec, label = checked_yaml.read(path_or_topic, folder="quizzes", what="quiz", error=QuizError)
    checked_yaml.check_schema(spec, QUIZ_SCHEMA, label=label, error=QuizError)
    tables = tables or data.load_all()
    questions = []
    for number, question in enumerate(spec["questions"]):
        place = f"questions/{number} ({question['generator']})"
        generator = GENERATORS[question["generator"]]
        checked_yaml.check_schema(question, generator.schema, label=label, error=QuizError, place=place)
        _check_references(question, tables, label=label, place=place)
        try:
            questions.append(generator.build(question, tables))
        except ValueError as problem:
            raise QuizError(f"{label}: at {place}: {problem}") from problem
    return questions


_REFERENCES = {"norm": ("norms", "norm_id"), "event": ("events", "event_id"), "events": ("events", "event_id")}


def _check_references(question: dict, tables: dict[str, pd.DataFrame], *, label: str, place: str) -> None:
    """Every id the question names is a row of the data; a fact's answer is one of its options."""
    for key, (table, column) in _REFERENCES.items():
        named = question.get(key, [])
        unknown = [
            ref for ref in ([named] if isinstance(named, str) else named) if ref not in set(tables[table][column])
        ]
        if unknown:
            raise QuizError(f"{label}: at {place}: {key} {unknown} not found in the kit's {table}.csv")
    rows = [ref for ref in question.get("sources", []) if "/" in ref] + [question.get("explanation_from", "")]
    for ref in filter(None, rows):
        table, key = ref.split("/", 1)
        if table not in tables or key not in set(tables[table][data.resource(table)["schema"]["primaryKey"]]):
            raise QuizError(f"{label}: at {place}: no row {ref!r} in the kit's data (table/key)")
    known_sources = set(tables["sources"]["source_id"])
    missing = [ref for ref in question.get("sources", []) if "/" not in ref and ref not in known_sources]
    if missing:
        raise QuizError(f"{label}: at {place}: sources {missing} not found in the kit's sources.csv")
    if "answer" in question and str(question["answer"]) not in [str(o) for o in question["options"]]:
        raise QuizError(f"{label}: at {place}: the answer {question['answer']!r} is not one of the options")
    if "table" in question and question["table"] not in tables:
        raise QuizError(f"{label}: at {place}: no table {question['table']!r} in the kit's data")
    if "true_in" in question and question["true_in"] not in tables[question["table"]].columns:
        raise QuizError(f"{label}: at {place}: no column {question['true_in']!r} in {question['table']}.csv")
    if "true_in" in question and tables[question["table"]][question["true_in"]].dtype != "boolean":
        raise QuizError(f"{label}: at {place}: true_in: {question['true_in']!r} is not a true/false column")


def question_bank(topic: str) -> list:
    """The self-check questions for one walk-through notebook (``briefing/quizzes/<topic>.yaml``)."""
    if topic not in shipped_quizzes():
        raise KeyError(f"no quiz on {topic!r}; choose one of: {', '.join(shipped_quizzes())}")
    return load_quiz(topic)


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
        prompt = widgets.HTML(f"<p><b>{index + 1}. {render.escape(question.prompt)}</b></p>")
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
            f"{render.escape(result.message)}</p>" + (f"<p><small>Source: {cites}</small></p>" if cites else "")
        )
        return result


def quiz(topic: str) -> widgets.Widget:
    """The self-check quiz of a walk-through notebook, ready to show (answers stay in the package)."""
    return Quiz.on(topic).widget
