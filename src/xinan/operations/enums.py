from django.db import models
from django.utils.translation import gettext_lazy as _


class OperationsAction(models.TextChoices):
    KEYS_ROTATED = "xinan.operations.rotate_keys", _("轮换加密密钥")
    BACKUP = "xinan.operations.backup", _("备份平台数据")
    RESTORE = "xinan.operations.restore", _("恢复平台数据")
