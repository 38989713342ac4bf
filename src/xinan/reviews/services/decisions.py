"""Staging the officer's decisions and publishing them in one batch, within the province quota."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.campaigns.enums import QuotaMode, SubmissionState
from xinan.campaigns.models import ProvinceQuota, Submission
from xinan.campaigns.services import filing
from xinan.campaigns.services.errors import FilingError
from xinan.reviews.enums import DECISIONS_WITH_REASON, Decision, RoundLevel
from xinan.reviews.models import ReviewRound, StagedDecision
from xinan.reviews.services.errors import ReviewError
from xinan.reviews.services.queries import submissions_for_round

# States that count as the province's approvals against its recommendation quota.
APPROVED_STATES = (SubmissionState.APPROVED, SubmissionState.RECOMMENDED, SubmissionState.SELECTED)


@dataclass(frozen=True)
class QuotaStatus:
    quota: int
    hard: bool
    approved: int  # already approved (or further)
    staged: int  # approvals staged and not yet published

    @property
    def after_publishing(self) -> int:
        return self.approved + self.staged

    @property
    def over(self) -> int:
        return max(self.after_publishing - self.quota, 0)


def quota_status(review_round: ReviewRound) -> QuotaStatus:
    campaign = review_round.campaign
    row = ProvinceQuota.objects.filter(campaign=campaign, province=review_round.province_id).first()
    approved = Submission.objects.filter(
        campaign=campaign, school__parent=review_round.province_id, state__in=APPROVED_STATES
    ).count()
    staged = StagedDecision.objects.filter(
        round=review_round, published_at__isnull=True, decision=Decision.APPROVE
    ).count()
    return QuotaStatus(
        quota=row.quota if row else campaign.province_quota,
        hard=campaign.province_quota_mode == QuotaMode.HARD,
        approved=approved,
        staged=staged,
    )


def _ensure_provincial(review_round: ReviewRound) -> None:
    if review_round.level != RoundLevel.PROVINCE:
        # National approval means selection, which the selection app decides.
        raise ReviewError(_("全国评审的入选决定在“全国遴选”中作出。"))
    if not review_round.is_open:
        raise ReviewError(_("本轮评审已结束。"))


def stage_decision(review_round: ReviewRound, submission, *, decision: str, reason: str, by, request=None):
    """Prepare (or replace) the decision on one submission; nothing changes for the filer until publishing."""
    _ensure_provincial(review_round)
    reason = (reason or "").strip()
    if decision not in Decision.values:
        raise ReviewError(_("请选择审核决定。"))
    if decision in DECISIONS_WITH_REASON and len(reason) < 4:
        raise ReviewError(_("退回修改或不予通过需要写明原因（至少4个字）。"))
    if len(reason) > 500:
        raise ReviewError(_("原因不能超过500字。"))
    if not submissions_for_round(review_round).filter(pk=submission.pk).exists():
        raise ReviewError(_("该案例当前不能作出审核决定。"))
    with transaction.atomic():
        staged, _created = StagedDecision.objects.update_or_create(
            round=review_round,
            submission=submission,
            published_at__isnull=True,
            defaults={"decision": decision, "reason": reason, "staged_by": by, "staged_at": timezone.now()},
        )
        record(
            "xinan.review.decision.stage",
            actor=by,
            organisation=submission.school,
            obj=submission,
            request=request,
            reason=reason,
            after={"decision": decision},
        )
    return staged


@dataclass(frozen=True)
class PublishResult:
    published: int
    approved: int
    quota: QuotaStatus
    warning: str = ""


def publish_decisions(review_round: ReviewRound, *, by, request=None) -> PublishResult:
    """Apply every staged decision through the campaign's filing services, all or nothing.

    Approve moves SUBMITTED → APPROVED, return and reject use the filing services (history, audit,
    SMS). Approvals beyond the province quota are refused in hard mode and warned about in soft mode."""
    _ensure_provincial(review_round)
    with transaction.atomic():
        # The round row lock serialises two officers publishing at once.
        ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        pending = list(
            StagedDecision.objects.filter(round=review_round, published_at__isnull=True)
            .select_related("submission")
            .order_by("pk")
        )
        if not pending:
            raise ReviewError(_("没有待发布的审核决定。"))
        status = quota_status(review_round)
        warning = ""
        if status.over:
            message = _(
                "本省推荐名额为 %(quota)s 个，已通过 %(done)s 个，本次拟通过 %(new)s 个，超出 %(over)s 个。"
            ) % {"quota": status.quota, "done": status.approved, "new": status.staged, "over": status.over}
            if status.hard:
                raise ReviewError(message + _("请减少“审核通过”的决定后再发布。"))
            warning = message + _("（名额为提示性控制，已按您的决定发布。）")
        now = timezone.now()
        try:
            for staged in pending:
                _apply(staged, by=by, request=request)
        except FilingError as exc:
            raise ReviewError(
                _("案例“%(t)s”：%(m)s 本批决定均未发布。") % {"t": staged.submission.title, "m": exc.message}
            ) from None
        StagedDecision.objects.filter(pk__in=[staged.pk for staged in pending]).update(published_at=now)
        record(
            "xinan.review.decision.publish",
            actor=by,
            organisation=review_round.province,
            obj=review_round,
            request=request,
            after={
                "published": len(pending),
                "approve": status.staged,
                "quota": status.quota,
                "over": status.over,
            },
        )
    return PublishResult(published=len(pending), approved=status.staged, quota=status, warning=warning)


def _apply(staged: StagedDecision, *, by, request) -> None:
    submission = staged.submission
    if staged.decision == Decision.APPROVE:
        filing.move_submission(
            submission,
            SubmissionState.APPROVED,
            {SubmissionState.SUBMITTED},
            by=by,
            reason=staged.reason,
            request=request,
            action="approve",
        )
    elif staged.decision == Decision.RETURN:
        filing.return_for_revision(submission, by=by, reason=staged.reason, request=request)
    else:
        filing.reject(submission, by=by, reason=staged.reason, request=request)
