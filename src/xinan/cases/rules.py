"""Who may do what with a crisis case. Predicates are questions; list queries are in
services/queries.py. Seed 001: "其信息只可以在负责处理该心理危机的工作人员中规范运用"."""

from __future__ import annotations

import rules
from django.utils import timezone

from xinan.cases.enums import FULL_ACCESS_CASE_ROLES, CaseRole
from xinan.organisations.enums import CRISIS_TEAM_ROLES, SCHOOL_ROLES, Role
from xinan.organisations.services.queries import held_roles


def _roles_in_school(user, school_id) -> set[Role]:
    return {held.role for held in held_roles(user) if held.school_id == school_id}


def _member_roles(user, case) -> set[str]:
    cache = getattr(case, "_member_roles_cache", None)
    if cache is None:
        cache = {}
        case._member_roles_cache = cache
    if user.pk not in cache:
        cache[user.pk] = set(case.members.filter(user=user, removed_at__isnull=True).values_list("role", flat=True))
    return cache[user.pk]


@rules.predicate
def is_staff_of_case_school(user, case) -> bool:
    return case is not None and bool(_roles_in_school(user, case.school_id) & SCHOOL_ROLES)


@rules.predicate
def is_case_overseer(user, case) -> bool:
    """Team leader or coordinator (head of the counselling office) of the case's school."""
    return case is not None and bool(_roles_in_school(user, case.school_id) & {Role.TEAM_LEADER, Role.COORDINATOR})


@rules.predicate
def is_team_leader_of_case_school(user, case) -> bool:
    return case is not None and Role.TEAM_LEADER in _roles_in_school(user, case.school_id)


@rules.predicate
def is_assigned_counsellor(user, case) -> bool:
    return case is not None and case.assigned_counsellor_id == user.pk


@rules.predicate
def is_on_case_team(user, case) -> bool:
    return case is not None and bool(_member_roles(user, case) & FULL_ACCESS_CASE_ROLES)


@rules.predicate
def is_class_teacher_on_case(user, case) -> bool:
    return case is not None and CaseRole.CLASS_TEACHER in _member_roles(user, case)


@rules.predicate
def is_first_reporter_of(user, case) -> bool:
    return case is not None and case.created_by_id == user.pk


@rules.predicate
def is_reporter_of(user, report) -> bool:
    """The person who filed this first report."""
    return report is not None and report.reporter_id == user.pk


@rules.predicate
def holds_glass_break(user, case) -> bool:
    return case is not None and case.glass_breaks.filter(user=user, expires_at__gt=timezone.now()).exists()


@rules.predicate
def is_fixed_team_member_of_case_school(user, case) -> bool:
    return case is not None and bool(_roles_in_school(user, case.school_id) & CRISIS_TEAM_ROLES)


@rules.predicate
def is_fixed_team_member_anywhere(user) -> bool:
    """Holds a fixed crisis-team role in some school: someone who may break the glass there."""
    return any(held.role in CRISIS_TEAM_ROLES for held in held_roles(user))


@rules.predicate
def reads_glass_break_reasons(user) -> bool:
    """A school's team leader (told of each use) or an auditor: the people a break-the-glass
    reason is written for (list query ``glass_breaks_for_user``)."""
    return any(
        (held.role == Role.TEAM_LEADER and held.school_id == held.organisation_id) or held.role == Role.AUDITOR
        for held in held_roles(user)
    )


@rules.predicate
def is_counselling_staff_on_case(user, case) -> bool:
    """The clinical wall: the case's counsellors and the head of the counselling office only."""
    if case is None:
        return False
    roles = _roles_in_school(user, case.school_id)
    if Role.COORDINATOR in roles:
        return True
    if Role.COUNSELLOR not in roles:
        return False
    return case.assigned_counsellor_id == user.pk or CaseRole.COUNSELLOR in _member_roles(user, case)


can_read_case = is_staff_of_case_school & (
    is_case_overseer | is_assigned_counsellor | is_on_case_team | holds_glass_break
)
can_work_case = is_staff_of_case_school & (is_case_overseer | is_assigned_counsellor | is_on_case_team)
can_do_class_teacher_part = is_staff_of_case_school & (is_class_teacher_on_case | can_work_case)

rules.add_perm("cases.view_case", can_read_case)
rules.add_perm("cases.change_case", can_work_case)
rules.add_perm("cases.assess_case", is_staff_of_case_school & (is_counselling_staff_on_case | is_case_overseer))
rules.add_perm("cases.close_case", is_staff_of_case_school & is_case_overseer)
rules.add_perm("cases.manage_case_members", is_staff_of_case_school & (is_case_overseer | is_assigned_counsellor))
rules.add_perm("cases.view_counselling_notes", is_staff_of_case_school & is_counselling_staff_on_case)
rules.add_perm("cases.break_glass", is_staff_of_case_school & is_fixed_team_member_of_case_school & ~can_read_case)
# The break-the-glass form is offered for any case a fixed team member cannot read, existing or not,
# so the offer tells nobody whether a case exists (issue 13.12).
rules.add_perm("cases.offer_glass_break", is_fixed_team_member_anywhere)
rules.add_perm("cases.view_glass_breaks", reads_glass_break_reasons)
rules.add_perm("cases.view_case_access_log", is_staff_of_case_school & is_case_overseer)
rules.add_perm("cases.export_dossier", is_staff_of_case_school & is_case_overseer)
# The class teacher: their tasks and the guardian log, nothing more of the case.
rules.add_perm("cases.view_guardian_log", can_do_class_teacher_part)
rules.add_perm("cases.add_guardian_contact", can_do_class_teacher_part)
rules.add_perm("cases.add_follow_up", can_do_class_teacher_part)
# The first reporter: only that the report was received and is being handled.
rules.add_perm("cases.view_receipt", is_reporter_of)


@rules.predicate
def is_assignee_of_task(user, task) -> bool:
    return task is not None and task.assignee_id == user.pk


@rules.predicate
def is_owner_only_task(user, task) -> bool:
    return task is not None and task.owner_only


@rules.predicate
def works_case_of_task(user, task) -> bool:
    return task is not None and can_work_case(user, task.case)


# The team completes any task of the case, except an escalation (its owner's, with a note);
# anyone completes their own tasks (the class teacher's follow-ups).
rules.add_perm("cases.complete_task", is_assignee_of_task | (works_case_of_task & ~is_owner_only_task))


@rules.predicate
def is_crisis_overseer_of_school(user, organisation) -> bool:
    """Team leader or coordinator of this school (its crisis settings and plan templates)."""
    return (
        organisation is not None
        and organisation.kind == "school"
        and bool(_roles_in_school(user, organisation.pk) & {Role.TEAM_LEADER, Role.COORDINATOR})
    )


rules.add_perm("cases.manage_school_crisis", is_crisis_overseer_of_school)
