"""Audit actions: dotted names, with a Chinese label for the viewer."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "xinan.auth.login", _("登录成功")
    LOGOUT = "xinan.auth.logout", _("退出登录")
    PASSWORD_FAILED = "xinan.auth.password.failed", _("密码错误")
    CODE_REQUESTED = "xinan.auth.code.requested", _("申请短信验证码")
    CODE_REFUSED = "xinan.auth.code.refused", _("拒绝发送验证码")
    CODE_FAILED = "xinan.auth.code.failed", _("验证码错误")
    CODE_EXPIRED = "xinan.auth.code.expired", _("验证码过期")
    CODE_REUSED = "xinan.auth.code.reused", _("验证码重复使用")
    CODE_EXHAUSTED = "xinan.auth.code.exhausted", _("验证码错误次数过多")
    LOCKOUT = "xinan.auth.lockout", _("账号临时锁定")
    LOCKED_REFUSED = "xinan.auth.locked", _("锁定期间拒绝登录")
    UNLOCK = "xinan.auth.unlock", _("解除锁定")
    OTP_FAILED = "xinan.auth.otp.failed", _("动态口令错误")
    OTP_ENABLED = "xinan.auth.otp.enable", _("启用动态口令")
    OTP_DISABLED = "xinan.auth.otp.disable", _("停用动态口令")
    PASSWORD_CHANGED = "xinan.auth.password.change", _("修改密码")
    ACCESS_DENIED = "xinan.access.denied", _("越权访问被拒绝")
    AUDIT_VIEWED = "xinan.audit.view", _("查看审计日志")
    AUDIT_PURGED = "xinan.audit.purge", _("清理过期审计日志")
    MEMBERSHIP_ADDED = "xinan.org.membership.add", _("授予角色")
    MEMBERSHIP_REMOVED = "xinan.org.membership.remove", _("撤销角色")
    USER_CREATED = "xinan.user.create", _("创建人员")
    MESSAGE_RESENT = "xinan.message.resend", _("重新发送消息")
    MESSAGE_RECALLED = "xinan.message.recall", _("撤回消息")
    CHANNEL_ACCOUNT_SET = "xinan.channel.set", _("设置工作平台")
    CHANNEL_PREFERENCE_SET = "xinan.channel.preference", _("设置通知渠道")
    CHAIN_VERIFIED = "xinan.audit.verify", _("审计日志完整性校验")
    UPLOAD_REFUSED = "xinan.upload.refused", _("拒绝上传的文件")


REFUSAL_ACTIONS = frozenset(
    {
        AuditAction.ACCESS_DENIED,
        AuditAction.CODE_REFUSED,
        AuditAction.LOCKED_REFUSED,
        AuditAction.LOCKOUT,
        AuditAction.PASSWORD_FAILED,
        AuditAction.CODE_FAILED,
        AuditAction.CODE_EXHAUSTED,
        AuditAction.CODE_EXPIRED,
        AuditAction.CODE_REUSED,
        AuditAction.OTP_FAILED,
        AuditAction.UPLOAD_REFUSED,
    }
)
