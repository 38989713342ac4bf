from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.accounts.validators import normalise_phone
from xinan.crypto.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField
from xinan.crypto.keys import blind_index
from xinan.notifications.enums import (
    CONFIDENTIAL_TEMPLATE_PREFIX,
    OTHER_TEMPLATE_LABELS,
    TEMPLATE_KINDS,
    Channel,
    Delivery,
    MessageStatus,
)


def address_index(address: str) -> str:
    """The blind index of an outbox address: a phone in its national form, an e-mail address casefolded."""
    text = (address or "").strip()
    if "@" not in text:
        with contextlib.suppress(ValidationError):  # not a mainland mobile number: indexed as written
            text = normalise_phone(text)
    return blind_index("outbox-address", text.casefold())


class MessageQuerySet(models.QuerySet):
    def to_address(self, address: str):
        """Messages to ``address`` (the address itself is encrypted: found by its blind index)."""
        return self.filter(to_index=address_index(address))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.to_index = address_index(obj.to_address)
        return super().bulk_create(objs, *args, **kwargs)


class Message(models.Model):
    """One SMS or e-mail in the outbox: one row per message, sent at most once."""

    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    template = models.CharField(_("模板"), max_length=60)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The school's 企业微信/钉钉 application or robot that sends it (work-platform channels only).
    account = models.ForeignKey(
        "notifications.ChannelAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Phone number or e-mail address, encrypted; look messages up with ``Message.objects.to_address``.
    to_address = EncryptedCharField(_("地址"), form_max_length=254)
    to_index = models.CharField(max_length=32, db_index=True, editable=False, default="")
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    # Encrypted: an SMS body holds a sign-in code until it is scrubbed, a notice holds case text.
    body = EncryptedTextField(_("内容"))
    html_body = EncryptedTextField(blank=True)
    # Template parameters for providers that send by template code (Aliyun, Tencent).
    params = EncryptedJSONField(default=dict)  # may hold a sign-in code or a name until scrubbed
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
    # Which backend sent it ("aliyun", "tencent"…): with failover, not always the first one configured.
    provider = models.CharField(_("发送渠道"), max_length=20, blank=True)
    # The provider's delivery report, pulled back after sending.
    delivery = models.CharField(_("送达状态"), max_length=12, choices=Delivery.choices, blank=True)
    delivery_detail = models.CharField(_("送达说明"), max_length=200, blank=True)
    delivery_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    # Set by callers that must never queue the same message twice (e.g. reminders).
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["provider", "provider_id"], name="notif_msg_provider_receipt"),
            # The rate window of a robot or an application: its messages claimed in the last minute.
            models.Index(fields=["account", "claimed_at"], name="notif_msg_account_window"),
            # Receipts to poll: recent sent messages of one channel.
            models.Index(fields=["channel", "status", "sent_at"], name="notif_msg_channel_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.template}#{self.pk}"

    def save(self, *args, **kwargs):
        self.to_index = address_index(self.to_address)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "to_address" in update_fields:
            kwargs["update_fields"] = {*update_fields, "to_index"}
        super().save(*args, **kwargs)

    @property
    def confidential(self) -> bool:
        """About a case: sent as a confidential message where the platform offers it."""
        return self.template.startswith(CONFIDENTIAL_TEMPLATE_PREFIX)

    @property
    def status_colour(self) -> str:
        return MessageStatus(self.status).colour

    @property
    def delivery_colour(self) -> str:
        return Delivery(self.delivery).colour if self.delivery else ""

    @property
    def kind_display(self) -> str:
        """What the message is about (its kind), never its text."""
        kind = TEMPLATE_KINDS.get(self.template)
        return str(kind.label if kind else OTHER_TEMPLATE_LABELS.get(self.template, self.template))
