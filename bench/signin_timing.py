"""Sign-in code timing: does asking for a code take longer for a registered phone than for an
unknown one? (issue 13.7: a difference lets anyone find out who has an account.)

    .venv/bin/python bench/signin_timing.py [--tries 150]

Posts the "send code" form through Django's handler (test client, no network) for registered
and unknown phones in alternation, each try with a fresh phone and a fresh address so that no
limit is hit, and prints the median time of each path and their ratio. Runs in a throwaway data
directory (SQLite) with the production task backend (``database``): the request only enqueues,
the worker sends. Also prints the median of the paired differences (the two requests of one try
run back to back), which a busy machine disturbs less. Target: ratio within 1 ± 0.05 and the
paired difference within a millisecond.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure(tries: int) -> dict[str, list[float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    users = get_user_model().objects
    registered = [f"1380000{n:04d}" for n in range(tries + 5)]
    unknown = [f"1370000{n:04d}" for n in range(tries + 5)]
    for phone in registered:
        users.create_user(phone, "测试人员")
    url = reverse("accounts:send_code")
    timings: dict[str, list[float]] = {"registered": [], "unknown": []}
    for n in range(tries + 5):
        # Alternate which path goes first, so that drift and caches favour neither.
        order = [("registered", registered[n]), ("unknown", unknown[n])]
        for path, phone in order if n % 2 else reversed(order):
            client = Client(REMOTE_ADDR=f"10.{n // 250}.{n % 250}.{1 if path == 'registered' else 2}")
            started = time.perf_counter()
            response = client.post(url, {"phone": phone})
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.status_code
            if n >= 5:  # warm-up
                timings[path].append(elapsed)
    return timings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=150)
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="xinan-bench-signin-")
    os.environ["XINAN_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["XINAN_TASK_BACKEND"] = "database"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        timings = measure(args.tries)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    medians = {path: statistics.median(values) for path, values in timings.items()}
    for path, values in timings.items():
        q1, _, q3 = statistics.quantiles(values, n=4)
        print(f"{path:<11} median {medians[path]:7.2f} ms   quartiles {q1:6.2f}–{q3:6.2f} ms   n={len(values)}")
    ratio = medians["registered"] / medians["unknown"]
    print(f"ratio registered/unknown: {ratio:.3f}   difference {medians['registered'] - medians['unknown']:+.2f} ms")
    # Each try's two requests ran back to back: their difference cancels the machine's drift.
    paired = statistics.median(r - u for r, u in zip(timings["registered"], timings["unknown"], strict=True))
    print(f"median of paired differences (registered - unknown): {paired:+.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
