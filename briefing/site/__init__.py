"""The offline editions: a static website built from the notebooks, and printable handouts.

``make site`` runs :func:`briefing.site.build.build_site`: each notebook is executed once, in a
kernel where :func:`briefing.site.static.static_display` has given every widget a static reading
(an explorer becomes its charts plus the rows behind them, a quiz reveals its answers in the page,
a tabletop exercise becomes its briefing and stage cards); nbconvert then writes each page with
the kit's own template (``share/jupyter/nbconvert/templates/briefing-site``). plotly.js ships once,
as a local file, so the site works from ``file://`` and asks nothing of another host.
``make handouts`` prints the walk-through pages to PDF with chromium (:mod:`briefing.site.handouts`).

Modules: ``static`` (what a widget becomes in a page, run in the kernel), ``build`` (notebooks to
pages, the start page and the glossary), ``handouts`` (pages to PDF).
"""

from __future__ import annotations

__all__ = ["build", "handouts", "static"]
