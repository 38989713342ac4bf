"""Who may do what with a case report. Predicates are questions; each object rule has its
list query in services/queries.py (``reports_for_user``).

- The author writes, imports, decides on flags, marks ready and exports their report,
  as long as they still work at the report's school.
- The school's team leader and coordinator (who answer for what the school sends,
  "谁推荐、谁负责", and may read every case of the school anyway) read every report of
  the school, drafts included.
- Other fixed members of the school's crisis team read the school's reports once they are
  ready (de-identified and checked); a draft may still carry a case's details.
- Nobody outside the school, and no provincial or national officer, reads a report here:
  reports leave the school only through a submission.
"""

from __future__ import annotations

import rules

from xinan.cases.rules import can_work_case
from xinan.organisations.enums import CRISIS_TEAM_ROLES, SCHOOL_ROLES, Role
from xinan.organisations.services.queries import held_roles
from xinan.reports.enums import ReportStatus

# Who may write case reports: the school's staff and its filers (填报人员).
AUTHOR_ROLES = SCHOOL_ROLES | {Role.FILER}
OVERSEER_ROLES = frozenset({Role.TEAM_LEADER, Role.COORDINATOR})


def _roles_in_school(user, school_id) -> set[Role]:
    return {held.role for held in held_roles(user) if held.school_id == school_id}


@rules.predicate
def can_author_reports(user) -> bool:
    return any(held.role in AUTHOR_ROLES and held.school_id for held in held_roles(user))


@rules.predicate
def is_report_author(user, report) -> bool:
    return (
        report is not None
        and report.author_id == user.pk
        and bool(_roles_in_school(user, report.school_id) & AUTHOR_ROLES)
    )


@rules.predicate
def is_overseer_of_report_school(user, report) -> bool:
    return report is not None and bool(_roles_in_school(user, report.school_id) & OVERSEER_ROLES)


@rules.predicate
def is_crisis_team_member_of_report_school(user, report) -> bool:
    return report is not None and bool(_roles_in_school(user, report.school_id) & CRISIS_TEAM_ROLES)


@rules.predicate
def is_report_ready(user, report) -> bool:
    return report is not None and report.status == ReportStatus.READY


@rules.predicate
def is_case_closed(user, case) -> bool:
    from xinan.cases.enums import CaseState

    return case is not None and case.state == CaseState.CLOSED


can_read_report = (
    is_report_author | is_overseer_of_report_school | (is_crisis_team_member_of_report_school & is_report_ready)
)

rules.add_perm("reports.add_report", can_author_reports)
rules.add_perm("reports.view_report", can_read_report)
rules.add_perm("reports.export_report", can_read_report)
rules.add_perm("reports.change_report", is_report_author)
# A closed case the person worked on (break-the-glass access is for emergencies, not for writing).
rules.add_perm("reports.draft_from_case", can_author_reports & can_work_case & is_case_closed)
