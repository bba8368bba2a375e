"""The statistics of the benchmarks: percentiles, and ratios taken as interleaved pairs.

A ratio against a floor measured minutes earlier is at the mercy of whatever else the machine did
in between. Here the floor and the measured figure run in turns, in the same few seconds, and each
round gives its own ratio; the figure is the median of those ratios, and their spread says how much
the machine moved under it. The order alternates (floor first, then measured first), so that a
machine slowly getting busier or quieter weighs on both sides alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank, no interpolation).

    >>> percentile([5, 1, 4, 2, 3], 0.5)
    3
    >>> percentile(list(range(1, 101)), 0.95)
    95
    """
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def seconds(action: Callable[[], object]) -> float:
    """How long one call of ``action`` takes, in seconds."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_time(action: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` timed calls of ``action``."""
    return statistics.median(seconds(action) for _ in range(repeat))


@dataclass(frozen=True)
class PairedRatio:
    """Measured / floor, round by round: the median ratio and how far the rounds spread."""

    ratio: float
    low: float
    high: float
    floor: float
    value: float
    pairs: int

    def spread_text(self) -> str:
        return f"{self.low:.2f}-{self.high:.2f} over {self.pairs} pairs"


def paired_ratio(floors: Sequence[float], values: Sequence[float]) -> PairedRatio:
    """The median of the pairwise ratios ``values[i] / floors[i]``, their min-max, and each side's median.

    >>> summary = paired_ratio([1.0, 2.0, 1.0], [1.1, 2.6, 1.2])
    >>> round(summary.ratio, 2), round(summary.low, 2), round(summary.high, 2), summary.pairs
    (1.2, 1.1, 1.3, 3)
    """
    if len(floors) != len(values) or not floors:
        raise ValueError(f"pairs need as many floors as values, and some: {len(floors)} and {len(values)}")
    ratios = [value / floor for floor, value in zip(floors, values)]
    return PairedRatio(
        ratio=statistics.median(ratios),
        low=min(ratios),
        high=max(ratios),
        floor=statistics.median(floors),
        value=statistics.median(values),
        pairs=len(ratios),
    )


def interleaved(floor: Callable[[], float], measured: dict[str, Callable[[], float]], rounds: int) -> dict:
    """Each ``measured`` figure beside its own run of ``floor``, ``rounds`` times; a :class:`PairedRatio` each.

    Each callable takes one measurement and returns it. A round goes through the figures in turn,
    so that every figure's pairs are spread over the whole run; even rounds run the floor first in
    each pair, odd rounds second, so that a change in the machine's load does not favour one side.
    """
    floors: dict[str, list[float]] = {name: [] for name in measured}
    values: dict[str, list[float]] = {name: [] for name in measured}
    for index in range(rounds):
        for name, action in measured.items():
            if index % 2 == 0:
                floors[name].append(floor())
                values[name].append(action())
            else:
                values[name].append(action())
                floors[name].append(floor())
    return {name: paired_ratio(floors[name], values[name]) for name in measured}


def interleaved_shared_floors(
    floor: Callable[[], float], measured: dict[str, Callable[[], float]], rounds: int
) -> dict[str, PairedRatio]:
    """As :func:`interleaved`, but one run of ``floor`` stands between two neighbouring figures and
    is the floor of both pairs: a round runs F a b F c d F e ..., the next a F b c F d e F ...

    Every figure still sits beside its own floor run, on the side that alternates from round to
    round (floor first in one, second in the next), and each pair is still taken within seconds;
    a round needs about half as many floor runs. For slow figures (a notebook from a clean kernel).
    """
    floors: dict[str, list[float]] = {name: [] for name in measured}
    values: dict[str, list[float]] = {name: [] for name in measured}
    for index in range(rounds):
        between: float | None = None  # the floor run just after the previous figure, if it had one
        for position, (name, action) in enumerate(measured.items()):
            if (position + index) % 2 == 0:  # floor first: the one just run, or a new one
                floors[name].append(floor() if between is None else between)
                values[name].append(action())
                between = None
            else:  # floor second: a new run, which the next figure shares
                values[name].append(action())
                between = floor()
                floors[name].append(between)
    return {name: paired_ratio(floors[name], values[name]) for name in measured}
