"""Audit actions of account and role administration (system and security administrators)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountAction(models.TextChoices):
    PHONE_REVEALED = "xinan.account.phone.reveal", _("查看完整手机号")
    DEACTIVATED = "xinan.account.deactivate", _("停用账号")
    REACTIVATED = "xinan.account.reactivate", _("重新启用账号")
    GRANT_REFUSED = "xinan.org.membership.grant_refused", _("授予角色被拒绝（三员分立）")
    SESSION_EXPIRED = "xinan.auth.session_expired", _("会话超过最长有效期，已退出登录")


AUDIT_LABELS = AccountAction.choices
