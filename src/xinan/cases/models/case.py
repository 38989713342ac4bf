from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.cases.enums import (
    STATE_COLOURS,
    CaseRole,
    CaseState,
    LawfulBasis,
    MoveDecision,
    ObservationCategory,
    Outcome,
    RiskLevel,
)
from xinan.crypto.fields import EncryptedCharField, EncryptedTextField


class Case(models.Model):
    """One crisis of one student (一人一案 keeps every case of the student together)."""

    school = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="cases")
    # A number people can say aloud without saying a name: "2026-0007".
    reference = models.CharField(_("编号"), max_length=20)
    student = models.ForeignKey(
        "students.Student",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("学生"),
    )
    # What the first reporter typed when the student was not found in the register.
    student_text = EncryptedTextField(_("学生（报告人填写）"), blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=CaseState.choices, default=CaseState.REPORTED)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices, blank=True)
    in_crisis = models.BooleanField(_("处于危机状态"), null=True, blank=True)
    categories = models.JSONField(_("危机类型"), default=list)
    assigned_counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("负责心理老师"),
    )
    lawful_basis = models.CharField(
        _("处理依据"), max_length=20, choices=LawfulBasis.choices, default=LawfulBasis.STATUTORY_DUTY
    )
    legal_hold = models.BooleanField(_("法定保全（暂停到期销毁）"), default=False)
    legal_hold_reason = EncryptedCharField(_("保全原因"), form_max_length=200, blank=True)
    outcome = models.CharField(_("结案结果"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = EncryptedTextField(_("结案说明"), blank=True)
    opened_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    level_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("报告人")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("危机个案")
        verbose_name_plural = _("危机个案")
        constraints = [models.UniqueConstraint(fields=["school", "reference"], name="case_reference_unique")]
        indexes = [
            models.Index(fields=["school", "state", "risk_level"]),
            models.Index(fields=["assigned_counsellor", "state"]),
        ]
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def state_colour(self) -> str:
        return STATE_COLOURS[CaseState(self.state)]

    @property
    def level(self) -> RiskLevel | None:
        return RiskLevel(self.risk_level) if self.risk_level else None

    @property
    def category_labels(self) -> list[str]:
        """What the first reporter saw or heard (谈论自杀, 自杀计划 …), in the reporter's order."""
        return [
            str(ObservationCategory(value).label) if value in ObservationCategory.values else value
            for value in self.categories
        ]

    @property
    def student_label(self) -> str:
        return self.student.name if self.student_id else self.student_text


class CaseMember(models.Model):
    """A temporary member of the crisis team for this case, or someone added explicitly."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_memberships")
    role = models.CharField(_("角色"), max_length=20, choices=CaseRole.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user", "role"], name="case_member_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} #{self.user_id}"


class Transition(models.Model):
    """Every move of a case: who, when, from, to, why. The timeline reads from these."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=CaseState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = EncryptedTextField(_("原因"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.from_state or '-'}→{self.to_state}"


class MoveRequest(models.Model):
    """A move that needs the team leader or the coordinator (closing, re-opening), asked for by
    someone working the case. The page offers "申请结案" instead of a button that would be refused;
    the overseer approves (the move is then made in their name, with the request's reason) or
    declines with a note. At most one request per case waits at a time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="move_requests")
    from_state = models.CharField(max_length=16, choices=CaseState.choices)
    to_state = models.CharField(max_length=16, choices=CaseState.choices)
    outcome = models.CharField(_("结案结果"), max_length=20, choices=Outcome.choices, blank=True)
    reason = EncryptedTextField(_("原因/说明"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(_("审批结果"), max_length=10, choices=MoveDecision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(decided_at__isnull=True), name="move_request_one_pending_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_state}→{self.to_state} ({self.decision or 'pending'})"

    @property
    def is_pending(self) -> bool:
        return self.decided_at is None
