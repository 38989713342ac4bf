"""States, levels and categories of a crisis case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    REPORTED = "reported", _("已报告")
    ASSESSING = "assessing", _("评估中")
    CARE_TRACKING = "care_tracking", _("关怀跟踪")
    INTERVENTION = "intervention", _("危机干预")
    REFERRED = "referred", _("已转介")
    AFTERCARE = "aftercare", _("善后跟踪")
    CLOSED = "closed", _("已结案")


OPEN_STATES = frozenset(set(CaseState) - {CaseState.CLOSED})
CRISIS_STATES = frozenset({CaseState.INTERVENTION, CaseState.REFERRED})
# A palette of its own (outlined tints, see app.css), so a state never reads as a risk level:
# "已报告" in the risk red looked like a red-level case.
STATE_COLOURS = {state: f"state-{state.value}" for state in CaseState}


class RiskLevel(models.TextChoices):
    """Four levels, coloured like China's emergency warning scale (红橙黄蓝), which school staff know."""

    RED = "red", _("红色（高危）")
    ORANGE = "orange", _("橙色（较高）")
    YELLOW = "yellow", _("黄色（中等）")
    BLUE = "blue", _("蓝色（较低）")

    @property
    def rank(self) -> int:
        return LEVEL_ORDER.index(self)

    @property
    def colour(self) -> str:
        return self.value


LEVEL_ORDER = [RiskLevel.BLUE, RiskLevel.YELLOW, RiskLevel.ORANGE, RiskLevel.RED]

# Written criteria, shown beside the choice (docs/risk-assessment.md gives the sources).
LEVEL_CRITERIA = {
    RiskLevel.RED: _(
        "有明确的自杀计划或准备行为，近三个月内有自杀/自伤行为，或正在实施伤害；或有伤害他人的明确计划。需立即干预，24小时看护。"
    ),
    RiskLevel.ORANGE: _(
        "有自杀想法并想过方法，或有自伤行为（无近期自杀行为），或严重心身疾病急性发作；社会功能明显受损。需尽快干预并通知监护人。"
    ),
    RiskLevel.YELLOW: _(
        "有消极或轻生念头但无具体方法和计划，情绪、行为或社会功能有中度困扰；应对能力和支持尚可。需关怀跟踪并定期复评。"
    ),
    RiskLevel.BLUE: _("一般性心理困扰，无自伤、自杀或伤人想法，社会功能基本正常，有较好的支持。常规关注。"),
}


@dataclass(frozen=True)
class LevelDuties:
    """What a risk level obliges the school to do, and how often."""

    contact_every: dt.timedelta
    reassess_every: dt.timedelta
    guardian_within: dt.timedelta | None
    safety_plan_required: bool
    guardian_agreement_required: bool
    referral_required: bool


LEVEL_DUTIES = {
    RiskLevel.RED: LevelDuties(dt.timedelta(days=1), dt.timedelta(days=7), dt.timedelta(hours=2), True, True, True),
    RiskLevel.ORANGE: LevelDuties(
        dt.timedelta(days=3), dt.timedelta(days=14), dt.timedelta(hours=24), True, True, False
    ),
    RiskLevel.YELLOW: LevelDuties(
        dt.timedelta(days=7), dt.timedelta(days=30), dt.timedelta(days=3), False, False, False
    ),
    RiskLevel.BLUE: LevelDuties(dt.timedelta(days=14), dt.timedelta(days=60), None, False, False, False),
}


class ObservationCategory(models.TextChoices):
    SUICIDE_TALK = "suicide_talk", _("谈论自杀/轻生")
    SUICIDE_NOTE = "suicide_note", _("遗书/告别信息")
    SUICIDE_PLAN = "suicide_plan", _("自杀计划或准备")
    SELF_HARM = "self_harm", _("自伤行为")
    HARM_TO_OTHERS = "harm_to_others", _("伤害他人")
    ACUTE_ILLNESS = "acute_illness", _("身心疾病急性发作")
    SUDDEN_EVENT = "sudden_event", _("突发丧失或重大事件")
    OTHER = "other", _("其他")


# What a first report says decides how soon the first assessment is due: talk of suicide, a
# note, a plan, self-harm, harm to others or an acute episode within 2 hours (the red level's
# guardian deadline); anything else within a working day.
URGENT_CATEGORIES = frozenset(
    {
        ObservationCategory.SUICIDE_TALK,
        ObservationCategory.SUICIDE_NOTE,
        ObservationCategory.SUICIDE_PLAN,
        ObservationCategory.SELF_HARM,
        ObservationCategory.HARM_TO_OTHERS,
        ObservationCategory.ACUTE_ILLNESS,
    }
)
FIRST_ASSESSMENT_URGENT = dt.timedelta(hours=2)
FIRST_ASSESSMENT_OTHER = dt.timedelta(hours=24)


class Injury(models.TextChoices):
    NONE = "none", _("无身体伤害")
    FIRST_AID = "first_aid", _("已初步急救")
    HOSPITAL = "hospital", _("已送医")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("危机解除")
    TRANSFERRED_OUT = "transferred_out", _("转出本校")
    WITHDRAWN = "withdrawn", _("退学")
    OTHER = "other", _("其他")


class MoveDecision(models.TextChoices):
    """What the team leader (or the coordinator) decided on a move requested by a counsellor."""

    APPROVED = "approved", _("已批准")
    DECLINED = "declined", _("未批准")


class CaseRole(models.TextChoices):
    """Temporary members of the crisis team for one case, and others added explicitly."""

    CLASS_TEACHER = "class_teacher", _("班主任")
    FIRST_REPORTER = "first_reporter", _("第一发现人")
    COUNSELLOR = "counsellor", _("协助心理老师")
    MEMBER = "member", _("其他成员")


# Case roles that open the whole case (the others see only their own part).
FULL_ACCESS_CASE_ROLES = frozenset({CaseRole.COUNSELLOR, CaseRole.MEMBER})


class LawfulBasis(models.TextChoices):
    """PIPL Art. 13: why the school may process this student's sensitive personal information."""

    STATUTORY_DUTY = "statutory_duty", _("履行法定职责（学校心理危机干预工作职责）")
    VITAL_INTERESTS = "vital_interests", _("紧急情况下保护生命健康")
    CONSENT = "consent", _("取得个人（或监护人）单独同意")


class TaskKind(models.TextChoices):
    ASSESSMENT = "assessment", _("评估")
    FOLLOW_UP = "follow_up", _("回访")
    REASSESSMENT = "reassessment", _("复评")
    GUARDIAN_CONTACT = "guardian_contact", _("联系监护人")
    REFERRAL_DIAGNOSIS = "referral_diagnosis", _("跟进转介诊断结果")
    PLAN_STEP = "plan_step", _("干预预案步骤")
    SAFETY_PLAN_REVIEW = "safety_plan_review", _("安全计划复查")
    AFTERCARE = "aftercare", _("善后回访")
    ESCALATION = "escalation", _("需组长处理")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    IN_PERSON = "in_person", _("面谈")
    SMS = "sms", _("短信")
    WECHAT = "wechat", _("微信/QQ")
    OTHER = "other", _("其他")


class GuardianResponse(models.TextChoices):
    INFORMED = "informed", _("已告知，配合")
    AGREED = "agreed", _("同意并签署")
    NO_ANSWER = "no_answer", _("未联系上")
    REFUSED = "refused", _("拒绝")
    NON_COOPERATION = "non_cooperation", _("不配合")


REFUSING_RESPONSES = frozenset({GuardianResponse.REFUSED, GuardianResponse.NON_COOPERATION})


class NoticePurpose(models.TextChoices):
    """The guardian notices (告知书) a school sends."""

    CRISIS_FOUND = "crisis_found", _("心理危机告知")
    REFERRAL_ADVISED = "referral_advised", _("转介就医建议告知")
    RETURN_CONDITIONS = "return_conditions", _("复学条件告知")


class NoticeResponse(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", _("已确认收悉")
    REFUSED = "refused", _("拒绝")
    NO_RESPONSE = "no_response", _("不回应、不配合")


# Responses that put the duty back on the school: the team leader must act.
NOTICE_REFUSALS = frozenset({NoticeResponse.REFUSED, NoticeResponse.NO_RESPONSE})


class StatusEventKind(models.TextChoices):
    LEAVE = "leave", _("请假")
    SUSPENSION = "suspension", _("休学")
    WITHDRAWAL = "withdrawal", _("退学")
    TRANSFER = "transfer", _("转学")
    RETURN = "return", _("复学")


class Dimension(models.TextChoices):
    """The seed's six assessment dimensions (学生心理危机评估)."""

    EMOTION = "emotion", _("情绪")
    BEHAVIOUR = "behaviour", _("行为表现")
    SOCIAL = "social", _("社会功能")
    COPING = "coping", _("应对机制")
    SUPPORT = "support", _("环境支持")
    DANGER = "danger", _("危险性")


# 0 none, 1 mild, 2 moderate, 3 severe: guidance shown beside each rating.
DIMENSION_GUIDANCE = {
    Dimension.EMOTION: _("0 平稳；1 偶有低落焦虑；2 持续明显的抑郁、焦虑或愤怒；3 极度痛苦、绝望或情绪失控"),
    Dimension.BEHAVIOUR: _("0 正常；1 轻微退缩或作息改变；2 明显异常（不上课、闭门不出、冲动）；3 失控或怪异行为"),
    Dimension.SOCIAL: _("0 学习生活正常；1 效率下降；2 难以完成学业或维持人际；3 无法上学、自理困难"),
    Dimension.COPING: _("0 能有效应对；1 应对吃力；2 应对方式消极（逃避、饮酒、沉迷网络）；3 无任何有效应对"),
    Dimension.SUPPORT: _("0 家庭同伴支持良好；1 支持有限；2 支持薄弱或有冲突；3 无支持或环境本身有害"),
    Dimension.DANGER: _("0 无伤害想法；1 消极念头；2 自伤或自杀想法/伤人想法；3 有计划、准备或已实施伤害"),
}


AUDIT_LABELS = [
    ("xinan.case.report", _("提交首见报告")),
    ("xinan.case.view", _("查看个案")),
    ("xinan.case.list", _("查看个案列表")),
    ("xinan.case.dashboard.view", _("查看工作台")),
    ("xinan.case.assess", _("危机评估")),
    ("xinan.case.transition", _("个案状态变更")),
    ("xinan.case.assign", _("指派心理老师")),
    ("xinan.case.move_request", _("申请结案/重新开案")),
    ("xinan.case.move_request.decide", _("审批结案/重新开案申请")),
    ("xinan.case.member.add", _("添加本案人员")),
    ("xinan.case.student.link", _("个案关联学籍")),
    ("xinan.case.member.remove", _("移除本案人员")),
    ("xinan.case.follow_up.add", _("记录回访")),
    ("xinan.case.consultation.add", _("记录团队会商")),
    ("xinan.case.plan.add", _("制定干预预案")),
    ("xinan.case.guardian_contact.add", _("记录家校沟通")),
    ("xinan.case.guardian_log.view", _("查看家校沟通记录")),
    ("xinan.case.referral.add", _("转介")),
    ("xinan.case.referral.diagnosis", _("记录诊断结果")),
    ("xinan.case.status_event.add", _("记录请假/休学/复学等")),
    ("xinan.case.aftercare.add", _("制定善后方案")),
    ("xinan.case.task.done", _("完成待办事项")),
    ("xinan.case.disclosure.add", _("记录保密例外")),
    ("xinan.case.glass_break", _("启用紧急访问")),
    ("xinan.case.glass_offer", _("提示紧急访问")),
    ("xinan.case.glass_break.list", _("查看紧急访问记录与理由")),
    ("xinan.case.safety_plan.save", _("保存安全计划书")),
    ("xinan.case.safety_plan.view", _("查看安全计划书")),
    ("xinan.case.safety_plan.compare", _("比较安全计划书版本")),
    ("xinan.case.safety_plan.sign", _("安全计划书已签署")),
    ("xinan.case.guardian_agreement.add", _("生成监护人安全协议书")),
    ("xinan.case.guardian_agreement.sign", _("监护人安全协议书已签署")),
    ("xinan.case.counselling_note.add", _("添加咨询记录")),
    ("xinan.case.counselling_note.view", _("查看咨询记录")),
    ("xinan.case.counselling_note.share", _("共享咨询记录摘录")),
    ("xinan.case.notice.send", _("发送监护人告知书")),
    ("xinan.case.notice.response", _("记录监护人对告知书的回应")),
    ("xinan.case.notice.print", _("打印监护人告知书")),
    ("xinan.org.membership.change", _("变更小组角色")),
    ("xinan.plan_template.add", _("新建干预预案模板")),
    ("xinan.plan_template.change", _("修改干预预案模板")),
    ("xinan.plan_template.retire", _("停用干预预案模板")),
    ("xinan.plan_template.seed", _("生成默认预案模板")),
    ("xinan.school.settings.change", _("修改危机干预设置")),
]
