"""Notices to the guardian (告知书): prefilled from a per-purpose template, sent by SMS through the
outbox, and the guardian's acknowledgement or refusal recorded. A refusal, or no acknowledgement
within the level's deadline, goes to the team leader.

The SMS says only that the school has sent a notice and asks the guardian to call the school;
the notice itself is handed over or read out by the school. Texts never carry counselling notes.
"""

from __future__ import annotations

import datetime as dt
from string import Template

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.enums import LEVEL_DUTIES, NOTICE_REFUSALS, OPEN_STATES, NoticePurpose, NoticeResponse, TaskKind
from xinan.cases.models import Case, GuardianNotice
from xinan.cases.services import duties
from xinan.cases.services.errors import CaseError
from xinan.notifications.services.outbox import queue_sms

SMS_TEMPLATE = "guardian_notice"
DEFAULT_DEADLINE = dt.timedelta(hours=24)
MAX_TEXT = 5000


def _templates() -> dict[str, str]:
    return {
        NoticePurpose.CRISIS_FOUND: _(
            "${guardian}：\n"
            "您好！${date}，${school}在工作中发现您的孩子${student}（${class_name}）近期存在心理危机风险"
            "（风险等级：${level}），学校已启动心理危机干预。\n"
            "根据有关规定，监护人应当履行监护责任：请您尽快与学校联系，加强对孩子的看护和陪伴，"
            "妥善保管家中药品、刀具等危险物品，必要时陪同孩子到专业医疗机构就诊。\n"
            "学校值班电话：${duty_phone}\n"
            "请您签收本告知书，或通过电话、面谈等方式告知学校您已知悉。\n"
            "${school}\n${date}"
        ),
        NoticePurpose.REFERRAL_ADVISED: _(
            "${guardian}：\n"
            "您好！经学校心理危机干预工作小组评估，建议您尽快陪同孩子${student}（${class_name}）"
            "到具有资质的医疗机构（精神卫生中心或医院心理科、精神科）进行专业评估与诊治，"
            "并将诊断结果和医嘱及时告知学校，以便学校配合做好后续工作。\n"
            "学校值班电话：${duty_phone}\n"
            "请您签收本告知书，或通过电话、面谈等方式告知学校您已知悉。\n"
            "${school}\n${date}"
        ),
        NoticePurpose.RETURN_CONDITIONS: _(
            "${guardian}：\n"
            "您好！您的孩子${student}（${class_name}）如需返校复学，请提供具有资质的医疗机构出具的"
            "评估意见或诊断证明（注明可以返校学习），并由监护人与学校签订安全协议书。"
            "返校后，学校将安排心理老师和班主任进行关怀跟踪，请您继续配合学校做好看护工作。\n"
            "学校值班电话：${duty_phone}\n"
            "请您签收本告知书，或通过电话、面谈等方式告知学校您已知悉。\n"
            "${school}\n${date}"
        ),
    }


def _duty_phone(case: Case) -> str:
    settings_row = getattr(case.school, "crisis_settings", None)
    return settings_row.duty_phone if settings_row is not None else ""


def deadline_for(case: Case) -> dt.timedelta:
    """How long the guardian has to acknowledge: the level's guardian duty, or 24 hours."""
    level = case.level if case.risk_level else None
    within = LEVEL_DUTIES[level].guardian_within if level is not None else None
    return within or DEFAULT_DEADLINE


def prefill(case: Case, purpose: str, *, guardian=None) -> str:
    """The template of the purpose filled with the school's name and what the guardian needs."""
    if purpose not in NoticePurpose.values:
        raise CaseError(_("请选择告知事项。"))
    student = case.student
    school_class = getattr(student, "school_class", None) if student is not None else None
    values = {
        "guardian": _("%(name)s（家长）") % {"name": guardian.name} if guardian is not None else _("尊敬的家长"),
        "school": case.school.name,
        "student": student.name if student is not None else "",
        "class_name": str(school_class) if school_class is not None else "",
        "level": case.get_risk_level_display() or _("待评估"),
        "duty_phone": _duty_phone(case) or _("（请向班主任询问）"),
        "date": timezone.localdate().strftime("%Y年%m月%d日"),
    }
    return Template(_templates()[purpose]).safe_substitute(values)


def _check_open(case: Case) -> None:
    if case.state not in OPEN_STATES:
        raise CaseError(_("个案已结案，不能再发送告知书。"))


def send_notice(case: Case, *, by, guardian, purpose: str, text: str, request=None) -> GuardianNotice:
    """Keep the notice and queue the SMS that tells the guardian to contact the school."""
    _check_open(case)
    if purpose not in NoticePurpose.values:
        raise CaseError(_("请选择告知事项。"))
    if guardian is None or guardian.student_id != case.student_id:
        raise CaseError(_("请选择本案学生的监护人。"))
    if not (guardian.phone or "").strip():
        raise CaseError(_("该监护人没有登记手机号码，无法发送短信；请先补充联系电话。"))
    text = (text or "").strip()
    if not text:
        raise CaseError(_("请填写告知书内容。"))
    if len(text) > MAX_TEXT:
        raise CaseError(_("告知书内容过长，请精简到 5000 字以内。"))
    now = timezone.now()
    with transaction.atomic():
        notice = GuardianNotice.objects.create(
            case=case, guardian=guardian, purpose=purpose, text=text, sent_at=now, created_by=by
        )
        message = queue_sms(
            guardian.phone,
            SMS_TEMPLATE,
            {"school": case.school.name, "duty_phone": _duty_phone(case)},
            dedupe_key=f"guardian-notice-{notice.pk}",
        )
        notice.message = message
        notice.save(update_fields=["message"])
        record(
            "xinan.case.notice.send",
            actor=by,
            organisation=case.school,
            obj=case,
            request=request,
            after={"notice": notice.pk, "purpose": purpose},
        )
    return notice


def record_response(
    notice: GuardianNotice, *, by, response: str, at=None, channel: str = "", guardian_words: str = "", request=None
) -> GuardianNotice:
    """The guardian's acknowledgement, refusal or non-cooperation, with date, channel and words."""
    case = notice.case
    if notice.response:
        raise CaseError(_("该告知书的回应已经记录，不能重复记录。"))
    if response not in NoticeResponse.values:
        raise CaseError(_("请选择监护人的回应。"))
    guardian_words = (guardian_words or "").strip()
    if response == NoticeResponse.REFUSED and not guardian_words:
        raise CaseError(_("监护人拒绝时，请记录监护人的原话。"))
    at = at or timezone.now()
    if notice.sent_at is not None and at < notice.sent_at.replace(second=0, microsecond=0):
        raise CaseError(_("回应时间不能早于告知书发送时间。"))
    with transaction.atomic():
        notice.response, notice.responded_at, notice.response_channel = response, at, channel
        notice.guardian_words, notice.response_by = guardian_words, by
        if response == NoticeResponse.ACKNOWLEDGED:
            notice.acknowledged_at = at
        notice.save(
            update_fields=[
                "response",
                "responded_at",
                "response_channel",
                "guardian_words",
                "response_by",
                "acknowledged_at",
            ]
        )
        if response == NoticeResponse.ACKNOWLEDGED and notice.purpose == NoticePurpose.CRISIS_FOUND:
            duties.complete_open(case, TaskKind.GUARDIAN_CONTACT, by=by)
        record(
            "xinan.case.notice.response",
            actor=by,
            organisation=case.school,
            obj=case,
            request=request,
            after={"notice": notice.pk, "response": response},
        )
        if response in NOTICE_REFUSALS:
            from xinan.cases.services.records import escalate_to_team_leader

            escalate_to_team_leader(
                case,
                key=f"notice-refusal-{notice.pk}",
                title=_("监护人拒绝或不配合告知书（个案 %(ref)s），请组长处理") % {"ref": case.reference},
            )
    return notice


def escalate_unacknowledged(*, now: dt.datetime | None = None) -> int:
    """Notices with no answer past the level's deadline: one team-leader task each, once."""
    from xinan.cases.services.records import escalate_to_team_leader

    now = now or timezone.now()
    raised = 0
    shortest = min([d.guardian_within for d in LEVEL_DUTIES.values() if d.guardian_within] + [DEFAULT_DEADLINE])
    pending = GuardianNotice.objects.filter(
        response="",
        escalated_at__isnull=True,
        sent_at__isnull=False,
        sent_at__lt=now - shortest,
        case__state__in=OPEN_STATES,
    ).select_related("case__school")
    for notice in pending:
        case = notice.case
        if notice.sent_at + deadline_for(case) > now:
            continue
        with transaction.atomic():
            if not GuardianNotice.objects.filter(pk=notice.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue  # another worker took it
            escalate_to_team_leader(
                case,
                key=f"notice-unacknowledged-{notice.pk}",
                title=_("监护人逾期未确认告知书（个案 %(ref)s），请组长处理") % {"ref": case.reference},
            )
            raised += 1
    return raised
