"""Exercise packs: the open-response keys of a scenario, the notes resolved from the data, the rubric,
the stage-by-stage handouts and `briefing export-pack` (files, PDFs, refusals)."""

from __future__ import annotations

import copy
import re
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
import yaml

from briefing import cli, data, render
from briefing.teaching import handouts, notes, packs, rubric
from briefing.teaching.tabletop import ScenarioError, load_scenario, shipped_scenarios


def _shipped(name: str) -> dict:
    return yaml.safe_load(resources.files("briefing").joinpath(f"scenarios/{name}.yaml").read_text("utf-8"))


def _write(tmp_path: Path, spec: dict, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tables():
    return notes.note_tables()


# ---- The scenario format ---------------------------------------------------------------------


def test_the_shipped_scenarios_carry_open_response_for_every_stage():
    for name in shipped_scenarios():
        scenario = load_scenario(name)
        for stage in scenario.stages:
            block = stage["open_response"]
            assert block["report"]["known"] and block["team_question"] and block["notes"]["options"], stage["id"]


def test_a_scenario_without_the_open_response_keys_is_still_valid_and_falls_back(tmp_path, tables):
    spec = _shipped("election_interference")
    spec.pop("timing")
    for stage in spec["stages"]:
        stage.pop("open_response")
    scenario = load_scenario(_write(tmp_path, spec))
    first = scenario.stages[0]
    page = handouts.handout_html(scenario, 0)
    assert render.escape(first["inject"]) in page and render.escape(first["question"]) in page
    # The notes fall back to the ids the choices name, in order, once.
    named = [ref for choice in first["choices"] for ref in choice.get("norms", [])]
    assert notes.stage_references(first)["norms"] == list(dict.fromkeys(named))
    assert list(notes.resolve_notes(first, tables).norms["norm_id"]) == list(dict.fromkeys(named))
    assert packs.timing_plans(scenario) == packs.default_timing(3)


def _stage0(spec: dict) -> dict:
    return spec["stages"][0]["open_response"]


MALFORMED = {
    "a confidence level not in the list": (
        lambda s: _stage0(s)["report"]["assessments"][0].update(confidence="certain"),
        "at stages/0/open_response/report/assessments/0/confidence: 'certain' is not one of",
    ),
    "an unknown norm in the notes": (
        lambda s: _stage0(s)["notes"].update(norms=["gge2015_13z"]),
        "at stages/0 (stage_1)/open_response/notes: norms ['gge2015_13z'] not found in the kit's norms.csv",
    ),
    "an unknown precedent": (
        lambda s: _stage0(s)["notes"]["precedents"].append("no_such_case"),
        "notes: precedents ['no_such_case'] not found in the kit's events.csv or incidents.csv",
    ),
    "an unknown forum": (
        lambda s: _stage0(s)["notes"].update(forums=["un_gge_2099"]),
        "notes: forums ['un_gge_2099'] not found in the kit's forums.csv",
    ),
    "a legal rule outside the vocabulary": (
        lambda s: _stage0(s)["notes"].update(legal_rules=["self_defence"]),
        "at stages/0/open_response/notes/legal_rules/0: 'self_defence' is not one of",
    ),
    "what states did in a case the notes do not name": (
        lambda s: _stage0(s)["notes"]["what_states_did"][0].update(precedent="wannacry_2017"),
        "notes/what_states_did/0: precedent 'wannacry_2017' is not among this stage's notes precedents",
    ),
    "an option without its text": (
        lambda s: _stage0(s)["notes"]["options"][0].pop("option"),
        "at stages/0/open_response/notes/options/0: 'option' is a required property",
    ),
    "a key the format does not have": (
        lambda s: _stage0(s).update(answer="a"),
        "at stages/0/open_response: Additional properties are not allowed ('answer' was unexpected)",
    ),
    "a timing plan longer than its session": (
        lambda s: s["timing"]["minutes_90"].append({"minutes": 5, "activity": "Coffee"}),
        "at timing/minutes_90: the activities add up to 95 minutes, more than 90",
    ),
    "a slot of no minutes": (
        lambda s: s["timing"]["minutes_90"][0].update(minutes=0),
        "at timing/minutes_90/0/minutes: 0 is less than the minimum of 1",
    ),
    "a plan the format does not have": (
        lambda s: s["timing"].update(full_day=[{"minutes": 60, "activity": "x"}]),
        "at timing: Additional properties are not allowed",
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_open_response_names_the_file_the_place_and_the_problem(tmp_path, case):
    change, says = MALFORMED[case]
    spec = _shipped("election_interference")
    change(spec)
    path = _write(tmp_path, spec)
    with pytest.raises(ScenarioError) as refused:
        load_scenario(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: at ") and says in message and "\n" not in message, message


# ---- Notes resolved from the data ------------------------------------------------------------


def _stage(name: str, stage_id: str) -> dict:
    return next(stage for stage in load_scenario(name).stages if stage["id"] == stage_id)


def test_notes_resolve_norms_precedents_and_forums_to_their_rows(tables):
    stage = _stage("hospital_ransomware", "stage_3")
    resolved = notes.resolve_notes(stage, tables)
    wanted = stage["open_response"]["notes"]
    norms = tables["norms"].set_index("norm_id").loc[wanted["norms"]]
    assert list(resolved.norms["reference"]) == list(norms["reference"])
    assert list(resolved.norms["source_id"]) == list(norms["source_id"])
    events = tables["events"].set_index("event_id")
    for row in resolved.precedents.itertuples():
        if row.kind == "event":
            assert (
                row.date == events.loc[row.precedent_id, "date"] and row.title == events.loc[row.precedent_id, "title"]
            )
    assert set(resolved.precedents["kind"]) == {"event", "incident"}  # covid_hospital_attacks_2020 is an incident
    forums = tables["forums"].set_index("forum_id").loc[wanted["forums"]]
    assert list(resolved.forums["name"]) == list(forums["name"])


def test_legal_rules_resolve_to_positions_and_incident_claims(tables):
    resolved = notes.resolve_notes(_stage("hospital_ransomware", "stage_3"), tables)
    # Every holder that codes a view on due diligence, read straight from the two tables.
    stances = tables["position_stances"].merge(tables["positions"], on="position_id")
    coded = stances[(stances["question"] == "due_diligence") & (stances["stance"] != "not_addressed")]
    assert set(resolved.positions["due_diligence"]["holder_name"]) == set(coded["holder_name"])
    assert len(coded) > 0
    claims = tables["incident_norms"]
    said = claims[claims["legal_rule"] == "due_diligence"]
    assert set(resolved.claims["due_diligence"]["link_id"]) == set(said["link_id"])
    # Countermeasures: positions only (incident_norms has no such rule), and the page says what it holds.
    assert resolved.claims["countermeasures"].empty and not resolved.positions["countermeasures"].empty
    page = notes.notes_html(resolved, tables["sources"])
    for row in coded.itertuples():
        assert render.escape(row.holder_name) in page


def test_a_rule_the_data_does_not_hold_says_so(tables):
    stage = copy.deepcopy(_stage("election_interference", "stage_1"))
    stage["open_response"]["notes"]["legal_rules"] = ["human_rights", "countermeasures"]
    resolved = notes.resolve_notes(stage, tables)
    assert resolved.positions["human_rights"].empty  # no position codes human rights law
    assert not resolved.claims["human_rights"].empty  # but incidents were said to breach it
    page = notes.notes_html(resolved, tables["sources"])
    assert "Human rights law" in page and "Countermeasures" in page


@pytest.mark.parametrize("name", shipped_scenarios())
def test_everything_a_pack_names_resolves_in_the_data(name, tables):
    scenario = load_scenario(name)
    known = {
        "norms": set(tables["norms"]["norm_id"]),
        "precedents": set(tables["events"]["event_id"]) | set(tables["incidents"]["incident_id"]),
        "forums": set(tables["forums"]["forum_id"]),
    }
    urls = set(tables["sources"]["url"].dropna())
    page, cited = handouts.notes_page(scenario, tables)
    for stage in scenario.stages:
        refs = notes.stage_references(stage)
        for key, valid in known.items():
            assert set(refs[key]) <= valid, (stage["id"], key)
    assert cited and set(cited) <= set(tables["sources"]["source_id"])
    links = set(re.findall(r'href="([^"]+)"', page))
    assert links and {link.replace("&amp;", "&") for link in links} <= urls
    assert "Data as of" in page and f"{len(cited)} cited sources" in page


def test_what_states_did_sits_beside_its_precedent_and_its_source(tables):
    stage = _stage("election_interference", "stage_2")
    page, _cited = handouts.notes_page(load_scenario("election_interference"), tables)
    sources = tables["sources"].set_index("source_id")
    rows = pd.concat(
        [
            tables["events"].set_index("event_id")[["title", "source_id"]],
            tables["incidents"].set_index("incident_id").rename(columns={"name": "title"})[["title", "source_id"]],
        ]
    )
    for told in stage["open_response"]["notes"]["what_states_did"]:
        row = rows.loc[told["precedent"]]
        title = render.escape(sources.loc[row["source_id"], "title"])
        assert f"{render.escape(row['title'])}</b>" in page and render.escape(told["text"]) in page
        assert title in page


# ---- Handouts, released stage by stage ---------------------------------------------------------


def _stage_texts(stage: dict) -> list[str]:
    block = stage.get("open_response", {})
    report = block.get("report", {})
    return [
        stage["title"],
        stage["inject"],
        block.get("team_question", stage["question"]),
        *report.get("known", []),
        *report.get("unknown", []),
        *(a["claim"] for a in report.get("assessments", [])),
    ]


@pytest.mark.parametrize("name", shipped_scenarios())
def test_a_stage_handout_holds_its_stage_and_nothing_of_later_stages(name):
    scenario = load_scenario(name)
    choices = [c["text"] for stage in scenario.stages for c in stage["choices"]]
    for index, stage in enumerate(scenario.stages):
        page = handouts.handout_html(scenario, index)
        for text in _stage_texts(stage):
            assert render.escape(text) in page, (index, text)
        released = {text for earlier in scenario.stages[: index + 1] for text in _stage_texts(earlier)}
        for later in scenario.stages[index + 1 :]:
            for text in set(_stage_texts(later)) - released:  # a judgement repeated later was already known
                assert render.escape(text) not in page, (index, later["id"], text)
        assert not [text for text in choices if render.escape(text) in page]  # no self-study answers
        assert "Data as of" in page and "fictional scenario" in page


# ---- The rubric --------------------------------------------------------------------------------


def test_the_rubric_totals_a_teams_scores():
    card = rubric.load_rubric("cyber_9_12")
    assert card.scores == [1, 2, 3, 4] and len(card.criteria) == 5 and card.most == 20
    ids = [c["id"] for c in card.criteria]
    assert rubric.total(card, dict.fromkeys(ids, 4)) == (20, 5)
    assert rubric.total(card, {ids[0]: 1, ids[1]: 3, ids[2]: None}) == (4, 2)
    with pytest.raises(rubric.RubricError, match=r"scores \{'recommendation': 5\} are not levels"):
        rubric.total(card, {"recommendation": 5})
    with pytest.raises(rubric.RubricError, match=r"no criterion \['style'\]"):
        rubric.total(card, {"style": 2})


def test_the_scoring_widget_totals_through_its_one_update_path():
    card = rubric.load_rubric()
    scorer = rubric.RubricScorer(card)
    assert scorer.total == (0, 0) and "No criterion scored yet" in scorer.status.value
    scorer.team.value = "Team <Blue>"
    for picker, level in zip(scorer.pickers.values(), [4, 3, 2, 4, 1]):
        picker.value = level
    assert scorer.total == (14, 5)
    assert "Team &lt;Blue&gt;: 14 of 20</b> (5 of 5 criteria scored)" in scorer.status.value
    scorer.reset()
    assert scorer.total == (0, 0) and all(p.value is None for p in scorer.pickers.values())


def test_the_scorecard_prints_every_criterion_with_four_levels():
    card = rubric.load_rubric()
    page = handouts.scorecard_page(card)
    assert page.count("<td class='score-box'>") == len(card.criteria) + 1
    for criterion in card.criteria:
        assert all(render.escape(text) in page for text in criterion["descriptors"])
    assert "Total</b> (of 20)" in page and "Data as of" in page


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda s: s["criteria"][0]["descriptors"].pop(), "at criteria/0/descriptors: ['"),
        (lambda s: s["levels"].reverse(), "at levels: scores must rise"),
        (lambda s: s["criteria"][1].update(id=s["criteria"][0]["id"]), "at criteria: criterion ids must be unique"),
    ],
)
def test_a_malformed_rubric_names_the_file_the_place_and_the_problem(tmp_path, change, says):
    spec = yaml.safe_load(resources.files("briefing").joinpath("rubrics/cyber_9_12.yaml").read_text("utf-8"))
    change(spec)
    path = _write(tmp_path, spec, "rubric.yaml")
    with pytest.raises(rubric.RubricError) as refused:
        rubric.load_rubric(path)
    assert str(refused.value).startswith(f"{path}: ") and says in str(refused.value)


# ---- Timing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stages", range(1, 9))
def test_default_timing_fills_each_session_exactly(stages):
    plans = packs.default_timing(stages)
    assert sum(slot["minutes"] for slot in plans["minutes_90"]) == 90
    assert sum(slot["minutes"] for slot in plans["half_day"]) == 210
    assert all(slot["minutes"] >= 1 for plan in plans.values() for slot in plan)
    for number in range(1, stages + 1):
        assert any(slot["activity"].startswith(f"Stage {number}:") for slot in plans["half_day"])


def test_a_files_own_timing_is_printed():
    scenario = load_scenario("election_interference")
    page = packs.timing_page(scenario)
    for slot in scenario.spec["timing"]["minutes_90"]:
        assert render.escape(slot["activity"]) in page
    assert "Half-day session (210 minutes)" in page and "90-minute session (90 minutes)" in page


# ---- Writing the pack --------------------------------------------------------------------------

HTML_PAGES = ["handout_stage_1", "handout_stage_2", "handout_stage_3", "instructor_notes", "scorecard", "timing"]


def test_export_pack_writes_the_expected_files_all_or_none(tmp_path):
    out = tmp_path / "pack"
    pack = packs.export_pack("election_interference", out, pdf=False)
    assert sorted(p.name for p in pack.files) == sorted(f"{stem}.html" for stem in [*HTML_PAGES, "index"])
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in pack.files)  # no staging left
    for stem in HTML_PAGES:
        assert "<p class='source-line'>Source: " in (out / f"{stem}.html").read_text("utf-8")
    linked = re.findall(r'<a href="([^"]+)">', (out / "index.html").read_text("utf-8"))
    assert sorted(linked) == sorted(f"{stem}.html" for stem in HTML_PAGES)  # no PDFs were asked for
    written = (out / "scorecard.html").read_bytes()
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "scorecard.html").write_text("mine")
    with pytest.raises(
        packs.PackError, match=r"scorecard\.html exists already; choose another name or pass --overwrite"
    ):
        packs.export_pack("election_interference", taken, pdf=False)
    assert [p.name for p in taken.iterdir()] == ["scorecard.html"]  # none of the others either
    assert (taken / "scorecard.html").read_text() == "mine"
    packs.export_pack("election_interference", taken, pdf=False, overwrite=True)
    assert (taken / "scorecard.html").read_bytes() == written


def test_export_pack_never_writes_inside_the_data_folder():
    with pytest.raises(packs.PackError, match="inside the kit's data folder"):
        packs.export_pack("election_interference", data.data_dir() / "pack", pdf=False)
    assert not (data.data_dir() / "pack").exists()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@pytest.mark.chromium
def test_export_pack_prints_each_page_to_a_pdf(tmp_path):
    pack = packs.export_pack("election_interference", tmp_path / "pack")
    pdfs = [p for p in pack.files if p.suffix == ".pdf"]
    assert sorted(p.stem for p in pdfs) == sorted(HTML_PAGES)
    for pdf in pdfs:
        content = pdf.read_bytes()
        assert content.startswith(b"%PDF") and _pages(content) >= 1, pdf.name
    assert _pages((tmp_path / "pack" / "instructor_notes.pdf").read_bytes()) > 3  # a page per stage at least
    linked = re.findall(r'<a href="([^"]+)">', (tmp_path / "pack" / "index.html").read_text("utf-8"))
    assert {f"{stem}.pdf" for stem in HTML_PAGES} <= set(linked)


# ---- The command line --------------------------------------------------------------------------


def _run(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_export_pack_on_the_command_line(tmp_path, capsys):
    status, out, err = _run(capsys, "export-pack", "election_interference", "--out", str(tmp_path / "p"), "--no-pdf")
    assert status == 0 and err == ""
    assert sorted(Path(line).name for line in out.splitlines()) == sorted(f"{s}.html" for s in [*HTML_PAGES, "index"])


@pytest.mark.parametrize(
    "args, says",
    [
        (
            ["export-pack", "nope", "--no-pdf"],
            "no scenario named 'nope'; the kit ships: armed_conflict_infrastructure, election_interference",
        ),
        (["export-pack", "election_interference", "--out", "{data}/pack", "--no-pdf"], "inside the kit's data folder"),
        (["export-pack", "election_interference", "--out", "{tmp}/no/such/pack", "--no-pdf"], "does not exist"),
        (["export-pack", "election_interference", "--out", "{tmp}/a-file", "--no-pdf"], "is a file, not a folder"),
        (["export-pack", "election_interference", "--out", "{tmp}/taken", "--no-pdf"], "exists already"),
        (["export-pack", "election_interference", "--out", "{tmp}/pdfs"], "PDFs need Chromium"),
        (["export-pack", "{tmp}/broken.yaml", "--out", "{tmp}/x", "--no-pdf"], "broken.yaml: at stages/0"),
        (["export-pack"], "the following arguments are required: scenario"),
    ],
)
def test_export_pack_refusals_say_what_to_do_in_one_line_and_write_nothing(tmp_path, capsys, args, says):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "timing.html").write_text("mine")
    broken = _shipped("election_interference")
    broken["stages"][0]["open_response"]["notes"]["norms"] = ["nope"]
    _write(tmp_path, broken, "broken.yaml")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    filled = [arg.format(tmp=tmp_path, data=data.data_dir()) for arg in args]
    status, out, err = _run(capsys, *filled)
    assert status == 2 and out == ""
    assert says in err and err.count("\n") == 1 and "Traceback" not in err, err
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
    assert not (data.data_dir() / "pack").exists()


def test_the_pack_button_writes_a_pack_and_lists_it(tmp_path):
    exporter = packs.PackExporter(folder=str(tmp_path / "exports"))
    exporter.scenario.value = "election_interference"
    exporter.pdf.value = False
    pack = exporter.export()
    assert pack is not None and pack.folder == tmp_path / "exports" / "election_interference_pack"
    assert all(render.escape(p.name) in exporter.result.value for p in pack.files)
    # Each file is a download link through the app's file route (the allowlist in share/voila/voila.py).
    for path in pack.files:
        assert f'href="../files/exports/election_interference_pack/{path.name}"' in exporter.result.value
    assert exporter.export() is None and "exists already" in exporter.result.value


def test_frames_behind_the_notes_are_plain_tables(tables):
    resolved = notes.resolve_notes(_stage("hospital_ransomware", "stage_1"), tables)
    for frame in (resolved.norms, resolved.precedents, resolved.forums):
        assert isinstance(frame, pd.DataFrame) and {"source_id", "when"} <= set(frame.columns)


def test_a_packs_pages_show_an_instructors_markup_as_text(tmp_path, tables):
    spec = _shipped("election_interference")
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    spec["title"] = hostile
    spec["stages"][0]["open_response"]["report"]["known"][0] = hostile
    spec["stages"][0]["open_response"]["notes"]["options"][0]["pros"] = [hostile]
    scenario = load_scenario(_write(tmp_path, spec))
    pages = [handouts.handout_html(scenario, 0), handouts.notes_page(scenario, tables)[0], packs.timing_page(scenario)]
    for page in pages:
        assert "<script>" not in page and "<img" not in page
        assert render.escape(hostile) in page


def test_the_static_site_prints_the_scorecard_and_says_how_to_write_a_pack():
    """Without a kernel (``make site``) the scoring widget becomes the printable scorecard, every
    criterion in it, and the pack button says how to write a pack instead of showing a dead button."""
    from briefing.site import static

    scorer = rubric.RubricScorer(rubric.load_rubric("cyber_9_12"))
    page, figures = static.static_html(scorer.widget)
    assert figures == [] and "<table" in page and "needs a running kernel" in page
    for criterion in scorer.rubric.criteria:
        assert render.escape(criterion["name"]) in page
    exporter = packs.PackExporter(folder="exports")
    page, figures = static.static_html(exporter.widget)
    assert figures == [] and "briefing export-pack SCENARIO" in page and "<button" not in page


def test_a_stage_names_its_legal_rules_from_the_kits_one_table_of_rules():
    # One table (law.LEGAL_RULE_LABELS) names every rule; a stage may name all but the claim that
    # names no one rule, in the order and words it always had.
    from briefing import law
    from briefing.teaching import open_response

    rules = ["sovereignty", "non_intervention", "due_diligence", "use_of_force", "ihl", "human_rights"]
    assert list(open_response.LEGAL_RULES) == [*rules, "countermeasures", "attribution"]
    said = {"use_of_force": "Prohibition of the use of force", "countermeasures": "Countermeasures"}
    assert {rule: open_response.LEGAL_RULES[rule] for rule in said} == said
    assert all(law.LEGAL_RULE_LABELS[rule] == label for rule, label in open_response.LEGAL_RULES.items())
    assert set(law.LEGAL_RULE_LABELS) - set(open_response.LEGAL_RULES) == {law.GENERAL_RULE}
    enum = open_response.STAGE_SCHEMA["properties"]["notes"]["properties"]["legal_rules"]["items"]["enum"]
    assert enum == list(open_response.LEGAL_RULES)
