"""Rubrics as data (``briefing/rubrics/<id>.yaml``): criteria with four levels, a printable scorecard and
a widget that totals a team's scores.

A rubric file is checked like a scenario or a quiz (:mod:`briefing.teaching.checked_yaml`): an error
names the file, the place and the problem. :func:`total` is the pure arithmetic the widget shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets

from briefing import render
from briefing.controls.base import Explorer
from briefing.teaching import checked_yaml


class RubricError(Exception):
    """A rubric file that cannot be used, or scores that do not fit it; the message says which and why."""


_TEXT = {"type": "string", "minLength": 1}
LEVELS = 4
RUBRIC_SCHEMA = {
    "type": "object",
    "required": ["id", "title", "summary", "levels", "criteria"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9_]+$"},
        "title": _TEXT,
        "summary": _TEXT,
        "levels": {
            "type": "array",
            "minItems": LEVELS,
            "maxItems": LEVELS,
            "items": {
                "type": "object",
                "required": ["score", "label"],
                "additionalProperties": False,
                "properties": {"score": {"type": "integer", "minimum": 0}, "label": _TEXT},
            },
        },
        "criteria": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "name", "question", "descriptors"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9_]+$"},
                    "name": _TEXT,
                    "question": _TEXT,
                    "descriptors": {"type": "array", "minItems": LEVELS, "maxItems": LEVELS, "items": _TEXT},
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Rubric:
    """A loaded, checked rubric: the file as a dict, and where it came from."""

    spec: dict
    path: str

    @property
    def criteria(self) -> list[dict]:
        return self.spec["criteria"]

    @property
    def scores(self) -> list[int]:
        """The score of each level, lowest level first."""
        return [level["score"] for level in self.spec["levels"]]

    @property
    def most(self) -> int:
        return max(self.scores) * len(self.criteria)


def shipped_rubrics() -> list[str]:
    """Names of the rubrics that ship with the kit."""
    return checked_yaml.shipped("rubrics")


def load_rubric(path_or_name: str | Path = "cyber_9_12") -> Rubric:
    """Load and check a rubric: a shipped one by name, or a YAML file by path.

    Beyond the schema: criterion ids unique, level scores rising from the first level to the last.
    """
    spec, label = checked_yaml.read(path_or_name, folder="rubrics", what="rubric", error=RubricError)
    checked_yaml.check_schema(spec, RUBRIC_SCHEMA, label=label, error=RubricError)
    ids = [criterion["id"] for criterion in spec["criteria"]]
    if len(set(ids)) != len(ids):
        raise RubricError(f"{label}: at criteria: criterion ids must be unique, got {ids}")
    scores = [level["score"] for level in spec["levels"]]
    if scores != sorted(set(scores)):
        raise RubricError(f"{label}: at levels: scores must rise from the first level to the last, got {scores}")
    return Rubric(spec, label)


def total(rubric: Rubric, scores: dict[str, int | None]) -> tuple[int, int]:
    """A team's total and how many criteria are scored; ``None`` (or a missing criterion) is not yet scored.

    >>> rubric = load_rubric()
    >>> total(rubric, {"facts_and_uncertainty": 3, "norms_and_law": 4, "recommendation": None})
    (7, 2)
    """
    known = {criterion["id"] for criterion in rubric.criteria}
    unknown = sorted(set(scores) - known)
    if unknown:
        raise RubricError(f"no criterion {unknown} in the rubric {rubric.spec['id']}; it has {sorted(known)}")
    bad = {key: value for key, value in scores.items() if value is not None and value not in rubric.scores}
    if bad:
        raise RubricError(f"scores {bad} are not levels of the rubric; a level scores one of {rubric.scores}")
    given = [value for value in scores.values() if value is not None]
    return sum(given), len(given)


def scorecard_html(rubric: Rubric, *, team: str = "") -> str:
    """The printable scorecard: one row per criterion, the four level descriptors, a box for the score."""
    levels = rubric.spec["levels"]
    head = "<th>Criterion</th>" + "".join(
        f"<th>{render.escape(level['label'])} ({level['score']})</th>" for level in levels
    )
    rows = "".join(
        f"<tr><td><b>{render.escape(c['name'])}</b><br><small>{render.escape(c['question'])}</small></td>"
        + "".join(f"<td>{render.escape(text)}</td>" for text in c["descriptors"])
        + "<td class='score-box'></td></tr>"
        for c in rubric.criteria
    )
    return (
        f"<h2>{render.escape(rubric.spec['title'])}</h2><p>{render.escape(rubric.spec['summary'])}</p>"
        f"<p>Team: <b>{render.escape(team) or '_' * 30}</b> &nbsp; Judge: {'_' * 30}</p>"
        f"<table class='briefing-table briefing-scorecard'><tr>{head}<th>Score</th></tr>{rows}"
        f"<tr><td colspan='{len(levels) + 1}'><b>Total</b> (of {rubric.most})</td><td class='score-box'></td></tr>"
        "</table><p>Comments: what would raise the lowest score?</p>"
    )


class RubricScorer(Explorer):
    """Score a team criterion by criterion and read its total; "Reset filters" clears the scores.

    >>> scorer = RubricScorer(load_rubric())
    >>> scorer.pickers["recommendation"].value = 4
    >>> scorer.total
    (4, 1)
    >>> scorer.widget  # doctest: +SKIP
    """

    EMPTY_MESSAGE = "No criterion scored yet: choose a level for each."

    def __init__(self, rubric: Rubric):
        super().__init__()
        self.rubric = rubric
        self.total = (0, 0)
        labels = [("not scored", None)] + [
            (f"{level['score']}: {level['label']}", level["score"]) for level in rubric.spec["levels"]
        ]
        self.team = widgets.Text(description="Team", continuous_update=False)
        self.pickers = {
            criterion["id"]: widgets.Dropdown(options=labels, value=None, description=criterion["name"][:24])
            for criterion in rubric.criteria
        }
        for picker in self.pickers.values():
            picker.style.description_width = "14em"
        self._watch(self.team, *self.pickers.values())
        self.reset_button.description = "Clear scores"
        self.widget = self._root(
            [self.team, *self.pickers.values(), self.status, self.reset_button], "briefing-rubric-scorer"
        )
        self._update()

    def _update(self) -> None:
        self.total = total(self.rubric, {key: picker.value for key, picker in self.pickers.items()})
        points, scored = self.total
        if not scored:
            self._say_count(0, "criterion")
            return
        team = render.escape(self.team.value.strip()) or "This team"
        self.status.value = (
            f"<p class='briefing-count'><b>{team}: {points} of {self.rubric.most}</b> "
            f"({scored} of {len(self.rubric.criteria)} criteria scored)</p>"
        )
