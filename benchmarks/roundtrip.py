"""Browser round trips: from a reader's input to the chart repainted, or to the details shown.

Each explorer is opened in Voila (the app's settings, see ``voila_pages``) in chromium. A filter
change is a real ``select`` change (Playwright's select_option); its time runs from the input's
``change`` event to the last ``plotly_afterplot`` of the explorer's charts that the change redrew
(an explorer with three charts has repainted when its last changed chart has). A click is a real
press on a drawn mark; its time runs from the ``mousedown`` to the details panel's content changing
(a MutationObserver). Both ends are the page's own clock.

A change is over when every chart holds what that choice leads to (a hash of each chart's data and
layout, learnt the first time the choice is made, with a long quiet of ``LEARN_QUIET_MS`` then) and
every chart it changed has repainted: a chart whose update arrives late is waited for, not missed.
A change that does not get there within ``TIMEOUT_MS`` is an error, not a time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import report
from benchmarks.stats import percentile
from benchmarks.voila_pages import REPO, chromium, leave, page_url, voila_app, write_notebook

SCRIPT = (Path(__file__).parent / "roundtrip.js").read_text(encoding="utf-8")
FILTERS, CLICKS = 50, 20
QUIET_MS, LEARN_QUIET_MS, TIMEOUT_MS = 50, 1_500, 15_000
PROFILE = bool(os.environ.get("BENCH_PROFILE"))  # BENCH_PROFILE=1: print each change's end
CLICK_QUIET_MS, CLICK_TIMEOUT_MS = 200, 5_000  # a click's time is the panel's first change: the quiet only ends it
CURATED_LIMIT_MS, AT_SCALE_LIMIT_MS = 100, 300
AT_SCALE = 100_000
AT_SCALE_CODE = (
    "import sys\n"
    f"sys.path.insert(0, {str(REPO)!r})\n"
    "from benchmarks.synthetic import imported_incident_tables\n"
    "from briefing import controls, data\n"
    f"explorer = controls.IncidentsExplorer(imported_incident_tables({AT_SCALE}), as_of=data.as_of())\n"
    "explorer.widget"
)


@dataclass(frozen=True)
class Case:
    """One explorer on one page: which filter to change and which charts to click."""

    label: str
    notebook: str
    selector: str
    control: str  # CSS, inside the explorer: the filter that is changed
    clicked: tuple[tuple[int, object], ...]  # (figure, traces: None for all, "last", or indexes)
    charts: int  # how many charts the explorer draws: all are waited for before the timers go in
    nth: int = 0
    limit_ms: float = CURATED_LIMIT_MS


CASES = (
    Case(
        "timeline explorer", "00_start_here.ipynb", ".briefing-timeline-explorer", "select[multiple]", ((0, None),), 1
    ),
    Case(
        "positions explorer",
        "04_international_law.ipynb",
        ".briefing-positions-explorer",
        "select:not([multiple])",
        ((0, None),),
        3,
    ),
    Case(
        "incidents explorer",
        "04_international_law.ipynb",
        ".briefing-incidents-explorer",
        "select[multiple]",
        ((0, None), (1, None), (2, None)),
        3,
    ),
    Case(
        "participation explorer",
        "02_forums.ipynb",
        ".briefing-participation-explorer",
        "select:not([multiple])",
        ((0, "last"),),
        2,
    ),
)
AT_SCALE_CASE = Case(
    f"incidents explorer, {AT_SCALE:,} imported",
    "at_scale.ipynb",
    ".briefing-incidents-explorer",
    "select[multiple]",
    ((0, None), (1, None), (2, None)),
    3,
    limit_ms=AT_SCALE_LIMIT_MS,
)


def _open(page, case: Case) -> None:
    """Wait until every chart of the explorer is drawn and has stopped repainting; install the timers.

    Every chart: the timers watch the charts found when they go in, so a chart drawn after them
    (its view a moment later than the others', on a busy machine) had no timer, and a check that
    looked for one threw (seen in positions' round trips: 3 charts, 2 drawn when the timers went in).
    """
    page.wait_for_function(
        "([selector, nth, count]) => { const root = document.querySelectorAll(selector)[nth];"
        " const charts = root ? root.querySelectorAll('.js-plotly-plot') : [];"
        " return charts.length === count && Array.from(charts).every((gd) => gd._fullLayout && gd.querySelector('.main-svg')); }",
        arg=[case.selector, case.nth, case.charts],
        timeout=300_000,
    )
    page.evaluate(SCRIPT)
    watched = page.evaluate("(args) => briefingBench.watch(args)", [case.selector, case.nth])
    if watched != case.charts:
        raise RuntimeError(f"{case.label}: {watched} charts when the timers went in, expected {case.charts}")
    page.evaluate("(args) => briefingBench.settle(args)", ["paints", 1000, 3000])


def _settle(page, kind: str, quiet_ms: int = LEARN_QUIET_MS, timeout_ms: int = TIMEOUT_MS) -> dict:
    return page.evaluate("(args) => briefingBench.settle(args)", [kind, quiet_ms, timeout_ms])


def filter_sequence(options: list[str], default, *, multiple: bool, count: int) -> list:
    """``count`` values to set in turn: each option once, alternating with the first view (nothing
    chosen, or the dropdown's first value), so that every change changes what the charts show.

    >>> filter_sequence(["a", "b", "c"], "a", multiple=False, count=5)
    ['b', 'a', 'c', 'a', 'b']
    >>> filter_sequence(["x", "y"], [], multiple=True, count=4)
    [['x'], [], ['y'], []]
    """
    choices = [[value] if multiple else value for value in options if value != default]
    return [choices[(index // 2) % len(choices)] if index % 2 == 0 else default for index in range(count)]


def _filter_values(control) -> tuple[list, object]:
    multiple = control.get_attribute("multiple") is not None
    options = control.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
    default = [] if multiple else control.input_value()
    return filter_sequence(options, default, multiple=multiple, count=FILTERS), default


def _filter_changes(page, case: Case) -> tuple[list[float], int, int]:
    """Filter change times (ms), the changes that never reached their charts' state (errors), and
    those after which every chart held what it held before (nothing to time)."""
    control = page.locator(case.selector).nth(case.nth).locator(case.control).first
    values, default = _filter_values(control)
    states = "() => briefingBench.states()"
    # What the charts hold after each choice, learnt on its first time (the first view's too: a
    # refill may write layout keys the first drawing left unset).
    targets: dict[str, list[str]] = {}
    # Once there and back first, untimed: the first refill writes layout keys the first drawing
    # left to plotly, so a choice's state reached from the first view is not the one reached later.
    for value in (values[0], default):
        _select_and_settle(page, control, value)
    times, missed, unchanged = [], 0, 0
    for value in values:
        before = page.evaluate(states)
        page.evaluate("() => briefingBench.clear()")
        control.select_option(value)
        target = targets.get(repr(value))
        quiet = QUIET_MS if target else LEARN_QUIET_MS
        taken = page.evaluate("(args) => briefingBench.reach(args)", [before, target, quiet, TIMEOUT_MS])
        if PROFILE:
            print(
                "   ",
                case.label,
                value,
                {key: taken[key] for key in ("timedOut", "changed", "last")},
                taken["inputs"][:1],
                "learnt" if target is None else "",
                flush=True,
            )
        if taken.get("error"):
            print(f"   {case.label} {value!r}: the page's timer failed: {taken['error'][:400]}", flush=True)
        # A timed-out change is an error; what the charts then hold is the choice's state from now
        # on (a learnt state is wrong if a chart repainted later than the long quiet allowed).
        targets[repr(value)] = taken["states"]
        if not taken["changed"]:
            # The charts show the same for this choice: the kernel sends nothing to time. (Learning
            # a choice ends on a quiet page, not a timeout: it was timed as 0 minus the input's time.)
            unchanged += 1
            continue
        if taken["timedOut"] or not taken["inputs"] or taken["last"] < taken["inputs"][0]:
            missed += 1
            continue
        times.append(taken["last"] - taken["inputs"][0])
    if values[-1] != default:
        _select_and_settle(page, control, value=default)
    return times, missed, unchanged


def _select_and_settle(page, control, value) -> None:
    """Choose ``value`` and wait until its charts have repainted and the page is quiet. The paints
    are cleared first: a settle that counted the previous choice's paints ended before this one's
    (the next change then started from the wrong charts and was timed as 0 minus its input's time)."""
    page.evaluate("() => briefingBench.clear()")
    control.select_option(value)
    _settle(page, "paints")


def _click_targets(page, case: Case) -> list[dict]:
    """``CLICKS`` marks, spread over each clicked chart's marks, chart after chart (two bars of one
    chart hold different records; the first bar of the next chart may repeat what is shown)."""
    per_figure = []
    for figure, traces in case.clicked:
        if traces == "last":
            traces = [
                page.evaluate(f"() => briefingBench.root.querySelectorAll('.js-plotly-plot')[{figure}].data.length - 1")
            ]
        found = page.evaluate("(args) => briefingBench.targets(args)", [figure, traces])
        want = -(-CLICKS // len(case.clicked))
        if len(found) > want:
            found = [found[round(i * (len(found) - 1) / (want - 1))] for i in range(want)]
        per_figure.append(found)
    merged = [target for found in per_figure for target in found]
    while merged and len(merged) < CLICKS:
        merged += merged[: CLICKS - len(merged)]
    return merged[:CLICKS]


def _clicks(page, case: Case) -> tuple[list[float], int, int]:
    """Click times (ms), clicks without an answer, and clicks on the record already shown (the
    kernel sends nothing when the panel's content does not change: nothing to time)."""
    times, missed, same = [], 0, 0
    shown = "() => briefingBench.root.querySelector('.briefing-details').innerHTML"
    for target in _click_targets(page, case):
        where = page.evaluate("(target) => briefingBench.locate(target)", target)
        page.evaluate("() => briefingBench.clear()")
        before = page.evaluate(shown)
        page.mouse.click(where["x"], where["y"])
        taken = _settle(page, "details", CLICK_QUIET_MS, CLICK_TIMEOUT_MS)
        if taken["timedOut"] or not taken["inputs"]:
            if page.evaluate(shown) == before and taken["inputs"]:
                same += 1
            else:
                missed += 1
            continue
        times.append(min(taken["details"]) - taken["inputs"][0])
    return times, missed, same


def _report(
    case: Case, what: str, times: list[float], missed: int, expected: int, timeout_ms: int, same: int = 0
) -> None:
    if not times:
        note = f"no answer within {timeout_ms / 1000:g} s, {missed} errors"
        report(f"{case.label} in the browser: {what}, p95", float("nan"), None, "", False, "ms", note=note)
        return
    p95, p50 = percentile(times, 0.95), percentile(times, 0.5)
    note = f"p50 {p50:.0f} ms, {len(times)} of {expected}"
    note += f", {missed} errors (no answer within {timeout_ms / 1000:g} s)" if missed else ""
    nothing = "on the record already shown" if what.startswith("click") else "leaving every chart as it was"
    note += f", {same} {nothing} (nothing to time)" if same else ""
    passed = p95 <= case.limit_ms and not missed
    report(f"{case.label} in the browser: {what}, p95", p95, None, f"<= {case.limit_ms:g} ms", passed, "ms", note=note)


def _measure(browser, server, cases: tuple[Case, ...]) -> None:
    for notebook in dict.fromkeys(case.notebook for case in cases):
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(300_000)
        page.goto(page_url(server, notebook), timeout=300_000)
        for case in (case for case in cases if case.notebook == notebook):
            _open(page, case)
            times, missed, unchanged = _filter_changes(page, case)
            _report(case, "filter change to chart repainted", times, missed, FILTERS, TIMEOUT_MS, unchanged)
            times, missed, same = _clicks(page, case)
            _report(case, "click to details shown", times, missed, CLICKS, CLICK_TIMEOUT_MS, same)
        leave(page, server.process.pid)


def _serve_and_measure(cases: tuple[Case, ...], *, at_scale: bool, log_name: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for notebook in {case.notebook for case in cases} - {"at_scale.ipynb"}:
            shutil.copy(REPO / "notebooks" / notebook, folder / notebook)
        if at_scale:
            write_notebook(folder / "at_scale.ipynb", AT_SCALE_CODE)
        with voila_app(folder, log_name=log_name) as server, chromium() as browser:
            _measure(browser, server, cases)


def bench_roundtrip() -> None:
    """The timeline, positions, incidents and participation explorers on the curated data."""
    _serve_and_measure(CASES, at_scale=False, log_name="voila-roundtrip")


def bench_roundtrip_at_scale() -> None:
    """The incidents explorer holding the curated incidents and 100,000 imported ones."""
    _serve_and_measure((AT_SCALE_CASE,), at_scale=True, log_name="voila-roundtrip-at-scale")
