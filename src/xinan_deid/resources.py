"""Loading of the shipped data files (once per process)."""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Resources:
    # Common words (2-3 characters) with their corpus frequency.
    lexicon: dict[str, int]
    # Surname -> relative frequency (percent of the population).
    surnames: dict[str, float]
    # Everyday words that are also common given or full names (高明, 文明, 阳光).
    ambiguous: frozenset[str] = frozenset()
    # Words shaped like a name whose part of speech never is one (马上, 平时, 于是).
    not_names: frozenset[str] = frozenset()


def _read(name: str) -> str:
    return importlib.resources.files("xinan_deid").joinpath("data", name).read_text("utf-8")


def load_resources() -> Resources:
    items = _read("lexicon.tsv").replace("\t", "\n").split("\n")
    lexicon = dict(zip(items[0::2], map(int, items[1::2]), strict=False))
    surnames: dict[str, float] = {}
    for line in _read("surnames.tsv").splitlines():
        if line:
            name, _, weight = line.partition("\t")
            surnames[name] = float(weight)
    # 阿 is the nickname prefix (阿强), never treated as a surname here.
    surnames.pop("阿", None)
    ambiguous = frozenset(line for line in _read("ambiguous.txt").splitlines() if line)
    not_names = frozenset(line for line in _read("not_names.txt").splitlines() if line)
    return Resources(lexicon=lexicon, surnames=surnames, ambiguous=ambiguous, not_names=not_names)
