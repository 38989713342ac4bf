"""What can be exported, how a request is decided, and the audit labels."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinan.organisations.enums import Role

# An approved export can be downloaded once, within this window.
VALID_FOR = dt.timedelta(hours=24)
# The purpose as it appears in the watermark (the full text stays in the record).
WATERMARK_PURPOSE_CHARS = 40


class ExportKind(models.TextChoices):
    """One value per kind of bulk export. A new kind adds a value here, its permission in
    PERMISSION_FOR_KIND (defined in rules.py), its roles in ROLES_FOR_KIND and its producer in
    services/producers.py."""

    DOSSIER = "dossier", _("一人一案档案（ZIP）")
    STUDENT_LIST = "student_list", _("学生名册（Excel）")
    CASE_LIST = "case_list", _("危机个案清单（Excel）")
    AUDIT_EXTRACT = "audit_extract", _("审计日志摘录（Excel）")


# The permission the requester and the approver must both hold on the export's target
# (a case for the dossier, the organisation for the others; rules.py defines the new ones).
PERMISSION_FOR_KIND = {
    ExportKind.DOSSIER: "cases.export_dossier",
    ExportKind.STUDENT_LIST: "exports.export_student_list",
    ExportKind.CASE_LIST: "exports.export_case_list",
    ExportKind.AUDIT_EXTRACT: "exports.export_audit_extract",
}

# The kinds whose target is an organisation (requested from the "my exports" page).
ORGANISATION_KINDS = (ExportKind.STUDENT_LIST, ExportKind.CASE_LIST, ExportKind.AUDIT_EXTRACT)

# The roles that hold each kind's permission (who is told of a request and may decide it):
# a school's team leader and coordinator for the school's data; the auditor and the security
# administrator, in the organisation or above it, for the audit trail.
SCHOOL_EXPORT_ROLES = frozenset({Role.TEAM_LEADER, Role.COORDINATOR})
AUDIT_EXPORT_ROLES = frozenset({Role.AUDITOR, Role.SECURITY_ADMIN})
ROLES_FOR_KIND = {
    ExportKind.DOSSIER: SCHOOL_EXPORT_ROLES,
    ExportKind.STUDENT_LIST: SCHOOL_EXPORT_ROLES,
    ExportKind.CASE_LIST: SCHOOL_EXPORT_ROLES,
    ExportKind.AUDIT_EXTRACT: AUDIT_EXPORT_ROLES,
}

# Redaction by the requester's role (docs/privacy-impact-assessment.md, R9). A bulk export
# carries a phone number in full only for the role that calls that person in its duty: the
# coordinator (心理辅导室负责人) keeps the register and contacts guardians; the team leader's
# copy masks them. The auditor's audit extract carries client IP addresses in full; the
# security administrator's copy masks them. No export other than the dossier carries any
# free text of a case, and none carries counselling notes (the clinical wall).
FULL_GUARDIAN_PHONE_ROLES = frozenset({Role.COORDINATOR})
FULL_IP_ROLES = frozenset({Role.AUDITOR})
# The longest period an audit extract may cover.
AUDIT_EXTRACT_MAX_DAYS = 366
# The most entries one audit extract carries (a spreadsheet, not a backup): a request over
# more is refused, and an extract that grew past it by the download says so on its first row.
AUDIT_EXTRACT_MAX_ROWS = 200_000

# What the disclosure record says was handed over.
DISCLOSURE_WHAT = {
    ExportKind.DOSSIER: _("一人一案档案导出"),
    ExportKind.STUDENT_LIST: _("学生名册导出"),
    ExportKind.CASE_LIST: _("危机个案清单导出"),
    ExportKind.AUDIT_EXTRACT: _("审计日志摘录导出"),
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
