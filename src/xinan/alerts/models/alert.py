from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.alerts.enums import AlertRule


class Alert(models.Model):
    """One unusual pattern in the audit trail. Details hold counts and ids only, never content."""

    rule = models.CharField(_("规则"), max_length=32, choices=AlertRule.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("相关人员"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("组织"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window_start = models.DateTimeField(_("时段开始"))
    window_end = models.DateTimeField(_("时段结束"))
    count = models.PositiveIntegerField(_("次数"))
    details = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("产生时间"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计告警")
        verbose_name_plural = _("审计告警")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "actor", "window_start"], name="alert_once_per_rule_actor_window"),
        ]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.rule} #{self.actor_id} {timezone.localtime(self.window_start):%Y-%m-%d %H:%M}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
