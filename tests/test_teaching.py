"""Quizzes and tabletop exercises: right and wrong answers, feedback, custom and malformed scenarios."""

from __future__ import annotations

import nbformat
import pytest
import yaml
from conftest import NOTEBOOKS

from briefing import data, teaching

TOPICS = ["why", "forums", "norms", "law", "timeline", "stakeholders", "next"]


@pytest.mark.parametrize("topic", TOPICS)
def test_every_question_has_one_right_answer_that_checks_and_a_source(topic):
    sources = set(data.load("sources")["source_id"])
    for question in teaching.question_bank(topic):
        assert question.source_ids and set(question.source_ids) <= sources
        if isinstance(question, teaching.OrderingQuestion):
            assert question.check(question.correct).correct
            assert question.items != question.correct  # never shown already solved
            wrong = question.check(tuple(reversed(question.correct)))
            assert not wrong.correct and "The order is" in wrong.message
        else:
            right = question.check(question.answer)
            wrong = question.check((question.answer + 1) % len(question.options))
            assert right.correct and right.message.startswith("Correct")
            assert not wrong.correct and question.options[question.answer] in wrong.message
            assert len(set(question.options)) == len(question.options)


def test_ordering_follows_the_dates_in_the_data():
    events = data.load("events").set_index("event_id")
    ids = ["ms_unga_res_53_70_1998", "ms_budapest_opened_2001", "rs_eu_first_cyber_sanctions_2020"]
    question = teaching.ordering_from_events(ids)
    assert question.correct == tuple(events.loc[sorted(ids, key=lambda i: events.loc[i, "date"]), "title"])
    assert "1998" in question.explanation and "2020" in question.explanation


def test_events_known_only_to_the_month_are_not_ordered_against_days_in_that_month():
    with pytest.raises(ValueError, match="cannot be ordered"):
        teaching.ordering_from_events(["ms_gcsc_singapore_norm_package_2018", "ms_paris_call_2018"])


def test_quiz_facts_agree_with_the_data():
    forums = data.load("forums").set_index("forum_id")
    consensus = teaching.question_bank("forums")[0]
    geges = forums.loc[[f for f in forums.index if f.startswith("un_gge")], "consensus_report"]
    assert consensus.options[consensus.answer] == str(int(geges.sum()))
    assert forums.loc["un_oewg_2019", "participation"] == "open_to_all_states"
    assert forums.loc["un_cybercrime_convention", "status"] == "open_for_signature"


def test_the_quiz_widget_gives_feedback_with_its_source():
    quiz = teaching.Quiz.on("timeline")
    ordering, year = quiz.rows
    for slot, item in zip(ordering["answer_box"].children, quiz.questions[0].correct):
        slot.value = item
    ordering["button"].click()
    assert "✅" in ordering["feedback"].value and "Source:" in ordering["feedback"].value
    year["answer_box"].value = "2018"
    year["button"].click()
    assert "❌" in year["feedback"].value and "2020" in year["feedback"].value


def test_notebooks_call_quizzes_by_topic_only_so_answers_stay_out_of_sight():
    calls = []
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
        calls += [line.strip() for line in code.splitlines() if "teaching.quiz(" in line]
    assert len(calls) >= 6, "every walk-through notebook has a self-check quiz"
    for call in calls:
        topic = call.removeprefix('teaching.quiz("').removesuffix('")')
        assert topic in TOPICS, call  # a topic name, nothing that reveals an answer


# ---- Tabletop scenarios ----------------------------------------------------------------------------


def test_the_shipped_scenarios_load_and_play_through():
    assert set(teaching.shipped_scenarios()) >= {"hospital_ransomware", "election_interference"}
    for name in teaching.shipped_scenarios():
        run = teaching.TabletopRun(teaching.load_scenario(name))
        while not run.finished:
            best = next(c for c in run.stage["choices"] if c["quality"] == "good")
            run.choose(best["id"])
            run.advance()
        assert run.score()["good"] == len(run.scenario.stages)


def test_feedback_cites_the_real_norms_and_precedents():
    scenario = teaching.load_scenario("hospital_ransomware")
    tables = {name: data.load(name) for name in ("norms", "events", "incidents", "forums", "sources")}
    choice = next(c for s in scenario.stages for c in s["choices"] if c.get("norms") and c.get("precedents"))
    text = teaching.feedback_html(choice, tables)
    norms = data.load("norms").set_index("norm_id")
    assert norms.loc[choice["norms"][0], "reference"] in text
    assert "href=" in text and text.count("<li>") == len(choice["norms"]) + len(choice["precedents"]) + len(
        choice.get("forums", [])
    )


def test_the_exercise_widget_runs_stage_by_stage():
    exercise = teaching.TabletopExercise.from_file("election_interference")
    assert "Stage 1 of 3" in exercise.heading.value
    exercise.submit.click()
    assert "Choose a response first" in exercise.feedback.value
    exercise.choices.value = exercise.choices.options[0][1]
    exercise.submit.click()
    assert "briefing-feedback" in exercise.feedback.value and not exercise.next_button.disabled
    exercise.role.value = "civil_society"
    exercise.next_button.click()
    assert "Stage 2 of 3" in exercise.heading.value
    for _ in range(2):
        exercise.choices.value = exercise.choices.options[-1][1]
        exercise.submit.click()
        exercise.next_button.click()
    assert "Debrief" in exercise.heading.value and "Your choices" in exercise.inject.value
    exercise.restart.click()
    assert "Stage 1 of 3" in exercise.heading.value


def _minimal():
    return {
        "id": "my_case",
        "title": "My case",
        "summary": "A fictional case.",
        "fictional": True,
        "debrief": "Lessons.",
        "roles": [{"id": "government", "name": "Ministry", "brief": "Cares."}],
        "stages": [
            {
                "id": "s1",
                "title": "Inject",
                "inject": "Something happens.",
                "question": "What now?",
                "role": "government",
                "choices": [
                    {
                        "id": "a",
                        "text": "Good",
                        "quality": "good",
                        "feedback": "Why.",
                        "norms": ["gge2015_13f"],
                        "precedents": ["notpetya_2017"],
                        "forums": ["un_global_mechanism"],
                    },
                    {"id": "b", "text": "Poor", "quality": "poor", "feedback": "Why not."},
                ],
            }
        ],
    }


def _write(tmp_path, spec, name="case.yaml"):
    path = tmp_path / name
    path.write_text(spec if isinstance(spec, str) else yaml.safe_dump(spec))
    return path


def test_an_instructors_own_scenario_file_loads(tmp_path):
    scenario = teaching.load_scenario(_write(tmp_path, _minimal()))
    assert scenario.spec["id"] == "my_case"
    exercise = teaching.TabletopExercise(scenario)
    exercise.decide("a")
    assert "A/70/174, para. 13(f)" in exercise.feedback.value


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s.pop("stages"), "'stages' is a required property"),
        (lambda s: s["stages"][0]["choices"][0].update(quality="great"), "at stages/0/choices/0/quality"),
        (
            lambda s: s["stages"][0]["choices"][0].update(norms=["gge2015_13z"]),
            "choice a: norms ['gge2015_13z'] not found",
        ),
        (lambda s: s["stages"][0]["choices"][0].update(precedents=["no_such_event"]), "events.csv or incidents.csv"),
        (lambda s: s["stages"][0].update(role="press"), "role 'press' is not one of the roles"),
        (lambda s: s["stages"][0]["choices"][1].update(quality="mixed"), "at least one good and one poor choice"),
        (lambda s: s.update(fictional=False), "at fictional"),
    ],
)
def test_a_malformed_scenario_gets_an_error_naming_the_problem(tmp_path, change, message):
    spec = _minimal()
    change(spec)
    with pytest.raises(teaching.ScenarioError, match=r"case\.yaml") as refused:
        teaching.load_scenario(_write(tmp_path, spec))
    assert message in str(refused.value)


def test_broken_yaml_names_the_line(tmp_path):
    with pytest.raises(teaching.ScenarioError, match=r"not valid YAML at line 4"):
        teaching.load_scenario(_write(tmp_path, "id: x\ntitle: y\nstages: [unclosed\n  - z: :\n"))
    with pytest.raises(teaching.ScenarioError, match="no scenario named 'nope'"):
        teaching.load_scenario("nope")


# ---- Quiz files --------------------------------------------------------------------------------


def test_every_notebook_topic_has_a_shipped_quiz_file():
    assert set(TOPICS) == set(teaching.shipped_quizzes())


def _quiz(*questions):
    return {"topic": "my_quiz", "questions": list(questions)}


def test_a_question_is_one_yaml_entry_and_its_answer_comes_from_the_data(tmp_path):
    path = _write(
        tmp_path,
        _quiz(
            {"generator": "year_of_event", "event": "ms_paris_call_2018"},
            {"generator": "order_events", "events": ["ms_paris_call_2018", "ms_unga_res_53_70_1998"]},
            {
                "generator": "fact",
                "prompt": "Who may join the OEWG?",
                "options": ["All UN member states", "25 experts"],
                "answer": "All UN member states",
                "explanation": "Open-ended.",
                "sources": ["forums/un_oewg_2019"],
            },
        ),
        name="my_quiz.yaml",
    )
    year, order, fact = teaching.load_quiz(path)
    events = data.load("events").set_index("event_id")
    assert year.options[year.answer] == str(events.loc["ms_paris_call_2018", "date"].year)
    assert order.correct[0] == events.loc["ms_unga_res_53_70_1998", "title"]
    assert fact.source_ids == (data.load("forums").set_index("forum_id").loc["un_oewg_2019", "source_id"],)
    assert teaching.Quiz(teaching.load_quiz(path)).rows  # the widget takes it as it is


@pytest.mark.parametrize(
    "question, message",
    [
        ({"generator": "guess", "norm": "x"}, "at questions/0/generator: 'guess' is not one of"),
        ({"generator": "framework_of_norm"}, "at questions/0 (framework_of_norm): 'norm' is a required property"),
        (
            {"generator": "framework_of_norm", "norm": "gge2015_13z"},
            "norm ['gge2015_13z'] not found in the kit's norms",
        ),
        ({"generator": "year_of_event", "event": "ms_paris_call_2018", "colour": "red"}, "'colour' was unexpected"),
        (
            {"generator": "order_events", "events": ["ms_gcsc_singapore_norm_package_2018", "ms_paris_call_2018"]},
            "cannot be ordered",
        ),
        (
            {
                "generator": "fact",
                "prompt": "?",
                "options": ["a", "b"],
                "answer": "c",
                "explanation": "x",
                "sources": ["un_a_70_174"],
            },
            "the answer 'c' is not one of the options",
        ),
        (
            {
                "generator": "fact",
                "prompt": "?",
                "options": ["a", "b"],
                "answer": "a",
                "explanation": "x",
                "sources": ["forums/no_such_forum"],
            },
            "no row 'forums/no_such_forum'",
        ),
        (
            {
                "generator": "fact",
                "prompt": "?",
                "options": ["a", "b"],
                "answer": "a",
                "explanation": "x",
                "sources": ["no_such_source"],
            },
            "sources ['no_such_source'] not found",
        ),
    ],
)
def test_a_malformed_quiz_names_the_file_the_place_and_the_problem(tmp_path, question, message):
    with pytest.raises(teaching.QuizError) as refused:
        teaching.load_quiz(_write(tmp_path, _quiz(question), name="bad_quiz.yaml"))
    text = str(refused.value)
    assert text.startswith(str(tmp_path / "bad_quiz.yaml") + ": at questions/0"), text
    assert message in text, text


def test_a_quiz_that_is_not_yaml_or_not_shipped_says_so(tmp_path):
    with pytest.raises(teaching.QuizError, match=r"not valid YAML at line"):
        teaching.load_quiz(_write(tmp_path, "topic: [unclosed", name="broken.yaml"))
    with pytest.raises(teaching.QuizError, match="the kit ships: forums"):
        teaching.load_quiz("no_such_topic")
