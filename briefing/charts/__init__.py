"""One function per chart: a tidy DataFrame in, a ``go.Figure`` out.

No function here shows a figure or touches a file; every figure uses the kit's template and
carries a source line. One module per subject (:mod:`~briefing.charts.timelines`,
:mod:`~briefing.charts.forums`, :mod:`~briefing.charts.incidents`, :mod:`~briefing.charts.norms`,
:mod:`~briefing.charts.participation`, :mod:`~briefing.charts.recommendations`, the positions on
international law in :mod:`~briefing.charts.positions` and :mod:`~briefing.charts.position_dates`, the
incident-to-norm claims in :mod:`~briefing.charts.law`, the camps in :mod:`~briefing.charts.camps`) and
the pieces they share in :mod:`~briefing.charts.common`, :mod:`~briefing.charts.categories` and
:mod:`~briefing.charts.map_layers`; every public name is re-exported here, so
``charts.timeline(...)`` is how callers reach a chart.
"""

from __future__ import annotations

from briefing.charts.camps import attributions_directions, un_votes_over_time
from briefing.charts.common import (
    _DATE_FORMAT as _DATE_FORMAT,
)
from briefing.charts.common import (
    _PRECISION_SPAN as _PRECISION_SPAN,
)
from briefing.charts.common import (
    EMPTY_MESSAGE,
    EMPTY_STATE_NAME,
    empty_annotation,
    format_date,
    source_line_for,
)
from briefing.charts.common import (
    _count_axis as _count_axis,
)
from briefing.charts.common import (
    _finish as _finish,
)
from briefing.charts.common import (
    _in_declared_order as _in_declared_order,
)
from briefing.charts.common import (
    _rgba as _rgba,
)
from briefing.charts.common import (
    _show_empty as _show_empty,
)
from briefing.charts.common import (
    _text_rows as _text_rows,
)
from briefing.charts.common import (
    _two_lines as _two_lines,
)
from briefing.charts.common import (
    _year_axis as _year_axis,
)
from briefing.charts.forums import forum_landscape, forum_positions, landscape_rows, positions_rows
from briefing.charts.incidents import incidents_by_category, incidents_by_year
from briefing.charts.law import incident_norm_links
from briefing.charts.norms import norms_matrix
from briefing.charts.participation import participation_map, participation_overlap, participation_rows
from briefing.charts.position_dates import positions_timeline
from briefing.charts.positions import positions_grid, positions_map
from briefing.charts.recommendations import recommendations_flow
from briefing.charts.timelines import month_count_values, month_index, timeline, timeline_trace_values

__all__ = [
    "EMPTY_MESSAGE",
    "EMPTY_STATE_NAME",
    "attributions_directions",
    "empty_annotation",
    "format_date",
    "forum_landscape",
    "forum_positions",
    "incident_norm_links",
    "incidents_by_category",
    "incidents_by_year",
    "landscape_rows",
    "month_count_values",
    "month_index",
    "norms_matrix",
    "participation_map",
    "participation_overlap",
    "participation_rows",
    "positions_grid",
    "positions_map",
    "positions_rows",
    "positions_timeline",
    "recommendations_flow",
    "source_line_for",
    "timeline",
    "timeline_trace_values",
    "un_votes_over_time",
]
