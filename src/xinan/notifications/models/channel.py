from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinan.crypto.fields import EncryptedCharField
from xinan.notifications.enums import PERSON_CHANNELS, Channel, NoticeKind, Platform


class ChannelAccount(models.Model):
    """A school's 企业微信 or 钉钉 application and group robot, set by the system administrator.

    For 企业微信, ``app_key`` is the corpid and ``agent_id`` the application's AgentId; for 钉钉,
    ``app_key`` is the AppKey and ``agent_id`` the AgentId. Secrets are encrypted at rest.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("学校"), on_delete=models.CASCADE, related_name="+"
    )
    platform = models.CharField(_("平台"), max_length=12, choices=Platform.choices)
    app_key = models.CharField(_("企业ID / AppKey"), max_length=64, blank=True)
    agent_id = models.CharField(_("应用AgentId"), max_length=32, blank=True)
    app_secret = EncryptedCharField(_("应用Secret"), blank=True, form_max_length=128)
    # 企业微信: the webhook's key; 钉钉: the robot's access_token.
    robot_key = EncryptedCharField(_("群机器人Key"), blank=True, form_max_length=128)
    # 钉钉 only: the "加签" secret (SEC…).
    robot_secret = EncryptedCharField(_("群机器人加签密钥"), blank=True, form_max_length=128)
    active = models.BooleanField(_("启用"), default=True)
    # The school's channel for people who have not chosen one (otherwise SMS).
    is_default = models.BooleanField(_("作为本校默认通知渠道"), default=False)

    class Meta:
        verbose_name = _("工作平台")
        verbose_name_plural = _("工作平台")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "platform"], name="channel_account_one_per_platform")
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}#{self.pk}"

    @property
    def has_app(self) -> bool:
        return bool(self.app_key and self.agent_id and self.app_secret)

    @property
    def has_robot(self) -> bool:
        return bool(self.robot_key)


class NoticePreference(models.Model):
    """The channel one person chose for one kind of notice (urgent kinds go by SMS as well)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences")
    kind = models.CharField(_("通知类型"), max_length=16, choices=NoticeKind.choices)
    channel = models.CharField(
        _("渠道"), max_length=12, choices=[(c.value, c.label) for c in PERSON_CHANNELS], default=Channel.SMS
    )

    class Meta:
        verbose_name = _("通知渠道偏好")
        verbose_name_plural = _("通知渠道偏好")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.channel}"
