"""Are two extracted texts the same report? A similarity in linear time.

The Word file and the PDF of one report give the same characters, with differences that are
layout, not content: line breaks, spaces, page numbers, footnote marks, a radical printed for
a character (see ``normalise``). Both texts are brought to their normal form and reduced to
their letters (Chinese characters and Latin letters, lower-cased; digits, punctuation and white
space carry layout and numbering, not the report). Each is then cut into overlapping
``GRAM``-character pieces, counted with their repetitions (a multiset), and the similarity is
the Dice coefficient of the two multisets: twice the pieces they share over the pieces both
have. Identical texts give 1.0, texts with nothing in common 0.0.

Building the multisets is one pass over each text, and their intersection one pass over the
distinct pieces, so the cost grows with the length of the texts and nothing else: no input
(``"ab" * 8000`` against ``"ba" * 8000`` was the attack on the former quadratic
``difflib.SequenceMatcher``) can make it slower than an ordinary report of the same length.
The order of paragraphs does not count: a PDF whose text boxes come out in another order
(a footnote, a header, a two-column page) is still the same text.

One changed character changes up to ``GRAM`` pieces, so the measure falls faster than the
share of changed characters: ``SAME_TEXT`` was set on the fixture set of the same report made
by several programs (all above 0.99) and on different reports of the same template (below
0.3); docs/report-format.md gives the figures.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain

from xinan_reportformat.normalise import compatibility_form

GRAM = 3
SAME_TEXT = 0.9
# Everything but letters: punctuation, symbols, digits, the underscore, white space.
_NOT_LETTER = re.compile(r"[\W\d_]+")
_PIECES: dict[int, re.Pattern] = {}


def comparable_text(text: str) -> str:
    """The letters of ``text`` in normal form, lower-cased: what must agree between two files."""
    # Joining hyphenated words and dropping spaces between characters (the rest of
    # normalise_text) only ever removes what is not a letter: the letters are the same.
    return _NOT_LETTER.sub("", compatibility_form(text)).lower()


def text_similarity(a: str, b: str) -> float:
    """Similarity of two texts between 0.0 and 1.0, in time linear in their length."""
    return gram_similarity(comparable_text(a), comparable_text(b))


def same_text(a: str, b: str, *, threshold: float = SAME_TEXT) -> bool:
    return text_similarity(a, b) >= threshold


def gram_similarity(a: str, b: str, gram: int = GRAM) -> float:
    """Dice coefficient of the multisets of ``gram``-character pieces of two comparable texts."""
    if not a or not b:
        return 1.0 if a == b else 0.0
    if min(len(a), len(b)) < gram:
        gram = 1
    grams_a, grams_b = _grams(a, gram), _grams(b, gram)
    shared = sum((grams_a & grams_b).values())
    return 2 * shared / (len(a) - gram + 1 + len(b) - gram + 1)


def _grams(text: str, gram: int) -> Counter:
    """Every overlapping piece, read by the regular-expression engine (in C) from each of the
    ``gram`` starting offsets: a third faster than slicing in a Python loop."""
    piece = _PIECES.get(gram) or _PIECES.setdefault(gram, re.compile(f".{{{gram}}}", re.DOTALL))
    return Counter(chain.from_iterable(piece.findall(text, offset) for offset in range(gram)))
