"""The structured model of a case report (案例报告) and of a format problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SectionKey(StrEnum):
    """The template's sections, in the template's order."""

    BASIC_INFO = "basic_info"
    OCCURRENCE = "occurrence"
    PROCESS = "process"
    RESULT = "result"
    EXPERIENCE = "experience"
    COMMENTARY = "commentary"


# A heading that is numbered like a section but matches no template section.
OTHER_SECTION = "other"

SECTION_ORDER: tuple[SectionKey, ...] = tuple(SectionKey)

# The sections the author writes; 专家点评 is added by reviewers later.
AUTHOR_SECTIONS: tuple[SectionKey, ...] = SECTION_ORDER[:-1]

TEMPLATE_HEADINGS: dict[str, str] = {
    SectionKey.BASIC_INFO: "当事人基本信息",
    SectionKey.OCCURRENCE: "危机的发生",
    SectionKey.PROCESS: "干预过程",
    SectionKey.RESULT: "干预结果",
    SectionKey.EXPERIENCE: "经验分享",
    SectionKey.COMMENTARY: "专家点评",
}

OFFICIAL_SUBTITLE_FORM = "——一例由（诱发事件）引发的（危机性质）危机的干预报告"

ARTISTIC_FOOTNOTE = "文中所有人的身份信息以及案例情节都已进行过艺术加工，请勿对号入座，如有雷同，纯属巧合。"


@dataclass(frozen=True)
class Section:
    """One section of the report.

    ``heading`` is the heading as written, without its numbering ("一、");
    ``start_offset`` is where the heading line starts in ``Report.raw_text``.
    """

    key: str
    heading: str
    text: str
    start_offset: int
    end_offset: int = -1


@dataclass(frozen=True)
class Footnote:
    marker: str
    text: str
    start_offset: int = -1


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    raw_text: str = ""
    # The dash written before the subtitle ("——", "--", …), "" when none.
    subtitle_dash: str = ""
    subtitle_offset: int = -1
    # Text between the subtitle and the first heading, belonging to no section.
    preamble: str = ""
    # The "(样 例)" marker of the official sample was present.
    has_sample_marker: bool = False

    def section(self, key: str) -> Section | None:
        """Return the first section with this key, or None."""
        return next((s for s in self.sections if s.key == key), None)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "提示"}


@dataclass(frozen=True)
class Problem:
    """One finding of the format check; ``message`` is shown to the author."""

    code: str
    severity: Severity
    message: str
    section: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "section": self.section,
            "start": self.start,
            "end": self.end,
        }
