"""Suggested replacements: pseudonyms for people, placeholders for the rest.

Policy (see docs/deid.md):
- a real name becomes a pseudonym with a different surname, marked
  "（化名）" on its first use in the document and bare afterwards; the same
  name always gets the same pseudonym, and people who share a surname keep
  sharing one (李明, 李华 -> 赵X, 赵Y; 小李 -> 小赵);
- schools, departments, hospitals, places become 某大学 / 某学院 / 某医院 / 某地;
- numbers (phone, ID, student number, QQ, WeChat, e-mail) become "[已删除]";
- dates become 某日 / 某月某日 / 某年某月.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .gazetteer import words
from .types import DELETED, PSEUDONYM_KINDS, PSEUDONYM_MARK, Flag, Kind

if TYPE_CHECKING:
    from .engine import Candidate

# Surnames and given names used for pseudonyms: common, unremarkable, and
# never real-sounding celebrity names.
PSEUDO_SURNAMES = (
    "赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔曹严华金魏"
    "陶姜戚谢邹喻柏窦章云苏潘葛范彭郎鲁韦昌马苗凤花方俞任袁柳"
)
PSEUDO_GIVEN_ONE = "敏静磊涛婷浩宁悦琳洁航斌岚鹏颖凯"
PSEUDO_GIVEN_TWO = words(
    "思远 雨桐 子涵 浩然 晓彤 一鸣 欣然 嘉怡 宇航 梓萱 明轩 若溪 亦凡 书瑶 泽宇 佳琪 俊杰 诗雨 晨阳 可欣 文博 "
    "雅婷 天佑 梦琪 锦程 婉清 修远"
)

_SCHOOL_REPLACEMENTS = (
    ("职业技术学院", "某职业技术学院"), ("职业学院", "某职业学院"), ("专科学校", "某专科学校"),
    ("大学", "某大学"), ("学院", "某学院"), ("附属中学", "某中学"), ("附中", "某中学"), ("附小", "某小学"),
    ("小学", "某小学"), ("初中", "某初中"), ("高中", "某高中"), ("中学", "某中学"), ("中专", "某中专"),
    ("职高", "某职高"), ("技校", "某技校"), ("学校", "某学校"), ("中", "某中学"),
)


class _Planner:
    def __init__(self, text: str, declared: set[str]) -> None:
        self.text = text
        self.declared = declared
        self.surname_map: dict[str, str] = {}
        self.name_map: dict[str, str] = {}
        self.char_map: dict[str, str] = {}
        self.used_names: set[str] = set()

    def pick_surname(self, original: str, taken_surnames: set[str]) -> str:
        if original in self.surname_map:
            return self.surname_map[original]
        start = zlib.crc32(original.encode()) % len(PSEUDO_SURNAMES)
        used = set(self.surname_map.values())
        choice = None
        for k in range(len(PSEUDO_SURNAMES)):
            s = PSEUDO_SURNAMES[(start + k) % len(PSEUDO_SURNAMES)]
            if s == original or s in original or s in taken_surnames or s in used:
                continue
            choice = s
            break
        if choice is None:  # more surnames than the pool: allow reuse
            choice = next(s for s in PSEUDO_SURNAMES if s != original and s not in original)
        self.surname_map[original] = choice
        return choice

    def pseudonym(self, name: str, surname: str, given: str, taken: set[str]) -> str:
        if name in self.name_map:
            return self.name_map[name]
        ps = self.pick_surname(surname, taken)
        pool = PSEUDO_GIVEN_TWO if len(given) >= 2 else list(PSEUDO_GIVEN_ONE)
        start = zlib.crc32(name.encode()) % len(pool)
        for k in range(len(pool) * 2):
            g = pool[(start + k) % len(pool)]
            cand = ps + g
            if cand not in self.used_names and cand not in self.text and cand not in self.declared:
                break
        self.used_names.add(cand)
        self.name_map[name] = cand
        return cand

    def given_char(self, ch: str) -> str:
        if ch not in self.char_map:
            pool = PSEUDO_GIVEN_ONE
            start = zlib.crc32(ch.encode()) % len(pool)
            for k in range(len(pool)):
                c = pool[(start + k) % len(pool)]
                if c != ch and c not in self.char_map.values():
                    break
            self.char_map[ch] = c
        return self.char_map[ch]


def plan_replacements(text: str, chosen: list[Candidate], declared: set[str]) -> list[Flag]:
    planner = _Planner(text, declared)
    real_surnames = {c.info["surname"] for c in chosen if c.kind == Kind.PERSON_NAME}
    real_surnames |= {c.info["char"] for c in chosen if c.kind == Kind.NICKNAME and c.info.get("is_surname")}
    flags: list[Flag] = []
    seen_pseudonyms: set[str] = set()
    for c in chosen:
        original = text[c.start : c.end]
        rep = _replacement(planner, c, original, real_surnames)
        marks = c.kind in PSEUDONYM_KINDS and bool(rep) and c.info.get("form") is None
        if marks and rep not in seen_pseudonyms:
            seen_pseudonyms.add(rep)
            rep = rep + PSEUDONYM_MARK
        flags.append(Flag(c.start, c.end, c.kind, c.severity, c.reason, original, rep, marks))
    return flags


def _replacement(p: _Planner, c: Candidate, original: str, taken: set[str]) -> str:
    k = c.kind
    if k == Kind.PERSON_NAME:
        info = c.info
        full = p.pseudonym(info["name"], info["surname"], info["given"], taken)
        ps_given = full[1:]
        form = info.get("form")
        if form is None:
            return full
        if form == "given":
            return ps_given
        last = ps_given[-1]
        return {"double": last * 2, "xiao": "小" + last, "a": "阿" + last}[form]
    if k == Kind.NICKNAME:
        info = c.info
        ch = info["char"]
        new = p.pick_surname(ch, taken) if ch in p.surname_map or info.get("is_surname") else p.given_char(ch)
        if info.get("double"):  # 牛牛妈 → 岚岚妈
            new = p.given_char(ch) * 2
        return info["prefix"] + new + info.get("suffix", "")
    if k == Kind.TEACHER_TITLE:
        return p.pick_surname(c.info["surname"], taken) + c.info["title"]
    if k == Kind.SCHOOL:
        suffix = c.info.get("suffix", "大学")
        for end, rep in _SCHOOL_REPLACEMENTS:
            if suffix.endswith(end):
                return rep
        return "某学校"
    if k == Kind.DEPARTMENT:
        return "某" + c.info.get("suffix", "学院")
    if k == Kind.HOSPITAL:
        suffix = c.info.get("suffix", "医院")
        if "精神卫生中心" in suffix:
            return "某精神卫生中心"
        if "卫生中心" in suffix:
            return "某心理卫生中心"
        return "某医院"
    if k == Kind.GRADE_CLASS:
        if c.info.get("bare"):
            return "某年级"
        if original.endswith("班"):
            return "某年级某班"
        return "某级"
    if k == Kind.ADDRESS:
        return "某地"
    if k == Kind.DATE:
        if c.info.get("full"):
            return "某日"
        if "年" in original and "日" not in original and "号" not in original:
            return "某年某月"
        return "某月某日"
    return DELETED


@dataclass(frozen=True, slots=True)
class Edit:
    """One replacement made: the flag, where it was in the original and where it is now."""

    flag: Flag
    start: int  # in the original text (== flag.start)
    end: int
    new_start: int  # in the text after replacement
    new_end: int
    original: str
    replacement: str  # as written, with "（化名）" where this is the first applied use

    def to_dict(self) -> dict:
        return {
            "start": self.start, "end": self.end, "new_start": self.new_start, "new_end": self.new_end,
            "original": self.original, "replacement": self.replacement, "kind": self.flag.kind.value,
            "severity": self.flag.severity.value, "reason": self.flag.reason,
        }


@dataclass(frozen=True, slots=True)
class Replaced:
    """The text after replacement and every edit made, in reading order."""

    text: str
    edits: tuple[Edit, ...]


def replace(text: str, flags: list[Flag]) -> Replaced:
    """Replace each flagged span by its suggestion; return the new text and the edits made.

    Only whole flagged spans are replaced: every character outside them is kept as it was,
    and each edit says where its replacement now stands, so a caller can show each one and
    undo it (``undo``). Overlapping flags: the first in reading order wins. The "（化名）"
    mark stands on the first *applied* use of each pseudonym (unless the text already has it).
    """
    ordered = sorted(flags, key=lambda f: f.start)
    pieces: list[str] = []
    edits: list[Edit] = []
    pos = 0
    out_len = 0
    marked: set[str] = set()
    for f in ordered:
        if f.start < pos or not (0 <= f.start < f.end <= len(text)) or text[f.start : f.end] != f.text:
            continue  # overlapping, or not a span of this text: never guess where it goes
        rep = f.replacement
        if f.marks_pseudonym and rep:
            base = rep.removesuffix(PSEUDONYM_MARK)
            already_marked = text[f.end : f.end + 4] in (PSEUDONYM_MARK, "(化名)")
            rep = base if base in marked or already_marked else base + PSEUDONYM_MARK
            marked.add(base)
        kept = text[pos : f.start]
        pieces.append(kept)
        out_len += len(kept)
        pieces.append(rep)
        edits.append(Edit(f, f.start, f.end, out_len, out_len + len(rep), f.text, rep))
        out_len += len(rep)
        pos = f.end
    pieces.append(text[pos:])
    return Replaced("".join(pieces), tuple(edits))


def undo(replaced: Replaced, edit: Edit) -> Replaced:
    """Put one edit's original text back; the other edits keep their (shifted) positions.

    A pseudonym's "（化名）" moves to its next remaining use when the undone edit carried it.
    """
    if edit not in replaced.edits:
        raise ValueError("this edit was not made on this text")
    text = replaced.text
    if text[edit.new_start : edit.new_end] != edit.replacement:
        raise ValueError("the text was changed where this edit stands")
    shift = len(edit.original) - len(edit.replacement)
    text = text[: edit.new_start] + edit.original + text[edit.new_end :]
    edits: list[Edit] = []
    moved_mark = edit.flag.marks_pseudonym and edit.replacement.endswith(PSEUDONYM_MARK)
    base = edit.replacement.removesuffix(PSEUDONYM_MARK)
    for e in replaced.edits:
        if e is edit:
            continue
        new_start, new_end = e.new_start, e.new_end
        if new_start >= edit.new_end:
            new_start, new_end = new_start + shift, new_end + shift
        rep = e.replacement
        if moved_mark and e.flag.marks_pseudonym and rep == base and e.start > edit.start:
            text = text[:new_end] + PSEUDONYM_MARK + text[new_end:]
            rep = base + PSEUDONYM_MARK
            shift += len(PSEUDONYM_MARK)
            new_end += len(PSEUDONYM_MARK)
            moved_mark = False
        edits.append(Edit(e.flag, e.start, e.end, new_start, new_end, e.original, rep))
    return Replaced(text, tuple(edits))


def apply_replacements(text: str, flags: list[Flag]) -> str:
    """Replace each flagged span by its suggestion (only the flags given; see ``replace``)."""
    return replace(text, flags).text
