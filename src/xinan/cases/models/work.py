"""The work done on a case: tasks, follow-ups, consultations, plans, guardian contact,
referral, status events (leave, suspension…) and aftercare."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.cases.enums import ContactChannel, GuardianResponse, StatusEventKind, TaskKind
from xinan.crypto.fields import EncryptedCharField, EncryptedTextField


class Task(models.Model):
    """Something a named person must do by a date. Reminders read from these."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("类型"), max_length=24, choices=TaskKind.choices)
    title = models.CharField(_("事项"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_tasks", verbose_name=_("负责人")
    )
    due_at = models.DateTimeField(_("截止时间"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # How it was dealt with: required when the team leader closes an escalation.
    done_note = EncryptedTextField(_("处理说明"), blank=True)
    plan = models.ForeignKey(
        "cases.InterventionPlan", null=True, blank=True, on_delete=models.CASCADE, related_name="steps"
    )
    # Set for tasks the duties engine creates, so rescheduling never makes a duplicate.
    duty_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["assignee", "done_at", "due_at"]),
            models.Index(fields=["case", "done_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None

    @property
    def owner_only(self) -> bool:
        """An escalation is the team leader's to close (with a note), nobody else's."""
        return self.kind == TaskKind.ESCALATION

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())


class FollowUp(models.Model):
    """A care-tracking contact with the student (关怀跟踪/回访)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="follow_ups")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    channel = models.CharField(
        _("方式"), max_length=12, choices=ContactChannel.choices, default=ContactChannel.IN_PERSON
    )
    note = EncryptedTextField(_("情况记录"))
    concern = models.BooleanField(_("发现新的风险迹象"), default=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"FollowUp #{self.pk}"


class Consultation(models.Model):
    """A team consultation (会商): who attended and what was decided."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consultations")
    held_at = models.DateTimeField(_("会商时间"), default=timezone.now)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("参会人员"))
    other_attendees = EncryptedCharField(_("其他参会人员"), form_max_length=200, blank=True)
    decisions = EncryptedTextField(_("会商决定"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"Consultation #{self.pk}"


class InterventionPlan(models.Model):
    """The case's intervention plan (干预预案), started from the school's template; its steps are tasks."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="plans")
    template = models.ForeignKey(
        "cases.PlanTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    targets = EncryptedTextField(_("干预对象与目标"))
    methods = EncryptedTextField(_("干预方法"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Plan #{self.pk}"


class GuardianContact(models.Model):
    """Home–school communication (家校沟通): date, channel, who, what was said, the response."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="guardian_contacts")
    guardian = models.ForeignKey(
        "students.Guardian", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guardian_text = EncryptedCharField(_("监护人（未登记时填写）"), form_max_length=40, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    channel = models.CharField(_("方式"), max_length=12, choices=ContactChannel.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    said = EncryptedTextField(_("沟通内容"))
    response = models.CharField(_("监护人回应"), max_length=20, choices=GuardianResponse.choices)
    # The guardian's own words when they refuse or do not cooperate (seed: the guardian's duty is explicit).
    guardian_words = EncryptedTextField(_("监护人原话"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"GuardianContact #{self.pk}"


class Referral(models.Model):
    """Referral to a hospital's psychology/psychiatry department or an outside agency (转介)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    agency = models.CharField(_("转介机构"), max_length=120)
    department = models.CharField(_("科室"), max_length=60, blank=True)
    reason = EncryptedTextField(_("转介理由"))
    referred_at = models.DateTimeField(_("转介时间"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diagnosis_received_at = models.DateTimeField(_("收到诊断时间"), null=True, blank=True)
    diagnosis = EncryptedTextField(_("诊断结果"), blank=True)
    advice = EncryptedTextField(_("机构建议"), blank=True)

    class Meta:
        ordering = ["referred_at", "pk"]

    def __str__(self) -> str:
        return f"Referral #{self.pk}"


class StatusEvent(models.Model):
    """Leave, suspension, withdrawal, transfer or return to school, with its papers in the dossier."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="status_events")
    kind = models.CharField(_("类型"), max_length=12, choices=StatusEventKind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = EncryptedTextField(_("说明"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class AftercarePlan(models.Model):
    """善后: the follow-up plan based on the hospital's findings."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="aftercare_plans")
    plan = EncryptedTextField(_("后续帮助方案"))
    follow_up_every_days = models.PositiveSmallIntegerField(_("回访间隔（天）"), default=7)
    until = models.DateField(_("跟踪至"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Aftercare #{self.pk}"
