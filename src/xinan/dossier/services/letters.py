"""The letters and forms the platform writes from a case, in words a school may change.

A letter template is plain text: the first line is the title, each further line a paragraph,
a line starting with ``# `` a heading, and ``${name}`` a value from the case. A line that is
only a block placeholder (``${plan}``, ``${duties}``, ``${record}``, ``${signatures}``) is
replaced by that block: the plan's steps, the guardian's duties, the record's tables, the
signature lines. The texts shipped with the platform are in ``templates/dossier/letters``;
a school's own wording is a ``LetterTemplate`` row.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinan.audit.services.record import record
from xinan.cases.enums import (
    CaseState,
    ContactChannel,
    GuardianResponse,
    ObservationCategory,
    Outcome,
    RiskLevel,
    StatusEventKind,
    TaskKind,
)
from xinan.cases.models import Case, GuardianAgreement, Referral, SafetyPlan, SchoolCrisisSettings
from xinan.cases.models.safety import SAFETY_PLAN_STEPS
from xinan.dossier.enums import LetterKind
from xinan.dossier.models import LetterTemplate
from xinan.dossier.services.errors import DossierError

LETTERS_DIR = Path(__file__).resolve().parents[1] / "templates" / "dossier" / "letters"
BLANK = "＿＿＿＿＿＿＿＿"
MAX_TEMPLATE_LENGTH = 10_000

INLINE_PLACEHOLDERS = {
    "school": gettext_lazy("学校名称"),
    "student": gettext_lazy("学生姓名"),
    "class_name": gettext_lazy("班级"),
    "reference": gettext_lazy("个案编号"),
    "date": gettext_lazy("今天的日期"),
    "counsellor": gettext_lazy("负责心理老师"),
    "contact_phone": gettext_lazy("学校联系电话（值班电话）"),
    "guardian": gettext_lazy("监护人称呼"),
    "agency": gettext_lazy("转介机构"),
    "department": gettext_lazy("科室"),
    "reason": gettext_lazy("转介理由"),
    "version": gettext_lazy("安全计划书版本"),
    "plan_date": gettext_lazy("安全计划书制定日期"),
    "review_on": gettext_lazy("安全计划书复查日期"),
}
BLOCK_PLACEHOLDERS = {
    "plan": gettext_lazy("安全计划书的各个步骤"),
    "duties": gettext_lazy("监护人职责（逐条编号）"),
    "record": gettext_lazy("危机干预记录（基本情况、评估、干预、家校沟通、转介等表格）"),
    "signatures": gettext_lazy("签字栏"),
}

SIGNATURES = {
    LetterKind.SAFETY_PLAN_STUDENT: [gettext_lazy("学生签名"), gettext_lazy("心理老师签名"), gettext_lazy("日期")],
    LetterKind.SAFETY_PLAN_SCHOOL: [gettext_lazy("学生签名"), gettext_lazy("心理老师签名"), gettext_lazy("日期")],
    LetterKind.GUARDIAN_AGREEMENT: [
        gettext_lazy("监护人签名"),
        gettext_lazy("与学生关系"),
        gettext_lazy("联系电话"),
        gettext_lazy("学校（盖章）"),
        gettext_lazy("学校联系人签名"),
        gettext_lazy("日期"),
    ],
    LetterKind.REFERRAL_LETTER: [
        gettext_lazy("学校（盖章）"),
        gettext_lazy("日期"),
        gettext_lazy("回执：本人已收到此转介建议书。监护人签名"),
        gettext_lazy("日期"),
    ],
    LetterKind.INTERVENTION_RECORD: [gettext_lazy("记录人"), gettext_lazy("组长审核"), gettext_lazy("日期")],
}


# Blocks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    indent: bool = True
    right: bool = False  # a sign-off: the sender's name and the date


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths


@dataclass(frozen=True)
class Signatures:
    labels: tuple[str, ...]


@dataclass
class Letter:
    letterhead: str
    title: str
    blocks: list = field(default_factory=list)


# Templates ------------------------------------------------------------------------------------


def default_letter_text(kind: LetterKind | str) -> str:
    return (LETTERS_DIR / f"{LetterKind(kind).value}.txt").read_text(encoding="utf-8")


def letter_text(school, kind: LetterKind | str) -> str:
    own = LetterTemplate.objects.filter(school=school, kind=LetterKind(kind)).first()
    return own.text if own is not None else default_letter_text(kind)


def check_letter_text(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise DossierError(_("模板不能为空。"))
    if len(text) > MAX_TEMPLATE_LENGTH:
        raise DossierError(_("模板太长（最多 %(n)s 字）。") % {"n": MAX_TEMPLATE_LENGTH})
    template = string.Template(text)
    if not template.is_valid():
        raise DossierError(_("模板中有不完整的占位符：占位符的写法是 ${名称}，“$”本身请写作“$$”。"))
    unknown = sorted(set(template.get_identifiers()) - set(INLINE_PLACEHOLDERS) - set(BLOCK_PLACEHOLDERS))
    if unknown:
        raise DossierError(_("模板中有无法识别的占位符：%(names)s。") % {"names": "、".join(unknown)})
    return text


def save_letter_template(school, kind: LetterKind | str, *, text: str, by, request=None) -> LetterTemplate:
    kind = LetterKind(kind)
    text = check_letter_text(text)
    with transaction.atomic():
        row, created = LetterTemplate.objects.update_or_create(
            school=school, kind=kind, defaults={"text": text, "updated_by": by, "updated_at": timezone.now()}
        )
        record(
            "xinan.dossier.letter_template.save",
            actor=by,
            organisation=school,
            obj=school,
            request=request,
            after={"kind": kind.value, "created": created},
        )
    return row


def reset_letter_template(school, kind: LetterKind | str, *, by, request=None) -> None:
    kind = LetterKind(kind)
    with transaction.atomic():
        deleted, _rows = LetterTemplate.objects.filter(school=school, kind=kind).delete()
        if deleted:
            record(
                "xinan.dossier.letter_template.reset",
                actor=by,
                organisation=school,
                obj=school,
                request=request,
                after={"kind": kind.value},
            )


# Composing ------------------------------------------------------------------------------------


def _local(moment: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(moment).strftime(fmt) if moment else ""


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _guardian_label(case: Case, agreement: GuardianAgreement | None = None) -> str:
    guardian = agreement.guardian if agreement is not None and agreement.guardian_id else None
    if guardian is None and case.student_id:
        guardian = case.student.guardians.order_by("-is_primary", "pk").first()
    if guardian is None:
        return _("家长")
    return _("%(name)s（%(relation)s）") % {"name": guardian.name, "relation": guardian.get_relation_display()}


def _values(case: Case) -> dict[str, str]:
    settings_row = SchoolCrisisSettings.objects.filter(school_id=case.school_id).first()
    student = case.student
    school_class = student.school_class if student is not None and student.school_class_id else None
    return {
        "school": case.school.name,
        "student": case.student_label or BLANK,
        "class_name": f"{school_class.grade}{school_class.name}" if school_class else BLANK,
        "reference": case.reference,
        "date": _chinese_date(timezone.localdate()),
        "counsellor": case.assigned_counsellor.name if case.assigned_counsellor_id else BLANK,
        "contact_phone": (settings_row.duty_phone if settings_row else "") or BLANK,
        "guardian": _guardian_label(case),
    }


def compose_letter(case: Case, kind: LetterKind | str, *, source=None, text: str | None = None) -> Letter:
    """The letter as blocks, ready to be written as Word or PDF."""
    kind = LetterKind(kind)
    values = _values(case)
    blocks: dict[str, list] = {"signatures": [Signatures(tuple(str(label) for label in SIGNATURES[kind]))]}
    if kind in {LetterKind.SAFETY_PLAN_STUDENT, LetterKind.SAFETY_PLAN_SCHOOL}:
        plan: SafetyPlan = source
        values |= {
            "version": str(plan.version),
            "plan_date": _local(plan.created_at, "%Y-%m-%d"),
            "review_on": plan.review_on.isoformat(),
        }
        blocks["plan"] = _plan_blocks(plan)
    elif kind == LetterKind.GUARDIAN_AGREEMENT:
        agreement: GuardianAgreement = source
        values["guardian"] = _guardian_label(case, agreement)
        blocks["duties"] = [
            Paragraph(f"{number}. {duty}", indent=False) for number, duty in enumerate(agreement.duties, start=1)
        ]
    elif kind == LetterKind.REFERRAL_LETTER:
        referral: Referral = source
        values |= {
            "agency": referral.agency,
            "department": referral.department or _("心理科或精神科"),
            "reason": referral.reason,
        }
    elif kind == LetterKind.INTERVENTION_RECORD:
        blocks["record"] = _record_blocks(case, values)
    return _fill(text if text is not None else letter_text(case.school, kind), values, blocks, case.school.name)


def _fill(text: str, values: dict[str, str], blocks: dict[str, list], letterhead: str) -> Letter:
    inline = {name: values.get(name) or BLANK for name in INLINE_PLACEHOLDERS}
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    title = string.Template(lines[0]).safe_substitute(inline) if lines else ""
    letter = Letter(letterhead=letterhead, title=title)
    for line in lines[1:]:
        name = line[2:-1] if line.startswith("${") and line.endswith("}") else None
        if name in BLOCK_PLACEHOLDERS or name in blocks:
            letter.blocks += blocks.get(name, [])
        elif line.startswith("# "):
            letter.blocks.append(Heading(string.Template(line[2:].strip()).safe_substitute(inline)))
        else:
            filled = string.Template(line).safe_substitute(inline)
            # A multi-line value (a referral's reason) keeps its paragraphs.
            letter.blocks += [Paragraph(part.strip()) for part in filled.split("\n") if part.strip()]
    return letter


def _plan_blocks(plan: SafetyPlan) -> list:
    blocks = []
    for name, label in SAFETY_PLAN_STEPS:
        blocks.append(Heading(str(label)))
        text = getattr(plan, name) or BLANK
        blocks += [Paragraph(line.strip(), indent=False) for line in text.splitlines() if line.strip()]
    return blocks


def _record_blocks(case: Case, values: dict[str, str]) -> list:
    categories = "、".join(
        str(ObservationCategory(c).label) for c in case.categories if c in ObservationCategory.values
    )
    blocks: list = [
        Heading(_("一、基本情况")),
        Table(
            header=(),
            rows=(
                (_("个案编号"), case.reference, _("学生"), values["student"]),
                (_("班级"), values["class_name"], _("报告时间"), _local(case.opened_at)),
                (_("当前状态"), str(CaseState(case.state).label), _("风险等级"), _level(case.risk_level)),
                (_("负责心理老师"), values["counsellor"], _("危机类型"), categories or BLANK),
                *(
                    [(_("结案结果"), str(Outcome(case.outcome).label), _("结案时间"), _local(case.closed_at))]
                    if case.outcome
                    else []
                ),
            ),
            widths=(1.2, 2, 1.2, 2),
        ),
    ]
    report = getattr(case, "first_report", None)
    if report is not None:
        blocks += [
            Heading(_("二、首见报告")),
            Paragraph(_("发现时间：%(at)s") % {"at": _local(report.occurred_at)}, indent=False),
            Paragraph(_("情况描述：%(text)s") % {"text": report.observed or _("无")}, indent=False),
            Paragraph(_("已采取的保护措施：%(text)s") % {"text": report.measures or _("无")}, indent=False),
        ]
    assessments = [
        (_local(a.at), a.by.name, _level(a.level), _("是") if a.in_crisis else _("否"), a.notes)
        for a in case.assessments.select_related("by")
    ]
    blocks += [
        Heading(_("三、危机评估")),
        Table(
            (_("时间"), _("评估人"), _("风险等级"), _("危机状态"), _("评估记录")),
            tuple(assessments) or (_empty(5),),
            (1.6, 1, 1.2, 0.8, 3),
        ),
    ]
    work = [(t.at, _("状态变化"), t.by.name, _state_line(t)) for t in case.transitions.select_related("by")]
    work += [
        (f.at, _("回访：%(channel)s") % {"channel": ContactChannel(f.channel).label}, f.by.name, f.note)
        for f in case.follow_ups.select_related("by")
    ]
    work += [
        (c.held_at, _("会商"), c.recorded_by.name, c.decisions)
        for c in case.consultations.select_related("recorded_by")
    ]
    work += [
        (p.created_at, _("干预预案"), p.created_by.name, "\n".join(filter(None, [p.targets, p.methods])))
        for p in case.plans.select_related("created_by")
    ]
    work += [
        (
            p.created_at,
            _("安全计划书第 %(v)s 版") % {"v": p.version},
            p.created_by.name,
            _("已签署") if p.signed_at else _("未签署"),
        )
        for p in case.safety_plans.select_related("created_by")
    ]
    for task in case.tasks.filter(kind=TaskKind.ESCALATION).select_related("done_by"):
        work.append((task.created_at, _("上报组长"), "", task.title))
        if task.done_at:
            work.append((task.done_at, _("组长处理"), task.done_by.name, f"{task.title}\n{task.done_note}".strip()))
    work += [
        (a.created_at, _("善后跟踪方案"), a.created_by.name, a.plan)
        for a in case.aftercare_plans.select_related("created_by")
    ]
    work.sort(key=lambda row: row[0])
    blocks += [
        Heading(_("四、干预与跟踪")),
        Table(
            (_("时间"), _("事项"), _("人员"), _("内容")),
            tuple((_local(at), what, who, text) for at, what, who, text in work) or (_empty(4),),
            (1.6, 1.4, 1, 3.6),
        ),
    ]
    contacts = [
        (
            _local(c.at),
            str(ContactChannel(c.channel).label),
            c.guardian.name if c.guardian_id else c.guardian_text,
            c.said,
            str(GuardianResponse(c.response).label) + (f"：{c.guardian_words}" if c.guardian_words else ""),
        )
        for c in case.guardian_contacts.select_related("guardian")
    ]
    # Notices (告知书) and the guardian's answer to them, refusal included: the seed makes the
    # guardian's responsibility explicit, so the record shows it.
    contacts += [
        (
            _local(n.sent_at),
            _("告知书（%(channel)s）") % {"channel": _("短信")},
            n.guardian.name if n.guardian_id else "",
            str(n.get_purpose_display()),
            (
                str(n.get_response_display()) + (f"：{n.guardian_words}" if n.guardian_words else "")
                if n.response
                else _("尚未回应")
            ),
        )
        for n in case.guardian_notices.filter(sent_at__isnull=False).select_related("guardian")
    ]
    contacts.sort(key=lambda row: row[0])
    blocks += [
        Heading(_("五、家校沟通")),
        Table(
            (_("时间"), _("方式"), _("监护人"), _("沟通内容"), _("监护人回应")),
            tuple(contacts) or (_empty(5),),
            (1.6, 0.8, 1, 2.6, 1.6),
        ),
    ]
    referrals = [
        (
            _local(r.referred_at),
            f"{r.agency} {r.department}".strip(),
            r.reason,
            (f"{_local(r.diagnosis_received_at)} {r.diagnosis}".strip() if r.diagnosis_received_at else _("尚未反馈")),
        )
        for r in case.referrals.all()
    ]
    blocks += [
        Heading(_("六、转介")),
        Table(
            (_("转介时间"), _("机构/科室"), _("转介理由"), _("诊断反馈")),
            tuple(referrals) or (_empty(4),),
            (1.6, 1.8, 2.2, 2),
        ),
    ]
    events = [
        (
            str(StatusEventKind(e.kind).label),
            e.starts_on.isoformat(),
            e.ends_on.isoformat() if e.ends_on else "",
            e.note,
        )
        for e in case.status_events.all()
    ]
    blocks += [
        Heading(_("七、请假、休学、退学、转学、复学")),
        Table((_("类型"), _("开始日期"), _("结束日期"), _("说明")), tuple(events) or (_empty(4),), (1, 1.4, 1.4, 3.4)),
    ]
    return blocks


def _date(day) -> str:
    return day.isoformat() if day else ""


def _empty(columns: int) -> tuple[str, ...]:
    return (_("无"),) + ("",) * (columns - 1)


def _level(value: str) -> str:
    return str(RiskLevel(value).label) if value else _("待评估")


def _state_line(transition) -> str:
    state = str(CaseState(transition.to_state).label)
    return f"{state}：{transition.reason}" if transition.reason else state
