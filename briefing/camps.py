"""Every camp's side of the record: who attributes whom, and how the UN's ICT resolutions were
sponsored and adopted. Pure functions; the charts are in :mod:`briefing.charts.camps`.
"""

from __future__ import annotations

import pandas as pd

from briefing import tidy

COUNTER_ATTRIBUTING = ("CHN", "RUS", "IRN", "PRK")
#: The sides an attributing party is on, in the order the chart draws them.
ATTRIBUTION_SIDES = {
    "counter": "Governments of China, Russia and Iran",
    "allied": "US, European and partner governments",
    "industry": "Firms and press (any country)",
}
_PARTY_WORDS = {
    "RUS": "Russia",
    "nato": "NATO",
    "eset": "ESET",
    "new_york_times": "New York Times",
    "qihoo_360": "Qihoo 360",
    "fireeye": "FireEye",
    "der_spiegel": "Der Spiegel",
    "global_times": "Global Times",
    "amnesty_international": "Amnesty International",
}


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
    rows = attributions[
        attributions["incident_id"].isin(incidents["incident_id"]) & attributions["attributed_state_iso3"].notna()
    ]
    names = incidents.set_index("incident_id")["name"]
    rows = rows.assign(
        side=[attribution_side(p, k) for p, k in zip(rows["attributing_party"], rows["kind"])],
        incident=rows["incident_id"].map(names),
    )
    # A party on one side for one kind of statement stays there (industry never mixes with governments).
    grouped = rows.groupby(["side", "attributing_party", "attributed_state_iso3"], observed=True)
    pairs = grouped.agg(
        incidents=("incident_id", "nunique"),
        incident_names=("incident", lambda n: "; ".join(sorted(set(map(str, n))))),
        kinds=("kind", lambda k: ", ".join(sorted(set(map(str, k))))),
        source_id=("source_id", "first"),
    ).reset_index()
    pairs["party"] = pairs["attributing_party"].map(party_label)
    pairs["attributed"] = pairs["attributed_state_iso3"].map(party_label)
    return pairs


# ---- UN votes ----------------------------------------------------------------------------------

#: The sponsor groups, in the order that keys their colours.
SPONSOR_LABELS = {"USA": "US-led", "RUS": "Russia-led", "joint": "Joint Russia-US"}
ADOPTION_LABELS = {True: "Without a vote", False: "Recorded vote", None: "Not recorded"}
VOTE_COLUMNS = {
    "plenary": ("votes_yes", "votes_no", "votes_abstain"),
    "first_committee": ("first_committee_yes", "first_committee_no", "first_committee_abstain"),
}
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
        return (
            SPONSOR_LABELS["joint"]
            if codes == ["RUS", "USA"]
            else " and ".join(tidy.country_name(c) for c in codes) + " jointly"
        )
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
        label=[
            f"{str(s).replace('A/RES/', '')} ({tidy.format_date(d, str(p))})"
            for s, d, p in zip(frame["symbol"], frame["date"], frame["date_precision"])
        ],
    )
    return frame


# ---- Incidents and the norms they were said to breach ------------------------------------------

#: The verb of a claim: the table holds claims that an incident breached *or engaged* a norm
#: (the EU's call for due diligence after the COVID-era attacks engages it, breaches nothing).
