"""The data package: every table valid, typed, keyed, dated honestly and sourced."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlparse

import pandas as pd
import pytest
from conftest import REPO, replace_cell

from briefing import data

TABLES = data.list_tables()

# The least each table must hold (issue: the curated data package).
MINIMUM_ROWS = {
    "sources": 120,
    "forums": 35,
    "events": 150,
    "incidents": 50,
    "norms": 70,
    "themes": 12,
    "stakeholders": 30,
    "recommendations": 60,
    "glossary": 40,
    "participation": 100,
    "incident_targets": 50,
    "incident_sectors": 50,
    "attributions": 10,
    "norm_themes": 70,
    "positions": 20,
    "position_stances": 140,
    "incident_norms": 60,
    "attribution_responses": 10,
    "un_votes": 10,
    "convention_arguments": 10,
}
# Tables added with the positions and camps curation (issue 14); each must validate on its own too.
CAMPS_TABLES = [
    "positions",
    "position_stances",
    "incident_norms",
    "attribution_responses",
    "un_votes",
    "convention_arguments",
]
SEED_SOURCES = [
    "seed_gzero_2020_web",
    "seed_gzero_2020_pdf",
    "seed_gssd_cfr_2018",
    "seed_mittr_gcsc_2017",
    "seed_cbm_paper_2012",
]
PANDAS_KIND = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


#: Dates that are always known to the day and so carry no precision column (each with its reason).
DATES_KNOWN_TO_THE_DAY = {("sources", "accessed"): "the day a curator checked the source"}


def _date_columns(table):
    return [f["name"] for f in data.fields(table) if f["type"] == "date"]


def _precision_column(table, date_column):
    """The column that says how precise ``date_column`` is, as the schema declares it (``precisionField``)."""
    (field,) = [f for f in data.fields(table) if f["name"] == date_column]
    return field.get("precisionField")


def test_every_table_has_a_file_and_a_description():
    assert set(TABLES) >= set(MINIMUM_ROWS)
    for table in TABLES:
        assert (REPO / "data" / data.resource(table)["path"]).exists()
        assert all(f.get("description") for f in data.fields(table)), table


@pytest.fixture(scope="module")
def validation():
    return data.validate(use_cache=False)


def test_package_validates_with_frictionless(validation):
    assert validation.valid, validation.to_frame().head(20).to_string()


@pytest.mark.parametrize("table", CAMPS_TABLES)
def test_new_table_is_declared_keyed_and_valid(table, validation):
    schema = data.resource(table)["schema"]
    assert schema["primaryKey"]
    assert any(key["reference"]["resource"] == "sources" for key in schema["foreignKeys"])
    problems = validation.to_frame()
    assert problems[problems["file"] == f"{table}.csv"].empty, problems.head(20).to_string()


@pytest.mark.parametrize("table", [t for t in TABLES if data.resource(t)["schema"].get("foreignKeys")])
def test_every_link_key_resolves(table):
    frame = data.load(table)
    for key in data.resource(table)["schema"]["foreignKeys"]:
        target = key["reference"]
        known = set(data.load(target["resource"])[target["fields"]])
        used = set(frame[key["fields"]].dropna())
        assert used <= known, f"{table}.{key['fields']} -> {target['resource']}: {sorted(used - known)[:5]}"


#: ``*_id`` columns that are not foreign keys, each with its reason.
IDS_NOT_KEYS = {("positions", "holder_id"): "an ISO 3166 code for a state, a slug for an organisation"}


@pytest.mark.parametrize("table", TABLES)
def test_every_id_column_of_another_table_is_a_declared_key_and_every_iso_code_a_country(table):
    import pycountry

    schema = data.resource(table)["schema"]
    own = [schema["primaryKey"]] if isinstance(schema["primaryKey"], str) else schema["primaryKey"]
    declared = {key["fields"] for key in schema.get("foreignKeys", [])}
    for field in schema["fields"]:
        name = field["name"]
        if name.endswith("_id") and (table, name) not in IDS_NOT_KEYS and own != [name]:
            assert name in declared, f"{table}.{name} is not a declared foreign key, so nothing checks it resolves"
    frame = data.load(table)
    for name in (f["name"] for f in schema["fields"] if f["name"].endswith("iso3")):
        codes = set(frame[name].dropna()) - {"EUU"}  # the European Union, as the kit writes it
        unknown = sorted(code for code in codes if pycountry.countries.get(alpha_3=code) is None)
        assert not unknown, f"{table}.{name}: not ISO 3166 alpha-3 codes: {unknown[:5]}"


@pytest.mark.parametrize("table", TABLES)
def test_table_loads_with_declared_dtypes(table):
    frame = data.load(table)
    assert list(frame.columns) == [f["name"] for f in data.fields(table)]
    for field in data.fields(table):
        dtype = frame[field["name"]].dtype
        if field["type"] == "date":
            assert dtype.kind == "M", field["name"]
        else:
            assert str(dtype) == PANDAS_KIND[field["type"]], (field["name"], dtype)


@pytest.mark.parametrize("table", TABLES)
def test_table_meets_its_minimum_size(table):
    assert len(data.load(table)) >= MINIMUM_ROWS.get(table, 1)


@pytest.mark.parametrize("table", TABLES)
def test_primary_key_is_unique(table):
    key = data.resource(table)["schema"]["primaryKey"]
    frame = data.load(table)
    assert not frame.duplicated(subset=[key] if isinstance(key, str) else key).any()


@pytest.mark.parametrize("table", [t for t in TABLES if t != "sources"])
def test_every_row_is_sourced_or_links_sourced_rows(table):
    frame = data.load(table)
    sources = set(data.load("sources")["source_id"])
    if "source_id" not in frame:
        # A pure link table (norm_themes): both ends are sourced rows.
        keys = data.resource(table)["schema"]["foreignKeys"]
        assert keys, table
        return
    if table == "themes":  # themes are the kit's own categories; a source is optional
        frame = frame.dropna(subset=["source_id"])
    assert frame["source_id"].notna().all()
    assert set(frame["source_id"]) <= sources
    if "extra_source_id" in frame:
        assert set(frame["extra_source_id"].dropna()) <= sources


@pytest.mark.parametrize("table", [t for t in TABLES if _date_columns(t)])
def test_every_date_says_its_precision(table):
    frame = data.load(table)
    as_of = pd.Timestamp(data.as_of())
    for column in _date_columns(table):
        precision = _precision_column(table, column)
        if (table, column) in DATES_KNOWN_TO_THE_DAY:
            assert precision is None, f"{table}.{column} has a precision column: drop it from the exceptions"
            assert frame[column].notna().all(), f"{table}.{column}: the day a curator checked is always known"
            continue
        assert precision is not None, (
            f"{table}.{column}: no precision column (add one, and name it on the date field in "
            'datapackage.json: "precisionField": "date_precision")'
        )
        dated = frame[column].notna()
        assert frame.loc[dated, precision].isin(["day", "month", "year"]).all(), column
        assert frame.loc[~dated, precision].isna().all(), f"{column}: precision without a date"
        months = frame.loc[dated & (frame[precision] == "month"), column]
        years = frame.loc[dated & (frame[precision] == "year"), column]
        assert (months.dt.day == 1).all() and (years.dt.day_of_year == 1).all(), column
        assert (frame.loc[dated, column] <= as_of).all(), f"{column}: a date after the data's as-of date"


def test_the_seed_texts_are_sources():
    sources = data.load("sources").set_index("source_id")
    assert set(SEED_SOURCES) <= set(sources.index)
    non_seed = sources[sources["kind"] != "seed_text"]
    assert non_seed["url"].notna().all(), "every source but a seed text has a URL"


def test_incidents_span_2007_to_recent_years():
    years = data.load("incidents")["start_date"].dt.year
    assert years.min() <= 2007 and years.max() >= 2024


def test_events_span_1998_onward():
    years = data.load("events")["date"].dt.year
    # The first UN resolution on the subject (A/RES/53/70, 1998) is in; older milestones may join it.
    assert "ms_unga_res_53_70_1998" in set(data.load("events")["event_id"])
    assert years.min() <= 1998 and years.max() >= 2025


def test_norms_come_from_at_least_seven_frameworks_and_gge_2015_is_complete():
    norms = data.load("norms")
    assert norms["forum_id"].nunique() >= 7
    gge = norms[norms["forum_id"] == "un_gge_2014"]
    letters = set(gge["reference"].str.extract(r"13\s*\(([a-k])\)")[0].dropna())
    assert letters == set("abcdefghijk")


def test_every_norm_has_a_theme():
    norms = set(data.load("norms")["norm_id"])
    assert norms == set(data.load("norm_themes")["norm_id"])


def test_gge_memberships_match_the_declared_member_counts():
    forums = data.load("forums").set_index("forum_id")
    members = data.load("participation").query("role == 'member'").groupby("forum_id").size()
    listed = 0
    for forum_id in ("un_gge_2004", "un_gge_2009", "un_gge_2012", "un_gge_2014", "un_gge_2016", "un_gge_2019"):
        if forum_id in members:
            assert members[forum_id] == forums.loc[forum_id, "member_count"], forum_id
            listed += 1
        else:  # a known gap must be said, never left silent
            assert "Member list not in the kit" in forums.loc[forum_id, "note"], forum_id
    assert listed >= 4


def test_budapest_parties_match_the_declared_count_and_say_what_their_date_is():
    forums = data.load("forums").set_index("forum_id")
    parties = data.load("participation").query("forum_id == 'budapest_convention'")
    assert set(parties["role"]) == {"party"}
    assert len(parties) == forums.loc["budapest_convention", "member_count"]
    dated = parties[parties["date"].notna()]
    # Entry into force is the convention; any other date (a deposit, an accession month) says so.
    assert dated["note"].str.contains("entry into force|deposit|acceded|accession", case=False).all()


def test_paris_call_state_supporters_are_all_there():
    supporters = data.load("participation").query("forum_id == 'paris_call' and role == 'supporter'")
    # As many as the source's own note counts ("81 states"), not a number pinned here: a data
    # update that adds supporters updates the source note with them.
    assert set(supporters["source_id"]) == {"paris_call_supporters_2025"}
    note = data.load("sources").set_index("source_id").loc["paris_call_supporters_2025", "note"]
    stated = re.search(r"(\d+) states", note)
    assert stated, note
    assert len(supporters) == int(stated.group(1))
    assert supporters["country_iso3"].is_unique


def test_damage_figures_name_their_source():
    incidents = data.load("incidents")
    with_damage = incidents[incidents["damage_usd"].notna()]
    assert with_damage["damage_source_id"].notna().all()


# Positions, attributions and camps (issue 14).

# Which stance codes answer which question (the schema's enum is the union of these).
STANCES_BY_QUESTION = {
    "sovereignty": {"rule", "principle_only"},
    "due_diligence": {"binding_obligation", "voluntary_norm"},
    "countermeasures": {"apply", "collective_allowed", "collective_rejected"},
    "non_intervention": {"coercion_threshold_stated", "applies_no_threshold"},
    "use_of_force": {"self_defence_applies", "other"},
    "ihl": {"applies", "applies_with_caveats"},
    "attribution": {"no_duty_to_disclose", "other"},
}
QUOTATION_MAX_WORDS = 35
# States outside the Western/allied group whose governments attribute operations too. The other side is every
# other state (and the EU) that attributes; organisations (firms, the press) are on neither side.
NON_WESTERN_STATES = {"CHN", "RUS", "IRN", "PRK", "BLR", "SYR", "CUB", "VEN", "NIC"}


@pytest.fixture(scope="module")
def stances():
    return data.load("position_stances")


def test_every_position_answers_all_seven_questions(stances):
    positions = set(data.load("positions")["position_id"])
    assert set(stances["position_id"]) == positions
    assert (stances.groupby("position_id")["question"].nunique() == len(STANCES_BY_QUESTION)).all()


@pytest.mark.parametrize("question", sorted(STANCES_BY_QUESTION))
def test_each_stance_answers_its_own_question(stances, question):
    codes = set(stances.loc[stances["question"] == question, "stance"])
    assert codes <= STANCES_BY_QUESTION[question] | {"not_addressed"}


def test_a_coded_stance_has_a_short_quotation_and_a_pinpoint(stances):
    coded = stances[stances["stance"] != "not_addressed"]
    assert len(coded), "no stance is coded"
    assert coded["quotation"].notna().all() and coded["pinpoint"].notna().all()
    words = coded["quotation"].str.split().str.len()
    assert (words <= QUOTATION_MAX_WORDS).all(), coded.loc[words > QUOTATION_MAX_WORDS, "position_id"].tolist()
    assert not coded["quotation"].str.match(r'^\s*["“]').any(), "quotation marks are the kit's to add"


def test_not_addressed_has_no_quotation(stances):
    assert stances.loc[stances["stance"] == "not_addressed", "quotation"].isna().all()


def test_an_incident_norm_link_names_exactly_one_norm_or_rule():
    links = data.load("incident_norms")
    assert (links["norm_id"].notna() ^ links["legal_rule"].notna()).all()


def test_incident_norm_links_cover_at_least_25_incidents_and_every_camp():
    links = data.load("incident_norms")
    assert links["incident_id"].nunique() >= 25
    # Claims by the states that the other camp's attributions accuse, not only by those who attribute.
    assert set(links["claimant_iso3"].dropna()) & {"CHN", "RUS", "IRN"}


def test_a_response_answers_an_attribution_of_its_own_incident():
    responses = data.load("attribution_responses").dropna(subset=["attribution_id"])
    incident_of = data.load("attributions").set_index("attribution_id")["incident_id"]
    assert (incident_of.loc[responses["attribution_id"]].to_numpy() == responses["incident_id"].to_numpy()).all()


def test_attributions_come_from_both_sides():
    parties = data.load("attributions")["attributing_party"]
    states = parties[parties.str.fullmatch(r"[A-Z]{3}")]
    non_western = states.isin(NON_WESTERN_STATES)
    counts = {"western_or_allied": int((~non_western).sum()), "others": int(non_western.sum())}
    assert all(counts.values()), counts


def test_vote_totals_are_plausible():
    votes = data.load("un_votes")
    total = votes[["votes_yes", "votes_no", "votes_abstain"]].sum(axis=1, min_count=1)
    assert (total.dropna() <= 193).all()
    without_vote = votes[votes["adopted_without_vote"].fillna(False)]
    assert without_vote[["votes_no", "votes_abstain"]].isna().all().all()


def test_every_forum_claiming_members_lists_them_or_says_why_not():
    forums = data.load("forums").set_index("forum_id")
    participation = data.load("participation")
    listed = participation[~participation["role"].isin(["observer", "dialogue_partner"])].groupby("forum_id").size()
    claiming = forums[forums["member_count"].notna()]
    for forum_id, forum in claiming.iterrows():
        note = forum["note"] if isinstance(forum["note"], str) else ""
        rows = listed.get(forum_id, 0)
        if rows == 0:
            assert "Member list not in the kit" in note, forum_id
        elif rows < forum["member_count"]:
            assert "Member list incomplete" in note, forum_id


def test_convention_arguments_give_both_sides():
    assert set(data.load("convention_arguments")["side"]) == {"objection", "defence"}


# Source quality (issue 15, item 8): every source is graded; a fact resting on a weak source alone says so.
FACT_TABLES = ["events", "incidents", "attributions", "forums"]


def _names_of(source):
    """The ways a note can name a source: its id, its site's domain (and the domain's first part), its publisher."""
    host = urlparse(source["url"]).netloc.lower().split(":")[0] if isinstance(source["url"], str) else ""
    host = host[4:] if host.startswith("www.") else host
    names = {source["source_id"], host, host.split(".")[0], source["publisher"].split(" (")[0]}
    return {name.lower() for name in names if name and len(name) >= 4}


def _facts_resting_on_a_weak_source_alone():
    sources = data.load("sources").set_index("source_id", drop=False)
    weak = sources[sources["quality"] == "weak"]
    unexplained = []
    for table in FACT_TABLES:
        frame = data.load(table)
        extra = frame["extra_source_id"] if "extra_source_id" in frame else pd.Series(pd.NA, index=frame.index)
        key = data.resource(table)["schema"]["primaryKey"]
        for _index, row in frame[frame["source_id"].isin(weak.index) & extra.isna()].iterrows():
            note = row["note"].lower() if isinstance(row.get("note"), str) else ""
            if not any(name in note for name in _names_of(weak.loc[row["source_id"]])):
                unexplained.append((table, row[key] if isinstance(key, str) else tuple(row[key]), row["source_id"]))
    return unexplained


def test_every_source_has_a_quality():
    sources = data.load("sources")
    assert sources["quality"].notna().all()
    assert set(sources["quality"]) <= {"primary", "official_mirror", "press", "secondary", "weak"}


def test_no_fact_rests_on_a_weak_source_alone_without_saying_why():
    assert _facts_resting_on_a_weak_source_alone() == []


def test_a_planted_fact_resting_on_a_weak_source_alone_is_caught(package_copy):
    sources = pd.read_csv(package_copy / "sources.csv", dtype=str, keep_default_na=False)
    weak_id = sources.loc[sources["quality"] == "weak", "source_id"].iloc[0]
    events = pd.read_csv(package_copy / "events.csv", dtype=str, keep_default_na=False)
    events.loc[0, ["source_id", "extra_source_id", "note"]] = [weak_id, "", "A note that names no source."]
    events.to_csv(package_copy / "events.csv", index=False)
    data._load_cached.cache_clear()
    assert ("events", events.loc[0, "event_id"], weak_id) in _facts_resting_on_a_weak_source_alone()


# Bad input: clear errors, and the shipped data is never touched.


def test_a_bad_date_is_reported_with_file_row_column_and_expectation(package_copy):
    replace_cell(package_copy / "events.csv", 5, "date", "5th of May")
    with pytest.raises(data.DataPackageError) as raised:
        data.load("events")
    message = str(raised.value)
    assert "events.csv" in message and "row 5" in message and "'date'" in message and "YYYY-MM-DD" in message
    assert raised.value.problems[0]["value"] == "5th of May"


def test_validation_reports_a_broken_foreign_key(package_copy):
    replace_cell(package_copy / "events.csv", 3, "source_id", "no_such_source")
    result = data.validate(package_copy, use_cache=False)
    assert not result.valid
    table = result.to_frame()
    assert ((table["file"] == "events.csv") & (table["row"] == 3)).any()


def test_a_missing_column_is_named(package_copy):
    frame = pd.read_csv(package_copy / "glossary.csv", dtype=str)
    frame.drop(columns=["definition"]).to_csv(package_copy / "glossary.csv", index=False)
    with pytest.raises(data.DataPackageError, match="expected the declared columns"):
        data.load("glossary")


def test_loaded_frames_are_copies_and_the_shipped_files_never_change():
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (REPO / "data").glob("*.csv")}
    frame = data.load("forums")
    frame.loc[:, "name"] = "changed"
    assert (data.load("forums")["name"] != "changed").all()
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (REPO / "data").glob("*.csv")}
    assert before == after


def test_a_passed_validation_is_remembered_only_for_the_same_files(package_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert data.validate(package_copy).valid
    assert len(list((tmp_path / "cache").rglob("valid-*"))) == 1
    replace_cell(package_copy / "events.csv", 3, "source_id", "no_such_source")
    assert not data.validate(package_copy).valid  # changed files are validated again


def _fields_with_labels():
    return [(table, field) for table in data.list_tables() for field in data.fields(table) if "enumLabels" in field]


def test_display_labels_are_declared_on_enum_fields_and_label_only_declared_codes():
    declared = _fields_with_labels()
    assert {(table, field["name"]) for table, field in declared} >= {
        ("forums", "kind"),
        ("forums", "participation"),
        ("events", "category"),
        ("stakeholders", "group"),
    }
    for table, field in declared:
        codes = field.get("constraints", {}).get("enum", [])
        labels = field["enumLabels"]
        assert set(labels) <= set(codes), (table, field["name"], set(labels) - set(codes))
        assert all(isinstance(text, str) and text.strip() for text in labels.values()), (table, field["name"])
        assert data.labels(table, field["name"]) == labels
