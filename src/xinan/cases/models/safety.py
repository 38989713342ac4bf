"""The Stanley–Brown safety plan (安全计划书), versioned, and the guardian's agreement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.crypto.fields import EncryptedTextField

SAFETY_PLAN_STEPS = [
    ("warning_signs", _("第一步：危机来临前的预警信号")),
    ("coping", _("第二步：我自己可以做的应对方法")),
    ("distractions", _("第三步：可以转移注意力的人和地方")),
    ("helpers", _("第四步：可以求助的人")),
    ("professionals", _("第五步：专业人员与求助热线")),
    ("environment", _("第六步：让环境更安全")),
    ("reasons_for_living", _("我活下去的理由")),
]


class SafetyPlan(models.Model):
    """One version of the student's safety plan. A revision is a new row; old ones are kept."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="safety_plans")
    version = models.PositiveSmallIntegerField()
    warning_signs = EncryptedTextField(_("预警信号"))
    coping = EncryptedTextField(_("自我应对方法"))
    distractions = EncryptedTextField(_("转移注意力的人和地方"))
    helpers = EncryptedTextField(_("可以求助的人"))
    professionals = EncryptedTextField(_("专业人员与热线"))
    environment = EncryptedTextField(_("让环境更安全"))
    reasons_for_living = EncryptedTextField(_("活下去的理由"), blank=True)
    review_on = models.DateField(_("复查日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(_("签署时间"), null=True, blank=True)

    class Meta:
        ordering = ["case", "version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="safety_plan_version_unique")]

    def __str__(self) -> str:
        return f"SafetyPlan v{self.version}"


GUARDIAN_DUTIES = [
    _("加强对孩子的监护，危机期间保证有人陪伴，不让孩子独处。"),
    _("按学校建议，及时带孩子到正规医院心理科或精神科就诊，遵医嘱治疗。"),
    _("妥善保管药品，移除家中刀具、绳索等危险物品。"),
    _("孩子情绪、行为或身体状况有变化时，及时告知学校。"),
    _("与学校保持沟通，配合学校的心理危机干预工作。"),
]


class GuardianAgreement(models.Model):
    """安全协议书（监护人）: the guardian's duties, generated, signed and uploaded."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="guardian_agreements")
    guardian = models.ForeignKey(
        "students.Guardian", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duties = models.JSONField(_("监护人职责"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(_("签署时间"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"GuardianAgreement #{self.pk}"
