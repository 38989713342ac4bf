from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One line of the audit trail. Append-only: the database refuses UPDATE and DELETE
    (triggers installed by migration 0002), except the retention purge, see services.record.
    """

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    # Kept so the line stays readable if the account is later removed.
    actor_label = models.CharField(_("操作人"), max_length=60, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    # The hash chain (services/chain.py): filled once by the sealing job, never changed after.
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    entry_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-at", "-id"], name="audit_org_at_id"),
            # A case's (any object's) access log, and the search by person, without a scan.
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_at"),
            models.Index(fields=["organisation", "actor_label", "-at"], name="audit_org_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.action}"

    @property
    def action_label(self) -> str:
        from xinan.audit.labels import label_for

        return label_for(self.action)
