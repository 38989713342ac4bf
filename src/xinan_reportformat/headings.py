"""Recognising section headings as real authors write them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xinan_reportformat.model import SectionKey

_CN_DIGITS = "一二三四五六七八九十"
_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"

# Numbering prefixes, each with a name ("kind") so that a document's own
# section style can be told apart from the numbered items inside a section.
_NUMBERING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第[{_CN_DIGITS}\d]+(?:部分|节|章|点)\s*[、.．:：]?\s*")),
    ("paren_cn", re.compile(rf"^[（(]\s*[{_CN_DIGITS}]+\s*[)）]\s*[、.．]?\s*")),
    ("cn", re.compile(rf"^[{_CN_DIGITS}]+\s*[、.．,，:：]\s*")),
    ("paren_num", re.compile(r"^[（(]\s*\d{1,2}\s*[)）]\s*[、.．]?\s*")),
    ("num", re.compile(r"^\d{1,2}\s*(?:[、:：)）]|[.．](?!\d))\s*")),
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]\s*")),
    ("roman", re.compile(rf"^(?:[{_ROMAN}]|[IVX]{{1,4}})\s*[、.．]\s*")),
)

_WRAPPERS = "【】[]《》〔〕「」"
_TRAILING = "：:。.；;，,"
_SENTENCE_PUNCT = re.compile(r"[。！？!?；;，,]")
_SPACES = re.compile(r"\s+")
_INLINE_SPLIT = re.compile(r"[：:]")
_INLINE_GAP = re.compile(r"\s+")

# A heading's words are short; a longer line is a sentence, not a heading.
MAX_HEADING_CORE = 14

# Checked in this order: the first section whose pattern matches wins, so a
# combined heading such as "干预结果与反思" is read as the result section.
_SECTION_PATTERNS: tuple[tuple[SectionKey, re.Pattern[str]], ...] = (
    (SectionKey.COMMENTARY, re.compile(r"点评|评析|专家意见|专家评语|专家建议")),
    (
        SectionKey.BASIC_INFO,
        re.compile(
            r"基本信息|基本情况|基本资料|一般资料|个人信息|个人情况|当事人信息|当事人情况|个案概况|案主|来访者信息|背景信息|个案背景"
        ),
    ),
    (
        SectionKey.PROCESS,
        re.compile(
            r"干预(?:的)?(?:过程|经过|措施|方法|步骤|实施|策略|方案|工作)|处理过程|处置过程|处置经过|处理经过|^危机干预$|^过程$|^干预$"
        ),
    ),
    (
        SectionKey.RESULT,
        re.compile(r"结果|效果|成效|结局|转归|^后续$|跟踪随访|后续跟踪"),
    ),
    (
        SectionKey.EXPERIENCE,
        re.compile(r"经验|反思|启示|体会|教训|总结|思考|讨论|心得"),
    ),
    (
        SectionKey.OCCURRENCE,
        re.compile(
            r"危机(?:事件)?的?(?:发生|发现|出现|经过|概况|表现|缘起|始末)|事件(?:的)?(?:发生|经过|概况)|发生经过|^发生$|^危机$|^危机事件$|^事件经过$|问题(?:的)?(?:发现|发生)"
        ),
    ),
)


@dataclass(frozen=True)
class HeadingMatch:
    """A line read as a heading.

    ``key`` is a ``SectionKey`` or None when the words match no template
    section; ``numbering_kind`` is None for an unnumbered line; ``rest`` is
    body text written on the same line after a colon.
    """

    key: SectionKey | None
    heading: str
    numbering_kind: str | None
    rest: str
    number: int | None = None


def split_numbering(line: str) -> tuple[str | None, str, str]:
    """Split "（一）危机的发生" into ("paren_cn", "（一）", "危机的发生")."""
    # Markdown-like decoration ("## ", "**…**"), stripped without a regex
    # so that hostile lines cannot make matching slow.
    text = line.strip().lstrip("#* \t").rstrip("* \t")
    for kind, pattern in _NUMBERING:
        match = pattern.match(text)
        if match:
            return kind, match.group(0), text[match.end() :].strip()
    return None, "", text


def read_heading(line: str) -> HeadingMatch | None:
    """Read a line as a heading, or return None when it is body text."""
    kind, prefix, text = split_numbering(line)
    if kind is None and text.endswith(("。", "！", "？", "!", "?")):
        return None
    candidates = _inline_splits(text, kind)
    candidates.append((text, ""))
    inline = _INLINE_SPLIT.search(text)
    if inline:
        candidates.append((text[: inline.start()], text[inline.end() :].strip()))
    for head, rest in candidates:
        core = heading_core(head)
        if not _is_short_heading(core):
            continue
        key = classify_heading(core)
        if key is not None or (kind is not None and not rest):
            return HeadingMatch(key, _clean_heading(head), kind, rest, numbering_value(prefix))
    return None


def _inline_splits(text: str, kind: str | None) -> list[tuple[str, str]]:
    """Heading words followed by a sentence on the same line, after a colon
    ("一、基本信息：小赵……。") or, for a numbered line, after a space."""
    splits = []
    inline = _INLINE_SPLIT.search(text)
    if inline:
        splits.append((text[: inline.start()], text[inline.end() :].strip()))
    gap = _INLINE_GAP.search(text) if kind is not None else None
    if gap:
        splits.append((text[: gap.start()], text[gap.end() :].strip()))
    return [(head, rest) for head, rest in splits if _SENTENCE_PUNCT.search(rest)]


def numbering_value(prefix: str) -> int | None:
    """The number a numbering prefix stands for: "（三）" → 3, "12." → 12."""
    digits = "".join(c for c in prefix if c.isdigit())
    if digits:
        return int(digits)
    numerals = "".join(c for c in prefix if c in _CN_DIGITS)
    return _chinese_value(numerals) if numerals else None


def _chinese_value(numerals: str) -> int | None:
    units = {c: n for n, c in enumerate(_CN_DIGITS[:9], start=1)}
    if "十" not in numerals:
        return units.get(numerals) if len(numerals) == 1 else None
    tens, _, ones = numerals.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (units.get(tens, 0) if tens else 1) * 10 + (units.get(ones, 0) if ones else 0)


def heading_core(text: str) -> str:
    """Return the words of a heading: no spaces, wrappers or end colon."""
    core = _SPACES.sub("", text)
    core = core.strip(_WRAPPERS).rstrip(_TRAILING).strip(_WRAPPERS)
    return core


def classify_heading(core: str) -> SectionKey | None:
    """Map a heading's words to a template section, or None."""
    for key, pattern in _SECTION_PATTERNS:
        if pattern.search(core):
            return key
    return None


def _is_short_heading(core: str) -> bool:
    return 0 < len(core) <= MAX_HEADING_CORE and not _SENTENCE_PUNCT.search(core)


def _clean_heading(text: str) -> str:
    return text.strip().strip(_WRAPPERS).rstrip(_TRAILING).strip()


def is_numbered_item(line: str) -> bool:
    """Tell whether a line starts with list numbering ("1.", "（二）", "①")."""
    kind, _, _ = split_numbering(line)
    return kind is not None
