"""Approved submissions to recommend from: filed, submitted and approved as the province's review would."""

from __future__ import annotations

import functools

import pytest

from tests.campaign_fixtures import REPORT_TEXT, report_files
from tests.factories import UserFactory
from xinan.campaigns.models import FilingRight
from xinan.campaigns.services import filing

TITLES = [
    "携手同行 守护生命",
    "春风化雨 润物无声",
    "多方协同 化险为夷",
    "守望相助 点亮心灯",
    "以心换心 重拾希望",
    "家校共育 转危为机",
]
INFO = {
    "authors": [{"name": "测试作者", "unit": "某大学心理中心", "position": "专职咨询师"}],
    "contact_phone": "13712345678",
    "outcome": "successful",
}


@functools.lru_cache(maxsize=16)
def _files(title: str) -> tuple[bytes, bytes]:
    """Word and PDF of a report with this title, built once per test run (rendering is the slow part)."""
    return report_files(REPORT_TEXT.replace(TITLES[0], title, 1))


def make_approved(world, campaign, *, school, title: str):
    filer = UserFactory()
    FilingRight.objects.create(campaign=campaign, filer=filer, school=school, granted_by=world.provincial_admin_a)
    submission = filing.start_submission(campaign, filer=filer)
    docx, pdf = _files(title)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=filer)
    filing.update_info(submission, by=filer, **INFO)
    filing.agree_declarations(submission, by=filer)
    filing.submit(submission, by=filer)
    return filing.move_submission(
        submission,
        to="approved",
        allowed_from={"submitted"},
        by=world.provincial_admin_a,
        reason="",
        request=None,
        action="approve",
    )


@pytest.fixture
def approved(world, campaign):
    """Four approved cases of province A (two schools) and one of province B."""
    schools = [world.school_a, world.school_a, world.school_a2, world.school_a2]
    cases = [make_approved(world, campaign, school=s, title=t) for s, t in zip(schools, TITLES, strict=False)]
    cases.append(make_approved(world, campaign, school=world.school_b, title=TITLES[4]))
    return cases
