"""States of a case report, the decisions an author takes on a privacy flag, the lawful
basis for using a closed case, and the report's audit actions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    READY = "ready", _("已定稿")


REPORT_STATUS_COLOURS = {ReportStatus.DRAFT: "grey", ReportStatus.READY: "green"}


class FlagDecisionKind(models.TextChoices):
    APPLIED = "applied", _("已替换（建议）")
    EDITED = "edited", _("已替换（自拟）")
    DISMISSED = "dismissed", _("保留（已说明理由）")


# Severities that block "mark ready" until each flag is replaced or dismissed with a reason.
BLOCKING_SEVERITIES = frozenset({"high", "medium"})
SEVERITY_COLOURS = {"high": "red", "medium": "orange", "low": "yellow"}


class ReportUseBasis(models.TextChoices):
    """Why a closed case may be used to write a case report (PIPL Arts. 13, 14 and 4)."""

    CONSENT = "consent", _("取得当事人（未满十四周岁的取得监护人）对撰写案例报告的单独同意")
    STATUTORY_DUTY = "statutory_duty", _("履行法定职责（教育主管部门组织的案例征集），并作去标识化处理")
    ANONYMISED = "anonymised", _("仅使用经匿名化处理、无法识别当事人的信息")


class ReportAction(models.TextChoices):
    """Audit actions of case reports (dotted, like every audit action)."""

    CREATE = "xinan.report.create", _("新建案例报告")
    VIEW = "xinan.report.view", _("查看他人的案例报告")
    UPDATE = "xinan.report.update", _("修改案例报告")
    IMPORT = "xinan.report.import", _("导入案例报告")
    FLAG_APPLY = "xinan.report.flag.apply", _("替换隐私信息")
    FLAG_DISMISS = "xinan.report.flag.dismiss", _("保留隐私提示")
    MARK_READY = "xinan.report.ready", _("案例报告定稿")
    READY_REFUSED = "xinan.report.ready.refused", _("案例报告定稿未通过检查")
    EXPORT = "xinan.report.export", _("导出案例报告")
    DRAFT_FROM_CASE = "xinan.report.draft_from_case", _("由已结案个案起草案例报告")
