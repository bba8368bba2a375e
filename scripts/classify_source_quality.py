"""Propose the `quality` of every row of data/sources.csv from its kind, its URL's domain and its publisher.

Run `python scripts/classify_source_quality.py` to (re)write the column; `--check` only prints the rows whose
stored quality differs from the rules. The rules are stated in data/README.md ("How good is a source?").
Decisions a curator made by eye after reviewing each domain group are in OVERRIDES, each with its reason:
the rules are a first pass, the overrides are the review.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources.csv"
QUALITIES = ("primary", "official_mirror", "press", "secondary", "weak")

# The UN system's own sites (a UN document on un.org, the UN digital library, UNODA, UNODC, UNIDIR ...).
UN = re.compile(
    r"(^|\.)(un\.org|unoda\.org|undocs\.org|unodc\.org|unidir\.org|unvienna\.org|unov\.tind\.io|intgovforum\.org)$"
)
# UNIDIR's Cyber Policy Portal: UNIDIR's own pages, and copies of other bodies' documents.
UNIDIR_PORTAL = re.compile(r"(^|\.)cyberpolicyportal\.org$")
# Governments, parliaments and their agencies.
GOVERNMENT = re.compile(
    r"(^|\.)(gov|mil)$|(^|\.)gov\.[a-z]{2}$|\.govt\.nz$|\.gouv\.fr$|\.gob\.[a-z]{2}$|\.gv\.at$|\.go\.(jp|kr|th|ke|cr)$"
    r"|(^|\.)(mid\.ru|kremlin\.ru|russiaun\.ru|rusemb\.org\.uk|china-un\.org|chineseconsulate\.org|cubaminrex\.cu"
    r"|regjeringen\.no|stjornarradid\.is|valtioneuvosto\.fi|finlex\.fi|overheid\.nl|officielebekendmakingen\.nl"
    r"|rijksoverheid\.nl|verdragen\.nl|delegfrance\.org|legilux\.public\.lu|kormany\.hu|parliament\.uk"
    r"|thaicert\.or\.th|incibe\.es|gov\.cn)$"
)
# Intergovernmental organisations' own sites.
IGO = re.compile(
    r"(^|\.)(coe\.int|osce\.org|nato\.int|europa\.eu|oas\.org|oascybercbms\.org|au\.int|peaceau\.org"
    r"|aseanregionalforum\.org|g77\.org|wgig\.org)$"
)
# Organisations, initiatives and companies publishing about themselves (their own norms, statements, reports).
OWN_ORGANISATION = {
    "cybertechaccord.org",
    "charteroftrust.com",
    "pariscall.international",
    "cyberstability.org",
    "thegfce.com",
    "freedomonlinecoalition.com",
    "first.org",
    "gccs2015.com",
    "gc3b.org",
    "blogs.microsoft.com",
    "news.microsoft.com",
    "cisco.com",
    "googleblog.blogspot.com",
    "icrc.org",
    "emmanuelmacron.medium.com",
    "hrw.org",
}
# Recognised archives of official documents (an official document hosted by an archive, not its author).
ARCHIVE = {
    "presidency.ucsb.edu",
    "g7.utoronto.ca",
    "g8.utoronto.ca",
    "nsarchive.gwu.edu",
    "assets.documentcloud.org",
    "hsdl.org",
    "fraser.stlouisfed.org",
    "webintra.cvce.eu",
    "regulations.justia.com",
    "infor.pl",
    "globalgovernanceprogram.org",
    "cfr.org",
    "dsos01mstrx23tnprep.dxcloud.episerver.net",
}
# Document-sharing sites.
DOCUMENT_SHARING = {
    "scribd.com",
    "pt.scribd.com",
    "fdocuments.net",
    "pdfslide.net",
    "docplayer.net",
    "paperzz.com",
    "expydoc.com",
    "vdocuments.us",
    "vdocuments.net",
    "readkong.com",
    "docslib.org",
    "cld.bz",
    "online.flipbuilder.com",
}
# Copies on sites unrelated to the document's author (mailing lists, FOI portals, unrelated databases ...).
UNRELATED_MIRROR = {
    "asktheeu.org",
    "girlsrightsplatform.org",
    "database.girlsrightsplatform.org",
    "poisk-ru.ru",
    "lists.igcaucus.org",
    "namib.online",
    "burkina-faso.news-pravda.com",
    "ladiesofvalhalla.com",
    "cjwi.org",
    "ejilt.org",
    "wikizero.org",
    "github.com",
    "news.doourbest.org",
    "parispeaceforum.lademo.be",
    "cyberdefenseinsights-org.pages.dev",
    "tagteam.harvard.edu",
    "pt.hi-network.com",
    "aus-city.com",
    "nis-2-directive.com",
}
# Press-release redistribution sites (a reprint of an official release).
PRESS_WIRE = {
    "einpresswire.com",
    "publicnow.com",
    "miragenews.com",
    "citizenwire.com",
    "wired-gov.net",
    "pubaffairsbruxelles.eu",
    "latestly.com",
    "allafrica.com",
}
# Reposts, scraped copies and aggregators of other outlets' articles.
REPRINT = {
    "urdupoint.com",
    "pakistanpoint.com",
    "palada.net",
    "devdiscourse.com",
    "dnyuz.com",
    "portside.org",
    "cybersolace.co.uk",
    "thetimesrussia.com",
    "investingtimesnews.com",
    "technewsheaven.com",
    "vhueurope.com",
    "kashifali.ca",
    "vyagers.com",
    "the-china-manufacturer.com",
    "securitythisday.com",
    "wallstreetwindow.com",
    "usmuslims.com",
    "infosectoday.com",
    "defaiya.com",
    "strategicstudyindia.blogspot.de",
    "dcdecides.com",
    "johansen.se",
    "malware.news",
    "pledgetimes.com",
    "usnewslatest.com",
    "newsheadlinesuk.com",
    "thetop10news.com",
    "timesinworld.com",
    "newsme.com.ua",
    "aicoin.com",
    "socpub.com",
    "redcensor.com",
    "islamicinvitationturkey.com",
    "lapost.us",
    "boingboing.net",
    "brief.news",
    "dailywrap.uk",
    "ibgnews.com",
    "theiranproject.com",
}
# Outlets owned or controlled by a state: `weak` unless the claim is that state's own position (see OVERRIDES).
STATE_OUTLET = {
    "tass.com",
    "sputniknews.com",
    "sputnikglobe.com",
    "mongolian.ruvr.ru",
    "xinhuanet.com",
    "en.people.cn",
    "globaltimes.cn",
    "news.cgtn.com",
    "ecns.cn",
    "en.chinagate.cn",
    "bjreview.com.cn",
    "shine.cn",
    "en.mehrnews.com",
    "trtworld.com",
    "en.vietnamplus.vn",
}
# News-looking sites that are analysis, law-firm briefings, blogs or observatories rather than reporting.
SECONDARY_SITE = {
    "dig.watch",
    "wp.dig.watch",
    "lexology.com",
    "justsecurity.org",
    "lawfaremedia.org",
    "jdsupra.com",
    "natlawreview.com",
    "ccdcoe.org",
    "cyberlaw.ccdcoe.org",
    "ccdcoe.eu",
    "eucrim.eu",
    "directionsblog.eu",
    "opiniojuris.org",
    "ejiltalk.org",
    "cepa.org",
    "graduateinstitute.ch",
    "gp-digital.org",
    "diplomacy.edu",
    "dataguidance.com",
    "lifeboat.com",
    "databreaches.net",
    "jurist.org",
    "transparency.org.nz",
    "oodaloop.com",
    "thecyberwire.com",
    "incyber.org",
    "letstalkcyber.org",
}

# Civil-society bodies and think tanks: their own statements are primary, their reports and pages secondary.
NGO = {"cyberpeaceinstitute.org", "hrw.org", "cyberstability.org"}

# Curator's decisions after reviewing the rules' output domain group by domain group.
OVERRIDES: dict[str, tuple[str, str]] = {
    "tass_uk_notpetya_2018": (
        "press",
        "state outlet reporting its own government's position (Russia's), the only claim it is cited for",
    ),
    "tass_embassy_gru_2018": (
        "press",
        "state outlet reporting its own government's position (Russia's), the only claim it is cited for",
    ),
    "tass_note_verbale_gru_2018": (
        "press",
        "state outlet reporting its own government's position (Russia's), the only claim it is cited for",
    ),
    "tass_peskov_solarwinds_2020": (
        "press",
        "state outlet reporting its own government's position (Russia's), the only claim it is cited for",
    ),
    "tass_krutskikh_unga_2019": (
        "press",
        "state outlet reporting its own government's position (Russia's), the only claim it is cited for",
    ),
    "peoplecn_volt_typhoon_iii_2024": (
        "press",
        "state outlet reporting its own government's position (China's), the only claim it is cited for",
    ),
    "peoplecn_china_embassy_uk_cyber_2024": (
        "press",
        "state outlet reporting its own government's position (China's), the only claim it is cited for",
    ),
    "bjreview_volt_typhoon_2024": (
        "press",
        "state outlet reporting its own government's position (China's), the only claim it is cited for",
    ),
    "globaltimes_volt_typhoon_2024": (
        "press",
        "state outlet reporting its own government's position (China's), the only claim it is cited for",
    ),
    "cgtn_npu_representations_2022": (
        "press",
        "state outlet reporting its own government's position (China's), the only claim it is cited for",
    ),
    "shine_npu_nsa_2022": (
        "press",
        "state outlet reporting its own government's position (China's), the only claim it is cited for",
    ),
    "shine_harbin_nsa_2025": (
        "press",
        "state outlet reporting its own government's position (China's), the only claim it is cited for",
    ),
    "ecns_wuhan_earthquake_2023": (
        "press",
        "state outlet reporting its own government's position (China's), the only claim it is cited for",
    ),
    "mehrnews_iran_albania_2022": (
        "press",
        "state outlet reporting its own government's position (Iran's), the only claim it is cited for",
    ),
    "vietnamplus_fm_unsc_2021": (
        "press",
        "state outlet reporting its own government's position (Viet Nam's), the only claim it is cited for",
    ),
    "stjornarradid_eu_hr_czechia_2025": ("official_mirror", "an EU statement reproduced on a government site"),
    "delegfrance_nac_covid_2020": ("official_mirror", "a NATO statement on a national delegation's site"),
    "itagov_nis2": ("secondary", "an official body describing another body's law"),
    "ec_glossary_budapest_convention": ("secondary", "an official body describing another body's treaty"),
    "incibe_hse_conti_2021": ("secondary", "an official body reporting another country's incident"),
    "thaicert_salt_typhoon_2025": ("secondary", "an official body reporting others' statements"),
    "hsdl_change_healthcare_2024": ("secondary", "the library's own timeline, not an archived document"),
    "cvce_csce_participating_states": ("secondary", "a university's compiled list"),
    "unov_library_tallinn_2": ("secondary", "a library catalogue record of a book"),
    "crimealliance_ahc": ("secondary", "an NGO alliance describing a UN committee"),
    "first_certs_un_norms_2025": ("secondary", "an organisation's analysis of others' norms"),
    "cisco_ipj_wcit_2013": ("secondary", "a company journal reporting a conference"),
    "gcsc_lauber_oewg_2021": ("secondary", "an essay on the commission's site, not the commission's own position"),
    "cyberpolicyportal_g7": ("secondary", "UNIDIR's profile of another body"),
    "un_a_75_816": ("official_mirror", "a UN document in Digital Watch's full-text library"),
    "un_a_ac_292_2025_crp_1": ("official_mirror", "a UN document in Digital Watch's full-text library"),
    "un_a_69_723": ("official_mirror", "a UN document in Digital Watch's full-text library"),
    "inview_nl_cybercrime_parties": ("official_mirror", "a legal database copying the Dutch treaty database"),
    "eumonitor_nis_2016": ("official_mirror", "an archive of EU documents"),
    "mspportal_ed_24_02_2024": ("weak", "a reprint of a CISA alert"),
    "tokyogringo_uk_ag_2018": ("weak", "a personal blog reproducing others' excerpts"),
    "halldor2_paet_2007": ("weak", "a blogger's own translation of a news report"),
    "khaosod_tass_vaccine_2020": ("weak", "a TASS text on a claim other than Russia's own position"),
    "menafn_kuna_chargedaffaires_2024": ("weak", "a news aggregator"),
    "orkl_guardian_notpetya_ccdcoe_2017": ("weak", "a copy of a Guardian article on an unrelated archive"),
    "krebs_g5_notpetya_2017": ("weak", "a blog quoting another outlet"),
    "cyberdefenseinsights_gru_29155_2024": ("weak", "an anonymous blog on a free hosting domain"),
    "mjil_hines_self_defence_2024": ("secondary", "a law journal article held by AustLII"),
    "uj_collective_countermeasures": ("secondary", "a university repository record of an article"),
    "dirittoue_eu_declaration_2024": ("secondary", "a law blog"),
    "newdelhitimes_nam_ict": ("secondary", "an opinion article"),
    "nationalforum_georgia_cyberwarfare_2008": ("secondary", "an opinion article"),
    "iisd_global_mechanism_2025": ("secondary", "a think tank's news digest"),
    "ansi_cri_2022": ("secondary", "a standards body's news digest"),
    "thecyberthrone_viasat_2022": ("secondary", "a blog"),
    "mailru_sco_observers": ("weak", "a news aggregator's report, headline not recorded"),
    "govnl_georgia_2020": ("primary", "government.nl: the Dutch government's own site"),
    "albanian_ambassadors_iran_2022": ("primary", "the association's own statement, cited for its own claim"),
    "europanu_eu_exchange_2021": ("official_mirror", "Council declaration reproduced by Europa NU / Parlement.com"),
    "ritzau_dnk_viasat_2022": ("weak", "a ministry's release carried on a press-release wire"),
    "pressclub_eu_uk_cyber_2024": (
        "weak",
        "a wire copy of the EU spokesperson's statement, undated in the stored copy",
    ),
    "am1news_wt_czech_apt31_2025": ("weak", "an aggregator's repost"),
    "bssnews_afp_ntsc_2025": ("weak", "an AFP copy on a state news agency, cited for another state's position"),
    "amnesty_uncovering_iceberg_2021": ("primary", "Amnesty's own report on its own site, cited for Amnesty's claim"),
}


def domain(url: str) -> str:
    host = urlparse(url).netloc.lower().split(":")[0]
    return host[4:] if host.startswith("www.") else host


def propose(row: dict) -> tuple[str, str]:
    """The rules' quality for one source row, and why."""
    if row["source_id"] in OVERRIDES:
        return OVERRIDES[row["source_id"]]
    kind, host, publisher = row["kind"], domain(row["url"]), row["publisher"]
    copied = re.search(r"\b(via|mirror|repost|reprint|copy held)\b", publisher, re.I)
    if kind == "seed_text":
        return "secondary", "seed text (a commentary the kit grew from)"
    if host in DOCUMENT_SHARING:
        return "weak", "document-sharing site"
    if host in UNRELATED_MIRROR:
        return "weak", "copy on an unrelated site"
    if host in PRESS_WIRE:
        return "weak", "press-release redistribution site (a reprint)"
    if host in REPRINT:
        return "weak", "repost or aggregator of another outlet"
    if host in STATE_OUTLET:
        return "weak", "state-controlled outlet"
    if re.search(r"AI-generated", row["note"]):
        return "weak", "AI-generated summary"
    if UN.search(host):
        return "primary", "the UN system's own site"
    if UNIDIR_PORTAL.search(host):
        if "UNIDIR" in publisher and not copied:
            return "primary", "UNIDIR's own page"
        return "official_mirror", "another body's document held by UNIDIR's Cyber Policy Portal"
    if GOVERNMENT.search(host) or IGO.search(host):
        if kind == "un_document" or copied:
            return "official_mirror", "a document of another official body on an official site"
        return "primary", "a government's or intergovernmental organisation's own site"
    if host in ARCHIVE:
        return "official_mirror", "an archive of official documents"
    if host in OWN_ORGANISATION:
        return "primary", "the organisation's own publication"
    if host in NGO and kind in ("official_statement", "press_release"):
        return "primary", "the organisation's own statement"
    if host in SECONDARY_SITE:
        return "secondary", "analysis, observatory or blog"
    if copied and kind != "news":
        return "weak", "a copy of another body's document on a third-party site"
    if kind == "news":
        return "press", "news outlet"
    if kind in ("scholarly", "report", "website", "dataset"):
        return "secondary", "scholarship, think tank, encyclopaedia or other third-party site"
    return "?", "official kind on an unrecognised site: review by hand"


def main(argv: list[str]) -> int:
    with SOURCES.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames)
        rows = list(reader)
    check = "--check" in argv
    if not check and "quality" not in fields:
        fields.insert(fields.index("kind") + 1, "quality")
    differ = 0
    for row in rows:
        quality, why = propose(row)
        if check:
            if row.get("quality") != quality:
                differ += 1
                print(f"{row['source_id']}: stored {row.get('quality')!r}, rules {quality!r} ({why})")
        else:
            row["quality"] = quality
    if not check:
        with SOURCES.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    unknown = sum(1 for row in rows if propose(row)[0] == "?")
    print(f"{len(rows)} sources; {differ} differ from the rules; {unknown} left for review", file=sys.stderr)
    return 1 if (check and differ) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
