"""Hostile and careless scenario and quiz files: each gets an error naming the file, the place and the
problem, in well under a second; never a traceback, a hang or a memory blow-up."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest
import yaml

from briefing import teaching
from briefing.teaching import checked_yaml

KINDS = {
    "scenario": (teaching.load_scenario, teaching.ScenarioError),
    "quiz": (teaching.load_quiz, teaching.QuizError),
}


def _laughs(levels: int = 9, width: int = 9) -> str:
    """A "billion laughs": each anchor lists the one before ``width`` times (9**9 values from 0.4 KB)."""
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "alias bomb": ("id: x\n" + _laughs() + "title: *l8\n", "more than 50,000 values once aliases (*name) are expanded"),
    "title nested 10,000 deep": ("id: x\ntitle: " + "[" * 10_000 + "]" * 10_000 + "\n", "nest more than 20 deep"),
    "a tag that runs a command": (
        "id: !!python/object/apply:os.system ['echo pwned']\n",
        "line 1: the tag !!python/object/apply:os.system is not allowed",
    ),
    "a tag that makes an object": ("id: !!python/object:builtins.dict {}\n", "the tag !!python/object:builtins.dict"),
    "a local tag": ("id: !include other.yaml\n", "the tag !include is not allowed"),
    "an alias inside itself": ("a: &a [1, *a]\n", "line 1: the alias *a refers to a list or mapping it is inside"),
    "a key given twice": ("id: x\ntitle: One\ntitle: Two\n", "line 3: the key 'title' is given twice"),
    "not YAML": ("id: x\ntitle: [unclosed\n  - z: :\n", "not valid YAML at line"),
    "a tab for indent": ("id: x\n\ttitle: y\n", "not valid YAML at line 2"),
    "a list, not a mapping": ("- id: x\n", "expected a mapping (key: value lines) at the top; got a list"),
    "an empty file": ("", "got an empty file"),
    "a number": ("42\n", "got a int"),
}


def _write(path, text: str | bytes):
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_file_gets_file_place_and_problem_at_once(tmp_path, kind, case):
    load, error = KINDS[kind]
    text, says = HOSTILE[case]
    path = _write(tmp_path / "mine.yaml", text)
    started = time.monotonic()
    with pytest.raises(error) as refused:
        load(path)
    assert time.monotonic() - started < 3
    message = str(refused.value)
    assert message.startswith(f"{path}: ") and says in message and "\n" not in message, message
    assert len(message) < 400


@pytest.mark.parametrize("kind", KINDS)
def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, kind):
    load, error = KINDS[kind]
    path = _write(tmp_path / "big.yaml", "id: x\ntitle: " + "y" * 2_000_000 + "\n")
    with pytest.raises(error, match=r"big\.yaml: 2,000,014 bytes; a (scenario|quiz) file holds at most 1,000,000"):
        load(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_is_not_utf8_names_the_line(tmp_path, kind):
    load, error = KINDS[kind]
    path = _write(tmp_path / "latin.yaml", "id: x\ntitle: Caf\xe9 talks\n".encode("latin-1"))
    with pytest.raises(error, match=r"latin\.yaml: not UTF-8 text \(byte 0xe9 on line 2\); save it as UTF-8"):
        load(path)


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_or_unreadable_path_says_so(tmp_path, kind):
    load, error = KINDS[kind]
    with pytest.raises(error, match=r"nowhere\.yaml: cannot read the file \(No such file or directory\)"):
        load(tmp_path / "nowhere.yaml")
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(error, match=r"folder\.yaml: cannot read the file \(Is a directory\)"):
        load(tmp_path / "folder.yaml")


def test_the_alias_bomb_never_reaches_memory(tmp_path):
    """The bomb that blew memory inside jsonschema's message, run with 1 GB of address space to spare."""
    path = _write(tmp_path / "bomb.yaml", "id: x\n" + _laughs() + "title: *l8\nstages: *l8\n")
    code = textwrap.dedent(
        f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
        from briefing import teaching
        try:
            teaching.load_scenario({str(path)!r})
        except teaching.ScenarioError as refused:
            print(refused)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "more than 50,000 values once aliases (*name) are expanded" in result.stdout


WRONG = {
    "a title that is a list": (lambda s: s.update(title=["a", "b"]), "at title: ['a', 'b'] is not of type 'string'"),
    "norms as text": (
        lambda s: s["stages"][0]["choices"][0].update(norms="gge2015_13f"),
        "at stages/0/choices/0/norms: 'gge2015_13f' is not of type 'array'",
    ),
    "a quality as a number": (
        lambda s: s["stages"][0]["choices"][0].update(quality=3),
        "at stages/0/choices/0/quality: 3 is not one of",
    ),
    "an unknown forum": (
        lambda s: s["stages"][0]["choices"][0].update(forums=["no_such_forum"]),
        "choice a: forums ['no_such_forum'] not found in the kit's forums.csv",
    ),
    "a date for a title": (
        lambda s: s.update(title="2020-01-01"),
        "at title: datetime.date(2020, 1, 1) is not of type",
    ),
}


@pytest.mark.parametrize("case", WRONG, ids=list(WRONG))
def test_a_scenario_with_a_wrong_type_or_reference_names_the_place(tmp_path, case):
    from test_teaching import _minimal

    spec = _minimal()
    change, says = WRONG[case]
    change(spec)
    text = yaml.safe_dump(spec).replace("title: '2020-01-01'", "title: 2020-01-01")
    with pytest.raises(teaching.ScenarioError) as refused:
        teaching.load_scenario(_write(tmp_path / "case.yaml", text))
    assert str(refused.value).startswith(f"{tmp_path / 'case.yaml'}: at ") and says in str(refused.value)


QUIZ_WRONG = {
    "questions as text": ({"topic": "t", "questions": "all of them"}, "at questions: 'all of them' is not of type"),
    "an unknown event": (
        {"topic": "t", "questions": [{"generator": "year_of_event", "event": "no_such_event"}]},
        "at questions/0 (year_of_event): event ['no_such_event'] not found in the kit's events.csv",
    ),
    "a count in a column that does not exist": (
        {
            "topic": "t",
            "questions": [
                {
                    "generator": "count_rows",
                    "prompt": "How many?",
                    "table": "forums",
                    "ids_starting": "un_",
                    "true_in": "no_such_column",
                    "options": [1, 2],
                    "explanation": "x",
                }
            ],
        },
        "at questions/0 (count_rows): no column 'no_such_column' in forums.csv",
    ),
    "a count in a column that is not true/false": (
        {
            "topic": "t",
            "questions": [
                {
                    "generator": "count_rows",
                    "prompt": "How many?",
                    "table": "forums",
                    "ids_starting": "un_",
                    "true_in": "name",
                    "options": [1, 2],
                    "explanation": "x",
                }
            ],
        },
        "true_in: 'name' is not a true/false column",
    ),
}


@pytest.mark.parametrize("case", QUIZ_WRONG, ids=list(QUIZ_WRONG))
def test_a_quiz_with_a_wrong_type_or_reference_names_the_place(tmp_path, case):
    spec, says = QUIZ_WRONG[case]
    with pytest.raises(teaching.QuizError) as refused:
        teaching.load_quiz(_write(tmp_path / "quiz.yaml", yaml.safe_dump(spec)))
    assert str(refused.value).startswith(f"{tmp_path / 'quiz.yaml'}: at ") and says in str(refused.value)


def test_the_shipped_files_sit_well_inside_the_bounds():
    for folder in ("scenarios", "quizzes"):
        for name in checked_yaml.shipped(folder):
            spec, _ = checked_yaml.read(name, folder=folder, what=folder, error=ValueError)
            assert spec


@pytest.mark.parametrize("folder", ["scenarios", "quizzes", "rubrics"])
def test_every_shipped_file_reads_as_pythons_own_yaml_parser_reads_it(folder):
    # checked_yaml reads with libyaml where PyYAML has it (ten times faster): it must give what the
    # pure-Python parser gives for every file the kit ships.
    from importlib import resources

    for name in checked_yaml.shipped(folder):
        text = resources.files("briefing").joinpath(f"{folder}/{name}.yaml").read_text(encoding="utf-8")
        spec, _ = checked_yaml.read(name, folder=folder, what="file", error=ValueError)
        assert spec == yaml.load(text, Loader=yaml.SafeLoader), f"{folder}/{name}.yaml"
