"""Recall and precision of the engine on the synthetic labelled corpus.

    python tests/xinan_deid/evaluate.py [tuning|heldout] [--errors]

A gold span counts as found when one flag of the same kind covers it whole.
A flag counts as correct when it overlaps a gold span (of any kind).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data"


def load(part: str) -> list[dict]:
    with open(DATA / f"corpus_{part}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@dataclass
class Scores:
    gold: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    def recall(self, kinds=None) -> float:
        kinds = kinds or list(self.gold)
        g = sum(self.gold[k] for k in kinds)
        return sum(self.found[k] for k in kinds) / g if g else 1.0

    def precision(self, kinds=None) -> float:
        kinds = kinds or list(self.flags)
        f = sum(self.flags[k] for k in kinds)
        return sum(self.correct[k] for k in kinds) / f if f else 1.0


def evaluate(docs: list[dict], detect) -> Scores:
    sc = Scores()
    for doc in docs:
        text = doc["text"]
        flags = detect(text)
        for span in doc["spans"]:
            kind = span["kind"]
            sc.gold[kind] += 1
            if any(f.kind.value == kind and f.start <= span["start"] and span["end"] <= f.end for f in flags):
                sc.found[kind] += 1
            else:
                sc.misses.append(
                    (
                        doc["id"],
                        kind,
                        text[span["start"] : span["end"]],
                        text[max(0, span["start"] - 8) : span["end"] + 8],
                    )
                )
        for f in flags:
            sc.flags[f.kind.value] += 1
            if any(f.start < s["end"] and s["start"] < f.end for s in doc["spans"]):
                sc.correct[f.kind.value] += 1
            else:
                sc.false_alarms.append((doc["id"], f.kind.value, f.text, text[max(0, f.start - 8) : f.end + 8]))
    return sc


def table(sc: Scores) -> str:
    rows = ["| kind | gold | recall | flags | precision |", "| --- | ---: | ---: | ---: | ---: |"]
    for kind in sorted(set(sc.gold) | set(sc.flags)):
        rows.append(
            f"| {kind} | {sc.gold[kind]} | {sc.recall([kind]):.3f} | {sc.flags[kind]} | {sc.precision([kind]):.3f} |"
        )
    no_title = [k for k in sc.gold if k != "teacher_title"]
    rows.append(
        f"| all but teacher_title | {sum(sc.gold[k] for k in no_title)} | {sc.recall(no_title):.3f} | "
        f"{sum(sc.flags.values())} | {sc.precision():.3f} |"
    )
    return "\n".join(rows)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from xinan_deid import detect

    part = sys.argv[1] if len(sys.argv) > 1 else "tuning"
    scores = evaluate(load(part), detect)
    print(table(scores))
    if "--errors" in sys.argv:
        for m in scores.misses:
            print("MISS", *m)
        for f in scores.false_alarms:
            print("FALSE", *f)
