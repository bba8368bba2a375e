"""Classroom pieces: self-check quizzes built from the data, and tabletop exercises from scenario files.

Both are text an instructor edits, kept as checked YAML beside the code: quiz questions in
``briefing/quizzes/<topic>.yaml`` (how to add one: ``docs/instructor_guide.md``), scenarios in
``briefing/scenarios/`` (format: ``docs/scenario_format.md``). Quiz answers are computed from the
curated tables when a quiz is built, so a student reading a notebook's code sees
``teaching.quiz("timeline")``, not the answers. A malformed file gets a :class:`QuizError` or a
:class:`ScenarioError` that names the file, the place and the problem.

Modules: ``questions`` (the question kinds and generators), ``quizzes`` (quiz files and the quiz
widget), ``tabletop`` (scenario files and the exercise widget), ``checked_yaml`` (what both share).
"""

from __future__ import annotations

from briefing.teaching.questions import (
    ChoiceQuestion,
    Feedback,
    OrderingQuestion,
    fact_question,
    framework_of_norm,
    ordering_from_events,
    year_of_event,
)
from briefing.teaching.quizzes import (
    GENERATORS,
    QUIZ_SCHEMA,
    Quiz,
    QuizError,
    load_quiz,
    question_bank,
    quiz,
    shipped_quizzes,
)
from briefing.teaching.tabletop import (
    SCENARIO_SCHEMA,
    Decision,
    Scenario,
    ScenarioError,
    TabletopExercise,
    TabletopRun,
    feedback_html,
    load_scenario,
    shipped_scenarios,
)

__all__ = [
    "GENERATORS",
    "QUIZ_SCHEMA",
    "SCENARIO_SCHEMA",
    "ChoiceQuestion",
    "Decision",
    "Feedback",
    "OrderingQuestion",
    "Quiz",
    "QuizError",
    "Scenario",
    "ScenarioError",
    "TabletopExercise",
    "TabletopRun",
    "fact_question",
    "feedback_html",
    "framework_of_norm",
    "load_quiz",
    "load_scenario",
    "ordering_from_events",
    "question_bank",
    "quiz",
    "shipped_quizzes",
    "shipped_scenarios",
    "year_of_event",
]
