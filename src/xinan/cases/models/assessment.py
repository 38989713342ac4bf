from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.cases.enums import RiskLevel
from xinan.crypto.fields import EncryptedTextField


class Assessment(models.Model):
    """A (re-)assessment: six dimensions, the suicide-risk screen, a suggested and a decided level."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("评估时间"), default=timezone.now)
    ratings = models.JSONField(_("六维评分"), default=dict)  # {dimension: 0..3}
    screen = models.JSONField(_("自杀风险筛查"), default=dict)  # C-SSRS screener answers {q1..q6, q6_recent}
    suggested_level = models.CharField(max_length=8, choices=RiskLevel.choices)
    level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    override_reason = EncryptedTextField(_("调整等级的理由"), blank=True)
    in_crisis = models.BooleanField(_("处于危机状态"))
    notes = EncryptedTextField(_("评估记录"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Assessment #{self.pk} {self.level}"
