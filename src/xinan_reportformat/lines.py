"""Lines of a report's text: cleaning extraction artefacts and re-joining
lines that a PDF (or a careless copy) wrapped inside a paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xinan_reportformat.headings import is_numbered_item
from xinan_reportformat.subtitle import FOOTNOTE_MARKS

# A line that is only a page number or a dash left by a page break:
# "-", "- 3 -", "— 3 —", "3", "第 3 页", "第3页 共5页", "3 / 5", "Page 3".
_ARTEFACTS = (
    re.compile(r"^[-–—－‒─~·•\s]*(?:\d{1,4})?[-–—－‒─~·•\s]*$"),
    re.compile(r"^第\s*\d{1,4}\s*页\s*(?:[,，/]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^(?:page|PAGE|Page)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$"),
)
_MAX_ARTEFACT_LENGTH = 24
_SAMPLE_MARKER = re.compile(r"^[（(【\[]?\s*样\s*例\s*[)）】\]]?$")
_ATTACHMENT = re.compile(r"^附件\s*\d{0,2}\s*[:：.．、]?\s*(?:.{0,20}模板)?$")
_FOOTNOTE_START = re.compile(
    "^(?P<marker>[" + re.escape(FOOTNOTE_MARKS) + r"]+|"
    r"\[\d{1,2}\]|［\d{1,2}］|注\s*[:：]|注释\s*[:：])\s*(?P<text>.*)$"
)
ARTISTIC_WORDS = "艺术加工"
_MAX_FOOTNOTE_LENGTH = 160

_CLOSERS = "”’」』)）】》\"'"
_TERMINAL = "。！？!?；;…:："
# A line shorter than this is not a wrapped line but a short paragraph
# (a sub-heading, a signature); wrapped lines fill the page's width.
MIN_WRAPPED_LENGTH = 15


@dataclass(frozen=True)
class Line:
    text: str
    start: int


def split_lines(raw_text: str) -> list[Line]:
    """Split text into stripped, non-empty lines with their offsets,
    leaving out page-break artefacts."""
    lines: list[Line] = []
    offset = 0
    for piece in raw_text.splitlines(keepends=True):
        stripped = piece.strip()
        if stripped and not is_artefact(stripped):
            lines.append(Line(stripped, offset + piece.index(stripped[0])))
        offset += len(piece)
    return lines


def is_artefact(text: str) -> bool:
    # Artefacts are short; the length check also keeps matching linear.
    return len(text) <= _MAX_ARTEFACT_LENGTH and any(p.match(text) for p in _ARTEFACTS)


def is_sample_marker(text: str) -> bool:
    return bool(_SAMPLE_MARKER.match(text))


def is_attachment_label(text: str) -> bool:
    return bool(_ATTACHMENT.match(text))


def read_footnote(text: str) -> tuple[str, str] | None:
    """Return (marker, text) when the line is a footnote, else None."""
    match = _FOOTNOTE_START.match(text)
    if match and match.group("text"):
        return match.group("marker").strip(), match.group("text").strip()
    if ARTISTIC_WORDS in text and len(text) <= _MAX_FOOTNOTE_LENGTH and "对号入座" in text:
        return "", text
    return None


def ends_paragraph(text: str) -> bool:
    """Tell whether a line ends like a finished sentence."""
    trimmed = text.rstrip(_CLOSERS)
    return bool(trimmed) and trimmed[-1] in _TERMINAL


def continues_into(previous: str, following: str) -> bool:
    """Tell whether ``following`` is the wrapped rest of ``previous``."""
    if ends_paragraph(previous) or len(previous) < MIN_WRAPPED_LENGTH:
        return False
    return not is_numbered_item(following)


def join_wrapped(previous: str, following: str) -> str:
    """Join two pieces of one paragraph: no space between Chinese text,
    one space between two Latin words."""
    if previous[-1:].isascii() and previous[-1:].isalnum() and following[:1].isascii() and following[:1].isalnum():
        return f"{previous} {following}"
    return previous + following


def join_paragraphs(lines: list[str]) -> list[str]:
    """Re-join wrapped lines into paragraphs."""
    paragraphs: list[str] = []
    for text in lines:
        if paragraphs and continues_into(paragraphs[-1], text):
            paragraphs[-1] = join_wrapped(paragraphs[-1], text)
        else:
            paragraphs.append(text)
    return paragraphs
