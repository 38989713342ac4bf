"""Fixtures of the expert review: submitted cases of province A, its reviewers and its round."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import person
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import Submission
from xinan.organisations.enums import Role
from xinan.reviews.enums import RoundLevel
from xinan.reviews.models import Assignment
from xinan.reviews.services.assignment import open_round


def make_submission(campaign, school, *, state=SubmissionState.SUBMITTED, title="测试案例", filer=None):
    """A submitted case without files (enough for assignment, ranking and decisions)."""
    filer = filer or person(Role.FILER, school)
    return Submission.objects.create(
        campaign=campaign,
        school=school,
        filer=filer,
        state=state,
        title=title,
        subtitle="——一例由学业挫折引发的自我伤害危机的干预报告",
        authors=[{"name": "测试作者", "unit": "某大学心理中心", "position": "专职咨询师"}],
    )


@dataclass
class Panel:
    """Province A's review: a round, its reviewers, one submission of school A assigned to ``assigned``."""

    round: object
    submission: object
    assignment: object
    assigned: object  # reviewer of province A, assigned to the submission
    not_assigned: object  # reviewer of province A, not assigned
    own_school: object  # reviewer held at school A (the submission's school)


@pytest.fixture
def province_round(world, campaign):
    return open_round(campaign, level=RoundLevel.PROVINCE, province=world.province_a, by=world.provincial_admin_a)


@pytest.fixture
def panel(world, campaign, province_round):
    submission = make_submission(campaign, world.school_a, filer=world.filer_a)
    not_assigned = person(Role.REVIEWER, world.province_a)
    own_school = person(Role.REVIEWER, world.school_a)
    assignment = Assignment.objects.create(
        round=province_round, submission=submission, reviewer=world.reviewer_a, assigned_by=world.provincial_admin_a
    )
    return Panel(province_round, submission, assignment, world.reviewer_a, not_assigned, own_school)


SCORES = {
    "典型性与指导意义": 90,
    "干预过程的规范性与专业性": 80,
    "总结反思的深度": 70,
    "隐私保护与伦理": 100,
    "格式与文字": 60,
}
# 90×30 + 80×30 + 70×20 + 100×10 + 60×10 = 8100, over 100 weight
SCORES_TOTAL = "81.00"


def score_post(scores=SCORES, comment="结构完整，反思深入。"):
    data = {f"score_{index}": value for index, value in enumerate(scores.values())}
    data["comment"] = comment
    return data
