"""Speed of the de-identification engine, beside a plain ``re`` scan (ceiling)
and jieba part-of-speech tagging plus the same regex (floor), all in the same run.

    .venv/bin/python bench/deid_speed.py [--reps N] [--news]

Two pipelines: the full one (rules and the learned name tagger, ``detect``) and the
fast path (rules only, ``detect_fast``). Prints figures only; nothing is asserted. The
text is the synthetic held-out corpus of the tests (generated, no real case text), cut
into reports of about 2000 characters; ``--news`` uses news prose instead (the MSRA
development set, fetched by bench/deid_public.py into its cache).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "xinan_deid" / "data" / "corpus_heldout.jsonl"
REPORT_CHARS = 2000

# The ceiling: one pass of a single compiled regex for the number-like kinds.
PLAIN_RE = re.compile(
    r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{17}[\dXx]|[\w.+-]+@[\w-]+\.[\w.]+|(?:QQ|微信)[:：]?\w+|\d{4}年\d{1,2}月\d{1,2}日"
)


def load_reports(news: bool = False) -> list[str]:
    if news:
        sys.path.insert(0, str(ROOT / "bench"))
        import deid_public

        docs = [d.text for d in deid_public.load("msra_train", deid_public.cache_dir(None))[:60]]
    else:
        docs = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    reports, current = [], ""
    for doc in docs:
        current += doc
        if len(current) >= REPORT_CHARS:
            reports.append(current[:REPORT_CHARS])
            current = current[REPORT_CHARS:]
    return reports


def rate(fn, reports: list[str], reps: int) -> tuple[float, list[float]]:
    """Characters per second over all reports, and per-report times (s)."""
    fn(reports[0])  # warm
    times = []
    for _ in range(reps):
        for text in reports:
            t0 = time.perf_counter()
            fn(text)
            times.append(time.perf_counter() - t0)
    chars = sum(len(r) for r in reports) * reps
    return chars / sum(times), times


def cold_start() -> dict[str, float]:
    """Import + first detect, and peak RSS, measured in a fresh interpreter.

    The peak is read from the kernel's high-water mark of the child (VmHWM),
    because ru_maxrss survives exec and would report the parent's peak.
    """
    code = (
        "import time, resource\n"
        "t0 = time.perf_counter()\n"
        "import xinan_deid\n"
        "xinan_deid.detect_fast('当事人张伟，电话13800138000。')\n"
        "t_fast = time.perf_counter()\n"
        "xinan_deid.detect('当事人张伟，电话13800138000。')\n"
        "t1 = time.perf_counter()\n"
        "import json, pathlib\n"
        f"p = pathlib.Path({str(CORPUS)!r})\n"
        "text = ''.join(json.loads(line)['text'] for line in p.read_text(encoding='utf-8').splitlines())\n"
        "xinan_deid.detect(text)\n"
        "hwm = [line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')]\n"
        "print(t1 - t0, hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(text), "
        "t_fast - t0, int(xinan_deid.default_engine().has_model))\n"
    )
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT / "src")}
    ).stdout.split()
    wall = time.perf_counter() - t0
    return {"first_detect_s": float(out[0]), "process_wall_s": wall, "peak_rss_mb": int(out[1]) / 1024,
            "big_text_chars": int(out[2]), "first_fast_s": float(out[3]), "model": out[4] == "1"}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--news", action="store_true", help="news prose (MSRA development set) instead of reports")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from xinan_deid import default_engine

    cold = cold_start()  # before this process grows (jieba)
    reports = load_reports(args.news)
    engine = default_engine()
    rows = []

    engine_rate, engine_times = rate(engine.detect, reports, args.reps)
    rows.append(("full pipeline (rules + model)", engine_rate, engine_times))
    fast_rate, fast_times = rate(engine.detect_fast, reports, args.reps)
    rows.append(("fast path (rules only)", fast_rate, fast_times))

    re_rate, re_times = rate(lambda s: list(PLAIN_RE.finditer(s)), reports, args.reps)
    rows.append(("plain re scan (ceiling)", re_rate, re_times))

    try:
        import jieba
        import jieba.posseg as pseg

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()

        def jieba_regex(text: str) -> list:
            names = [w for w, flag in pseg.cut(text) if flag == "nr"]
            return names + list(PLAIN_RE.finditer(text))

        jieba_rate, jieba_times = rate(jieba_regex, reports, max(1, args.reps // 5))
        rows.append(("jieba posseg + re (floor)", jieba_rate, jieba_times))
    except ImportError:
        jieba_rate = None

    kind = "news documents (MSRA development set)" if args.news else "generated reports"
    print(f"{len(reports)} {kind} of {REPORT_CHARS} characters, {args.reps} repetitions, warm\n")
    print(f"| {'method':<29} | {'chars/s':>12} | {'ms / 2000-char report (mean / p95)':>36} | {'full ÷ this':>11} |")
    print(f"| {'-' * 29} | {'-' * 12}: | {'-' * 36}: | {'-' * 11}: |")
    for name, r, times in rows:
        ms = sorted(t * 1000 for t in times)
        p95 = ms[int(len(ms) * 0.95) - 1]
        print(f"| {name:<29} | {r:>12,.0f} | {statistics.mean(ms):>17.2f} / {p95:>16.2f} | {engine_rate / r:>11.3f} |")
    if jieba_rate is None:
        print("(jieba not installed: floor not measured)")

    print()
    print(f"model installed: {cold['model']}")
    print(f"cold start, fast path (new interpreter, import + first detect_fast): {cold['first_fast_s'] * 1000:.0f} ms")
    print(f"cold start, full pipeline (new interpreter, import + first detect): {cold['first_detect_s'] * 1000:.0f} ms")
    print(f"whole process incl. interpreter start: {cold['process_wall_s'] * 1000:.0f} ms")
    print(f"peak RSS after detecting {cold['big_text_chars']:,} characters at once: {cold['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
