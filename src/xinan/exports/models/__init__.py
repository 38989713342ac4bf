"""A request to export personal data in bulk, decided by a second person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.crypto.fields import EncryptedTextField
from xinan.exports.enums import Decision, ExportKind, Status


class ExportRequest(models.Model):
    kind = models.CharField(_("导出类型"), max_length=30, choices=ExportKind.choices)
    # The target: a case for a dossier; other kinds use the organisation and/or the reference.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="export_requests"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="export_requests"
    )
    target_ref = models.CharField(_("导出对象"), max_length=120, blank=True)
    # What the export covers beyond its target (the audit extract's period as ISO dates).
    params = models.JSONField(_("导出范围"), default=dict, blank=True)
    # How many records were handed over (set at the download; the disclosure register).
    rows = models.PositiveIntegerField(_("导出记录数"), null=True, blank=True)
    purpose = EncryptedTextField(_("用途"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision = models.CharField(_("审批结果"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = EncryptedTextField(_("审批意见"), blank=True)
    valid_until = models.DateTimeField(_("有效期至"), null=True, blank=True)
    used_at = models.DateTimeField(_("下载时间"), null=True, blank=True)
    disclosure = models.ForeignKey(
        "cases.Disclosure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "decision"]),
            models.Index(fields=["requested_by", "requested_at"]),
        ]

    def __str__(self) -> str:
        return f"ExportRequest #{self.pk}"

    def status(self, now=None) -> Status:
        now = now or timezone.now()
        if not self.decision:
            return Status.PENDING
        if self.decision == Decision.REFUSED:
            return Status.REFUSED
        if self.used_at:
            return Status.USED
        if self.valid_until and self.valid_until <= now:
            return Status.EXPIRED
        return Status.APPROVED

    @property
    def status_label(self) -> str:
        return str(self.status().label)

    @property
    def downloadable(self) -> bool:
        return self.status() == Status.APPROVED
