"""A demo campaign open now, with the demo filers given the right to file."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from xinan.campaigns.models import Campaign, FilingRight
from xinan.organisations.models import Organisation

TITLE = "（演示）高校学生心理危机干预案例报告征集"
NOTICE = (
    "为进一步加强高校心理健康教育工作，现开展学生心理危机干预案例报告征集。每校限报3个案例，"
    "案例报告须按模板撰写，对当事人姓名化名，并对学校、院系、年级、住址、家庭等信息作相应处理，"
    "每篇控制在2000字以内，以 Word 和 PDF 两种格式上传。（本活动为演示数据。）"
)


def ensure_demo_campaign() -> Campaign:
    users = get_user_model().objects
    national = users.get(phone="13900000001")
    now = timezone.now()
    campaign, _created = Campaign.objects.get_or_create(
        title=TITLE,
        defaults={
            "notice": NOTICE,
            "opens_at": now - dt.timedelta(days=1),
            "closes_at": now + dt.timedelta(days=30),
            "province_review_closes_at": now + dt.timedelta(days=45),
            "created_by": national,
            "published_at": now - dt.timedelta(days=1),
            "school_types": ["university"],
        },
    )
    for phone, school_code, province_code in (
        ("13900000110", "9144000001", "440000"),
        ("13900000303", "9133000001", "330000"),
    ):
        province_admin = users.filter(
            memberships__organisation__code=province_code, memberships__role="provincial_admin"
        ).first()
        FilingRight.objects.get_or_create(
            campaign=campaign,
            filer=users.get(phone=phone),
            defaults={
                "school": Organisation.objects.get(code=school_code, kind="school"),
                "granted_by": province_admin,
            },
        )
    return campaign
