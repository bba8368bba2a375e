"""Country shapes for maps, shipped with the kit so maps draw offline.

The shapes are Natural Earth's 1:50m Admin-0 countries (public domain) via the world-atlas package
(ISC licence), keyed by ISO 3166-1 alpha-3 code; ``scripts/build_world_geometry.py`` made the file.
Plotly would otherwise fetch its base map from the web, so the maps use these shapes and hide
plotly's own base layers.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

GEOMETRY_CREDIT = "Boundaries: Natural Earth"


@lru_cache(maxsize=1)
def world_countries() -> dict:
    """The GeoJSON FeatureCollection of countries; each feature's ``id`` is its ISO3 code."""
    text = resources.files("briefing").joinpath("assets/world_countries.geojson").read_text(encoding="utf-8")
    return json.loads(text)


def country_codes() -> set[str]:
    """ISO3 codes that have a shape on the map."""
    return {feature["id"] for feature in world_countries()["features"]}


@lru_cache(maxsize=1)
def _outlines() -> dict[str, tuple[list, list, tuple[float, float]]]:
    """Per country: its rings as x (longitude) and y (latitude) lists split by None, and a label point."""
    outlines = {}
    for feature in world_countries()["features"]:
        xs: list = []
        ys: list = []
        largest: list = []
        for polygon in feature["geometry"]["coordinates"]:
            outer = polygon[0]
            largest = outer if len(outer) > len(largest) else largest
            for ring in polygon:
                xs.extend(point[0] for point in ring)
                ys.extend(point[1] for point in ring)
                xs.append(None)
                ys.append(None)
        label = (sum(p[0] for p in largest) / len(largest), sum(p[1] for p in largest) / len(largest))
        outlines[feature["id"]] = (xs, ys, label)
    return outlines


def outline_xy(codes) -> tuple[list, list]:
    """The outlines of ``codes`` joined into one x list and one y list, ready for a filled trace.

    Maps are drawn as filled shapes on plain axes (longitude, latitude): unlike plotly's geo maps,
    this needs no base map from the web.
    """
    outlines = _outlines()
    xs: list = []
    ys: list = []
    for code in codes:
        if code in outlines:
            xs.extend(outlines[code][0])
            ys.extend(outlines[code][1])
    return xs, ys


def label_point(code: str) -> tuple[float, float] | None:
    """A point inside (or near the middle of) the country's largest shape, for hover and click."""
    outline = _outlines().get(code)
    return outline[2] if outline else None
