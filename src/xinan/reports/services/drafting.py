"""Draft a case report from a closed crisis case.

Decision: the draft is saved at once, as a draft that only its author (and the school's
team leader and coordinator, who may read the case itself) can open, and the author is
taken straight to it. Nothing of the case is in it that the author has not been shown:
the draft is built from the case's records, the known identifiers of the student and
the guardians are removed, every suggestion of the de-identification engine is applied
before anything is stored, and the editor then shows the whole text with what is left
to check. Saving at once means that closing the tab loses nothing, and that the use of
the case is recorded (with its lawful basis) when it happens.

What goes in, and what never does:
- 当事人基本信息: sex and age at the time of the case only; never a name, class or number.
- 危机的发生: the first report (categories, what was seen, measures, injury).
- 干预过程: assessments (level and notes), intervention plans, consultations, guardian
  contacts (channel, response, what was said), referrals, follow-ups, shared excerpts are
  NOT taken (they come from counselling notes, behind the clinical wall), and counselling
  notes never are.
- 干预结果: the outcome, diagnoses and advice received, aftercare plans, leave/suspension/return.
- 经验分享: left empty for the author.
Dates are never copied: events are told in order ("首次评估", "随后").
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.enums import ContactChannel, GuardianResponse, ObservationCategory, Outcome, RiskLevel
from xinan.cases.models import Case
from xinan.reports.enums import FlagDecisionKind, ReportAction, ReportUseBasis
from xinan.reports.models import CaseReport, FlagDecision
from xinan.reports.services.documents import TEXT_FIELDS, Analysis, apply_flags, clean_text, fingerprint
from xinan.reports.services.errors import ReportError
from xinan_deid import DELETED
from xinan_reportformat.model import OFFICIAL_SUBTITLE_FORM

STUDENT_PLACEHOLDER = "当事人"
GUARDIAN_PLACEHOLDER = "家长"


def _sentence(text: str) -> str:
    text = " ".join((text or "").split())
    if text and text[-1] not in "。！？；…”」）)":
        text += "。"
    return text


def _labels(values, choices) -> str:
    names = dict(choices)
    return "、".join(str(names.get(value, value)) for value in values)


def case_texts(case: Case) -> dict[str, str]:
    """The draft's texts straight from the case's records, before any de-identification."""
    texts = {field: "" for field in TEXT_FIELDS}
    texts["subtitle"] = OFFICIAL_SUBTITLE_FORM
    texts["basic_info"] = _basic_info(case)
    texts["occurrence"] = _occurrence(case)
    texts["process"] = _process(case)
    texts["result"] = _result(case)
    return texts


def _basic_info(case: Case) -> str:
    parts = [_("当事人（请为其取化名）")]
    student = case.student
    if student is not None and student.sex:
        parts.append(student.get_sex_display())
    age = student.age_on(timezone.localdate(case.opened_at)) if student is not None else None
    if age is not None:
        parts.append(_("%(age)s岁") % {"age": age})
    return "，".join(str(part) for part in parts) + "。" + _("（请补充必要的家庭背景、相关经历、心理咨询或治疗经历。）")


def _occurrence(case: Case) -> str:
    report = getattr(case, "first_report", None)
    if report is None:
        return ""
    lines = []
    if report.categories:
        lines.append(_("首见报告的情况：%(c)s。") % {"c": _labels(report.categories, ObservationCategory.choices)})
    for text in (report.observed, report.measures and _("已采取的保护措施：") + report.measures):
        if text:
            lines.append(_sentence(text))
    if report.injury != "none":
        lines.append(_sentence(report.get_injury_display()))
    return "\n".join(lines)


def _process(case: Case) -> str:
    lines = []
    for number, item in enumerate(case.assessments.all(), start=1):
        head = _("首次评估") if number == 1 else _("第%(n)s次评估") % {"n": number}
        state = _("处于危机状态") if item.in_crisis else _("未处于危机状态")
        lines.append(
            _("%(head)s：风险等级%(level)s，%(state)s。")
            % {"head": head, "level": RiskLevel(item.level).label, "state": state}
            + _sentence(item.notes)
        )
    for plan in case.plans.all():
        lines.append(_("干预预案：") + _sentence(plan.targets) + _sentence(plan.methods))
    for item in case.consultations.all():
        lines.append(_("团队会商：") + _sentence(item.decisions))
    for item in case.guardian_contacts.all():
        lines.append(
            _("与家长沟通（%(channel)s，%(response)s）：")
            % {
                "channel": ContactChannel(item.channel).label,
                "response": GuardianResponse(item.response).label,
            }
            + _sentence(item.said)
        )
    for item in case.referrals.all():
        lines.append(_("转介至专业机构：") + _sentence(item.reason))
    for item in case.follow_ups.all():
        lines.append(_("回访：") + _sentence(item.note))
    return "\n".join(line for line in lines if line)


def _result(case: Case) -> str:
    lines = []
    if case.outcome:
        lines.append(_("结案：%(o)s。") % {"o": Outcome(case.outcome).label} + _sentence(case.outcome_note))
    for item in case.referrals.all():
        if item.diagnosis:
            lines.append(_("专业机构的诊断：") + _sentence(item.diagnosis) + _sentence(item.advice))
    for item in case.status_events.all():
        lines.append(_sentence(item.get_kind_display() + ("：" + item.note if item.note else "")))
    for item in case.aftercare_plans.all():
        lines.append(_("善后跟踪：") + _sentence(item.plan))
    return "\n".join(line for line in lines if line)


def known_identifiers(case: Case) -> list[tuple[str, str]]:
    """The identifiers the case's registers hold, each with what replaces it.

    The engine is recall-first, but these are certain: the student's and guardians' names
    (and the given name alone), the student number, the guardians' phones.
    """
    pairs: list[tuple[str, str]] = []
    student = case.student
    if student is not None:
        name = (student.name or "").strip()
        if name:
            pairs.append((name, STUDENT_PLACEHOLDER))
            if len(name) >= 3:  # the given name alone, as teachers often write it
                pairs.append((name[-2:], STUDENT_PLACEHOLDER))
        if student.student_number:
            pairs.append((student.student_number.strip(), DELETED))
        for guardian in student.guardians.all():
            if guardian.name.strip():
                pairs.append((guardian.name.strip(), GUARDIAN_PLACEHOLDER))
            digits = re.sub(r"\D", "", guardian.phone or "")
            if digits:
                pairs.append((digits, DELETED))
    if case.student_text.strip():
        pairs.append((case.student_text.strip(), STUDENT_PLACEHOLDER))
    # Longest first, so a full name goes before its given name.
    return sorted({pair for pair in pairs if len(pair[0]) >= 2}, key=lambda pair: -len(pair[0]))


def scrub_known(texts: dict[str, str], identifiers: list[tuple[str, str]]) -> dict[str, str]:
    result = {}
    for field, text in texts.items():
        for value, replacement in identifiers:
            if value.isdigit():
                # A phone or number written with separators: 139-1234-0000, 139 1234 0000.
                pattern = r"[\s\-－—.]?".join(re.escape(digit) for digit in value)
                text = re.sub(pattern, replacement, text)
            else:
                text = text.replace(value, replacement)
        result[field] = text
    return result


def draft_report_from_case(
    case: Case, *, by, school, basis: str, basis_note: str = "", confirmed: bool, request=None
) -> CaseReport:
    """Start a de-identified draft from a closed case; record the use and its lawful basis."""
    if basis not in ReportUseBasis.values:
        raise ReportError(_("请选择使用该个案撰写案例报告的依据。"))
    basis_note = " ".join((basis_note or "").split())
    if basis == ReportUseBasis.CONSENT and not basis_note:
        raise ReportError(_("以同意为依据时，请注明同意人、同意的日期与形式，以及书面同意的存放位置。"))
    if not confirmed:
        raise ReportError(_("请确认您将对报告进行去标识化处理（化名、隐去学校、院系、年级、住址等信息）。"))
    raw = case_texts(case)
    scrubbed = scrub_known(raw, known_identifiers(case))
    texts = {field: clean_text(text) for field, text in scrubbed.items()}
    analysis = Analysis(texts, footnote=True)
    flags = analysis.flags
    texts = apply_flags(texts, flags)
    now = timezone.now()
    with transaction.atomic():
        report = CaseReport.objects.create(
            author=by,
            school=school,
            source_case=case,
            use_basis=basis,
            use_basis_note=basis_note[:300],
            deidentify_confirmed_at=now,
            has_artistic_footnote=True,
            char_count=Analysis(texts, footnote=True).char_count,
            **texts,
        )
        FlagDecision.objects.bulk_create(
            FlagDecision(
                report=report,
                kind=flag.kind,
                severity=flag.severity,
                fingerprint=fingerprint(flag.kind, flag.text),
                decision=FlagDecisionKind.APPLIED,
                replacement=flag.flag.replacement,
                occurrences=1,
                automatic=True,
                by=by,
                at=now,
            )
            for flag in flags
        )
        record(
            ReportAction.DRAFT_FROM_CASE,
            actor=by,
            organisation=case.school,
            obj=case,
            request=request,
            reason=f"basis={basis} report={report.pk}",
            after={"basis": basis, "report": report.pk, "replaced": len(flags), "deidentify_confirmed": True},
        )
    return report
