"""Notices to the guardian (告知书): written from a template, sent by SMS, acknowledged or refused."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.cases.enums import ContactChannel, NoticePurpose, NoticeResponse
from xinan.crypto.fields import EncryptedTextField


class GuardianNotice(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="guardian_notices")
    guardian = models.ForeignKey(
        "students.Guardian", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("监护人")
    )
    purpose = models.CharField(_("告知事项"), max_length=20, choices=NoticePurpose.choices)
    # Only what the guardian needs to know; never the counselling notes.
    text = EncryptedTextField(_("告知书内容"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    message = models.ForeignKey(
        "notifications.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(_("回应时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认收悉时间"), null=True, blank=True)
    response = models.CharField(_("监护人回应"), max_length=16, choices=NoticeResponse.choices, blank=True)
    response_channel = models.CharField(_("回应方式"), max_length=12, choices=ContactChannel.choices, blank=True)
    guardian_words = EncryptedTextField(_("监护人原话"), blank=True)
    response_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the team leader was told that no answer came in time (once only).
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("监护人告知书")
        verbose_name_plural = _("监护人告知书")

    def __str__(self) -> str:
        return f"GuardianNotice #{self.pk}"
