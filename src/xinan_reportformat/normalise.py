"""One normal form for text taken out of a Word file or a PDF, so that the same report
written the same way compares (and counts) the same whichever program produced the file.

What the producers do differently, and what is done about it here:

- A PDF printed by Chromium maps some glyphs that a font shares between a radical and the
  character back to the radical: 一大人 come out as the Kangxi radicals ⼀⼤⼈ (U+2F00…),
  民见车… as CJK radicals (U+2E80…). Unicode compatibility normalisation (NFKC) turns Kangxi
  radicals, CJK compatibility ideographs, full-width letters and digits, ligatures (ﬁ) and
  the like into the ordinary characters; the CJK radicals that Unicode leaves alone but that
  stand for a whole character are mapped by the table below.
- Layout engines put spaces between Chinese characters (justified lines, letter spacing):
  horizontal white space with a CJK character on both sides is dropped.
- A word broken at a line end with a hyphen (``inter-\\nvention``) or a soft hyphen is joined.
- Quotation marks and dashes come in many look-alikes: each family becomes one character.
- Invisible format characters (zero-width spaces, soft hyphens, byte-order marks) are dropped.

Line breaks are kept (the parser needs them to find headings). Every step is one pass over
the text (no backtracking pattern), so the cost is linear in its length.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement characters that print as a whole character and that NFKC leaves
# alone (Unicode's EquivalentUnifiedIdeograph data; component-only forms are left out).
_RADICALS = {
    "\u2ea0": "民",
    "\u2ec4": "西",
    "\u2ec5": "见",
    "\u2ec6": "角",
    "\u2ec9": "贝",
    "\u2ecb": "车",
    "\u2ed3": "长",
    "\u2ed4": "门",
    "\u2ed8": "青",
    "\u2ed9": "韦",
    "\u2eda": "页",
    "\u2edb": "风",
    "\u2edc": "飞",
    "\u2edd": "食",
    "\u2ee2": "马",
    "\u2ee3": "骨",
    "\u2ee4": "鬼",
    "\u2ee5": "鱼",
    "\u2ee6": "鸟",
    "\u2ee7": "卤",
    "\u2ee8": "麦",
    "\u2ee9": "黄",
    "\u2eec": "齐",
    "\u2eee": "齿",
    "\u2ef0": "龙",
}
_QUOTES = {c: '"' for c in "“”„‟〝〞〟＂«»"} | {c: "'" for c in "‘’‚‛′＇‹›"}
_DASHES = {c: "-" for c in "‐‑‒–—―−﹘﹣－⸺⸻"}
# Full-width ASCII (，：！Ａ１) as NFKC maps it, so that text from Word is usually in normal
# form after the table alone and the (slower) normalisation can be skipped.
_FULL_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
# Kangxi radicals and CJK compatibility ideographs, each one character in NFKC, likewise.
_ONE_TO_ONE = {
    chr(code): unicodedata.normalize("NFKC", chr(code))
    for low, high in ((0x2F00, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1D))
    for code in range(low, high + 1)
    if len(unicodedata.normalize("NFKC", chr(code))) == 1
}
_TABLE = str.maketrans(_ONE_TO_ONE | _FULL_WIDTH | _RADICALS | _QUOTES | _DASHES)
_SOFT_HYPHEN = "\u00ad"
_CJK = (
    "\u3001-\u303f"  # CJK punctuation (。、「」…), not the ideographic space (NFKC makes it a space)
    "\u3400-\u4dbf\u4e00-\u9fff"  # extension A, unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs NFKC leaves alone
    "\uff01-\uff65"  # full-width forms NFKC keeps
    "\U00020000-\U0003134f"  # extensions B-G
)
# Each pattern is a single character class or a class run between two one-character
# assertions: the engine never backtracks more than the run it has just read.
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[^\\S\\n\\r]+(?=[{_CJK}])")
_HYPHEN_BREAK = re.compile("(?<=[A-Za-z])[-\u00ad][ \\t]*\\r?\\n[ \\t]*(?=[a-z])")
# Unicode's format characters (category Cf): zero-width spaces and joiners, direction marks,
# the soft hyphen, the byte-order mark, tags.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def normalise_text(text: str) -> str:
    """The text in its comparable normal form (see the module's docstring)."""
    text = _HYPHEN_BREAK.sub("", compatibility_form(text))
    return _CJK_GAP.sub("", _FORMAT.sub("", text))


def compatibility_form(text: str) -> str:
    """NFKC, with the radicals, quotation marks and dashes each reduced to one character."""
    text = text.translate(_TABLE)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text).translate(_TABLE)


def is_cjk(char: str) -> bool:
    """A Chinese character or CJK punctuation: the characters between which a space is layout."""
    return _CJK_CHAR.fullmatch(char) is not None


_CJK_CHAR = re.compile(f"[{_CJK}]")
