"""A province's recommendation to the nation: the chosen cases, the generated summary
table (汇总表), the sealed scan of its printout, and the lock once it is submitted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.selection.enums import RECOMMENDATION_STATE_COLOURS, RecommendationState


class Recommendation(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="recommendations")
    province = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("状态"), max_length=12, choices=RecommendationState.choices, default=RecommendationState.DRAFT
    )
    # The generated summary table: files encrypted at rest (they hold contact phones).
    set_sha256 = models.CharField(_("推荐集合指纹"), max_length=64, blank=True)
    verification_code = models.CharField(_("校验码"), max_length=16, blank=True)
    table_generated_at = models.DateTimeField(_("汇总表生成时间"), null=True, blank=True)
    xlsx_name = models.CharField(max_length=200, blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_name = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("汇总表指纹"), max_length=64, blank=True)
    # The printed, stamped and photographed table.
    seal_name = models.CharField(max_length=200, blank=True)
    seal_sha256 = models.CharField(max_length=64, blank=True)
    seal_content_type = models.CharField(max_length=40, blank=True)
    seal_extension = models.CharField(max_length=8, blank=True)
    seal_for_set_sha256 = models.CharField(max_length=64, blank=True)
    seal_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    seal_uploaded_at = models.DateTimeField(_("盖章件上传时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("省级推荐")
        verbose_name_plural = _("省级推荐")
        ordering = ["province__code", "province__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "province"], name="recommendation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.province_id}"

    @property
    def is_locked(self) -> bool:
        return self.state == RecommendationState.SUBMITTED

    @property
    def state_colour(self) -> str:
        return RECOMMENDATION_STATE_COLOURS[RecommendationState(self.state)]

    @property
    def table_is_current(self) -> bool:
        return bool(self.table_generated_at and self.pdf_name)

    @property
    def has_seal(self) -> bool:
        return bool(self.seal_name) and self.seal_for_set_sha256 == self.set_sha256


class RecommendationItem(models.Model):
    """One recommended case, in the order of the summary table. A case is in one recommendation at most."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="items")
    submission = models.OneToOneField(
        "campaigns.Submission", on_delete=models.PROTECT, related_name="recommendation_item"
    )
    position = models.PositiveSmallIntegerField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.recommendation_id}#{self.position}"
