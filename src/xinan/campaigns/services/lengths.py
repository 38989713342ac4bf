"""The campaign's word-limit rule: one place decides whether a report's length is fine, worth a
warning, or refused, from the count and the campaign's limit, mode and tolerance.

The count itself is `xinan_reportformat.count_report_chars` (every visible character of the five
author sections is one 字, punctuation included). The verdict is computed when it is needed, from
the stored count and the campaign as it is now, so a report uploaded before the campaign's
settings were changed is judged by the current settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from xinan.campaigns.enums import CharLimitMode

# The format checker's own fixed-limit problem; the campaign's rule replaces it.
FIXED_LIMIT_CODE = "too_long"

OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass(frozen=True)
class LengthVerdict:
    level: str  # OK, WARNING or ERROR
    message: str


def allowed_chars(campaign) -> int:
    """The most 字 a report may have without being refused in hard mode."""
    return campaign.char_limit + campaign.char_limit * campaign.char_tolerance // 100


def counting_rule() -> str:
    """The counting rule as the filer reads it next to the count."""
    return _(
        "计数规则：各部分正文中的汉字、标点符号、字母和数字各计1字（标点符号计入字数），空格和换行不计；"
        "标题、副标题、小标题、脚注和专家点评不计入。"
    )


def limit_rule(campaign) -> str:
    """The campaign's limit as one sentence: limit, tolerance and what happens beyond it."""
    if campaign.char_tolerance:
        text = _("本次征集正文上限 %(limit)s 字，允许浮动 %(tol)s%%（最多 %(allowed)s 字）") % {
            "limit": campaign.char_limit,
            "tol": campaign.char_tolerance,
            "allowed": allowed_chars(campaign),
        }
    else:
        text = _("本次征集正文上限 %(limit)s 字") % {"limit": campaign.char_limit}
    if campaign.char_limit_mode == CharLimitMode.HARD:
        return text + _("，超出后不能提交。")
    return text + _("，超出时只作提醒，仍可提交。")


def length_verdict(campaign, count: int | None) -> LengthVerdict:
    if count is None or count <= campaign.char_limit:
        return LengthVerdict(OK, "")
    over = count - campaign.char_limit
    allowed = allowed_chars(campaign)
    values = {
        "count": count,
        "limit": campaign.char_limit,
        "over": over,
        "tol": campaign.char_tolerance,
        "allowed": allowed,
        "cut": count - allowed,
    }
    if count <= allowed:
        return LengthVerdict(
            WARNING,
            _(
                "正文共 %(count)s 字，超过 %(limit)s 字的上限 %(over)s 字，在本次征集允许的 %(tol)s%% "
                "浮动范围内（最多 %(allowed)s 字），可以提交；建议适当精简。"
            )
            % values,
        )
    if campaign.char_limit_mode == CharLimitMode.HARD:
        return LengthVerdict(
            ERROR,
            _(
                "正文共 %(count)s 字，超过本次征集允许的最多 %(allowed)s 字（上限 %(limit)s 字，浮动 %(tol)s%%），"
                "不能提交；请删减至少 %(cut)s 字后重新上传 Word 和 PDF 文件。"
            )
            % values,
        )
    return LengthVerdict(
        WARNING,
        _(
            "正文共 %(count)s 字，超过 %(limit)s 字的上限 %(over)s 字，也超出了 %(tol)s%% 的浮动范围"
            "（最多 %(allowed)s 字）。本次征集对字数只作提醒，仍可提交，但请尽量精简。"
        )
        % values,
    )
