"""The format check of a case report against the official template."""

from __future__ import annotations

from xinan_reportformat.charcount import CHAR_LIMIT, count_chars, count_report_chars
from xinan_reportformat.lines import ARTISTIC_WORDS
from xinan_reportformat.model import (
    AUTHOR_SECTIONS,
    OFFICIAL_SUBTITLE_FORM,
    OTHER_SECTION,
    SECTION_ORDER,
    TEMPLATE_HEADINGS,
    Problem,
    Report,
    Severity,
)
from xinan_reportformat.subtitle import is_placeholder, parse_subtitle

ERROR = Severity.ERROR
WARNING = Severity.WARNING
_OFFICIAL_DASH = "——"


def check_report(report: Report, *, char_limit: int = CHAR_LIMIT) -> list[Problem]:
    """Return every format problem of the report, errors and warnings."""
    problems: list[Problem] = []
    problems += check_title(report)
    problems += check_subtitle(report)
    problems += check_sections(report)
    problems += check_length(report, char_limit)
    problems += check_footnote(report)
    problems += check_leftovers(report)
    return problems


def check_title(report: Report) -> list[Problem]:
    if report.title.strip():
        return []
    return [
        Problem(
            "title_missing",
            ERROR,
            "缺少主标题。主标题由作者根据案例主要特点自拟，写在第一行。",
            start=0,
            end=0,
        )
    ]


def check_subtitle(report: Report) -> list[Problem]:
    place = _subtitle_place(report)
    if not report.subtitle:
        message = f"缺少副标题。副标题应统一表述为“{OFFICIAL_SUBTITLE_FORM}”。"
        return [Problem("subtitle_missing", ERROR, message, **place)]
    info = parse_subtitle(report.subtitle_dash + report.subtitle)
    if not info.recognised:
        message = f"副标题不符合规定格式，应为“{OFFICIAL_SUBTITLE_FORM}”。"
        return [Problem("subtitle_form", ERROR, message, **place)]
    problems = _check_subtitle_wording(info.official_form, report.subtitle_dash, place)
    problems += _check_slot(info.trigger, "trigger", "诱发事件", "如“恋爱挫折”“学业压力”“抑郁症”", place)
    problems += _check_slot(info.nature, "nature", "危机性质", "如“自我伤害”“轻生自杀”“攻击伤人”", place)
    return problems


def _check_subtitle_wording(official: bool, dash: str, place: dict) -> list[Problem]:
    problems = []
    if not official:
        message = f"副标题的措辞与规定表述不完全一致，建议改为“{OFFICIAL_SUBTITLE_FORM}”的形式。"
        problems.append(Problem("subtitle_wording", WARNING, message, **place))
    if dash != _OFFICIAL_DASH:
        written = f"“{dash}”" if dash else "没有破折号"
        message = f"副标题前应使用中文破折号“——”（目前为{written}）。"
        problems.append(Problem("subtitle_dash", WARNING, message, **place))
    return problems


def _check_slot(value: str | None, code: str, label: str, example: str, place: dict) -> list[Problem]:
    if value is None:
        message = f"无法从副标题中识别{label}，请在“一例由……引发的……危机”中写明{label}（{example}）。"
        return [Problem(f"{code}_missing", ERROR, message, **place)]
    if is_placeholder(value):
        message = f"副标题中的{label}仍是模板占位文字“{value}”，请改为本案例的{label}（{example}）。"
        return [Problem(f"{code}_placeholder", ERROR, message, **place)]
    return []


def _subtitle_place(report: Report) -> dict:
    if report.subtitle_offset < 0:
        return {"start": None, "end": None}
    end = report.subtitle_offset + len(report.subtitle_dash) + len(report.subtitle)
    return {"start": report.subtitle_offset, "end": end}


def check_sections(report: Report) -> list[Problem]:
    problems = _missing_sections(report)
    problems += _misordered_sections(report)
    problems += _repeated_or_unknown_sections(report)
    problems += _empty_sections(report)
    return problems


def _missing_sections(report: Report) -> list[Problem]:
    present = {s.key for s in report.sections}
    problems = []
    for key in AUTHOR_SECTIONS:
        if key not in present:
            heading = TEMPLATE_HEADINGS[key]
            message = f"缺少“{heading}”部分。案例报告应依次包括：{_template_outline()}。"
            problems.append(Problem("section_missing", ERROR, message, section=str(key)))
    return problems


def _misordered_sections(report: Report) -> list[Problem]:
    rank = {str(key): position for position, key in enumerate(SECTION_ORDER)}
    highest = -1
    problems = []
    for section in report.sections:
        position = rank.get(section.key)
        if position is None:
            continue
        if position < highest:
            message = f"“{section.heading}”部分的位置不对。各部分应依次为：{_template_outline()}。"
            problems.append(Problem("section_order", ERROR, message, **_section_place(section)))
        highest = max(highest, position)
    return problems


def _repeated_or_unknown_sections(report: Report) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for section in report.sections:
        if section.key == OTHER_SECTION:
            message = f"“{section.heading}”不属于模板中的任何部分。模板各部分为：{_template_outline()}。"
            problems.append(Problem("section_unknown", WARNING, message, **_section_place(section)))
        elif section.key in seen:
            message = f"“{section.heading}”部分重复出现，请合并为一处。"
            problems.append(Problem("section_repeated", WARNING, message, **_section_place(section)))
        seen.add(section.key)
    return problems


def _empty_sections(report: Report) -> list[Problem]:
    problems = []
    for section in report.sections:
        if section.key in AUTHOR_SECTIONS and count_chars(section.text) == 0:
            message = f"“{section.heading}”部分没有内容，请补充。"
            problems.append(Problem("section_empty", ERROR, message, **_section_place(section)))
    return problems


def _section_place(section) -> dict:
    end = section.end_offset if section.end_offset >= 0 else None
    return {"section": section.key, "start": section.start_offset, "end": end}


def _template_outline() -> str:
    return "、".join(TEMPLATE_HEADINGS[key] for key in SECTION_ORDER)


def check_length(report: Report, char_limit: int = CHAR_LIMIT) -> list[Problem]:
    count = count_report_chars(report)
    if count <= char_limit:
        return []
    message = (
        f"正文共 {count} 字，超过 {char_limit} 字的上限（多出 {count - char_limit} 字）。"
        "计数范围为各部分正文，不含标题、副标题、小标题、脚注和专家点评。"
    )
    return [Problem("too_long", ERROR, message)]


def check_footnote(report: Report) -> list[Problem]:
    if any(ARTISTIC_WORDS in f.text for f in report.footnotes):
        return []
    message = (
        "未找到关于艺术加工的脚注。如案例中的人物身份或情节做过艺术加工，请在副标题后加脚注说明："
        "“文中所有人的身份信息以及案例情节都已进行过艺术加工，请勿对号入座，如有雷同，纯属巧合。”"
    )
    return [Problem("footnote_missing", WARNING, message, **_subtitle_place(report))]


def check_leftovers(report: Report) -> list[Problem]:
    problems = []
    if report.has_sample_marker:
        problems.append(Problem("sample_marker", WARNING, "文中保留了模板的“(样例)”字样，请删除。"))
    if report.preamble.strip():
        message = "副标题和第一个小标题之间有不属于任何部分的文字，请移入相应部分或删除。"
        problems.append(Problem("preamble_text", WARNING, message))
    return problems
