"""Generated case reports (never real) for the load users: a pool of distinct reports in the
template's five sections, each rendered once to Word and PDF by xinan_reportformat.

Distinct bodies keep the originality check honest: identical uploads would all match one
another, which no real campaign does."""

from __future__ import annotations

import random

from xinan_reportformat import parse_text, to_docx, to_pdf

TITLES = ["携手同行 守护生命", "点亮心灯", "风雨之后见彩虹", "陪伴的力量", "重新出发", "倾听与守望"]
TRIGGERS = ["学业挫折", "家庭变故", "人际冲突", "经济困难", "恋爱受挫"]
NATURES = ["自我伤害", "轻生自杀"]
ALIASES = ["小林", "小周", "小安", "小宁", "小舟", "小禾", "小溪", "小远"]
BASIC = [
    "性格内向，学习刻苦，平时很少与人交流。",
    "入学后担任班级干部，做事认真，对自己要求很高。",
    "喜欢阅读和绘画，朋友不多，周末常独自待在宿舍。",
    "来自外省，第一次离家生活，适应新环境较慢。",
    "成绩中上，参加过学校的志愿服务活动。",
]
EVENT = [
    "期中考试后，{a}在宿舍用小刀划伤手臂，室友发现后立即报告辅导员。",
    "一天深夜，{a}在朋友圈发布告别的话语，同学看到后马上联系了辅导员。",
    "{a}连续三天没有上课，室友发现其情绪低落、反复说活着没有意思。",
    "{a}在与同学争执后独自登上教学楼天台，保安发现后及时报告。",
    "{a}在心理课后找到任课老师，说最近总想到伤害自己。",
]
PROCESS = [
    "辅导员赶到现场陪伴{a}，卫生老师为其处理伤口。",
    "心理中心当天完成评估，判断为高风险，启动危机干预流程。",
    "学校与家长沟通，家长当晚赶到学校，共同签署安全计划书。",
    "在家长陪同下，{a}到精神卫生中心就诊，医生给出治疗建议。",
    "班级安排两名同学作为朋辈支持，辅导员每天了解情况。",
    "咨询师每周为{a}安排一次心理辅导，帮助其学习调节情绪的方法。",
    "学院与任课老师沟通，适当调整作业安排，减轻学业压力。",
]
RESULT = [
    "经过转介就医和持续跟踪，{a}情绪逐步平稳，学期末顺利参加考试，危机解除。",
    "三个月后，{a}恢复正常学习生活，主动参加社团活动，危机解除。",
    "{a}按时复诊，睡眠和情绪明显改善，与家人的关系也有了好转。",
]
LESSONS = [
    "及早发现、团队协作和家校合作是干预成功的关键。",
    "朋辈的细心观察为干预争取了宝贵时间。",
    "危机解除后的持续跟踪同样重要，不能过早放松。",
    "干预过程中要尊重学生，保护隐私，让学生感到被理解。",
]
FOOTNOTE = "文中所有人的身份信息以及案例情节都已进行过艺术加工，请勿对号入座，如有雷同，纯属巧合。"


def report_text(rng: random.Random) -> str:
    alias = rng.choice(ALIASES)
    pick = lambda pool, n: "".join(s.format(a=alias) for s in rng.sample(pool, n))  # noqa: E731
    lines = [
        rng.choice(TITLES),
        f"——一例由{rng.choice(TRIGGERS)}引发的{rng.choice(NATURES)}危机的干预报告",
        "一、当事人基本信息",
        f"{alias}（化名），{rng.choice(['女', '男'])}，{rng.randint(18, 22)}岁，就读于某大学某专业。" + pick(BASIC, 2),
        "二、危机的发生",
        pick(EVENT, 2),
        "三、干预过程",
        pick(PROCESS, 4),
        "四、干预结果",
        pick(RESULT, 1),
        "五、经验分享",
        pick(LESSONS, 2),
        FOOTNOTE,
    ]
    return "\n".join(lines) + "\n"


def report_pool(size: int, seed: int = 2026) -> list[tuple[bytes, bytes]]:
    """``size`` distinct reports as (docx bytes, pdf bytes)."""
    rng = random.Random(seed)
    pool = []
    for _ in range(size):
        report = parse_text(report_text(rng))
        pool.append((to_docx(report), to_pdf(report)))
    return pool
