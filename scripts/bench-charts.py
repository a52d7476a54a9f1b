#!/usr/bin/env python3
"""One SVG bar chart per benchmark family from bench's results.json: each benchmark's ratio
against its baseline, its target as a line, met in green and missed in red. Standard library
only. Usage: scripts/bench-charts.py target/bench/results.json OUT_DIR"""

import html
import json
import re
import sys
from pathlib import Path

FAMILIES = {
    "P1": "promote vs a plain copy (x the copy's time, lower is better)",
    "P2": "quality gate vs a plain scan (x the scan's time, lower is better)",
    "P3": "after compaction vs before (x faster, higher is better)",
    "P4": "files planned after z-order (% of binpack's files, lower is better)",
    "P5": "backfill vs INSERT OVERWRITE (x faster, higher is better)",
    "P6": "tier at concurrency 16, 64, 128 vs 1, 50 ms per S3 request (x faster, higher is better)",
    "E1": "erase vs rewriting the days it touches (x the rewrite's time, lower is better)",
}


def target_value(target: str) -> float | None:
    number = re.search(r"[\d.]+", target or "")
    return float(number.group()) if number else None


def family(benchmark_id: str) -> str:
    return benchmark_id.split("-")[0]


def chart(title: str, rows: list[dict]) -> str:
    width, bar_h, gap, left, right, top = 720, 26, 12, 150, 90, 40
    height = top + len(rows) * (bar_h + gap) + 20
    percent = all("%" in r["target"] for r in rows)
    values = [r["ratio"] * (100 if percent else 1) for r in rows]
    targets = [target_value(r["target"]) for r in rows]
    scale_max = max(values + [t for t in targets if t] + [1e-9]) * 1.1
    x = lambda v: left + (width - left - right) * v / scale_max
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="13">',
             f'<text x="10" y="22" font-size="15" font-weight="bold">{html.escape(title)}</text>']
    for i, (row, value, target) in enumerate(zip(rows, values, targets)):
        y = top + i * (bar_h + gap)
        colour = "#2e7d32" if row["met"] else "#c62828"
        label = f'{value:.1f}%' if percent else f'{value:.2f}x'
        parts.append(f'<text x="10" y="{y + bar_h * 0.7}">{html.escape(row["id"])}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{max(x(value) - left, 1):.1f}" height="{bar_h}" '
                     f'fill="{colour}"/>')
        parts.append(f'<text x="{x(value) + 6:.1f}" y="{y + bar_h * 0.7}">{label}</text>')
        if target:
            parts.append(f'<line x1="{x(target):.1f}" y1="{y - 3}" x2="{x(target):.1f}" y2="{y + bar_h + 3}" '
                         f'stroke="#000" stroke-width="2" stroke-dasharray="4 2"/>')
    parts.append(f'<text x="{left}" y="{height - 4}" fill="#555">dashed: the target; green met, red missed'
                 '</text></svg>')
    return "\n".join(parts) + "\n"


def main(results_file: str, out: str) -> None:
    results = json.loads(Path(results_file).read_text(encoding="utf-8"))["results"]
    Path(out).mkdir(parents=True, exist_ok=True)
    for prefix, title in FAMILIES.items():
        rows = [r for r in results if family(r["id"]) == prefix and r.get("baseline") != "-"]
        # One unit per chart: P6's bytes share (%) is in its table row, not beside its speed-up.
        rows = [r for r in rows if ("%" in r["target"]) == ("%" in rows[0]["target"])] if rows else rows
        if rows:
            Path(out, f"{prefix.lower()}.svg").write_text(chart(title, rows), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
