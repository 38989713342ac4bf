from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.crypto.fields import EncryptedTextField
from xinan.reviews.enums import ASSIGNMENT_STATE_COLOURS, AssignmentState, Decision, RoundLevel


class ReviewRound(models.Model):
    """One expert review of a campaign: a province's (its submitted cases) or the nation's (the recommended ones)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="review_rounds")
    level = models.CharField(_("评审级别"), max_length=10, choices=RoundLevel.choices)
    province = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    blind_to_authors = models.BooleanField(_("匿名评审（专家看不到作者）"), default=True)
    reviews_per_submission = models.PositiveSmallIntegerField(_("每个案例的评审专家人数"), default=3)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审轮次")
        verbose_name_plural = _("评审轮次")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "province"],
                condition=models.Q(level="province"),
                name="review_round_one_per_province",
            ),
            models.UniqueConstraint(
                fields=["campaign"], condition=models.Q(level="nation"), name="review_round_one_national"
            ),
            models.CheckConstraint(
                condition=models.Q(level="nation", province__isnull=True)
                | models.Q(level="province", province__isnull=False),
                name="review_round_province_matches_level",
            ),
            models.CheckConstraint(
                condition=models.Q(reviews_per_submission__gte=1), name="review_round_at_least_one_review"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.level}:{self.province_id or '-'}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Assignment(models.Model):
    """A reviewer asked to review one submission in a round."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments")
    submission = models.ForeignKey("campaigns.Submission", on_delete=models.PROTECT, related_name="review_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        _("状态"), max_length=10, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED
    )

    class Meta:
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "submission", "reviewer"], name="assignment_unique_reviewer"),
        ]
        indexes = [models.Index(fields=["reviewer", "state"])]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.submission_id}:{self.reviewer_id}"

    @property
    def state_colour(self) -> str:
        return ASSIGNMENT_STATE_COLOURS[AssignmentState(self.state)]


class Review(models.Model):
    """A reviewer's scores on the campaign's weighted rubric, and their comment (encrypted at rest)."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(_("各项得分"), default=dict)  # {criterion name: 0..100}
    total = models.DecimalField(_("加权总分"), max_digits=5, decimal_places=2)
    comment = EncryptedTextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("评审意见")
        verbose_name_plural = _("评审意见")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment_id}:{self.total}"


class ConflictDeclaration(models.Model):
    """A reviewer's declared conflict of interest with a school: never assigned its cases."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_conflicts")
    school = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("利益冲突声明")
        verbose_name_plural = _("利益冲突声明")
        constraints = [models.UniqueConstraint(fields=["reviewer", "school"], name="conflict_unique")]

    def __str__(self) -> str:
        return f"{self.reviewer_id}:{self.school_id}"


class StagedDecision(models.Model):
    """A decision the officer has prepared; it takes effect when the round's decisions are published."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="decisions")
    submission = models.ForeignKey("campaigns.Submission", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("决定"), max_length=8, choices=Decision.choices)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    staged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    staged_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("审核决定")
        verbose_name_plural = _("审核决定")
        ordering = ["staged_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission"],
                condition=models.Q(published_at__isnull=True),
                name="staged_decision_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.submission_id}:{self.decision}"
