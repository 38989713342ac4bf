#!/usr/bin/env python3
"""Word-versus-PDF text comparison: time for two 100,000-character texts, normal and adversarial.

    .venv/bin/python bench/text_compare.py [--chars 100000] [--reps 5] [--baseline-chars 4000]

Targets (security issue, finding 2): two 100,000-character texts compared in under 100 ms, and
an adversarial pair (``"ab" * n`` against ``"ba" * n``, the input that made the former
``difflib.SequenceMatcher`` quadratic) no slower than a normal pair (ratio ≤ 1). The baseline,
in the same run, is difflib on the same pairs cut to a small size (it would take minutes at the
full one), with the time xinan_reportformat.compare takes on those small pairs beside it.
Texts are generated from a made-up vocabulary, never from real reports; nothing touches the
database.
"""

from __future__ import annotations

import argparse
import difflib
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from xinan_reportformat.compare import comparable_text, text_similarity  # noqa: E402 - after the path

CHARS = (
    "的一是在不了有和人这中大为上个我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说种面而方后多定行学"
    "辅导员班主任心理中心咨询师家长学生宿舍同学老师评估陪伴沟通转介医院情绪焦虑抑郁睡眠学业压力家庭关系支持系统跟踪"
)


def report_like(chars: int, seed: int) -> str:
    """Sentences of generated words with punctuation and line breaks, ``chars`` long."""
    rng = random.Random(seed)
    words = ["".join(rng.choice(CHARS) for _ in range(rng.choice((2, 2, 3, 4)))) for _ in range(3000)]
    parts: list[str] = []
    size = 0
    while size < chars:
        sentence = "".join(rng.choice(words) for _ in range(rng.randint(6, 14))) + rng.choice("，。；。\n")
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)[:chars]


def pairs(chars: int) -> dict[str, tuple[str, str]]:
    text = report_like(chars, 1)
    other = report_like(chars, 2)
    # The same report as a PDF gives it: a line break every 38 characters, one in 50 characters
    # printed as a Kangxi radical, spaces between some characters.
    as_pdf = "\n".join(text[i : i + 38] for i in range(0, len(text), 38)).replace("一", "⼀").replace("大", "⼤ ")
    return {
        "same report (Word vs PDF)": (text, as_pdf[:chars]),
        "different reports": (text, other),
        "adversarial ab/ba": ("ab" * (chars // 2), "ba" * (chars // 2)),
    }


def best_of(reps: int, function: Callable[[], object]) -> float:
    timings = []
    for _ in range(reps):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings), statistics.median(timings)


def difflib_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, comparable_text(a), comparable_text(b), autojunk=False).ratio()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--baseline-chars", type=int, default=4_000)
    args = parser.parse_args(argv)

    print(f"text_similarity, {args.chars:,} characters each (ms, best and median of {args.reps})")
    timings = {}
    for name, (a, b) in pairs(args.chars).items():
        best, median = best_of(args.reps, lambda a=a, b=b: text_similarity(a, b))
        timings[name] = median
        print(f"  {name:<28}{best:>9.1f}{median:>9.1f}   similarity {text_similarity(a, b):.3f}")
    ratio = timings["adversarial ab/ba"] / timings["same report (Word vs PDF)"]
    print(f"  adversarial / normal (median): {ratio:.2f}  (target ≤ 1)")
    print(f"  normal pair under 100 ms: {'yes' if timings['same report (Word vs PDF)'] < 100 else 'NO'}")

    print(f"\nbaseline: difflib.SequenceMatcher(autojunk=False), {args.baseline_chars:,} characters each (ms)")
    for name, (a, b) in pairs(args.baseline_chars).items():
        old = best_of(1, lambda a=a, b=b: difflib_ratio(a, b))[0]
        new = best_of(args.reps, lambda a=a, b=b: text_similarity(a, b))[1]
        print(f"  {name:<28} difflib {old:>9.1f}   text_similarity {new:>7.2f}   ×{old / max(new, 1e-6):,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
