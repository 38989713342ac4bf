"""Filing a first report (首见报告): any staff member, in a minute, from a phone."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.enums import CaseRole, CaseState, ObservationCategory
from xinan.cases.models import Case, CaseMember, FirstReport, Transition
from xinan.cases.services.errors import CaseError


def _next_reference(school, year: int) -> str:
    prefix = f"{year}-"
    last = (
        Case.objects.filter(school=school, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def file_first_report(
    *,
    school,
    reporter,
    student=None,
    student_text: str = "",
    occurred_at: dt.datetime | None = None,
    location: str = "",
    categories: list[str],
    observed: str = "",
    measures: str = "",
    injury: str = "none",
    guardian_informed: bool = False,
    request=None,
) -> FirstReport:
    if student is None and not student_text.strip():
        raise CaseError(_("请选择学生，或填写学生的姓名、班级等信息。"))
    if student is not None and student.school_id != school.pk:
        raise CaseError(_("该学生不属于本校。"))
    if not categories or any(c not in ObservationCategory.values for c in categories):
        raise CaseError(_("请至少选择一项所见所闻的类别。"))
    from xinan.cases.models import SchoolCrisisSettings

    settings_row = SchoolCrisisSettings.objects.filter(school=school).first()
    duty_counsellor = settings_row.duty_counsellor if settings_row else None
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    school=school,
                    reference=_next_reference(school, timezone.localdate(now).year),
                    student=student,
                    student_text=student_text.strip(),
                    categories=list(categories),
                    created_by=reporter,
                    assigned_counsellor=duty_counsellor,
                    opened_at=now,
                )
                break
        except IntegrityError:  # two reports took the same number at once: take the next
            continue
    else:
        raise CaseError(_("系统繁忙，请稍后再提交。"))
    with transaction.atomic():
        report = FirstReport.objects.create(
            case=case,
            reporter=reporter,
            occurred_at=occurred_at or now,
            location=location,
            categories=categories,
            observed=observed,
            measures=measures,
            injury=injury,
            guardian_informed=guardian_informed,
            filed_at=now,
        )
        Transition.objects.create(case=case, from_state="", to_state=CaseState.REPORTED, by=reporter, at=now)
        CaseMember.objects.create(case=case, user=reporter, role=CaseRole.FIRST_REPORTER, added_by=reporter)
        from xinan.cases.services import duties

        duties.schedule_first_assessment(case, now=now)
        teacher = student.school_class.class_teacher if student and student.school_class_id else None
        if teacher is not None and teacher.pk != reporter.pk:
            CaseMember.objects.create(case=case, user=teacher, role=CaseRole.CLASS_TEACHER, added_by=reporter)
        record(
            "xinan.case.report",
            actor=reporter,
            organisation=school,
            obj=case,
            request=request,
            after={"categories": categories, "injury": injury},
        )
        from xinan.cases.services import notices

        transaction.on_commit(lambda: notices.tell_of_first_report(case.pk))
    return report
