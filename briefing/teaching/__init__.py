"""Classroom pieces: self-check quizzes built from the data, and tabletop exercises from scenario files.

Both are text an instructor edits, kept as checked YAML beside the code: quiz questions in
``briefing/quizzes/<topic>.yaml`` (how to add one: ``docs/instructor_guide.md``), scenarios in
``briefing/scenarios/`` (format: ``docs/scenario_format.md``). Quiz answers are computed from the
curated tables when a quiz is built, so a student reading a notebook's code sees
``teaching.quiz("timeline")``, not the answers. A malformed file gets a :class:`QuizError` or a
:class:`ScenarioError` that names the file, the place and the problem.

The same scenario file drives an open-response mode for seminars (in the style of the Cyber 9/12
Strategy Challenge): per stage an intelligence report and a team question, and instructor's notes
resolved from the data; teams are scored on a rubric (``briefing/rubrics/<id>.yaml``), and
:func:`export_pack` writes the whole pack (handouts per stage, notes, scorecard, timing) as HTML and PDF.

Modules: ``questions`` (the question kinds and generators), ``quizzes`` (quiz files and the quiz
widget), ``tabletop`` (scenario files and the exercise widget), ``open_response`` (the scenario's
open-response keys and their checks), ``notes`` (a stage's notes resolved from the data), ``rubric``
(rubric files, the scorecard, the scoring widget), ``handouts`` (the pack's printable pages),
``packs`` (the pack as files, PDFs, the export button), ``checked_yaml`` (what the files share).
"""

from __future__ import annotations

from briefing.teaching.notes import StageNotes, resolve_notes, stage_references
from briefing.teaching.open_response import LEGAL_RULES
from briefing.teaching.packs import Pack, PackError, PackExporter, default_timing, export_pack, timing_plans
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
from briefing.teaching.rubric import Rubric, RubricError, RubricScorer, load_rubric, shipped_rubrics, total
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
    "LEGAL_RULES",
    "QUIZ_SCHEMA",
    "SCENARIO_SCHEMA",
    "ChoiceQuestion",
    "Decision",
    "Feedback",
    "OrderingQuestion",
    "Pack",
    "PackError",
    "PackExporter",
    "Quiz",
    "QuizError",
    "Rubric",
    "RubricError",
    "RubricScorer",
    "Scenario",
    "ScenarioError",
    "StageNotes",
    "TabletopExercise",
    "TabletopRun",
    "default_timing",
    "export_pack",
    "fact_question",
    "feedback_html",
    "framework_of_norm",
    "load_quiz",
    "load_rubric",
    "load_scenario",
    "ordering_from_events",
    "question_bank",
    "quiz",
    "resolve_notes",
    "shipped_quizzes",
    "shipped_rubrics",
    "shipped_scenarios",
    "stage_references",
    "timing_plans",
    "total",
    "year_of_event",
]
