"""Recall and precision of the engine on a labelled corpus.

    python tests/xinan_deid/evaluate.py PART [--errors] [--fast]

PART is a part of the synthetic corpus (tuning, heldout, heldout2 …, read from
``data/corpus_PART.jsonl``) or the path of an annotated file: ``.jsonl`` in the corpus's own
format, or a plain-text file annotated inline (see docs/deid.md, "Annotating a new part"):

    当事人[[张伟|person_name]]，男，[[大二|grade_class]]学生，电话[[13800138000|phone]]。

A gold span counts as found when one flag of the same kind covers it whole.
A flag counts as correct when it overlaps a gold span (of any kind).
``--fast`` evaluates the rules-only path (``detect_fast``) instead of the full pipeline.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).parent / "data"


KINDS = frozenset(
    [
        "person_name", "nickname", "teacher_title", "school", "department", "grade_class", "address",
        "hospital", "phone", "id_number", "student_number", "qq", "wechat", "email", "date",
    ]
)
_MARK = re.compile(r"\[\[(.+?)\|([a-z_]+)\]\]", re.DOTALL)


def load(part: str) -> list[dict]:
    path = Path(part)
    if path.suffix in (".txt", ".md") and path.exists():
        return parse_annotated(path.read_text(encoding="utf-8"), path.stem)
    if path.suffix == ".jsonl" and path.exists():
        source = path
    else:
        source = DATA / f"corpus_{part}.jsonl"
    with open(source, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def parse_annotated(raw: str, name: str = "part") -> list[dict]:
    """Documents of an inline-annotated text: one document per block, blocks separated by a
    line holding only ``---``; each identifying span written ``[[text|kind]]``."""
    docs = []
    for number, block in enumerate(re.split(r"(?m)^---[ \t]*$", raw)):
        block = block.strip("\n")
        if not block.strip():
            continue
        text, spans, pos = [], [], 0
        for m in _MARK.finditer(block):
            kind = m.group(2)
            if kind not in KINDS:
                raise ValueError(f"{name} block {number + 1}: unknown kind {kind!r} (one of {sorted(KINDS)})")
            text.append(block[pos : m.start()])
            start = sum(len(p) for p in text)
            text.append(m.group(1))
            spans.append({"start": start, "end": start + len(m.group(1)), "kind": kind})
            pos = m.end()
        text.append(block[pos:])
        joined = "".join(text)
        if "[[" in joined or "]]" in joined:
            raise ValueError(f"{name} block {number + 1}: a [[…|kind]] mark is not closed")
        docs.append({"id": f"{name}-{number:03d}", "text": joined, "spans": spans})
    return docs


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
    from xinan_deid import detect, detect_fast

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    part = args[0] if args else "tuning"
    scores = evaluate(load(part), detect_fast if "--fast" in sys.argv else detect)
    print(table(scores))
    if "--errors" in sys.argv:
        for m in scores.misses:
            print("MISS", *m)
        for f in scores.false_alarms:
            print("FALSE", *f)
