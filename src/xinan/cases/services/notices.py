"""Who hears of what. SMS texts carry the case number only, never a name."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from xinan.cases.models import Case
from xinan.notifications.services.outbox import notify, queue_sms
from xinan.organisations.enums import CRISIS_TEAM_ROLES, Role
from xinan.organisations.models import Membership


def _people(school_id: int, roles) -> set:
    ids = Membership.objects.filter(
        organisation_id=school_id, role__in=roles, is_active=True, user__is_active=True
    ).values_list("user_id", flat=True)
    return set(ids)


def tell_of_first_report(case_id: int) -> None:
    """The crisis team, the counsellor on duty, the health teacher and the class teacher, at once."""
    from xinan.cases.services.duties import class_teacher_of

    case = Case.objects.select_related("school__crisis_settings").get(pk=case_id)
    recipients = _people(case.school_id, CRISIS_TEAM_ROLES)
    settings_row = getattr(case.school, "crisis_settings", None)
    if settings_row is not None and settings_row.duty_counsellor_id:
        recipients.add(settings_row.duty_counsellor_id)
    teacher = class_teacher_of(case)
    if teacher is not None:
        recipients.add(teacher.pk)
    recipients.discard(case.created_by_id)
    url = reverse("cases:detail", args=[case.pk])
    for user in get_user_model().objects.filter(pk__in=recipients):
        notify(
            user,
            _("新的首见报告：%(ref)s") % {"ref": case.reference},
            url=url,
            dedupe_key=f"first-report-{case.pk}-{user.pk}",
        )
        queue_sms(
            user.phone,
            "case_first_report",
            {"reference": case.reference},
            user=user,
            dedupe_key=f"sms-first-report-{case.pk}-{user.pk}",
        )


def tell_class_teacher_of_case(case_id: int, teacher_id: int) -> None:
    """A class teacher who joins a case after the first report (the register was linked later)."""
    case = Case.objects.get(pk=case_id)
    teacher = get_user_model().objects.filter(pk=teacher_id, is_active=True).first()
    if teacher is None:
        return
    notify(
        teacher,
        _("您班级的学生有危机个案：%(ref)s，请查看您的待办与家校沟通记录") % {"ref": case.reference},
        url=reverse("cases:guardian_log", args=[case.pk]),
        dedupe_key=f"class-teacher-joined-{case.pk}-{teacher.pk}",
    )


def tell_team_leader_of_intervention(case_id: int, *, by_id: int) -> None:
    case = Case.objects.get(pk=case_id)
    url = reverse("cases:detail", args=[case.pk])
    stamp = case.transitions.latest("pk").pk
    for user in get_user_model().objects.filter(pk__in=_people(case.school_id, {Role.TEAM_LEADER})):
        notify(
            user,
            _("个案 %(ref)s 进入危机干预") % {"ref": case.reference},
            url=url,
            dedupe_key=f"intervention-{case.pk}-{stamp}-{user.pk}",
        )
        queue_sms(
            user.phone,
            "case_intervention",
            {"reference": case.reference},
            user=user,
            dedupe_key=f"sms-intervention-{case.pk}-{stamp}-{user.pk}",
        )


def tell_team_leader(case: Case, title: str, *, key: str) -> None:
    url = reverse("cases:detail", args=[case.pk])
    for user in get_user_model().objects.filter(pk__in=_people(case.school_id, {Role.TEAM_LEADER})):
        notify(user, title, url=url, dedupe_key=f"{key}-{user.pk}")
        queue_sms(
            user.phone, "case_escalation", {"reference": case.reference}, user=user, dedupe_key=f"sms-{key}-{user.pk}"
        )


def tell_overseers(case: Case, title: str, *, key: str) -> None:
    """In-app notice to the team leader and the coordinator (a request waiting for their decision)."""
    url = reverse("cases:detail", args=[case.pk])
    overseers = _people(case.school_id, {Role.TEAM_LEADER, Role.COORDINATOR})
    for user in get_user_model().objects.filter(pk__in=overseers):
        notify(user, title, url=url, dedupe_key=f"{key}-{user.pk}")
