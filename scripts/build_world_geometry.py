"""Build briefing/assets/world_countries.geojson from Natural Earth via the world-atlas package.

Run once when the geometry should change; the kit itself never downloads anything:
    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world_geometry.py package/countries-110m.json package/countries-50m.json

Natural Earth data is in the public domain; world-atlas (ISC licence) converts it to TopoJSON.
Features are keyed by ISO 3166-1 alpha-3 code (from the ISO numeric ids, via pycountry), coordinates
rounded to 0.1 degrees and rings of fewer than four distinct points and a country's tiniest islands dropped, to keep the file small
enough to embed in a notebook figure.
"""

import itertools
import json
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "briefing" / "assets" / "world_countries.geojson"
STEP = 0.1


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    # A ring that crosses the antimeridian (Russia's far east, Fiji) would streak across the whole
    # map on plain axes: move its western part past 180 degrees instead.
    if any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(points)):
        points = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    rounded = []
    for lon, lat in points:
        point = [round(round(lon / STEP) * STEP, 2), round(round(lat / STEP) * STEP, 2)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded if len({tuple(p) for p in rounded}) >= 4 else None


def features_of(path):
    topology = json.loads(Path(path).read_text())
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=geometry.get("id") or "")
        if country is None:
            continue  # disputed areas without an ISO code
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes = []
        for polygon in polygons:
            rings = [ring(arcs, r) for r in polygon]
            if rings[0]:
                shapes.append([r for r in rings if r])
        if len(shapes) > 1:
            # Keep a country's main polygon always, its small islands only when they still have a shape.
            largest = max(shapes, key=lambda polygon: len(polygon[0]))
            shapes = [p for p in shapes if p is largest or len(p[0]) >= 8]
        if shapes:
            features.append(
                {
                    "type": "Feature",
                    "id": country.alpha_3,
                    "properties": {"name": country.name},
                    "geometry": {"type": "MultiPolygon", "coordinates": shapes},
                }
            )
    return features


def main(coarse_path, fine_path):
    # The 1:110m shapes keep the file small; states too small for that scale come from 1:50m.
    features = features_of(coarse_path)
    present = {feature["id"] for feature in features}
    features += [feature for feature in features_of(fine_path) if feature["id"] not in present]
    collection = {
        "type": "FeatureCollection",
        "features": features,
        "source": "Natural Earth 1:110m and 1:50m Admin 0 (public domain), via world-atlas 2.0.2 (ISC)",
    }
    OUT.write_text(json.dumps(collection, separators=(",", ":")))
    print(f"{len(features)} countries, {OUT.stat().st_size // 1024} KiB -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
