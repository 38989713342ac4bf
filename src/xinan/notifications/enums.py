from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信")
    WECOM_ROBOT = "wecombot", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉工作通知")
    DINGTALK_ROBOT = "dingbot", _("钉钉群机器人")


# Group robots post to a group chat: only content-free pings, never a name or a case.
ROBOT_CHANNELS = frozenset({Channel.WECOM_ROBOT, Channel.DINGTALK_ROBOT})


# Messages about a case go out as confidential where the platform can (企业微信 safe=1).
CONFIDENTIAL_TEMPLATE_PREFIX = "case_"
# The only text a group robot ever posts.
ROBOT_PING_TEMPLATE = "robot_ping"


class Platform(models.TextChoices):
    """The work platforms a school may connect (one application and one group robot each)."""

    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    UNCERTAIN = "uncertain", _("状态未知")  # a worker died mid-send: resend by hand, never automatically
    RECALLED = "recalled", _("已撤回")  # taken back from the recipient's chat (企业微信, within 24 h)

    @property
    def colour(self) -> str:
        return MESSAGE_STATUS_COLOURS[self]


MESSAGE_STATUS_COLOURS = {
    MessageStatus.QUEUED: "grey",
    MessageStatus.SENDING: "blue",
    MessageStatus.SENT: "green",
    MessageStatus.FAILED: "red",
    MessageStatus.UNCERTAIN: "orange",
    MessageStatus.RECALLED: "grey",
}
PENDING_STATUSES = frozenset({MessageStatus.QUEUED, MessageStatus.SENDING})


class Delivery(models.TextChoices):
    """What the provider reported after a message was sent (empty: no report yet)."""

    DELIVERED = "delivered", _("已送达")
    READ = "read", _("已读")
    UNREAD = "unread", _("未读")
    UNDELIVERED = "undelivered", _("未送达")

    @property
    def colour(self) -> str:
        return DELIVERY_COLOURS[self]


DELIVERY_COLOURS = {
    Delivery.DELIVERED: "green",
    Delivery.READ: "green",
    Delivery.UNREAD: "blue",
    Delivery.UNDELIVERED: "red",
}


class NoticeKind(models.TextChoices):
    """Kinds of notice a person chooses a channel for (on their account page)."""

    CASE_ALERT = "case_alert", _("个案紧急提醒（首见报告、升级、危机干预）")
    CASE_TASK = "case_task", _("个案事项到期与逾期")
    CAMPAIGN = "campaign", _("案例征集与评审")
    SECURITY = "security", _("安全告警")


# The message templates of each kind; a template not listed (sign-in codes, account invitations,
# guardian notices) always goes by SMS.
TEMPLATE_KINDS = {
    "case_first_report": NoticeKind.CASE_ALERT,
    "case_escalation": NoticeKind.CASE_ALERT,
    "case_intervention": NoticeKind.CASE_ALERT,
    "case_task_due": NoticeKind.CASE_TASK,
    "case_task_overdue": NoticeKind.CASE_TASK,
    "campaign_invite": NoticeKind.CAMPAIGN,
    "campaign_deadline": NoticeKind.CAMPAIGN,
    "campaign_returned": NoticeKind.CAMPAIGN,
    "review_assigned": NoticeKind.CAMPAIGN,
    "audit_alert": NoticeKind.SECURITY,
}
# Urgent kinds go by SMS as well, whatever channel the person chose.
URGENT_KINDS = frozenset({NoticeKind.CASE_ALERT, NoticeKind.SECURITY})
# The channels a person may choose for a kind of notice.
PERSON_CHANNELS = (Channel.SMS, Channel.WECOM, Channel.DINGTALK)
PLATFORM_CHANNELS = {Platform.WECOM: Channel.WECOM, Platform.DINGTALK: Channel.DINGTALK}
ROBOT_OF_PLATFORM = {Platform.WECOM: Channel.WECOM_ROBOT, Platform.DINGTALK: Channel.DINGTALK_ROBOT}

# What a message is, for lists that never show its text.
OTHER_TEMPLATE_LABELS = {
    "login_code": _("登录验证码"),
    "account_invite": _("账号开通"),
    "guardian_notice": _("监护人告知书"),
    ROBOT_PING_TEMPLATE: _("群机器人提醒"),
}
