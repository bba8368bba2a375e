"""The rows a run collects, the line printed for each, and the README's table of them."""

from __future__ import annotations

from benchmarks.stats import PairedRatio

rows: list[dict] = []


def report(
    name: str,
    value: float,
    floor: float | None,
    target: str,
    passed: bool,
    unit: str = "s",
    *,
    ratio: float | None = None,
    spread: str | None = None,
    note: str | None = None,
) -> None:
    """Record one figure and print its line. ``ratio`` defaults to value / floor; ``spread`` says how
    far the pairwise ratios ranged; ``note`` adds what the value alone does not say (e.g. the p50)."""
    if ratio is None and floor:
        ratio = value / floor
    row = {
        "figure": name,
        "value": value,
        "floor": floor,
        "ratio": ratio,
        "unit": unit,
        "target": target,
        "passed": passed,
    }
    row.update({key: text for key, text in (("spread", spread), ("note", note)) if text})
    rows.append(row)
    floor_text = f"{floor:10.4f}" if floor is not None else " " * 10
    ratio_text = f"{ratio:7.2f}x" if ratio is not None else " " * 8
    extra = "".join(f"  ({text})" for text in (note, spread) if text)
    print(
        f"{name:58s} {value:10.4f} {unit:3s} floor {floor_text} {ratio_text}  target {target:22s} "
        f"{'PASS' if passed else 'MISS'}{extra}",
        flush=True,
    )


def report_ratio(name: str, summary: PairedRatio, limit: float | None, unit: str = "s") -> None:
    """A figure taken as interleaved pairs: the median of the pairwise ratios against ``limit``
    (None: reported, no target)."""
    report(
        name,
        summary.value,
        summary.floor,
        f"ratio <= {limit:g}" if limit is not None else "reported, no target",
        limit is None or summary.ratio <= limit,
        unit,
        ratio=summary.ratio,
        spread=summary.spread_text(),
    )


def _number(value: float) -> str:
    return f"{value:.3g}"


def readme_table(result: dict, *, lead: str = "The latest run") -> str:
    """The Speed section's table (and its lead-in) for one run, or one section of it."""
    date = f" {result['date']}," if result.get("date") else ""
    lines = [
        f"{lead},{date} on a {result['cores']}-core {result['machine']} machine ({result['seconds']:.0f} s in all):",
        "",
        "| figure | measured | floor | ratio | target | |",
        "|---|---|---|---|---|---|",
    ]
    for row in result["figures"]:
        measured = f"{_number(row['value'])} {row['unit']}" + (f" ({row['note']})" if row.get("note") else "")
        floor = f"{_number(row['floor'])} {row['unit']}" if row["floor"] is not None else ""
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else ""
        if row.get("spread"):
            ratio += f" ({row['spread']})"
        verdict = "met" if row["passed"] else "**missed**"
        lines.append(f"| {row['figure']} | {measured} | {floor} | {ratio} | {row['target']} | {verdict} |")
    return "\n".join(lines)
