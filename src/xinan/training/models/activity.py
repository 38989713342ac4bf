from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.training.enums import ActivityKind, Audience


class TrainingActivity(models.Model):
    """One education, training or drill activity of a school's crisis team (宣传教育、培训演练).

    Counts only: who attended is not recorded, so nothing here is personal data."""

    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="training_activities"
    )
    held_on = models.DateField(_("日期"))
    audience = models.CharField(_("对象"), max_length=12, choices=Audience.choices)
    kind = models.CharField(_("形式"), max_length=12, choices=ActivityKind.choices)
    topic = models.CharField(_("主题"), max_length=120)
    attendance = models.PositiveIntegerField(_("参加人数"))
    target_size = models.PositiveIntegerField(
        _("目标群体人数"), null=True, blank=True, help_text=_("例如全年级学生数、全体班主任数；不清楚可不填。")
    )
    materials = models.TextField(_("材料说明"), blank=True, help_text=_("课件、讲稿、演练脚本等材料的名称与存放位置。"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("宣传教育与培训演练")
        verbose_name_plural = _("宣传教育与培训演练")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["school", "held_on"])]

    def __str__(self) -> str:
        return self.topic
