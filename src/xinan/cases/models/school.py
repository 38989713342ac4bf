from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinan.cases.enums import ObservationCategory, RiskLevel


class SchoolCrisisSettings(models.Model):
    """Per-school settings of the crisis work."""

    school = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="crisis_settings"
    )
    duty_counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("值班心理老师"),
    )
    duty_phone = models.CharField(_("值班电话"), max_length=30, blank=True)
    hotlines = models.TextField(
        _("心理援助热线"),
        blank=True,
        default="全国心理援助热线 12356\n希望24热线 400-161-9995",
        help_text=_("每行一条，会写入学生的安全计划书。"),
    )
    glass_break_hours = models.PositiveSmallIntegerField(_("紧急访问时长（小时）"), default=4)
    # The contact the published privacy rules name (PIPL Art. 52): shown to everyone of the school.
    privacy_officer = models.CharField(
        _("个人信息保护负责人（姓名、职务）"), max_length=60, blank=True, help_text=_("例如：王某某，心理辅导室主任")
    )
    privacy_phone = models.CharField(_("个人信息保护联系电话"), max_length=30, blank=True)
    privacy_address = models.CharField(_("学校心理辅导室地址"), max_length=120, blank=True)

    def __str__(self) -> str:
        return f"Settings of {self.school_id}"

    @property
    def missing_privacy_contact(self) -> list[str]:
        """Labels of the privacy-contact fields not filled in yet (the rules pages need them)."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in ("privacy_officer", "privacy_phone", "privacy_address")
            if not getattr(self, name).strip()
        ]


class PlanTemplate(models.Model):
    """A school's intervention-plan template (干预预案) for a crisis type and risk level."""

    school = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="plan_templates")
    name = models.CharField(_("名称"), max_length=80)
    category = models.CharField(_("危机类型"), max_length=20, choices=ObservationCategory.choices, blank=True)
    level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices, blank=True)
    targets = models.TextField(_("干预对象与目标"))
    actors = models.TextField(_("干预主体"), blank=True)
    methods = models.TextField(_("干预方法"), blank=True)
    # [{"title": "...", "who": "counsellor|class_teacher|team_leader|health_teacher", "within_hours": 24}, ...]
    steps = models.JSONField(_("步骤"), default=list)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
