from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    UNCERTAIN = "uncertain", _("状态未知")  # a worker died mid-send: resend by hand, never automatically

    @property
    def colour(self) -> str:
        return MESSAGE_STATUS_COLOURS[self]


MESSAGE_STATUS_COLOURS = {
    MessageStatus.QUEUED: "grey",
    MessageStatus.SENDING: "blue",
    MessageStatus.SENT: "green",
    MessageStatus.FAILED: "red",
    MessageStatus.UNCERTAIN: "orange",
}
PENDING_STATUSES = frozenset({MessageStatus.QUEUED, MessageStatus.SENDING})


class Delivery(models.TextChoices):
    """What the provider reported after a message was sent (empty: no report yet)."""

    DELIVERED = "delivered", _("已送达")
    READ = "read", _("已读")
    UNREAD = "unread", _("未读")
    UNDELIVERED = "undelivered", _("未送达")

    @property
    def colour(self) -> str:
        return DELIVERY_COLOURS[self]


DELIVERY_COLOURS = {
    Delivery.DELIVERED: "green",
    Delivery.READ: "green",
    Delivery.UNREAD: "blue",
    Delivery.UNDELIVERED: "red",
}
