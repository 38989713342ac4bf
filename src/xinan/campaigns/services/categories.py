"""Free text to the campaign's controlled categories (诱发事件, 危机性质).

A report's subtitle names the trigger and the nature in the author's words ("抑郁症", "自杀"); the
statistics count the campaign's categories ("疾患", "轻生自杀"). `suggest_category` proposes the one
category the words mean, or none when it cannot tell; the filer confirms or picks another, and a
submission is only submitted with a category of the campaign's lists, so one category is never
split into two rows.
"""

from __future__ import annotations

import unicodedata

# Words that point at a category of the notice's lists (DEFAULT_TRIGGERS, DEFAULT_NATURES). A
# campaign with other categories still gets exact and containment matches.
KEYWORDS = {
    # 诱发事件
    "学业": ("学业", "学习", "考试", "挂科", "成绩", "升学", "考研", "毕业", "论文", "退学", "休学", "留级"),
    "经济": ("经济", "贫困", "家境", "债", "贷", "欠款", "缺钱", "资助"),
    "交往": ("交往", "人际", "同学关系", "室友", "宿舍矛盾", "欺凌", "霸凌", "孤立", "冲突"),
    "家庭": ("家庭", "父母", "亲子", "离异", "离婚", "家暴", "家人"),
    "疾患": ("疾患", "疾病", "抑郁", "焦虑", "躁郁", "双相", "患病", "病情"),
    "恋爱": ("恋爱", "失恋", "感情", "分手", "情感"),
    "丧失": ("丧失", "丧亲", "去世", "离世", "病故", "亡故"),
    # 危机性质
    "自我伤害": ("自我伤害", "自伤", "自残", "割腕", "划伤"),
    "轻生自杀": ("轻生", "自杀", "自尽", "跳楼", "寻死"),
    "攻击伤人": ("攻击", "伤人", "伤害他人", "暴力", "行凶"),
    "精神障碍急性发作": ("精神障碍", "精神病", "精神分裂", "急性发作", "躁狂", "幻觉", "妄想"),
}


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def suggest_category(text: str, categories: list[str]) -> str:
    """The one category of ``categories`` that ``text`` means, or "" when none or several do."""
    words = _norm(text)
    if not words:
        return ""
    for category in categories:
        if _norm(category) == words:
            return category
    contained = [c for c in categories if _norm(c) and (_norm(c) in words or words in _norm(c))]
    if len(contained) == 1:
        return contained[0]
    if len(contained) > 1:
        return ""
    by_keyword = [c for c in categories if any(key in words for key in KEYWORDS.get(_norm(c), ()))]
    return by_keyword[0] if len(by_keyword) == 1 else ""
