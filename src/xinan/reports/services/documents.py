"""The bridge between a stored ``CaseReport`` and the two pure libraries: the report as a
``xinan_reportformat.Report`` (count, check, export), and the de-identification flags of
its fields (``xinan_deid.detect``), each placed in the field it belongs to.

The fields are analysed together, as one document, not one by one: a pseudonym declared
once ("小张（化名）") holds for the whole report, and a name gets the same suggested
pseudonym wherever it occurs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from xinan.crypto.keys import blind_index
from xinan.reports.enums import BLOCKING_SEVERITIES, SEVERITY_COLOURS
from xinan.reports.models.report import SECTION_FIELDS
from xinan_deid import PSEUDONYM_MARK, Flag, detect
from xinan_reportformat import (
    TEMPLATE_HEADINGS,
    Footnote,
    Problem,
    Report,
    Section,
    check_report,
    count_chars,
    count_report_chars,
)
from xinan_reportformat.model import ARTISTIC_FOOTNOTE
from xinan_reportformat.subtitle import parse_subtitle, split_dash

HEADER_FIELDS = ("title", "subtitle")
TEXT_FIELDS = HEADER_FIELDS + SECTION_FIELDS
# Fields are joined by a private-use character between line breaks: no flag spans two
# fields, and the joined text splits back exactly (authors never type U+E000).
_SEPARATOR = "\ue000"
_JOIN = f"\n{_SEPARATOR}\n"
_PSEUDONYM_MARKS = (PSEUDONYM_MARK, "(化名)")


def field_label(field: str) -> str:
    if field == "title":
        return _("主标题")
    if field == "subtitle":
        return _("副标题")
    return TEMPLATE_HEADINGS[field]


def texts_of(report) -> dict[str, str]:
    """The text fields of a ``CaseReport`` (or of any object with those attributes)."""
    return {field: getattr(report, field) or "" for field in TEXT_FIELDS}


def fingerprint(kind: str, text: str) -> str:
    """A keyed digest of a flag's kind and text: no surrounding text, nothing readable."""
    return blind_index("report-flag", f"{kind}\x1f{text}")


# --- The report in the template ------------------------------------------------------------
def build_report(texts: dict[str, str], *, footnote: bool) -> Report:
    """The report as xinan_reportformat sees it; offsets point into a composed raw text."""
    dash, subtitle = split_dash(texts.get("subtitle", ""))
    title = " ".join(texts.get("title", "").split())
    lines = [title]
    subtitle_offset = len(title) + 1 if subtitle or dash else -1
    lines.append(dash + subtitle)
    sections = []
    offset = sum(len(line) + 1 for line in lines)
    for key in SECTION_FIELDS:
        heading = TEMPLATE_HEADINGS[key]
        body = _normalise_body(texts.get(key, ""))
        block = f"{heading}\n{body}" if body else heading
        sections.append(Section(key, heading, body, offset, offset + len(block)))
        lines.append(block)
        offset += len(block) + 1
    footnotes = [Footnote("¹", ARTISTIC_FOOTNOTE)] if footnote else []
    if footnote:
        lines.append("¹" + ARTISTIC_FOOTNOTE)
    return Report(
        title=title,
        subtitle=subtitle,
        sections=sections,
        footnotes=footnotes,
        raw_text="\n".join(lines),
        subtitle_dash=dash,
        subtitle_offset=subtitle_offset,
    )


def _normalise_body(text: str) -> str:
    """Paragraphs as the library keeps them: stripped lines, no blank lines."""
    return "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())


@dataclass(frozen=True)
class PlacedProblem:
    problem: Problem
    field: str  # a text field, "footnote", or "" for the whole report

    @property
    def place(self) -> str:
        if self.field == "footnote":
            return _("脚注")
        if not self.field:
            return _("全文")
        return field_label(self.field)

    @property
    def is_error(self) -> bool:
        return str(self.problem.severity) == "error"


def _field_of_problem(problem: Problem) -> str:
    if problem.section in SECTION_FIELDS:
        return problem.section
    if problem.code.startswith("title"):
        return "title"
    if problem.code.startswith(("subtitle", "trigger", "nature")):
        return "subtitle"
    if problem.code.startswith("footnote"):
        return "footnote"
    return ""


# --- Flags ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlacedFlag:
    """A flag, with offsets inside the one field it was found in."""

    field: str
    start: int
    end: int
    flag: Flag
    dismissed: bool = False

    @property
    def kind(self) -> str:
        return self.flag.kind.value

    @property
    def severity(self) -> str:
        return self.flag.severity.value

    @property
    def colour(self) -> str:
        return SEVERITY_COLOURS[self.severity]

    @property
    def text(self) -> str:
        return self.flag.text

    @property
    def blocking(self) -> bool:
        return self.severity in BLOCKING_SEVERITIES and not self.dismissed

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.kind, self.text)


def place_flags(texts: dict[str, str], *, dismissed: frozenset[str] = frozenset()) -> list[PlacedFlag]:
    """Detect over the whole report; return each flag in its field, in reading order."""
    joined, spans = _join(texts)
    placed = []
    for flag in detect(joined):
        for field, (start, end) in spans.items():
            if start <= flag.start and flag.end <= end:
                fp = fingerprint(flag.kind.value, flag.text)
                placed.append(PlacedFlag(field, flag.start - start, flag.end - start, flag, fp in dismissed))
                break
    return placed


def clean_text(text: str) -> str:
    """What the editor stores: Unix line breaks, no separator characters, no trailing space."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").replace(_SEPARATOR, "").strip()


def _join(texts: dict[str, str]) -> tuple[str, dict[str, tuple[int, int]]]:
    spans: dict[str, tuple[int, int]] = {}
    pieces: list[str] = []
    position = 0
    for field in TEXT_FIELDS:
        pieces.append(texts.get(field, "").replace(_SEPARATOR, ""))
        spans[field] = (position, position + len(pieces[-1]))
        position += len(pieces[-1]) + len(_JOIN)
    return _JOIN.join(pieces), spans


def apply_to_all(texts: dict[str, str], text: str, replacement: str, *, pseudonym: bool) -> tuple[dict, int]:
    """Replace every occurrence of ``text`` in every field, in reading order.

    A pseudonym gets "（化名）" at its first use, unless the author already marked it.
    """
    base = replacement
    for mark in _PSEUDONYM_MARKS:
        base = base.removesuffix(mark)
    marked = not pseudonym
    result: dict[str, str] = {}
    count = 0
    for field in TEXT_FIELDS:
        value = texts.get(field, "")
        if not text or text not in value:
            result[field] = value
            continue
        pieces = value.split(text)
        out = [pieces[0]]
        for piece in pieces[1:]:
            count += 1
            if pseudonym and not marked and field not in HEADER_FIELDS:
                already = piece.startswith(_PSEUDONYM_MARKS)
                out.append(base if already else base + PSEUDONYM_MARK)
                marked = True
            else:
                out.append(base)
            out.append(piece)
        result[field] = "".join(out)
    return result, count


def apply_flags(texts: dict[str, str], flags: list[PlacedFlag]) -> dict[str, str]:
    """Apply the suggested replacement of each given flag (used for a draft from a case)."""
    from xinan_deid import apply_replacements

    joined, _starts = _join(texts)
    cleaned = apply_replacements(joined, [placed.flag for placed in flags])
    return dict(zip(TEXT_FIELDS, cleaned.split(_JOIN), strict=True))


# --- Everything the editor shows -----------------------------------------------------------
class Analysis:
    """Count, format problems and flags of a report's current texts."""

    def __init__(self, texts: dict[str, str], *, footnote: bool, dismissed: frozenset[str] = frozenset()):
        self.texts = {field: clean_text(texts.get(field, "")) for field in TEXT_FIELDS}
        self.footnote = footnote
        self.dismissed = dismissed

    @cached_property
    def report(self) -> Report:
        return build_report(self.texts, footnote=self.footnote)

    @cached_property
    def char_count(self) -> int:
        return count_report_chars(self.report)

    @cached_property
    def section_counts(self) -> dict[str, int]:
        return {key: count_chars(self.texts[key]) for key in SECTION_FIELDS}

    @cached_property
    def subtitle_info(self):
        return parse_subtitle(self.texts["subtitle"])

    @cached_property
    def problems(self) -> list[PlacedProblem]:
        return [PlacedProblem(problem, _field_of_problem(problem)) for problem in check_report(self.report)]

    @cached_property
    def errors(self) -> list[PlacedProblem]:
        return [placed for placed in self.problems if placed.is_error]

    @cached_property
    def flags(self) -> list[PlacedFlag]:
        return place_flags(self.texts, dismissed=self.dismissed)

    @cached_property
    def blocking_flags(self) -> list[PlacedFlag]:
        return [flag for flag in self.flags if flag.blocking]

    @cached_property
    def distinct_flags(self) -> list[PlacedFlag]:
        """One entry per kind and text: a decision applies to every occurrence."""
        seen: set[tuple[str, str]] = set()
        result = []
        for flag in self.flags:
            key = (flag.kind, flag.text)
            if key not in seen:
                seen.add(key)
                result.append(flag)
        return result

    def find(self, kind: str, text: str) -> PlacedFlag | None:
        return next((flag for flag in self.flags if flag.kind == kind and flag.text == text), None)

    def occurrences(self, kind: str, text: str) -> int:
        return sum(1 for flag in self.flags if flag.kind == kind and flag.text == text)

    def highlighted(self, field: str) -> list[tuple[str, PlacedFlag | None]]:
        """The field's text in pieces: plain text, or a flagged span with its flag."""
        text = self.texts[field]
        pieces: list[tuple[str, PlacedFlag | None]] = []
        position = 0
        for flag in self.flags:
            if flag.field != field or flag.start < position:
                continue
            if flag.start > position:
                pieces.append((text[position : flag.start], None))
            pieces.append((text[flag.start : flag.end], flag))
            position = flag.end
        if position < len(text):
            pieces.append((text[position:], None))
        return pieces
