"""What can be exported, how a request is decided, and the audit labels."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

# An approved export can be downloaded once, within this window.
VALID_FOR = dt.timedelta(hours=24)
# The purpose as it appears in the watermark (the full text stays in the record).
WATERMARK_PURPOSE_CHARS = 40


class ExportKind(models.TextChoices):
    """One value per kind of bulk export. A new kind (student list, case Excel, audit extract)
    adds a value here, its permission in PERMISSION_FOR_KIND and its producer in the service."""

    DOSSIER = "dossier", _("一人一案档案（ZIP）")


# The permission the requester and the approver must both hold on the export's target.
PERMISSION_FOR_KIND = {
    ExportKind.DOSSIER: "cases.export_dossier",
}

# What the disclosure record says was handed over.
DISCLOSURE_WHAT = {
    ExportKind.DOSSIER: _("一人一案档案导出"),
}


class Decision(models.TextChoices):
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("已拒绝")


class Status(models.TextChoices):
    """Derived from the fields; never stored."""

    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准，可下载")
    REFUSED = "refused", _("已拒绝")
    USED = "used", _("已下载")
    EXPIRED = "expired", _("已过期")


AUDIT_LABELS = [
    ("xinan.export.request", _("申请数据导出")),
    ("xinan.export.approve", _("批准数据导出")),
    ("xinan.export.refuse", _("拒绝数据导出")),
    ("xinan.export.download", _("下载已批准的导出")),
]
