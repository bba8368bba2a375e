"""Exercise packs: a folder an instructor prints or shares for an open-response session in class.

:func:`export_pack` writes, for one scenario: a student handout per stage (HTML and PDF, to hand out
stage by stage), the instructor's notes, the rubric's scorecard and the timing plans for a
90-minute and a half-day session, each with its source line, and an index page. Files are checked
before anything is written and written all or none (:mod:`briefing.writing`), never inside the
kit's data folder. PDFs are printed by Debian's chromium, headless and offline.

Examples
--------
>>> written = export_pack("election_interference", "packs/election", pdf=False)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from briefing import data, export, render, writing
from briefing.teaching import handouts
from briefing.teaching import notes as stage_notes
from briefing.teaching.rubric import Rubric, load_rubric
from briefing.teaching.tabletop import Scenario, ScenarioError, load_scenario, shipped_scenarios

PLANS = {"minutes_90": ("90-minute session", 90), "half_day": ("Half-day session", 210)}
#: How long chromium may take to print one page before the pack gives up (a first start is slow).
PRINT_TIMEOUT_S = 120


class PackError(Exception):
    """A pack that cannot be written as asked; the message says why and what to do instead."""


def _stage_slots(stages: int, minutes: int, *, label: str) -> list[dict]:
    """``minutes`` shared among the stages (the first stages take any remainder), each split into team
    work on the report and the teams' briefings to the panel."""
    share, extra = divmod(minutes, stages)
    slots = []
    for number in range(1, stages + 1):
        length = share + (1 if number <= extra else 0)
        work = round(length * 0.6)
        slots.append(
            {"minutes": work, "activity": f"Stage {number}: hand out the report; teams write their brief{label}"}
        )
        slots.append(
            {"minutes": length - work, "activity": f"Stage {number}: teams brief the panel, the panel asks questions"}
        )
    return slots


def default_timing(stages: int) -> dict[str, list[dict]]:
    """Timing plans derived from the number of stages: 90 minutes, and a half day (210 minutes with a break).

    >>> plans = default_timing(3)
    >>> [sum(slot["minutes"] for slot in plans[name]) for name in ("minutes_90", "half_day")]
    [90, 210]
    """
    short = [{"minutes": 10, "activity": "Introduce the scenario, the roles and the scorecard; form teams of four"}]
    short += _stage_slots(stages, 70, label="")
    short += [{"minutes": 10, "activity": "Debrief: the instructor's notes, the scores, the debrief questions"}]
    half_stages = _stage_slots(stages, 150, label=" and decision document")
    middle = 2 * ((stages + 1) // 2)  # the break comes after the middle stage
    long = [{"minutes": 15, "activity": "Introduce the scenario, the roles and the scorecard; form teams of four"}]
    long += half_stages[:middle] + [{"minutes": 15, "activity": "Break"}] + half_stages[middle:]
    long += [{"minutes": 30, "activity": "Judges score on the scorecard; debrief with the instructor's notes"}]
    return {"minutes_90": short, "half_day": long}


def timing_plans(scenario: Scenario) -> dict[str, list[dict]]:
    """The file's ``timing`` plans where it has them, the default for its number of stages where not."""
    plans = default_timing(len(scenario.stages))
    plans.update(scenario.spec.get("timing", {}))
    return plans


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def timing_page(scenario: Scenario) -> str:
    """The timing plans as a page: start and end of each activity, from minute 0."""
    parts = [f"<p class='kicker'>Timing plans</p><h1>{render.escape(scenario.spec['title'])}</h1>"]
    for key, slots in timing_plans(scenario).items():
        start, rows = 0, []
        for slot in slots:
            rows.append(
                {
                    "from": _clock(start),
                    "to": _clock(start + slot["minutes"]),
                    "minutes": slot["minutes"],
                    "activity": slot["activity"],
                }
            )
            start += slot["minutes"]
        parts.append(
            f"<h2>{render.escape(PLANS[key][0])} ({start} minutes)</h2>" + render.escaped_table(pd.DataFrame(rows))
        )
    return handouts.page(f"{scenario.spec['title']}: timing", "".join(parts), handouts.story_source_line(scenario))


def pack_pages(scenario: Scenario, rubric: Rubric, tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Every page of the pack by file stem, in the order the index lists them."""
    pages = {f"handout_stage_{n}": handouts.handout_html(scenario, n - 1) for n in range(1, len(scenario.stages) + 1)}
    pages["instructor_notes"], _cited = handouts.notes_page(scenario, tables)
    pages["scorecard"] = handouts.scorecard_page(rubric)
    pages["timing"] = timing_page(scenario)
    return pages


def _index_page(scenario: Scenario, stems: list[str], pdf: bool) -> str:
    files = [
        handouts.file_link(f"{stem}.html", f"{stem}.html")
        + (" &middot; " + handouts.file_link("PDF", f"{stem}.pdf") if pdf else "")
        for stem in stems
    ]
    body = (
        f"<h1>{render.escape(scenario.spec['title'])}: exercise pack</h1>"
        "<p>Hand out <b>handout_stage_1</b> first, and each later stage only when the teams reach it. "
        "The instructor's notes are for the panel until the debrief.</p>" + render.items_list(files, escaped=True)
    )
    return handouts.page(f"{scenario.spec['title']}: exercise pack", body, handouts.story_source_line(scenario))


def _browser() -> str:
    browser = export.find_browser()
    if browser is None:
        raise PackError(
            "PDFs need Chromium and none was found: install Debian's `chromium`, or write the pack without PDFs (--no-pdf)"
        )
    return browser


def print_pdf(page_file: Path, pdf_file: Path) -> None:
    """Print an HTML file to PDF with headless chromium (no network: every host resolves to nothing)."""
    browser = _browser()
    with tempfile.TemporaryDirectory(prefix="briefing-print-") as profile:
        command = [
            browser, "--headless", "--disable-gpu", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf_file}",
        ]  # fmt: skip
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--no-sandbox")  # chromium will not start as root with its sandbox
        try:
            subprocess.run(
                [*command, page_file.resolve().as_uri()], capture_output=True, timeout=PRINT_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as late:
            raise PackError(
                f"Chromium took over {PRINT_TIMEOUT_S} s to print {page_file.name}; nothing was written"
            ) from late
    if not pdf_file.is_file() or not pdf_file.read_bytes().startswith(b"%PDF"):
        raise PackError(f"Chromium printed no PDF of {page_file.name}; nothing was written")


@dataclass
class Pack:
    """What :func:`export_pack` wrote."""

    folder: Path
    files: list[Path]


def check_folder(out: Path) -> Path:
    """``out`` if a pack may be written there: not inside the kit's data, in a folder that exists."""
    target = out.resolve()
    if target == data.data_dir().resolve() or data.data_dir().resolve() in target.parents:
        raise PackError(f"{out} is inside the kit's data folder; write the pack somewhere else")
    if target.exists() and not target.is_dir():
        raise PackError(f"{out} is a file, not a folder: choose another --out")
    if not target.parent.is_dir():
        raise PackError(f"the folder {out.parent} does not exist: create it first, or choose another --out")
    return out


def export_pack(
    scenario: str | Path,
    out: str | Path,
    *,
    rubric: str | Path = "cyber_9_12",
    pdf: bool = True,
    overwrite: bool = False,
) -> Pack:
    """Write the pack of ``scenario`` (a shipped name or a path) into the folder ``out``, all or none."""
    folder = check_folder(Path(out))
    loaded, scorecard = load_scenario(scenario), load_rubric(rubric)
    pages = pack_pages(loaded, scorecard, stage_notes.note_tables())
    pages["index"] = _index_page(loaded, list(pages), pdf)
    names = [f"{stem}.html" for stem in pages] + ([f"{stem}.pdf" for stem in pages if stem != "index"] if pdf else [])
    if pdf:
        _browser()  # refused before anything is written
    with writing.reraised_as(PackError):
        writing.check_targets([folder / name for name in names], overwrite=overwrite, overwrite_hint="pass --overwrite")
        with writing.all_or_nothing(folder) as staging:
            for stem, text in pages.items():
                (staging / f"{stem}.html").write_text(text, encoding="utf-8")
                if pdf and stem != "index":
                    print_pdf(staging / f"{stem}.html", staging / f"{stem}.pdf")
    return Pack(folder, [folder / name for name in names])


class PackExporter:
    """A scenario picker and an "Export pack" button: the pack lands in ``folder/<scenario>_pack``.

    >>> exporter = PackExporter(folder="exports")
    >>> exporter.widget  # doctest: +SKIP
    """

    def __init__(self, *, folder: str = "exports"):
        self.folder = Path(folder)
        self.scenario = widgets.Dropdown(options=shipped_scenarios(), description="Scenario")
        self.pdf = widgets.Checkbox(value=True, description="PDFs too (needs Chromium)")
        self.overwrite = widgets.Checkbox(value=False, description="Replace an earlier pack")
        self.button = widgets.Button(description="Export pack", button_style="primary")
        self.result = widgets.HTML()
        self.button.on_click(lambda _b: self.export())
        self.widget = widgets.VBox([self.scenario, self.pdf, self.overwrite, self.button, self.result])
        self.widget.add_class("briefing-pack-exporter")

    def export(self) -> Pack | None:
        """Write the chosen scenario's pack and list its files (or say in one line why not)."""
        self.result.value = "<p>Writing the pack ...</p>"
        try:
            self.folder.mkdir(exist_ok=True)
            pack = export_pack(
                self.scenario.value,
                self.folder / f"{self.scenario.value}_pack",
                pdf=self.pdf.value,
                overwrite=self.overwrite.value,
            )
        except (PackError, ScenarioError, OSError) as problem:
            self.result.value = f"<p class='briefing-empty'><b>Not written:</b> {render.escape(problem)}</p>"
            return None
        # Download links: in the app (Voila) there is no file browser to open the folder from.
        self.result.value = (
            "<p>Written. Open <code>index.html</code> first: it links every page of the pack.</p>"
            + render.download_table(pack.files, folder=Path(self.folder.name) / pack.folder.name)
        )
        return pack
