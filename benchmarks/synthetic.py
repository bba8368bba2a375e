"""Synthetic incidents for the figures at scale: real incidents resampled, with their links.

The shapes come from the CFR tracker's export when a copy sits in ../shared/external-data, else
from the kit's curated incidents. Each synthetic incident copies one real incident (type, actor,
summary, sectors, targets, attributions) with its date moved by up to 400 days.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "external-data"
LINK_TABLES = ("incident_sectors", "incident_targets", "attributions")


@lru_cache(maxsize=1)
def _incident_shapes() -> pd.DataFrame:
    from briefing import data, importers

    if (SHARED / "cyber-operations-incidents.csv").exists():
        return importers.read_cfr_tracker(SHARED / "cyber-operations-incidents.csv").frame
    return data.load("incidents")


def _resampled(count: int, shape: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """``count`` rows of ``shape`` drawn with replacement (fixed seed), renamed and re-dated; and
    the incident each copies."""
    rng = np.random.default_rng(7)
    picked = shape.iloc[rng.integers(0, len(shape), count)].reset_index(drop=True)
    copied = picked["incident_id"].to_numpy()
    shift = pd.to_timedelta(rng.integers(-400, 400, count), unit="D")
    picked["start_date"] = (picked["start_date"] + shift).clip(upper=pd.Timestamp("2026-11-01"))
    picked["incident_id"] = [f"synthetic_{i}" for i in range(count)]
    return picked, copied


def synthetic_incidents(count: int) -> pd.DataFrame:
    """``count`` incidents resampled from the real export shapes (CFR tracker), else from the curated list."""
    return _resampled(count, _incident_shapes())[0]


def imported_incident_tables(count: int) -> dict[str, pd.DataFrame]:
    """The tables of an incidents explorer holding the curated incidents and ``count`` imported ones.

    The imported incidents are the curated ones resampled (their sectors, targets and attributions
    copied with them), marked ``provenance="imported"`` so the charts draw them hatched.
    """
    from briefing import data
    from briefing.controls.incidents import IncidentsExplorer

    tables = {name: data.load(name) for name in IncidentsExplorer.TABLES}
    curated = tables["incidents"]
    imported, copied = _resampled(count, curated)
    tables["incidents"] = pd.concat(
        [curated.assign(provenance="curated"), imported.assign(provenance="imported")], ignore_index=True
    )
    copies = pd.DataFrame({"incident_id": imported["incident_id"], "copied": copied})
    for name in LINK_TABLES:
        links = tables[name]
        extra = copies.merge(links.rename(columns={"incident_id": "copied"}), on="copied").drop(columns="copied")
        if "attribution_id" in extra:
            extra["attribution_id"] = extra["attribution_id"] + "_" + extra["incident_id"]
        tables[name] = pd.concat([links, extra[links.columns]], ignore_index=True)
    return tables
