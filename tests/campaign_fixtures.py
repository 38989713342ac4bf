"""Shared campaign fixtures: a campaign open now, a filer of school A who may file, a report as Word + PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from xinan.campaigns.models import Campaign, FilingRight
from xinan_reportformat import parse_text, to_docx, to_pdf

REPORT_TEXT = """携手同行 守护生命
——一例由学业挫折引发的自我伤害危机的干预报告
一、当事人基本信息
小林（化名），女，19岁，就读于某大学某专业。性格内向，学习刻苦。
二、危机的发生
期中考试后，小林在宿舍用小刀划伤手臂，室友发现后立即报告辅导员。
三、干预过程
辅导员赶到现场陪伴小林，卫生老师为其包扎伤口。心理中心当天完成评估，与家长沟通并签署安全计划书。
四、干预结果
经过转介就医和持续跟踪，小林情绪逐步平稳，学期末顺利参加考试，危机解除。
五、经验分享
及早发现、团队协作和家校合作是干预成功的关键。
文中所有人的身份信息以及案例情节都已进行过艺术加工，请勿对号入座，如有雷同，纯属巧合。
"""

# The Ministry's own sample report (附件1 of the notice, seed 000): 2094 字 of body text by our rule.
OFFICIAL_SAMPLE_TEXT = (Path(__file__).parent / "xinan_reportformat" / "data" / "official_sample.txt").read_text(
    encoding="utf-8"
)


def report_files(text: str = REPORT_TEXT) -> tuple[bytes, bytes]:
    report = parse_text(text)
    return to_docx(report), to_pdf(report)


@pytest.fixture
def campaign(world):
    now = timezone.now()
    return Campaign.objects.create(
        title="2026年高校学生心理危机干预案例征集",
        notice="通知正文",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
        province_review_closes_at=now + dt.timedelta(days=20),
        created_by=world.national_admin,
        published_at=now - dt.timedelta(days=1),
    )


@pytest.fixture
def right(world, campaign):
    return FilingRight.objects.create(
        campaign=campaign, filer=world.filer_a, school=world.school_a, granted_by=world.provincial_admin_a
    )
