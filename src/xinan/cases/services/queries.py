"""List queries beside every object rule of ``rules.py``. Views never filter cases by hand."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from xinan.cases.enums import FULL_ACCESS_CASE_ROLES, OPEN_STATES, CaseRole
from xinan.cases.models import Case, CaseMember, GlassBreak, Task
from xinan.organisations.enums import SCHOOL_ROLES, Role
from xinan.organisations.services.queries import held_roles

OVERSEER_ROLES = frozenset({Role.TEAM_LEADER, Role.COORDINATOR})
COUNSELLING_ROLES = frozenset({Role.COUNSELLOR, Role.COORDINATOR})


def school_ids(user, roles=SCHOOL_ROLES) -> set[int]:
    return {held.school_id for held in held_roles(user) if held.role in roles and held.school_id}


def cases_for_user(user, *, now=None) -> QuerySet[Case]:
    """Cases whose full record the user may read (need to know)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    staff_of = school_ids(user)
    if not staff_of:
        return Case.objects.none()
    now = now or timezone.now()
    on_case = CaseMember.objects.filter(
        case=OuterRef("pk"), user=user, removed_at__isnull=True, role__in=FULL_ACCESS_CASE_ROLES
    )
    glass = GlassBreak.objects.filter(case=OuterRef("pk"), user=user, expires_at__gt=now)
    return Case.objects.filter(
        Q(school_id__in=school_ids(user, OVERSEER_ROLES))
        | Q(assigned_counsellor=user)
        | Q(Exists(on_case))
        | Q(Exists(glass)),
        school_id__in=staff_of,
    )


def open_cases_for_user(user) -> QuerySet[Case]:
    return cases_for_user(user).filter(state__in=OPEN_STATES)


def cases_as_class_teacher(user) -> QuerySet[Case]:
    """Cases where the user is the class teacher: their tasks and the guardian log only."""
    return Case.objects.filter(
        members__user=user,
        members__role=CaseRole.CLASS_TEACHER,
        members__removed_at__isnull=True,
        school_id__in=school_ids(user),
    ).distinct()


def tasks_for_user(user) -> QuerySet[Task]:
    """Open tasks assigned to the user, on cases of schools where they still work."""
    return Task.objects.filter(
        assignee=user, done_at__isnull=True, cancelled_at__isnull=True, case__school_id__in=school_ids(user)
    ).select_related("case")


def team_tasks_for_user(user) -> QuerySet[Task]:
    """Every open task on the cases the user may read (the team's dashboard)."""
    return Task.objects.filter(
        case__in=cases_for_user(user), done_at__isnull=True, cancelled_at__isnull=True
    ).select_related("case", "assignee")


def staff_of_case_school(case: Case, roles=SCHOOL_ROLES) -> QuerySet:
    """Active people holding one of ``roles`` in the case's school or one of its departments
    (to choose attendees, members or the assigned counsellor)."""
    from django.contrib.auth import get_user_model

    from xinan.organisations.models import Membership

    memberships = Membership.objects.filter(is_active=True, organisation__is_active=True, role__in=roles).filter(
        Q(organisation_id=case.school_id) | Q(organisation__parent_id=case.school_id)
    )
    return get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("name")


def glass_breaks_for_user(user) -> QuerySet[GlassBreak]:
    """Break-the-glass grants with their reasons: a team leader sees their school's, an auditor
    those of every school under their organisation (the rule ``cases.view_glass_breaks``)."""
    condition = Q(pk__in=[])
    for held in held_roles(user):
        if held.role == Role.TEAM_LEADER and held.school_id == held.organisation_id:
            condition |= Q(case__school_id=held.school_id)
        elif held.role == Role.AUDITOR:
            condition |= Q(case__school__path__startswith=held.organisation_path)
    return (
        GlassBreak.objects.filter(condition)
        .select_related("case", "case__school", "user")
        .order_by("-granted_at", "-pk")
    )
