#!/usr/bin/env python3
"""Benchmark harness: generate data at a named scale, then time named pages in-process.

    python3 dev bench --scale school|province|nation|province-cases|nation-campaign [--requests 200] [--only NAME]

Server time is measured around Django's handler with the test client (no network), p50/p95 over
repeated requests after a warm-up, with the query count of one request; each page is shown
beside the baseline, a bare view rendering the base template in the same run. Set DATABASE_URL
to measure on PostgreSQL (a database used only for benchmarks: the harness writes data into it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def measure(client, url: str, requests: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(url)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return _percentile(timings, 50), _percentile(timings, 95), len(queries), response.status_code


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--scale",
        choices=("school", "province", "nation", "province-cases", "province-cases-tenth", "nation-campaign",
                 "nation-campaign-x10"),
        default="school",
    )
    parser.add_argument("--json", help="also write the rows to this file (for bench/compare.py)")
    # p95 of 200 samples is the 10th-slowest: a tail, not one unlucky request.
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--only", help="measure only pages whose name contains this")
    args = parser.parse_args(argv)

    os.environ.setdefault("XINAN_DATA_DIR", str(ROOT / "var" / "bench" / args.scale))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.pages import PAGES
    from bench.scales import generate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    info = generate(args.scale)
    if info["generated"]:
        print(f"generated {args.scale}: {info} in {time.perf_counter() - started:.1f} s")

    rows = []
    baseline_p50 = None
    for page in PAGES:
        if args.only and args.only not in page.name and not page.name.startswith("baseline"):
            continue
        if page.scales is not None and args.scale not in page.scales:
            continue  # its data is generated only at other scales
        client = Client()
        user = page.who()
        if user is not None:
            client.force_login(user)
        p50, p95, queries, status = measure(client, page.url(), args.requests)
        if baseline_p50 is None:
            baseline_p50 = p50
        rows.append((page.name, p50, p95, p50 / baseline_p50, queries, status))

    print(f"\nscale={args.scale} database={connection.vendor} requests={args.requests} (server time, ms)")
    print(f"{'page':<34}{'p50':>9}{'p95':>9}{'×base':>8}{'queries':>9}{'status':>8}")
    for name, p50, p95, ratio, queries, status in rows:
        print(f"{name:<34}{p50:>9.1f}{p95:>9.1f}{ratio:>8.1f}{queries:>9}{status:>8}")
    if args.json:
        import json

        Path(args.json).write_text(json.dumps({
            "scale": args.scale, "database": connection.vendor, "requests": args.requests,
            "rows": [dict(zip(("page", "p50", "p95", "ratio", "queries", "status"), row, strict=True)) for row in rows],
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if all(row[5] == 200 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
