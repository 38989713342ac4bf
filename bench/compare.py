#!/usr/bin/env python3
"""Two runs of bench/run.py side by side: is each page flat when its data grows tenfold?

    python3 dev bench --scale province-cases-tenth --json small.json
    python3 dev bench --scale province-cases --json large.json
    .venv/bin/python bench/compare.py small.json large.json

For every page in both runs: p95 of each (ms), the growth of p95 and of the query count, and
p95 against each run's own baseline (so a busier machine during one run does not read as growth).
A page is flat when its query count does not grow and its p95 relative to the baseline grows by
less than half. Exit status 1 when a page is not flat or is over 100 ms p95 in the larger run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TARGET_P95_MS = 100.0


def main(argv: list[str]) -> int:
    small, large = (json.loads(Path(name).read_text(encoding="utf-8")) for name in argv[:2])
    base_small = next(r for r in small["rows"] if r["page"].startswith("baseline"))["p95"]
    base_large = next(r for r in large["rows"] if r["page"].startswith("baseline"))["p95"]
    by_page = {row["page"]: row for row in small["rows"]}
    print(f"{small['scale']} → {large['scale']} ({large['database']}, {large['requests']} requests per page)")
    print(f"{'page':<34}{'p95 small':>10}{'p95 large':>10}{'×p95':>7}{'×p95/base':>10}{'queries':>12}  verdict")
    failed = 0
    for row in large["rows"]:
        before = by_page.get(row["page"])
        if before is None or row["page"].startswith("baseline"):
            continue
        growth = row["p95"] / max(before["p95"], 0.1)
        relative = (row["p95"] / base_large) / max(before["p95"] / base_small, 1e-6)
        flat = row["queries"] <= before["queries"] and relative < 1.5
        fast = row["p95"] < TARGET_P95_MS
        verdict = "flat" if flat else "GROWS"
        verdict += "" if fast else f", over {TARGET_P95_MS:.0f} ms"
        failed += not (flat and fast)
        print(f"{row['page']:<34}{before['p95']:>10.1f}{row['p95']:>10.1f}{growth:>7.2f}{relative:>10.2f}"
              f"{before['queries']:>6}→{row['queries']:<5}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
