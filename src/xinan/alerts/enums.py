from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertRule(models.TextChoices):
    CASES_NOT_ON = "cases_not_on", _("短时间内查看大量非本人负责的个案")
    NIGHT_EXPORT = "night_export", _("非工作时间导出")
    REPEATED_REFUSALS = "repeated_refusals", _("多次被拒绝访问")
    GLASS_BREAK_TWICE = "glass_break_twice", _("一天内两次启用紧急访问")
    DUTY_GRANT_REFUSED = "duty_grant_refused", _("违反三员分立的授权被拒绝")
    REPEATED_LOCKOUTS = "repeated_lockouts", _("同一账号一天内多次被锁定登录")


class AlertAction(models.TextChoices):
    RAISED = "xinan.alert.raise", _("产生审计告警")
    LISTED = "xinan.alert.list", _("查看审计告警")
    ACKNOWLEDGED = "xinan.alert.acknowledge", _("确认审计告警")


# Audit actions the rules read (written by other apps).
CASE_VIEW = "xinan.case.view"
ACCESS_DENIED = "xinan.access.denied"
GLASS_BREAK = "xinan.case.glass_break"
EXPORT_ACTIONS = ("xinan.dossier.export", "xinan.export.download")
GRANT_REFUSED = "xinan.org.membership.grant_refused"
LOCKOUT = "xinan.auth.lockout"
