"""Charts of the camps in cyber diplomacy: how states read international law, who attributes whom,
how the UN resolutions were sponsored and adopted, and which incidents were said to breach which norm.

Two sections: first the pure frame and select functions (tables in, tidy frame out, no plotting),
then one public function per chart (a tidy frame in, a ``go.Figure`` out). Like
:mod:`briefing.charts`, nothing here shows a figure or touches a file; every figure uses the kit's
template and carries a source line, and a category's colour is fixed by the schema's list of values,
so it never changes with a filter.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from briefing import data, theme, tidy
from briefing.charts import (
    EMPTY_MESSAGE,
    EMPTY_STATE_NAME,
    _count_axis,
    _finish,
    format_date,
    source_line_for,
)

# =============================================================================================
# Section 1: frames and selections (pure functions, no plotting)
# =============================================================================================

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
        columns={"title": "source_title", "url": "source_url"})
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
    positions = tables["positions"].rename(columns={"source_id": "position_source_id", "note": "position_note",
                                                    "extra_source_id": "position_extra_source_id"})
    stances = tables["position_stances"]
    frame = positions.merge(stances, on="position_id", how="inner", validate="one_to_many")
    codes = {holder: (_ORGANISATION_CODES[holder] if holder in _ORGANISATION_CODES else holder)
             for holder in frame["holder_id"].unique()}
    frame["iso3"] = frame["holder_id"].map(codes).astype("string")
    frame["region"] = frame["holder_id"].map(region_of).astype("string")
    participation = tables["participation"]
    joined = participation[participation["role"].isin(MEMBERSHIP_ROLES)]
    forums_of = joined.groupby("country_iso3")["forum_id"].agg(lambda ids: tuple(sorted(set(ids))))
    frame["member_of"] = [forums_of.get(code, ()) if isinstance(code, str) else () for code in frame["iso3"]]
    frame = _with_sources(frame, tables["sources"])
    question_order = {q: i for i, q in enumerate(data.enum("position_stances", "question"))}
    frame = frame.assign(_order=frame["question"].map(question_order))
    return frame.sort_values(["holder_name", "date", "position_id", "_order"], ignore_index=True).drop(
        columns="_order")


def select_positions(frame: pd.DataFrame, *, questions=(), stances=(), holders=(), region: str | None = None,
                     member_of: str | None = None) -> pd.DataFrame:
    """Rows of :func:`positions_frame` that match every choice given; an empty choice keeps all rows.

    ``holders`` are holder ids (ISO3 or an organisation's slug), ``member_of`` a ``forum_id``.
    A pure function, tested without widgets.

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
    ranked = frame.assign(_coded=frame["stance"] != NOT_ADDRESSED)
    # Coded before not addressed, then newest first; an undated position counts as oldest.
    ranked = ranked.sort_values(["_coded", "date", "position_id"], ascending=[False, False, True],
                                na_position="last")
    counts = frame.groupby(["holder_id", "question"]).size().rename("positions")
    best = ranked.drop_duplicates(["holder_id", "question"]).drop(columns="_coded")
    return best.join(counts, on=["holder_id", "question"]).reset_index(drop=True)


def holder_order(frame: pd.DataFrame) -> list[str]:
    """Holder names by region (in :data:`REGIONS` order), then by name: rows of neighbours stay together."""
    holders = frame[["holder_name", "region"]].drop_duplicates("holder_name")
    rank = {region: i for i, region in enumerate(REGIONS)}
    holders = holders.assign(_rank=holders["region"].map(rank).fillna(len(rank)))
    return list(holders.sort_values(["_rank", "holder_name"])["holder_name"])


# ---- Attributions ------------------------------------------------------------------------------

#: The governments whose own attributions answer the others' (counter-attributions).
COUNTER_ATTRIBUTING = ("CHN", "RUS", "IRN", "PRK")
#: The sides an attributing party is on, in the order the chart draws them.
ATTRIBUTION_SIDES = {
    "counter": "Governments of China, Russia and Iran",
    "allied": "US, European and partner governments",
    "industry": "Firms and press (any country)",
}
_PARTY_WORDS = {"RUS": "Russia", "nato": "NATO", "eset": "ESET", "new_york_times": "New York Times", "qihoo_360": "Qihoo 360",
                "fireeye": "FireEye", "der_spiegel": "Der Spiegel", "global_times": "Global Times",
                "amnesty_international": "Amnesty International"}


def party_label(party: str) -> str:
    """An attributing party as a reader says it: a country's name, or an organisation's.

    >>> party_label("GBR"), party_label("EUU"), party_label("nato"), party_label("fireeye")
    ('United Kingdom', 'European Union', 'NATO', 'FireEye')
    """
    party = str(party)
    if party in _PARTY_WORDS:
        return _PARTY_WORDS[party]
    if len(party) == 3 and party.isupper():
        return tidy.country_name(party)
    return _PARTY_WORDS.get(party, tidy.words(party))


def attribution_side(party: str, kind: str) -> str:
    """Which side of :data:`ATTRIBUTION_SIDES` an attribution comes from (a key of it).

    Firms and the press are a side of their own whatever their country: the data says who they
    are (``global_times`` is Chinese state press), the chart names them on their row.
    """
    if kind == "industry":
        return "industry"
    return "counter" if party in COUNTER_ATTRIBUTING else "allied"


def attribution_pairs(attributions: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per attributing party x attributed state: how many incidents, which, and the side.

    Only attributions of ``incidents`` that name a state count; an incident attributed by the same
    party in several statements counts once.
    """
    rows = attributions[attributions["incident_id"].isin(incidents["incident_id"])
                        & attributions["attributed_state_iso3"].notna()]
    names = incidents.set_index("incident_id")["name"]
    rows = rows.assign(side=[attribution_side(p, k) for p, k in zip(rows["attributing_party"], rows["kind"])],
                       incident=rows["incident_id"].map(names))
    # A party on one side for one kind of statement stays there (industry never mixes with governments).
    grouped = rows.groupby(["side", "attributing_party", "attributed_state_iso3"], observed=True)
    pairs = grouped.agg(incidents=("incident_id", "nunique"),
                        incident_names=("incident", lambda n: "; ".join(sorted(set(map(str, n))))),
                        kinds=("kind", lambda k: ", ".join(sorted(set(map(str, k))))),
                        source_id=("source_id", "first")).reset_index()
    pairs["party"] = pairs["attributing_party"].map(party_label)
    pairs["attributed"] = pairs["attributed_state_iso3"].map(party_label)
    return pairs


# ---- UN votes ----------------------------------------------------------------------------------

#: The sponsor groups, in the order that keys their colours.
SPONSOR_LABELS = {"USA": "US-led", "RUS": "Russia-led", "joint": "Joint Russia-US"}
ADOPTION_LABELS = {True: "Without a vote", False: "Recorded vote", None: "Not recorded"}
VOTE_COLUMNS = {"plenary": ("votes_yes", "votes_no", "votes_abstain"),
                "first_committee": ("first_committee_yes", "first_committee_no", "first_committee_abstain")}
VOTE_LABELS = ("Yes", "No", "Abstain")
NOT_RECORDED = "not recorded"


def sponsor_group(main_sponsor) -> str:
    """'US-led', 'Russia-led', 'Joint Russia-US' (two codes joined by ';'), or '<country>-led'.

    >>> sponsor_group("RUS"), sponsor_group("RUS;USA"), sponsor_group("FRA")
    ('Russia-led', 'Joint Russia-US', 'France-led')
    """
    if pd.isna(main_sponsor):
        return "Sponsor not recorded"
    codes = sorted(str(main_sponsor).split(";"))
    if len(codes) > 1:
        return SPONSOR_LABELS["joint"] if codes == ["RUS", "USA"] else " and ".join(
            tidy.country_name(c) for c in codes) + " jointly"
    return SPONSOR_LABELS.get(codes[0]) or f"{tidy.country_name(codes[0])}-led"


def un_votes_frame(un_votes: pd.DataFrame) -> pd.DataFrame:
    """The ``un_votes`` table in date order with ``sponsor``, ``adoption`` and a row ``label``.

    ``adoption`` is 'Without a vote', 'Recorded vote' or 'Not recorded' (no stored record says);
    totals stay missing where no record gives them: they are never filled with zero.
    """
    frame = un_votes.sort_values(["date", "symbol"], na_position="last", ignore_index=True)
    adopted = frame["adopted_without_vote"].astype("object").where(frame["adopted_without_vote"].notna(), None)
    frame = frame.assign(
        sponsor=frame["main_sponsor"].map(sponsor_group),
        adoption=[ADOPTION_LABELS[None if value is None else bool(value)] for value in adopted],
        label=[f"{str(s).replace('A/RES/', '')} ({format_date(d, str(p))})"
               for s, d, p in zip(frame["symbol"], frame["date"], frame["date_precision"])],
    )
    return frame


# ---- Incidents and the norms they were said to breach ------------------------------------------

#: The verb of a claim: the table holds claims that an incident breached *or engaged* a norm
#: (the EU's call for due diligence after the COVID-era attacks engages it, breaches nothing).
CLAIM_VERB = "Said to breach or engage"
LEGAL_RULE_LABELS = {
    "sovereignty": "Sovereignty",
    "non_intervention": "Non-intervention",
    "due_diligence": "Due diligence",
    "use_of_force": "Prohibition of the use of force",
    "ihl": "International humanitarian law",
    "human_rights": "Human rights law",
    "international_law_general": "International law (in general)",
}


#: Shorter names for a chart's axis (the frame's ``invoked`` keeps the full ones).
_SHORT_RULES = {"use_of_force": "Use of force", "ihl": "IHL", "human_rights": "Human rights",
                "international_law_general": "Int. law, general"}


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
    frame["invoked_kind"] = pd.Series(["norm" if n else "legal_rule" for n in is_norm], index=frame.index,
                                      dtype="string")
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
        [f"{CLAIM_VERB}: {inv}, according to {who} ({src if pd.notna(src) else sid})"
         for inv, who, src, sid in zip(frame["invoked"], frame["claimant"], frame["source_title"], frame["source_id"])],
        index=frame.index, dtype="string")
    return frame.sort_values(["incident", "date", "link_id"], na_position="last", ignore_index=True)


_CLAIM_COLUMNS = ["link_id", "incident_id", "incident", "invoked_kind", "invoked_id", "invoked", "claimant",
                  "claimant_kind", "claimant_iso3", "date", "date_precision", "rationale", "quotation",
                  "source_id", "source_title", "source_url", "sentence"]


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
    ['albania_2022']
    """
    frame = incident_norms_frame(tables)
    rows = frame[frame["invoked_id"] == norm_id].sort_values(["date", "link_id"], na_position="last")
    return rows[_CLAIM_COLUMNS].reset_index(drop=True)


# =============================================================================================
# Section 2: charts (a tidy frame in, a go.Figure out)
# =============================================================================================


def stance_colours() -> dict[str, str]:
    """A colour per stance, fixed by the schema's list of stances; 'not addressed' is neutral grey."""
    colours = theme.category_colours([s for s in data.enum("position_stances", "stance") if s != NOT_ADDRESSED])
    return colours | {NOT_ADDRESSED: NOT_ADDRESSED_GREY}


def _stance_colourscale(order: list[str], colours: dict[str, str]) -> list:
    """A stepped colourscale in which the value ``i`` is exactly the colour of ``order[i]``."""
    n = len(order)
    scale = []
    for i, stance in enumerate(order):
        scale += [[i / n, colours[stance]], [(i + 1) / n, colours[stance]]]
    return scale


def _legend_square(name: str, colour: str, *, meta: dict, group: str | None = None) -> go.Scatter:
    """A legend entry with no data: heatmaps and filled shapes cannot name categories themselves."""
    return go.Scatter(x=[None], y=[None], mode="markers", name=name, legendgroup=group or name,
                      marker=dict(symbol="square", size=12, color=colour, line=dict(width=0.5, color="#888888")),
                      hoverinfo="skip", meta=meta)


def _escaped(value) -> str:
    return "" if pd.isna(value) else html.escape(str(value))


def _wrapped(label: str, width: int = 14) -> str:
    """A label broken into lines of about ``width`` characters, so tick labels sit level and apart."""
    lines, line = [], ""
    for word in str(label).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + ([line] if line else []))


def _every_category(labels: list[str]) -> dict:
    """Axis settings that write every category's label: plotly thins crowded labels otherwise, and
    a row whose name is left out reads as belonging to its neighbour."""
    return dict(type="category", tickmode="array", tickvals=list(labels), ticktext=list(labels))


def _separators(fig: go.Figure, boundaries: list[float]) -> None:
    """Thin lines between blocks of rows (regions, sides) on a category y axis."""
    for y in boundaries:
        fig.add_hline(y=y, line=dict(color="#888888", width=1))


def positions_grid(
    frame: pd.DataFrame,
    *,
    title: str = "How states say international law applies in cyberspace",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each holder x question becomes one square, coloured by the holder's stance on that question.

    ``frame`` is :func:`positions_frame` (or :func:`select_positions` of it). A holder with several
    positions shows its latest coded stance (:func:`holder_stances`); the hover says how many
    positions it has. Grey means the stored copy of the document did not reach the question, not
    that the document is silent. Each cell's ``customdata`` starts with ``position_id`` and
    ``question``, so a click can open the quotation.
    """
    best = holder_stances(frame)
    order = data.enum("position_stances", "stance")
    colours = stance_colours()
    questions = [q for q in data.enum("position_stances", "question") if q in set(best["question"])]
    holders = holder_order(best)
    index = {stance: i for i, stance in enumerate(order)}
    cells = {(row.holder_name, row.question): row for row in best.itertuples()}
    z, custom = [], []
    for holder in holders:
        z_row, custom_row = [], []
        for question in questions:
            row = cells.get((holder, question))
            if row is None:
                z_row.append(None)
                custom_row.append(["", question, "", "", "", "", ""])
                continue
            z_row.append(index[row.stance])
            quote = f"“{_escaped(row.quotation)}” ({_escaped(row.pinpoint)})" if pd.notna(row.quotation) else ""
            others = int(row.positions) - 1
            custom_row.append([
                str(row.position_id), question, html.escape(STANCE_LABELS.get(row.stance, row.stance)),
                f"{_escaped(row.title)}, {format_date(row.date, str(row.date_precision))}",
                quote, f"{others} other position(s) of this holder" if others else "", _escaped(row.source_title),
            ])
        z.append(z_row)
        custom.append(custom_row)
    columns = [QUESTION_LABELS.get(q, q) for q in questions]
    rows = [html.escape(h) for h in holders]
    fig = go.Figure(go.Heatmap(
        z=z, x=columns, y=rows,
        customdata=custom, zmin=-0.5, zmax=len(order) - 0.5, colorscale=_stance_colourscale(order, colours),
        showscale=False, xgap=2, ygap=2, hoverongaps=False, name="stances",
        hovertemplate=("<b>%{y}</b> on %{x}: %{customdata[2]}<br>%{customdata[3]}<br>%{customdata[4]}"
                       "<br>%{customdata[5]}<br><i>Source: %{customdata[6]}</i><extra></extra>"),
        meta={"stances": [[row.stance if (row := cells.get((h, q))) is not None else None for q in questions]
                          for h in holders]},
    ))
    present = set(best["stance"])
    for stance in order:
        if stance in present:
            fig.add_trace(_legend_square(STANCE_LABELS.get(stance, stance), colours[stance], meta={"stance": stance}))
    fig.update_xaxes(side="bottom", showgrid=False, tickangle=-35, **_every_category(columns))
    fig.update_yaxes(autorange="reversed", showgrid=False, **_every_category(rows))
    regions = best.drop_duplicates("holder_name").set_index("holder_name")["region"].reindex(holders)
    _separators(fig, [i - 0.5 for i in range(1, len(holders)) if regions.iloc[i] != regions.iloc[i - 1]])
    fig.update_layout(legend=dict(title_text="Stance", itemsizing="constant", tracegroupgap=0),
                      plot_bgcolor="white")
    line = source_line or source_line_for(frame, as_of=as_of)
    notes = (f"{tidy.count_of(len(holders), 'state or organisation', 'states and organisations')}; "
             "by region (" + ", ".join(r for r in REGIONS if r in set(regions)) + "); "
             "grey: the stored copy did not reach the question",) if holders else ()
    return _finish(fig, title=title, subtitle=subtitle, notes=notes, source_line=line,
                   height=max(420, 20 * len(holders) + 220), empty=best.empty)


def positions_map(
    frame: pd.DataFrame,
    *,
    question: str,
    title: str | None = None,
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each state with a position becomes a country coloured by its stance on ``question``.

    ``frame`` is :func:`positions_frame` (or a selection). States whose positions do not address
    the question in the stored copy are grey; regional organisations (the EU, the AU) have no
    country shape, so they are named in the subtitle instead. Drawn offline, like
    :func:`briefing.charts.participation_map`.
    """
    from briefing import geo
    from briefing.charts import _country_layer, _world_axes

    if question not in QUESTION_LABELS:
        raise ValueError(f"question must be one of {', '.join(QUESTION_LABELS)}, not {question!r}")
    best = holder_stances(frame[frame["question"] == question])
    states = best[best["holder_kind"] == "state"]
    colours = stance_colours()
    shown = set(states["iso3"].dropna())
    layers = [_country_layer(sorted(geo.country_codes() - shown), colour=NO_POSITION_GREY,
                             name="no position in the kit", showlegend=False)]
    order = data.enum("position_stances", "stance")
    legend: list[go.Scatter] = []
    for stance in [NOT_ADDRESSED] + [s for s in order if s != NOT_ADDRESSED]:
        codes = sorted(states.loc[states["stance"] == stance, "iso3"])
        if not codes:
            continue
        layer = _country_layer(codes, colour=colours[stance], name=STANCE_LABELS.get(stance, stance),
                               showlegend=False)
        layer.meta = {"layer": stance, "stance": stance, "countries": codes}
        layers.append(layer)
        legend.append(_legend_square(STANCE_LABELS.get(stance, stance), colours[stance], meta={"stance": stance}))
    points = [geo.label_point(code) for code in states["iso3"]]
    layers.append(go.Scatter(
        x=[p[0] if p else None for p in points], y=[p[1] if p else None for p in points], mode="markers",
        marker=dict(size=5, color="#333333", opacity=0.6), showlegend=False, name="positions",
        customdata=[[str(r.position_id), question, _escaped(r.holder_name), html.escape(STANCE_LABELS.get(r.stance, r.stance)),
                     f"“{_escaped(r.quotation)}”" if pd.notna(r.quotation) else ""]
                    for r in states.itertuples()],
        hovertemplate="<b>%{customdata[2]}</b>: %{customdata[3]}<br>%{customdata[4]}<extra></extra>",
        meta={"layer": "points"},
    ))
    fig = go.Figure(layers + legend)
    _world_axes(fig)
    notes = []
    organisations = best[best["holder_kind"] != "state"]
    if len(organisations):
        notes.append("not on the map: " + ", ".join(
            f"{_SHORT_HOLDER.get(r.holder_id, r.holder_name)} ({_short_stance(r.stance)})"
            for r in organisations.itertuples()))
    unplaced = sorted(code for code in shown if geo.label_point(code) is None)
    if unplaced:
        notes.append("no shape for: " + ", ".join(unplaced))
    coded = int((states["stance"] != NOT_ADDRESSED).sum())
    notes.insert(0, f"{tidy.count_of(coded, 'state')} with a coded stance")
    line = source_line or source_line_for(frame[frame["question"] == question], as_of=as_of)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0,
                                  itemsizing="constant"))
    heading = title or f"{QUESTION_LABELS[question]}: what states say"
    fig = _finish(fig, title=heading, subtitle=subtitle, notes=tuple(notes),
                  source_line=f"{line} {geo.GEOMETRY_CREDIT}.", height=600)
    if states.empty:  # the map stays (it is the context); the message says why nothing is shaded
        fig.add_annotation(name=EMPTY_STATE_NAME, text=EMPTY_MESSAGE, showarrow=False, xref="paper", yref="paper",
                           x=0.5, y=0.5, font=dict(size=18, color="#555555"), bgcolor="rgba(255,255,255,0.85)")
    return fig


_SHORT_HOLDER = {"european_union": "EU", "african_union": "AU"}


def _short_stance(stance: str) -> str:
    return "not addressed" if stance == NOT_ADDRESSED else STANCE_LABELS.get(stance, stance).lower()


_PRECISION_SPAN = {"month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1)}


def positions_timeline(
    frame: pd.DataFrame,
    *,
    title: str = "When states published how they read international law in cyberspace",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each position becomes a mark on its holder's row: a dot for a day, a bar across a month or year.

    ``frame`` is :func:`positions_frame` (or a selection; a position counts once however many of its
    questions are kept). Holders are ordered by their first position; colour is the holder's
    region. Positions with no known date are counted in the subtitle, not placed.
    """
    positions = frame.drop_duplicates("position_id")
    dated = positions[positions["date"].notna()]
    first = dated.groupby("holder_name")["date"].min().sort_values()
    holders = [html.escape(h) for h in first.index]
    colours = theme.category_colours(REGIONS, dated["region"].dropna())
    fig = go.Figure()
    for region in [r for r in colours if r in set(dated["region"].dropna())]:
        rows = dated[dated["region"] == region]
        custom = [[str(r.position_id), _escaped(r.title), format_date(r.date, str(r.date_precision)),
                   _escaped(r.venue), _escaped(r.document_symbol)] for r in rows.itertuples()]
        day = (rows["date_precision"] == "day").to_numpy()
        hover = ("<b>%{y}</b>: %{customdata[1]}<br>%{customdata[2]}; %{customdata[3]} %{customdata[4]}"
                 "<extra></extra>")
        fig.add_trace(go.Scatter(
            x=list(rows["date"][day]), y=[html.escape(h) for h in rows["holder_name"][day]], mode="markers",
            name=region, legendgroup=region, marker=dict(size=10, color=colours[region], line=dict(width=1, color="white")),
            customdata=[c for c, d in zip(custom, day) if d], hovertemplate=hover,
            meta={"region": region, "precision": "day"}))
        spans = rows[~day]
        starts = list(spans["date"])
        ends = [s + _PRECISION_SPAN.get(str(p), pd.DateOffset(days=1)) for s, p in zip(starts, spans["date_precision"])]
        fig.add_trace(go.Bar(
            base=starts, x=[(e - s).total_seconds() * 1000 for s, e in zip(starts, ends)],
            y=[html.escape(h) for h in spans["holder_name"]], orientation="h", width=0.55,
            name=f"{region} (month or year known)", legendgroup=region, showlegend=False,
            marker=dict(color=colours[region], opacity=0.45), customdata=[c for c, d in zip(custom, day) if not d],
            hovertemplate=hover, meta={"region": region, "precision": "span"}))
    fig.update_xaxes(type="date", title_text=None)
    fig.update_yaxes(categoryorder="array", categoryarray=holders[::-1], title_text=None, showgrid=True,
                     **_every_category(holders))
    fig.update_layout(barmode="overlay", hovermode="closest", legend_title_text="Region")
    undated = positions["position_id"].nunique() - dated["position_id"].nunique()
    notes = ["a bar spans the month or year where only that is known"] if (dated["date_precision"] != "day").any() else []
    if undated:
        notes.append(f"{tidy.count_of(undated, 'position')} with no known date not shown")
    line = source_line or source_line_for(positions.assign(source_id=positions["position_source_id"]), as_of=as_of)
    return _finish(fig, title=title, subtitle=subtitle, notes=tuple(notes), source_line=line,
                   height=max(400, 18 * len(holders) + 220), empty=dated.empty)


def _single_hue_scale(colour: str) -> list:
    from briefing.charts import _rgba

    return [[0, _rgba(colour, 0.18)], [1, colour]]


def attributions_directions(
    attributions: pd.DataFrame,
    incidents: pd.DataFrame,
    *,
    title: str = "Who publicly attributes cyber operations to whom",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each cell counts the incidents one party (row) publicly attributed to one state (column).

    ``attributions`` is the ``attributions`` table (or a selection), ``incidents`` the incidents to
    count. Rows are grouped by side (:data:`ATTRIBUTION_SIDES`), each in its own colour, so both
    directions show: the US, Europe and partners attributing to China, Russia, Iran and North
    Korea, and China, Russia and Iran attributing to the US, Israel or Taiwan. A claim is reported,
    never judged. Attributions that name no state are counted in the subtitle.
    """
    pairs = attribution_pairs(attributions, incidents)
    side_colours = dict(zip(ATTRIBUTION_SIDES, (theme.PALETTE[5], theme.PALETTE[0], theme.PALETTE[2])))
    columns = list(pairs.groupby("attributed")["incidents"].sum().sort_values(ascending=False).index)
    x_labels = {c: _wrapped(html.escape(c), 10) for c in columns}
    most = int(pairs["incidents"].max()) if len(pairs) else 1
    fig = go.Figure()
    row_order: list[str] = []
    boundaries: list[float] = []
    for side, label in ATTRIBUTION_SIDES.items():
        block = pairs[pairs["side"] == side]
        if block.empty:
            continue
        parties = list(block.groupby("party")["incidents"].sum().sort_values(ascending=False).index)
        if row_order:
            boundaries.append(len(row_order) - 0.5)
        row_order += parties
        grid = block.pivot_table(index="party", columns="attributed", values="incidents", aggfunc="sum")
        grid = grid.reindex(index=parties, columns=columns)
        named = block.set_index(["party", "attributed"])["incident_names"]
        fig.add_trace(go.Heatmap(
            z=[[None if pd.isna(v) else int(v) for v in row] for row in grid.to_numpy(dtype=float)],
            x=[x_labels[c] for c in columns], y=[html.escape(p) for p in parties],
            zmin=0, zmax=most, colorscale=_single_hue_scale(side_colours[side]),
            showscale=False, xgap=2, ygap=2, hoverongaps=False, name=label,
            customdata=[[[p, c, html.escape(named.get((p, c), ""))] for c in columns] for p in parties],
            hovertemplate=("<b>%{customdata[0]}</b> attributed %{z} incident(s) to <b>%{customdata[1]}</b>"
                           "<br>%{customdata[2]}<extra></extra>"),
            meta={"side": side, "pairs": [[p, c] for p, c in zip(block["attributing_party"],
                                                                  block["attributed_state_iso3"])]},
        ))
        # The counts as a text layer of their own: a heatmap's own text goes astray when several
        # heatmaps share one category axis.
        fig.add_trace(go.Scatter(
            x=[x_labels[c] for c in block["attributed"]], y=[html.escape(p) for p in block["party"]],
            mode="text", text=[str(int(n)) for n in block["incidents"]], hoverinfo="skip", showlegend=False,
            textfont=dict(color=["white" if n > most / 2 else "#222222" for n in block["incidents"]]),
            name=f"{label} (counts)", meta={"side": side, "counts": True}))
        fig.add_trace(_legend_square(label, side_colours[side], meta={"side": side, "legend": True}))
    rows = [html.escape(p) for p in row_order]
    fig.update_xaxes(side="bottom", showgrid=False, categoryorder="array", categoryarray=[x_labels[c] for c in columns],
                     tickangle=0, **_every_category([x_labels[c] for c in columns]))
    fig.update_yaxes(categoryorder="array", categoryarray=rows, showgrid=False, autorange="reversed",
                     **_every_category(rows))
    _separators(fig, boundaries)
    fig.update_layout(legend=dict(title_text="Who attributes"), plot_bgcolor="white")
    shown = attributions[attributions["incident_id"].isin(incidents["incident_id"])]
    unnamed = int(shown["attributed_state_iso3"].isna().sum())
    notes = ["rows: who attributed; columns: the state held responsible; a cell counts incidents"]
    if unnamed:
        notes.append(f"{tidy.count_of(unnamed, 'attribution')} naming no state not shown")
    line = source_line or source_line_for(shown.dropna(subset=["attributed_state_iso3"]), as_of=as_of)
    return _finish(fig, title=title, subtitle=subtitle, notes=tuple(notes), source_line=line,
                   height=max(420, 22 * len(row_order) + 240), empty=pairs.empty)


def un_votes_over_time(
    un_votes: pd.DataFrame,
    *,
    title: str = "UN resolutions on ICTs: who tabled them, how they passed",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each resolution becomes a row, oldest at the top: its main sponsor and how it was adopted,
    then its plenary and First Committee votes where a stored record gives them.

    ``un_votes`` is the ``un_votes`` table (or a selection). A total no record gives is written
    "not recorded" on its row; it is never drawn as a bar of zero. A resolution adopted without a
    vote has no plenary totals, and says so.
    """
    frame = un_votes_frame(un_votes)
    labels = [html.escape(label) for label in frame["label"]]
    sponsors = list(dict.fromkeys(frame["sponsor"]))
    sponsor_colours = theme.category_colours(["Russia-led", "US-led", "Joint Russia-US"], sponsors)
    symbols = dict(zip(ADOPTION_LABELS.values(), ("circle", "diamond", "circle-open")))
    fig = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.03, column_widths=[0.1, 0.45, 0.45],
                        subplot_titles=("Sponsor", "Plenary votes", "First Committee votes"))
    for sponsor in [s for s in sponsor_colours if s in sponsors]:
        rows = frame[frame["sponsor"] == sponsor]
        colour = sponsor_colours[sponsor]
        fig.add_trace(go.Scatter(
            x=[0] * len(rows), y=[labels[i] for i in rows.index], mode="markers",
            name=sponsor, legendgroup=sponsor, showlegend=False,
            # The symbol says how it was adopted; open where no record says: nothing is claimed for it.
            marker=dict(size=12, color=colour, line=dict(width=2, color=colour),
                        symbol=[symbols[a] for a in rows["adoption"]]),
            customdata=[[str(r.resolution_id), _escaped(r.title), _escaped(r.sponsor_note)] for r in rows.itertuples()],
            hovertemplate="<b>%{y}</b> %{customdata[1]}<br>%{customdata[2]}<extra>%{fullData.name}</extra>",
            meta={"sponsor": sponsor}), row=1, col=1)
        fig.add_trace(_legend_square(sponsor, colour, meta={"sponsor": sponsor}, group=sponsor))
    for mode in [m for m in ADOPTION_LABELS.values() if m in set(frame["adoption"])]:
        name = "Adoption not recorded" if mode == ADOPTION_LABELS[None] else f"Adopted: {mode.lower()}"
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, hoverinfo="skip",
                                 marker=dict(symbol=symbols[mode], size=11, color="#555555",
                                             line=dict(width=2, color="#555555")), meta={"adoption": mode}))
    vote_colours = dict(zip(VOTE_LABELS, ("#117733", "#882255", "#AAAA44")))
    known_totals = pd.concat([frame[list(c)].sum(axis=1, min_count=1) for c in VOTE_COLUMNS.values()])
    most = int(known_totals.max()) if known_totals.notna().any() else 1
    for col, (stage, columns) in enumerate(VOTE_COLUMNS.items(), start=2):
        for vote, column in zip(VOTE_LABELS, columns):
            known = frame[frame[column].notna()]
            fig.add_trace(go.Bar(
                x=[int(v) for v in known[column]], y=[labels[i] for i in known.index], orientation="h", name=vote,
                marker_color=vote_colours[vote], legendgroup=vote, showlegend=col == 2,
                hovertemplate=f"<b>%{{y}}</b>: %{{x}} {vote.lower()}<extra>{stage.replace('_', ' ')}</extra>",
                meta={"stage": stage, "vote": column}), row=1, col=col)
        # A missing total is written after what is known, never drawn as a bar of zero.
        for i, row in frame.iterrows():
            missing = [v.lower() for v, c in zip(VOTE_LABELS, columns) if pd.isna(row[c])]
            if stage == "plenary" and row["adoption"] == ADOPTION_LABELS[True]:
                text = "without a vote"
            elif len(missing) == len(columns):
                text = NOT_RECORDED
            elif missing:
                text = f"others {NOT_RECORDED}"
            else:
                continue
            after = sum(int(row[c]) for c in columns if pd.notna(row[c]))
            fig.add_annotation(x=after, y=labels[i], text=text, showarrow=False, xanchor="left", xshift=3,
                               font=dict(size=11, color="#777777"), name=f"{NOT_RECORDED}:{stage}:{row['resolution_id']}",
                               xref="x" if col == 1 else f"x{col}", yref="y")
    fig.update_layout(barmode="stack", legend=dict(itemsizing="constant", tracegroupgap=0))
    fig.update_xaxes(row=1, col=1, visible=False, range=[-1, 1])
    for col in (2, 3):
        axis = {k: v for k, v in _count_axis(most).items() if k != "rangemode"}
        fig.update_xaxes(range=[0, most * 1.45], row=1, col=col, **axis)
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], showgrid=True, row=1, col=1,
                     **_every_category(labels))
    line = source_line or source_line_for(frame, as_of=as_of)
    inferred = int((frame["date_precision"] == "year").sum())
    notes = []
    if inferred:
        notes.append(f"{tidy.count_of(inferred, 'year')} inferred from the session number")
    return _finish(fig, title=title, subtitle=subtitle, notes=tuple(notes), source_line=line,
                   height=max(420, 24 * len(frame) + 220), empty=frame.empty)


def incident_norm_links(
    frame: pd.DataFrame,
    *,
    title: str = "Which norms and rules incidents were said to breach, and by whom",
    subtitle: str | None = None,
    source_line: str | None = None,
    as_of: str | None = None,
) -> go.Figure:
    """Each incident x norm or rule invoked becomes a dot per kind of claimant, sized by its claims.

    ``frame`` is :func:`incident_norms_frame` (or a selection). A claimant kind's colour is fixed by
    the schema's list of kinds, so a state's claim and a scholar's never look alike. Every dot's
    ``customdata`` starts with ``incident_id`` and ``invoked_id``: a click can list the claims with
    :func:`norm_links_for`.
    """
    kinds = data.enum("incident_norms", "claimant_kind")
    colours = theme.category_colours(kinds, frame["claimant_kind"])
    grouped = frame.groupby(["incident", "incident_id", "invoked_short", "invoked_id", "claimant_kind"], observed=True)
    cells = grouped.agg(claims=("link_id", "count"),
                        claimants=("claimant", lambda c: "<br>".join(html.escape(str(x)) for x in c))).reset_index()
    incidents = list(frame.drop_duplicates("incident_id").sort_values("date", na_position="last")["incident"])
    invoked = list(frame.groupby("invoked_short")["link_id"].count().sort_values(ascending=False).index)
    x_of = {name: i for i, name in enumerate(invoked)}
    present = [k for k in colours if k in set(cells["claimant_kind"])]
    offset = {k: (i - (len(present) - 1) / 2) * 0.18 for i, k in enumerate(present)}
    fig = go.Figure()
    for kind in present:
        rows = cells[cells["claimant_kind"] == kind]
        fig.add_trace(go.Scatter(
            x=[x_of[v] + offset[kind] for v in rows["invoked_short"]], y=[html.escape(i) for i in rows["incident"]],
            mode="markers+text", name=tidy.words(kind), text=[str(n) if n > 1 else "" for n in rows["claims"]],
            textposition="middle center", textfont=dict(color="white", size=10),
            marker=dict(size=[10 + 4 * min(int(n), 4) for n in rows["claims"]], color=colours[kind],
                        line=dict(width=1, color="white")),
            customdata=[[str(a), str(b), int(n), c] for a, b, n, c in
                        zip(rows["incident_id"], rows["invoked_id"], rows["claims"], rows["claimants"])],
            hovertemplate="<b>%{y}</b>: %{customdata[2]} claim(s)<br>%{customdata[3]}<extra>%{fullData.name}</extra>",
            meta={"claimant_kind": kind}))
    fig.update_xaxes(tickvals=list(range(len(invoked))), ticktext=[html.escape(v) for v in invoked],
                     range=[-0.6, len(invoked) - 0.4], tickangle=-35, showgrid=True, side="bottom")
    rows = [html.escape(i) for i in incidents]
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1], showgrid=True, **_every_category(rows))
    fig.update_layout(legend=dict(title_text="Who made the claim", itemsizing="constant"))
    line = source_line or source_line_for(frame, as_of=as_of)
    notes = ("a number in a dot counts its claims",) if len(cells) else ()
    return _finish(fig, title=title, subtitle=subtitle, notes=notes, source_line=line,
                   height=max(420, 24 * len(incidents) + 220), empty=cells.empty)
