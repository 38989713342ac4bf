"""Levels, states and decisions of the expert review (专家评审)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundLevel(models.TextChoices):
    PROVINCE = "province", _("省级评审")
    NATION = "nation", _("全国评审")


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", _("待评审")
    SUBMITTED = "submitted", _("已评审")
    DECLINED = "declined", _("已回避")


# Assignments that count towards a reviewer's load and a submission's k reviewers.
ACTIVE_ASSIGNMENT_STATES = frozenset({AssignmentState.ASSIGNED, AssignmentState.SUBMITTED})
ASSIGNMENT_STATE_COLOURS = {
    AssignmentState.ASSIGNED: "orange",
    AssignmentState.SUBMITTED: "green",
    AssignmentState.DECLINED: "grey",
}


class Decision(models.TextChoices):
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回修改")
    REJECT = "reject", _("不予通过")


DECISION_COLOURS = {Decision.APPROVE: "green", Decision.RETURN: "orange", Decision.REJECT: "red"}
# Decisions that must give the filer a reason.
DECISIONS_WITH_REASON = frozenset({Decision.RETURN, Decision.REJECT})

SCORE_MIN = 0
SCORE_MAX = 100

AUDIT_LABELS = [
    ("xinan.review.round.open", _("开启专家评审")),
    ("xinan.review.round.close", _("结束专家评审")),
    ("xinan.review.assign", _("指派评审专家")),
    ("xinan.review.assign.auto", _("自动分配评审专家")),
    ("xinan.review.conflict", _("声明利益冲突（回避）")),
    ("xinan.review.submit", _("提交专家评审意见")),
    ("xinan.review.decision.stage", _("暂存审核决定")),
    ("xinan.review.decision.publish", _("发布审核决定")),
    # Written by campaigns.services.filing.move_submission when a staged approval is published.
    ("xinan.campaign.submission.approve", _("省级审核通过")),
]
