"""Counting 字 the way a Chinese editor does.

The rule (documented in docs/report-format.md): every visible character counts
as one — each Chinese character, each punctuation mark (full-width or
half-width), each Latin letter, each digit, each symbol. Whitespace of any
kind (spaces, full-width spaces, tabs, line breaks) and invisible characters
(control and format characters such as zero-width spaces, combining marks)
count as nothing. Because the weight of a text is the sum of the weights of
its characters, counts add up over concatenation.
"""

from __future__ import annotations

import unicodedata

from xinan_reportformat.model import AUTHOR_SECTIONS, Report

# Unicode general categories that are invisible on the page.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp"})

CHAR_LIMIT = 2000


def count_chars(text: str) -> int:
    """Return the number of 字 in ``text`` under the house rule."""
    return sum(1 for char in text if _is_counted(char))


def _is_counted(char: str) -> bool:
    if char.isspace():
        return False
    return unicodedata.category(char) not in _INVISIBLE_CATEGORIES


def count_report_chars(report: Report) -> int:
    """Return the count that the 2000-字 limit applies to: the body text of
    the author's sections (headings, title, subtitle, footnotes and the
    reviewers' 专家点评 are not counted)."""
    return sum(count_chars(s.text) for s in report.sections if s.key in AUTHOR_SECTIONS)


def count_all_chars(report: Report) -> int:
    """Return the count of everything printed: title, subtitle, headings,
    every section and the footnotes (for information only)."""
    parts = [report.title, report.subtitle, report.preamble]
    parts += [s.heading + s.text for s in report.sections]
    parts += [f.text for f in report.footnotes]
    return sum(count_chars(p) for p in parts)
