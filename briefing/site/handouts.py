"""Handouts: each walk-through page of the static site printed to PDF by chromium.

A page opened with ``?print`` draws each chart at the printable width and swaps it for an SVG image
of itself (``assets/site.js``); the print stylesheet (``assets/site.css``, ``@media print``) leaves
out the site's navigation, the reveals and the data tables, keeps each chart's source line (it is
part of the chart) and the citation, and keeps charts, questions and stage cards whole across pages.

Run it with ``python -m briefing.site.handouts --site build/site --out build/handouts``
(``make handouts``, after ``make site``). Chromium is Debian's (``/usr/bin/chromium``), driven by
Playwright; nothing is downloaded.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from briefing.site.build import REPO

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
#: The pages that become handouts: the walk-through (01-07) and the tabletop exercise's cards (08).
HANDOUT_PAGES = (
    "01_why_cyber_norms",
    "02_forums",
    "03_norms_compared",
    "04_international_law",
    "05_timeline",
    "06_stakeholders_and_recommendations",
    "07_whats_next",
    "08_tabletop_exercise",
)


def _only_files(route) -> None:
    # A handout is printed from disk: nothing may come from another host.
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


def print_handouts(site: Path, out: Path, names: tuple[str, ...] = HANDOUT_PAGES) -> list[Path]:
    """Print ``site/<name>.html`` for each name to ``out/<name>.pdf``; the PDFs written, in order."""
    from playwright.sync_api import sync_playwright

    missing = [name for name in names if not (site / f"{name}.html").is_file()]
    if missing:
        raise FileNotFoundError(f"no page {', '.join(missing)} in {site}: run `make site` first")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 794, "height": 1123})
            page.route("**/*", _only_files)
            for name in names:
                page.goto((site / f"{name}.html").resolve().as_uri() + "?print")
                page.wait_for_function("document.documentElement.dataset.briefingReady !== undefined", timeout=120_000)
                if page.evaluate("document.documentElement.dataset.briefingReady") != "yes":
                    raise RuntimeError(f"{name}: a chart failed to draw; open the page in a browser to see which")
                page.emulate_media(media="print")
                target = out / f"{name}.pdf"
                page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
                written.append(target)
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print the static site's walk-through pages to PDF.")
    parser.add_argument("--site", type=Path, default=REPO / "build" / "site", help="the built site (make site)")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "handouts", help="where the PDFs go")
    args = parser.parse_args(argv)
    written = print_handouts(args.site, args.out)
    print(f"{len(written)} handouts in {args.out}")


if __name__ == "__main__":
    main()
