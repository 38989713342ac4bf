"""Safety plans (versioned) and guardian agreements."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.enums import TaskKind
from xinan.cases.models import Case, GuardianAgreement, SafetyPlan
from xinan.cases.models.safety import GUARDIAN_DUTIES
from xinan.cases.services import duties
from xinan.cases.services.errors import CaseError

PLAN_FIELDS = (
    "warning_signs",
    "coping",
    "distractions",
    "helpers",
    "professionals",
    "environment",
    "reasons_for_living",
)


def current_safety_plan(case: Case) -> SafetyPlan | None:
    return case.safety_plans.order_by("-version").first()


def save_safety_plan(case: Case, *, by, review_on: dt.date, request=None, **steps: str) -> SafetyPlan:
    """Save a new version (the previous ones are kept for comparison)."""
    if case.state == "closed":
        raise CaseError(_("个案已结案。"))
    empty = [name for name in PLAN_FIELDS[:-1] if not steps.get(name, "").strip()]
    if empty:
        raise CaseError(_("安全计划书的六个步骤都需要填写。"))
    if review_on <= timezone.localdate():
        raise CaseError(_("复查日期应晚于今天。"))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                version = (current_safety_plan(case).version if current_safety_plan(case) else 0) + 1
                plan = SafetyPlan.objects.create(
                    case=case,
                    version=version,
                    review_on=review_on,
                    created_by=by,
                    **{name: steps.get(name, "") for name in PLAN_FIELDS},
                )
                case.tasks.filter(kind=TaskKind.SAFETY_PLAN_REVIEW, done_at__isnull=True).update(
                    done_at=timezone.now(), done_by=by
                )
                due = timezone.make_aware(dt.datetime.combine(review_on, dt.time(9, 0)))
                duties.ensure_task(
                    case,
                    TaskKind.SAFETY_PLAN_REVIEW,
                    key=f"safety-plan-v{version}-review",
                    title=_("与学生复查安全计划书（第 %(v)s 版）") % {"v": version},
                    assignee=case.assigned_counsellor or by,
                    due=due,
                )
                record(
                    "xinan.case.safety_plan.save",
                    actor=by,
                    organisation=case.school,
                    obj=case,
                    request=request,
                    after={"version": version},
                )
                return plan
        except IntegrityError:
            continue
    raise CaseError(_("有人同时保存了安全计划书，请刷新后重试。"))


def default_professionals(case: Case) -> str:
    """Step 5 as the school configured it: the duty counsellor first, then the hotlines."""
    from xinan.cases.models import SchoolCrisisSettings

    settings_row = (
        SchoolCrisisSettings.objects.filter(school_id=case.school_id).select_related("duty_counsellor").first()
    )
    if settings_row is None:
        hotlines = SchoolCrisisSettings._meta.get_field("hotlines").get_default()
        return hotlines.strip()
    lines = []
    if settings_row.duty_counsellor_id or settings_row.duty_phone:
        name = settings_row.duty_counsellor.name if settings_row.duty_counsellor_id else ""
        lines.append(" ".join(filter(None, [_("学校值班心理老师"), name, settings_row.duty_phone])))
    lines += [line.strip() for line in settings_row.hotlines.splitlines() if line.strip()]
    return "\n".join(lines)


def mark_safety_plan_signed(plan: SafetyPlan, *, by, request=None) -> None:
    with transaction.atomic():
        locked = SafetyPlan.objects.select_for_update().select_related("case__school").get(pk=plan.pk)
        if locked.signed_at is not None:
            raise CaseError(_("第 %(v)s 版安全计划书已标记为签署。") % {"v": locked.version})
        locked.signed_at = timezone.now()
        locked.save(update_fields=["signed_at"])
        record(
            "xinan.case.safety_plan.sign",
            actor=by,
            organisation=locked.case.school,
            obj=locked.case,
            request=request,
            after={"version": locked.version},
        )
    plan.signed_at = locked.signed_at


def create_guardian_agreement(case: Case, *, by, guardian=None, request=None) -> GuardianAgreement:
    if case.state == "closed":
        raise CaseError(_("个案已结案。"))
    if guardian is not None and (not case.student_id or guardian.student_id != case.student_id):
        raise CaseError(_("只能选择该学生登记的监护人。"))
    with transaction.atomic():
        agreement = GuardianAgreement.objects.create(
            case=case, guardian=guardian, duties=[str(duty) for duty in GUARDIAN_DUTIES], created_by=by
        )
        record("xinan.case.guardian_agreement.add", actor=by, organisation=case.school, obj=case, request=request)
    return agreement


def mark_guardian_agreement_signed(agreement: GuardianAgreement, *, by, request=None) -> None:
    with transaction.atomic():
        locked = GuardianAgreement.objects.select_for_update().select_related("case__school").get(pk=agreement.pk)
        if locked.signed_at is not None:
            raise CaseError(_("该监护人安全协议书已标记为签署。"))
        locked.signed_at = timezone.now()
        locked.save(update_fields=["signed_at"])
        record(
            "xinan.case.guardian_agreement.sign",
            actor=by,
            organisation=locked.case.school,
            obj=locked.case,
            request=request,
        )
    agreement.signed_at = locked.signed_at


def compare_versions(older: SafetyPlan, newer: SafetyPlan) -> list[tuple[str, str, str]]:
    """(field, old text, new text) for every step that changed."""
    return [
        (name, getattr(older, name), getattr(newer, name))
        for name in PLAN_FIELDS
        if getattr(older, name) != getattr(newer, name)
    ]
