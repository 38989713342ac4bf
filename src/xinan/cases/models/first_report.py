from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.cases.enums import Injury
from xinan.crypto.fields import EncryptedTextField


def _receipt_token() -> str:
    return secrets.token_urlsafe(16)


class FirstReport(models.Model):
    """首见报告: what the first discoverer saw, filed in a minute from a phone."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="first_report")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The reporter's receipt page is addressed by this token, not by the case number.
    receipt_token = models.CharField(max_length=32, unique=True, default=_receipt_token, editable=False)
    occurred_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    location = EncryptedTextField(_("地点"), blank=True)
    categories = models.JSONField(_("所见所闻"), default=list)
    observed = EncryptedTextField(_("情况描述"), blank=True)
    measures = EncryptedTextField(_("已采取的保护措施"), blank=True)
    injury = models.CharField(_("身体伤害"), max_length=12, choices=Injury.choices, default=Injury.NONE)
    guardian_informed = models.BooleanField(_("已告知监护人"), default=False)
    filed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"FirstReport #{self.pk}"
