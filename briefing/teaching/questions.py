"""The two kinds of self-check question, and the generators that build them from the curated data."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import pandas as pd

from briefing import charts, data


@dataclass(frozen=True)
class Feedback:
    """Whether an answer is right, and what to tell the student."""

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
