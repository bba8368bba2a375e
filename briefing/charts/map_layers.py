"""The layers the world maps share: a group of countries as one filled shape, and the whole world
drawn under the shaded countries. The participation and positions maps both draw with them.
"""

from __future__ import annotations

import plotly.graph_objects as go


def world_layout() -> dict:
    """The world's frame as plain layout properties: no axes, the inhabited latitudes, one degree of
    longitude drawn as wide as 1.2 of latitude, hover on the nearest mark."""
    return {
        "xaxis": {"visible": False, "range": [-170, 190], "fixedrange": False},
        "yaxis": {"visible": False, "range": [-58, 84], "scaleanchor": "x", "scaleratio": 1.2},
        "plot_bgcolor": "white",
        "margin": {"l": 10, "r": 10},
        "hovermode": "closest",
    }


def country_layer(codes, *, colour: str, name: str, showlegend: bool = True, validate: bool = True) -> go.Scatter:
    """The countries ``codes`` (ISO3) as one filled shape in ``colour``; its ``meta`` names them."""
    from briefing import geo

    xs, ys = geo.outline_xy(codes)
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        fill="toself",
        fillcolor=colour,
        name=name,
        line=dict(color="white", width=0.5),
        hoverinfo="skip",
        showlegend=showlegend,
        meta={"layer": name, "countries": list(codes)},
        _validate=validate,  # False for a figure checked as a whole (see charts.common._checked)
    )


def world_under(codes: list[str], *, name: str, colour: str) -> go.Scatter:
    """The whole world in ``colour``, drawn under the shaded countries; its ``meta`` names the
    countries not shaded. Its outline is then the same whatever is shaded, so an explorer's refill
    never sends its 10,000 points again (they were most of every change's message)."""
    from briefing import geo

    world = country_layer(sorted(geo.country_codes()), colour=colour, name=name, showlegend=False, validate=False)
    world.meta = {"layer": name, "countries": sorted(geo.country_codes() - set(codes))}
    return world
