from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionAction(models.TextChoices):
    DESTROY = "destroy", _("销毁")
    ANONYMISE = "anonymise", _("匿名化（仅保留计数）")


class CountedFrom(models.TextChoices):
    LEFT = "left", _("学生离校日期")
    CLOSED = "closed", _("结案日期")


class RecordKind(models.TextChoices):
    CASE = "case", _("危机个案")


class AuditAction(models.TextChoices):
    DESTROY = "xinan.retention.destroy", _("到期个案已销毁")
    HOLD_SET = "xinan.retention.hold_set", _("设置法定保全")
    HOLD_CLEARED = "xinan.retention.hold_cleared", _("解除法定保全")


AUDIT_LABELS = AuditAction.choices
