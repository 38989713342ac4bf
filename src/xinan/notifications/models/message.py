from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.notifications.enums import Channel, MessageStatus


class Message(models.Model):
    """One SMS or e-mail in the outbox: one row per message, sent at most once."""

    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    template = models.CharField(_("模板"), max_length=60)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_address = models.CharField(_("地址"), max_length=254)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    html_body = models.TextField(blank=True)
    # Template parameters for providers that send by template code (Aliyun, Tencent).
    params = models.JSONField(default=dict)
    # Parameter names whose values are scrubbed from the row once a real provider has sent it.
    sensitive = models.JSONField(default=list)
    status = models.CharField(_("状态"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=80, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    provider_id = models.CharField(_("回执编号"), max_length=100, blank=True)
    last_error = models.CharField(_("错误信息"), max_length=300, blank=True)
    # Set by callers that must never queue the same message twice (e.g. reminders).
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.template}#{self.pk}"
