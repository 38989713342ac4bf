"""States and categories of the case-report collection (心理危机干预案例报告征集)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    WITHDRAWN = "withdrawn", _("已撤回")
    REJECTED = "rejected", _("未通过")
    APPROVED = "approved", _("省级审核通过")
    RECOMMENDED = "recommended", _("已推荐至全国")
    SELECTED = "selected", _("入选")


# States that hold one of the school's slots (a slot frees on withdrawal or rejection).
SLOT_STATES = frozenset(
    {
        SubmissionState.SUBMITTED,
        SubmissionState.RETURNED,
        SubmissionState.APPROVED,
        SubmissionState.RECOMMENDED,
        SubmissionState.SELECTED,
    }
)
# States in which the filer may still change the submission.
EDITABLE_STATES = frozenset({SubmissionState.DRAFT, SubmissionState.RETURNED})
STATE_COLOURS = {
    SubmissionState.DRAFT: "grey",
    SubmissionState.SUBMITTED: "blue",
    SubmissionState.RETURNED: "orange",
    SubmissionState.WITHDRAWN: "grey",
    SubmissionState.REJECTED: "red",
    SubmissionState.APPROVED: "green",
    SubmissionState.RECOMMENDED: "green",
    SubmissionState.SELECTED: "green",
}


class WindowState(models.TextChoices):
    """Where a campaign's filing window stands for one filer (their extension counted)."""

    NOT_PUBLISHED = "not_published", _("未发布")
    NOT_STARTED = "not_started", _("尚未开始")
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已截止")


WINDOW_COLOURS = {
    WindowState.NOT_PUBLISHED: "grey",
    WindowState.NOT_STARTED: "blue",
    WindowState.OPEN: "green",
    WindowState.CLOSED: "red",
}


class QuotaMode(models.TextChoices):
    SOFT = "soft", _("提示（超出时警告）")
    HARD = "hard", _("限制（超出时拒绝）")


class CharLimitMode(models.TextChoices):
    """What the word limit does beyond its tolerance (within the tolerance it only warns)."""

    WARN = "warn", _("提示（超出时提醒，仍可提交）")
    HARD = "hard", _("限制（超出浮动范围时不能提交）")


class Outcome(models.TextChoices):
    SUCCESSFUL = "successful", _("干预成功")
    UNSUCCESSFUL = "unsuccessful", _("干预未成功")


# The notice's own examples; a campaign may edit its lists.
DEFAULT_TRIGGERS = ["学业", "经济", "交往", "家庭", "疾患", "恋爱", "丧失", "其他"]
DEFAULT_NATURES = ["自我伤害", "轻生自杀", "攻击伤人", "精神障碍急性发作", "其他"]
DEFAULT_RUBRIC = [
    {"name": "典型性与指导意义", "weight": 30},
    {"name": "干预过程的规范性与专业性", "weight": 30},
    {"name": "总结反思的深度", "weight": 20},
    {"name": "隐私保护与伦理", "weight": 10},
    {"name": "格式与文字", "weight": 10},
]

# The declarations a filer agrees to (the notice's rules), versioned: the exact text agreed is stored.
DECLARATIONS_VERSION = "2026-1"
DECLARATIONS = [
    _("本案例为本人亲自参与实施干预工作的真实案例。"),
    _("案例报告遵守伦理原则，已对当事人姓名化名，并对学校、院系、年级、住址、家庭等信息作了处理，切实保护当事人隐私。"),
    _("案例报告为原创作品，无抄袭，无知识产权纠纷。"),
    _("同意主办方对案例报告享有包括但不限于书籍、报刊、杂志、影视、网络等媒体出版、发表、宣传的著作使用权。"),
]


AUDIT_LABELS = [
    ("xinan.campaign.create", _("新建征集活动")),
    ("xinan.campaign.change", _("修改征集活动")),
    ("xinan.campaign.publish", _("发布征集活动")),
    ("xinan.campaign.attachment.add", _("上传通知附件")),
    ("xinan.campaign.attachment.download", _("下载通知附件")),
    ("xinan.campaign.filer.add", _("添加填报人员")),
    ("xinan.campaign.filer.import", _("批量导入填报人员")),
    ("xinan.campaign.filer.invite", _("短信通知填报人员")),
    ("xinan.campaign.filer.open", _("开放填报权限")),
    ("xinan.campaign.filer.close", _("关闭填报权限")),
    ("xinan.campaign.filer.extend", _("延长填报期限")),
    ("xinan.campaign.school.open", _("开放学校填报")),
    ("xinan.campaign.school.close", _("关闭学校填报")),
    ("xinan.campaign.submission.start", _("新建申报")),
    ("xinan.campaign.submission.files", _("上传案例报告文件")),
    ("xinan.campaign.submission.info", _("填写项目基本信息")),
    ("xinan.campaign.submission.flag_kept", _("保留隐私标记")),
    ("xinan.campaign.submission.declare", _("确认申报声明")),
    ("xinan.campaign.submission.submit", _("提交申报")),
    ("xinan.campaign.submission.return", _("退回修改")),
    ("xinan.campaign.submission.reject", _("不予通过")),
    ("xinan.campaign.submission.withdraw", _("撤回申报")),
    ("xinan.campaign.submission.download", _("下载本人提交的案例报告文件")),
    ("xinan.campaign.originality.view", _("查看相似案例比对")),
    ("xinan.campaign.originality.check", _("重新进行原创性比对")),
    ("xinan.campaign.statistics.view", _("查看征集统计")),
    ("xinan.campaign.statistics.export", _("导出征集统计（Excel）")),
]
