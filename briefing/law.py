"""How international law applies: national positions and the incidents said to breach a norm or rule.

Pure functions (tables in, tidy frame out, no plotting): the positions x questions frame and its
filter, each holder's stance per question, and the incident-to-norm claims, each naming who made
the claim. The charts of these frames are in :mod:`briefing.charts.law`.
"""

from __future__ import annotations

import pandas as pd

from briefing import data, tidy

POSITION_TABLES = ("positions", "position_stances", "participation", "sources")
NORM_LINK_TABLES = ("incident_norms", "incidents", "norms", "forums", "sources")

#: How the seven legal questions read on a chart.
QUESTION_LABELS = {
    "sovereignty": "Sovereignty",
    "due_diligence": "Due diligence",
    "countermeasures": "Countermeasures",
    "non_intervention": "Non-intervention",
    "use_of_force": "Use of force",
    "ihl": "IHL",
    "attribution": "Attribution",
}

#: How each stance reads on its own (in a legend, where the question is not beside it).
STANCE_LABELS = {
    "rule": "Sovereignty is a rule",
    "principle_only": "Sovereignty is a principle only",
    "binding_obligation": "Due diligence binds",
    "voluntary_norm": "Due diligence is a voluntary norm",
    "apply": "Countermeasures apply",
    "collective_allowed": "Collective countermeasures allowed",
    "collective_rejected": "Collective countermeasures rejected",
    "coercion_threshold_stated": "Non-intervention: coercion threshold stated",
    "applies_no_threshold": "Non-intervention applies, no threshold stated",
    "self_defence_applies": "Self-defence applies",
    "applies": "IHL applies",
    "applies_with_caveats": "IHL applies, with caveats",
    "no_duty_to_disclose": "No duty to disclose attribution evidence",
    "other": "Another view",
    "not_addressed": "Not addressed in the stored copy",
}
NOT_ADDRESSED = "not_addressed"
#: Neutral grey for 'not addressed': a gap in what could be read, not a view.
NOT_ADDRESSED_GREY = "#c8c8c8"
#: The map's countries with no stored position at all.
NO_POSITION_GREY = "#eeeeee"

#: Participation roles that make a state a member of a forum (observers and dialogue partners
#: take part without joining).
MEMBERSHIP_ROLES = ("member", "party", "participating_state", "supporter", "signatory")

#: Regional organisations that hold positions, and the participation code that stands for them.
_ORGANISATION_CODES = {"european_union": "EUU", "african_union": None}

# The UN Statistics Division's M49 regions (continental level), by ISO 3166-1 alpha-3 code.
# country_converter holds the same classification but (1.3.2) fails to load with pandas 3.
# Taiwan and Kosovo are not listed by M49 and are placed where the other schemes put them.
_M49_REGIONS = {
    "Africa": """DZA EGY LBY MAR SDN TUN ESH BDI COM DJI ERI ETH KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM
        SSD UGA TZA ZMB ZWE IOT ATF AGO CMR CAF TCD COG COD GNQ GAB STP BWA SWZ LSO NAM ZAF BEN BFA CPV
        CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SHN SEN SLE TGO""",
    "Americas": """AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM KNA
        LCA MAF VCT SXM TTO TCA VIR BLZ CRI SLV GTM HND MEX NIC PAN ARG BOL BVT BRA CHL COL ECU FLK GUF
        GUY PRY PER SGS SUR URY VEN BMU CAN GRL SPM USA""",
    "Asia": """KAZ KGZ TJK TKM UZB CHN HKG MAC PRK JPN MNG KOR TWN BRN KHM IDN LAO MYS MMR PHL SGP THA
        TLS VNM AFG BGD BTN IND IRN MDV NPL PAK LKA ARM AZE BHR CYP GEO IRQ ISR JOR KWT LBN OMN QAT SAU
        PSE SYR TUR ARE YEM""",
    "Europe": """BLR BGR CZE HUN POL MDA ROU RUS SVK UKR ALA DNK EST FRO FIN GGY ISL IRL IMN JEY LVA LTU
        NOR SJM SWE GBR ALB AND BIH HRV GIB GRC VAT ITA MLT MNE MKD PRT SMR SRB SVN ESP XKX AUT BEL FRA
        DEU LIE LUX MCO NLD CHE EUU""",
    "Oceania": """AUS NZL NFK HMD CXR CCK UMI FJI NCL PNG SLB VUT GUM KIR MHL FSM NRU MNP PLW ASM COK
        PYF NIU PCN WSM TKL TON TUV WLF""",
}
#: The regions in a fixed order: what keys their colours.
REGIONS = list(_M49_REGIONS)
_REGION_OF = {code: region for region, codes in _M49_REGIONS.items() for code in codes.split()}
_ORGANISATION_REGIONS = {"european_union": "Europe", "african_union": "Africa"}


def region_of(holder_id: str) -> str | None:
    """The M49 region of a holder (an ISO3 code, or a regional organisation's slug); None if unknown.

    >>> region_of("KEN"), region_of("european_union"), region_of("XXX") is None
    ('Africa', 'Europe', True)
    """
    return _ORGANISATION_REGIONS.get(holder_id) or _REGION_OF.get(str(holder_id))


def _with_sources(frame: pd.DataFrame, sources: pd.DataFrame, column: str = "source_id") -> pd.DataFrame:
    lookup = sources.set_index("source_id")[["title", "url"]].rename(
        columns={"title": "source_title", "url": "source_url"}
    )
    return frame.join(lookup, on=column)


def _tables(tables: dict[str, pd.DataFrame] | None, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    tables = dict(tables or {})
    for name in names:
        if name not in tables:
            tables[name] = data.load(name)
    return tables


def positions_frame(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per position x legal question: the stance, its quotation and source, and the holder.

    Joins ``positions`` with ``position_stances`` and adds the holder's M49 ``region``, its ISO3
    code where it is a state (``iso3``; the EU's is ``EUU``, the AU has none) and ``member_of``,
    the sorted tuple of forums it is a member of (from ``participation``, roles in
    :data:`MEMBERSHIP_ROLES`). ``source_id`` is the stance's source (what supports the coding);
    the position's own is ``position_source_id``.

    Examples
    --------
    >>> frame = positions_frame()
    >>> bool(frame.groupby("position_id").size().eq(7).all())
    True
    """
    tables = _tables(tables, POSITION_TABLES)
    positions = tables["positions"].rename(
        columns={
            "source_id": "position_source_id",
            "note": "position_note",
            "extra_source_id": "position_extra_source_id",
        }
    )
    stances = tables["position_stances"]
    frame = positions.merge(stances, on="position_id", how="inner", validate="one_to_many")
    codes = {holder: _ORGANISATION_CODES.get(holder, holder) for holder in frame["holder_id"].unique()}
    frame["iso3"] = frame["holder_id"].map(codes).astype("string")
    frame["region"] = frame["holder_id"].map(region_of).astype("string")
    participation = tables["participation"]
    joined = participation[participation["role"].isin(MEMBERSHIP_ROLES)]
    forums_of = joined.groupby("country_iso3")["forum_id"].agg(lambda ids: tuple(sorted(set(ids))))
    frame["member_of"] = [forums_of.get(code, ()) if isinstance(code, str) else () for code in frame["iso3"]]
    frame = _with_sources(frame, tables["sources"])
    question_order = {q: i for i, q in enumerate(data.enum("position_stances", "question"))}
    frame = frame.assign(_order=frame["question"].map(question_order))
    return frame.sort_values(["holder_name", "date", "position_id", "_order"], ignore_index=True).drop(columns="_order")


def select_positions(
    frame: pd.DataFrame,
    *,
    questions=(),
    stances=(),
    holders=(),
    region: str | None = None,
    member_of: str | None = None,
) -> pd.DataFrame:
    """Rows of :func:`positions_frame` that match every choice given; an empty choice keeps all rows.

    ``holders`` are holder ids (ISO3 or an organisation's slug), ``member_of`` a ``forum_id``.
    A pure function, tested without widgets. Questions, holders, region and forum keep or drop all
    of a holder's rows on a question together, so they select from :func:`holder_stances` of the
    frame the rows that :func:`holder_stances` of their selection gives (``stances`` does not: it
    can drop the position that would have stood).

    >>> frame = positions_frame()
    >>> sorted(set(select_positions(frame, questions=("ihl",), region="Oceania")["holder_id"]))
    ['AUS', 'NZL']
    """
    keep = pd.Series(True, index=frame.index)
    if questions:
        keep &= frame["question"].isin(questions)
    if stances:
        keep &= frame["stance"].isin(stances)
    if holders:
        keep &= frame["holder_id"].isin(holders)
    if region:
        keep &= frame["region"] == region
    if member_of:
        keep &= frame["member_of"].map(lambda forums: member_of in forums).astype(bool)
    return frame[keep]


def holder_stances(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per holder x question: the holder's stance in its latest position that codes one.

    A holder with several positions (Australia has four) keeps the newest coded stance; where none
    of its positions addresses the question, its newest position stands, as ``not_addressed``.
    ``positions`` counts the holder's positions in ``frame`` on that question, so a chart can say
    that others exist.
    """
    if frame.empty:
        return frame.assign(positions=pd.Series(dtype="Int64"))
    # Ranked on the few columns that decide, then the winning rows taken whole: sorting the wide
    # frame (quotations, titles) cost an explorer about 10 ms a filter change.
    keys = frame[["holder_id", "question", "date", "position_id"]].assign(_coded=frame["stance"] != NOT_ADDRESSED)
    # Coded before not addressed, then newest first; an undated position counts as oldest.
    ranked = keys.sort_values(["_coded", "date", "position_id"], ascending=[False, False, True], na_position="last")
    counts = frame.groupby(["holder_id", "question"]).size().rename("positions")
    best = frame.loc[ranked.drop_duplicates(["holder_id", "question"]).index]
    return best.join(counts, on=["holder_id", "question"]).reset_index(drop=True)


def holder_order(frame: pd.DataFrame) -> list[str]:
    """Holder names by region (in :data:`REGIONS` order), then by name: rows of neighbours stay together."""
    regions = holder_regions(frame)
    rank = {region: i for i, region in enumerate(REGIONS)}
    # Sorted in Python: an explorer orders its grid's rows on every filter change, and pandas'
    # drop_duplicates and sort cost a millisecond and a half for a few dozen names.
    return sorted(regions, key=lambda name: (rank.get(regions[name], len(rank)), name))


def holder_regions(frame: pd.DataFrame) -> dict[str, str]:
    """Each holder's region (as its first row says), by holder name."""
    regions: dict[str, str] = {}
    for name, region in zip(frame["holder_name"].tolist(), frame["region"].tolist()):
        regions.setdefault(name, region)
    return regions


# ---- Attributions ------------------------------------------------------------------------------

#: The governments whose own attributions answer the others' (counter-attributions).

CLAIM_VERB = "Said to breach or engage"
#: Every legal rule the kit names, and how each reads: the rules an incident is said to breach or
#: engage (``incident_norms.legal_rule``) and the rules a scenario stage's notes may name
#: (:data:`briefing.teaching.open_response.LEGAL_RULES`, all but :data:`GENERAL_RULE`).
LEGAL_RULE_LABELS = {
    "sovereignty": "Sovereignty",
    "non_intervention": "Non-intervention",
    "due_diligence": "Due diligence",
    "use_of_force": "Prohibition of the use of force",
    "ihl": "International humanitarian law",
    "human_rights": "Human rights law",
    "countermeasures": "Countermeasures",
    "attribution": "Attribution",
    "international_law_general": "International law (in general)",
}
#: The claim that names international law but no one rule of it: a claim may make it; a stage's
#: notes may not, as they resolve each rule to the positions that code it.
GENERAL_RULE = "international_law_general"


#: Shorter names for a chart's axis (the frame's ``invoked`` keeps the full ones).
_SHORT_RULES = {
    "use_of_force": "Use of force",
    "ihl": "IHL",
    "human_rights": "Human rights",
    "international_law_general": "Int. law, general",
}


def incident_norms_frame(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per claim that an incident breached or engaged a norm or rule, ready to read.

    ``invoked_id`` is the ``norm_id`` or, where no single norm is named, the ``legal_rule``;
    ``invoked`` says it in words (a norm with its framework and reference); ``sentence`` is
    "Said to breach or engage: X, according to Y (source)".
    """
    tables = _tables(tables, NORM_LINK_TABLES)
    claims = tables["incident_norms"]
    norms = tables["norms"].set_index("norm_id")
    frameworks = tables["forums"].set_index("forum_id")["short_name"]
    frame = _with_sources(claims.copy(), tables["sources"])
    frame["incident"] = frame["incident_id"].map(tables["incidents"].set_index("incident_id")["name"]).astype("string")
    is_norm = frame["norm_id"].notna()
    frame["invoked_kind"] = pd.Series(
        ["norm" if n else "legal_rule" for n in is_norm], index=frame.index, dtype="string"
    )
    frame["invoked_id"] = frame["norm_id"].fillna(frame["legal_rule"]).astype("string")

    def invoked(row) -> str:
        if pd.notna(row.norm_id):
            norm = norms.loc[row.norm_id]
            return f"{norm['short_title']} ({frameworks.get(norm['forum_id'], norm['forum_id'])}, {norm['reference']})"
        return LEGAL_RULE_LABELS.get(row.legal_rule, tidy.words(row.legal_rule))

    def short(row) -> str:
        if pd.notna(row.norm_id):
            norm = norms.loc[row.norm_id]
            # "A/70/174, para. 13(f)" -> "Norm 13(f)": the full title is in ``invoked``.
            return "Norm " + str(norm["reference"]).split(",")[-1].replace("para.", "").strip()
        return _SHORT_RULES.get(row.legal_rule, LEGAL_RULE_LABELS.get(row.legal_rule, tidy.words(row.legal_rule)))

    frame["invoked"] = pd.Series([invoked(row) for row in frame.itertuples()], index=frame.index, dtype="string")
    frame["invoked_short"] = pd.Series([short(row) for row in frame.itertuples()], index=frame.index, dtype="string")
    frame["sentence"] = pd.Series(
        [
            f"{CLAIM_VERB}: {inv}, according to {who} ({src if pd.notna(src) else sid})"
            for inv, who, src, sid in zip(
                frame["invoked"], frame["claimant"], frame["source_title"], frame["source_id"]
            )
        ],
        index=frame.index,
        dtype="string",
    )
    return frame.sort_values(["incident", "date", "link_id"], na_position="last", ignore_index=True)


_CLAIM_COLUMNS = [
    "link_id",
    "incident_id",
    "incident",
    "invoked_kind",
    "invoked_id",
    "invoked",
    "claimant",
    "claimant_kind",
    "claimant_iso3",
    "date",
    "date_precision",
    "rationale",
    "quotation",
    "source_id",
    "source_title",
    "source_url",
    "sentence",
]


def norm_links_for(incident_id: str, tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The claims about one incident, oldest first: what an incident's detail panel lists.

    Each row's ``sentence`` reads "Said to breach or engage: X, according to Y (source)". An
    incident nobody was recorded as saying breached a norm gives an empty frame.

    >>> norm_links_for("albania_2022")["sentence"].iloc[0].startswith(CLAIM_VERB)
    True
    """
    frame = incident_norms_frame(tables)
    rows = frame[frame["incident_id"] == incident_id].sort_values(["date", "link_id"], na_position="last")
    return rows[_CLAIM_COLUMNS].reset_index(drop=True)


def incidents_for_norm(norm_id: str, tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The claims that name one norm (a ``norm_id``) or rule (a ``legal_rule`` code), oldest first.

    >>> sorted(set(incidents_for_norm("gge2015_13f")["incident_id"]))
    ['albania_2022', 'covid_hospital_attacks_2020']
    """
    frame = incident_norms_frame(tables)
    rows = frame[frame["invoked_id"] == norm_id].sort_values(["date", "link_id"], na_position="last")
    return rows[_CLAIM_COLUMNS].reset_index(drop=True)
