"""axe-core on a Playwright page: what WCAG 2.2 AA rules the page breaks, by impact.

Reusable by any browser test (Voila pages, JupyterLab, exported HTML, a static site)::

    from axe_check import axe_report

    report = axe_report(page, name="site-index")            # the whole page
    report = axe_report(page, include=".jp-OutputArea", name="lab-00")  # one part of it
    assert report.blocking == [], report.summary()

axe-core comes bundled inside the ``axe-playwright-python`` package (the test extra): nothing is
fetched at run time. Each report is printed (pytest shows it with ``-s`` or on failure) and written
to ``test-artifacts/axe-NAME.json``, every violation with the elements it was found on.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe's tags), plus axe's best practices (reported, and
# held to the same bar: a serious best-practice finding is a finding).
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = ("serious", "critical")
IMPACTS = ("critical", "serious", "moderate", "minor")


@dataclass
class AxeReport:
    """axe's violations on one page (or part of one)."""

    name: str
    violations: list[dict] = field(default_factory=list)

    @property
    def blocking(self) -> list[dict]:
        """The serious and critical violations: each one fails a test."""
        return [v for v in self.violations if v.get("impact") in BLOCKING]

    def counts(self) -> dict[str, int]:
        """Violated rules by impact (a rule counts once however many elements break it)."""
        found = Counter(v.get("impact") or "unknown" for v in self.violations)
        return {impact: found.get(impact, 0) for impact in IMPACTS}

    def summary(self) -> str:
        lines = [f"axe on {self.name}: " + ", ".join(f"{n} {impact}" for impact, n in self.counts().items())]
        for violation in self.violations:
            targets = [" ".join(map(str, node.get("target", []))) for node in violation.get("nodes", [])]
            lines.append(
                f"  [{violation.get('impact')}] {violation['id']}: {violation.get('help')} "
                f"({len(targets)} element(s), e.g. {targets[:3]})"
            )
        return "\n".join(lines)


def axe_report(page, include: str | list[str] | None = None, *, name: str = "page", exclude=None) -> AxeReport:
    """Run axe-core (WCAG 2.2 AA rules and best practices) on ``page``, or only on the elements
    matching ``include`` (a CSS selector or several); ``exclude`` leaves selectors out.

    Prints the summary and writes the full list to ``test-artifacts/axe-<name>.json``.
    """
    from axe_playwright_python.sync_playwright import Axe

    context = None
    if include is not None or exclude is not None:
        selectors = [include] if isinstance(include, str) else include
        context = {}
        if selectors:
            context["include"] = [[selector] for selector in selectors]
        if exclude:
            context["exclude"] = [[selector] for selector in ([exclude] if isinstance(exclude, str) else exclude)]
    options = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    report = AxeReport(name, list(results.response.get("violations", [])))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(report.violations, indent=1), encoding="utf-8")
    print(report.summary())
    return report
