"""Widget apps (explorers, chart studio, importer) built on :mod:`briefing.charts` and :mod:`briefing.tidy`.

Every app is an :class:`~briefing.controls.base.Explorer` (one base, in ``base.py``): it builds its
widgets once, routes every change through one ``_update`` path, refills its live figures inside
``batch_update()``, and is shown with ``app.widget`` as a cell's last expression. One module per
app; every public name is re-exported here, so ``controls.TimelineExplorer`` is how callers reach it.
"""

from __future__ import annotations

from briefing.controls.base import Explorer, ExplorerBox, FirstView, live_figure, refill
from briefing.controls.forums import ForumExplorer
from briefing.controls.importer import ImportExplorer
from briefing.controls.incidents import IncidentsExplorer
from briefing.controls.norms import NormsExplorer
from briefing.controls.participation import ParticipationExplorer
from briefing.controls.positions import PositionsExplorer
from briefing.controls.recommendations import RecommendationsExplorer
from briefing.controls.studio import ChartStudio
from briefing.controls.timeline import TimelineExplorer

__all__ = [
    "ChartStudio",
    "Explorer",
    "ExplorerBox",
    "FirstView",
    "ForumExplorer",
    "ImportExplorer",
    "IncidentsExplorer",
    "NormsExplorer",
    "ParticipationExplorer",
    "PositionsExplorer",
    "RecommendationsExplorer",
    "TimelineExplorer",
    "live_figure",
    "refill",
]
