"""Country shapes for maps, shipped with the kit so maps draw offline.

The shapes are Natural Earth's 1:50m Admin-0 countries (public domain) via the world-atlas package
(ISC licence), keyed by ISO 3166-1 alpha-3 code; ``scripts/build_world_geometry.py`` made the file.
Plotly would otherwise fetch its base map from the web, so the maps use these shapes and hide
plotly's own base layers.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

import numpy as np

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
def _outlines() -> dict[str, tuple[np.ndarray, np.ndarray, tuple[float, float]]]:
    """Per country: its rings as x (longitude) and y (latitude) arrays split by NaN, and a label point.

    Arrays, not lists: plotly checks a list element by element (about 15 ms for the world's
    11,000 points) and takes an array as it is, and a map explorer redraws on every filter change.
    """
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
                xs.append(math.nan)
                ys.append(math.nan)
        label = (sum(p[0] for p in largest) / len(largest), sum(p[1] for p in largest) / len(largest))
        outlines[feature["id"]] = (np.array(xs, dtype=float), np.array(ys, dtype=float), label)
    return outlines


def outline_xy(codes) -> tuple[np.ndarray, np.ndarray]:
    """The outlines of ``codes`` joined into one x array and one y array (rings split by NaN).

    Maps are drawn as filled shapes on plain axes (longitude, latitude): unlike plotly's geo maps,
    this needs no base map from the web.
    """
    outlines = _outlines()
    shapes = [outlines[code] for code in codes if code in outlines]
    if not shapes:
        return np.array([], dtype=float), np.array([], dtype=float)
    return np.concatenate([shape[0] for shape in shapes]), np.concatenate([shape[1] for shape in shapes])


def label_point(code: str) -> tuple[float, float] | None:
    """A point inside (or near the middle of) the country's largest shape, for hover and click."""
    outline = _outlines().get(code)
    return outline[2] if outline else None
