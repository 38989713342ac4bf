"""Reading the subtitle "——一例由（诱发事件）引发的（危机性质）危机的干预报告"."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Dashes authors type before the subtitle: —— (U+2014), ― (U+2015), ─ (box
# drawing), － (full-width hyphen), – (en dash), - and ~ in runs.
DASH_CHARS = "—―─－–-‒﹘﹣~～"
_LEADING_DASH = re.compile("^[" + re.escape(DASH_CHARS) + "]+")
FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹⁰*＊†‡"
_FOOTNOTE_REF = re.compile("[" + re.escape(FOOTNOTE_MARKS) + r"]+|\[\d{1,2}\]|［\d{1,2}］")
_SPACES = re.compile(r"\s+")
_MAX_SUBTITLE_LENGTH = 200

_OPEN = "（(【[“\"‘'「《〔"
_CLOSE = "）)】]”\"’'」》〕"

# The official form; 的 after 引发 is optional because the official sample
# itself writes "引发自杀危机".
_OFFICIAL = re.compile(r"^一例由(?P<trigger>.+?)引发的?(?P<nature>.+?)危机的干预报告$")

# What authors actually write: 一个/一起, 由 left out, 引起/导致/诱发,
# "危机干预报告", "危机的干预案例报告", "危机案例" …
_TOLERANT = re.compile(
    r"^一[例个起则](?:由|因)?(?P<trigger>.+?)(?:所)?(?:引发|引起|导致|诱发|造成)的?"
    r"(?P<nature>.+?)危机(?:事件)?(?:的)?(?:心理)?(?:干预)?(?:个案|案例)?(?:报告|案例|个案)?$"
)

_PLACEHOLDERS = frozenset({"xxx", "xx", "x", "…", "...", "诱发事件", "危机性质", "某某"})


@dataclass(frozen=True)
class SubtitleInfo:
    """What was read from a subtitle line.

    ``official_form`` is true when the body matches the official wording;
    ``recognised`` is true when at least a tolerant variant matched.
    """

    dash: str
    body: str
    trigger: str | None
    nature: str | None
    official_form: bool
    recognised: bool


def looks_like_subtitle(line: str) -> bool:
    """Tell whether a header line is meant as the subtitle."""
    stripped = line.strip()
    if _LEADING_DASH.match(stripped) and len(stripped) > 2:
        return True
    body = _normalise_body(stripped)
    return body.startswith(("一例", "一个由", "一起由")) or "干预报告" in body


def split_dash(line: str) -> tuple[str, str]:
    """Split the leading dash off a subtitle line: ("——", "一例由…")."""
    stripped = line.strip()
    match = _LEADING_DASH.match(stripped)
    if not match:
        return "", stripped
    return match.group(0), stripped[match.end() :].strip()


def parse_subtitle(line: str) -> SubtitleInfo:
    """Read the dash, trigger and crisis nature from a subtitle line.

    Never raises: anything unreadable gives ``recognised=False``.
    """
    dash, rest = split_dash(line or "")
    body = _normalise_body(rest)
    match = None
    if len(body) <= _MAX_SUBTITLE_LENGTH:
        match = _OFFICIAL.match(body) or _TOLERANT.match(body)
    if not match:
        return SubtitleInfo(dash, body, None, None, False, False)
    trigger = _clean_slot(match.group("trigger"))
    nature = _clean_slot(match.group("nature"))
    official = match.re is _OFFICIAL
    return SubtitleInfo(dash, body, trigger, nature, official, True)


def strip_footnote_refs(text: str) -> str:
    """Remove footnote reference marks such as ¹ or [1] from a line."""
    return _FOOTNOTE_REF.sub("", text).strip()


def has_footnote_ref(text: str) -> bool:
    return bool(_FOOTNOTE_REF.search(text))


def is_placeholder(slot: str | None) -> bool:
    """Tell whether a slot still holds the template's placeholder."""
    if slot is None:
        return False
    return slot.lower() in _PLACEHOLDERS or bool(re.fullmatch(r"[xX×]+", slot))


def _normalise_body(text: str) -> str:
    return _SPACES.sub("", strip_footnote_refs(text))


def _clean_slot(slot: str) -> str | None:
    value = slot.strip()
    # Unwrap brackets and quotes written around the slot, possibly nested.
    while len(value) >= 2 and value[0] in _OPEN and value[-1] in _CLOSE:
        value = value[1:-1].strip()
    value = value.strip("，,、的 ")
    return value or None
