"""Organisation kinds and the roles people hold in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    NATION = "nation", _("全国")
    PROVINCE = "province", _("省级")
    SCHOOL = "school", _("学校")
    DEPARTMENT = "department", _("院系/部门")


# Which kind of organisation may sit under which: nation → province → school → department.
PARENT_KIND = {
    OrgKind.NATION: None,
    OrgKind.PROVINCE: OrgKind.NATION,
    OrgKind.SCHOOL: OrgKind.PROVINCE,
    OrgKind.DEPARTMENT: OrgKind.SCHOOL,
}


class SchoolType(models.TextChoices):
    UNIVERSITY = "university", _("高校")
    MIDDLE_SCHOOL = "middle_school", _("中学")


class Role(models.TextChoices):
    # Education-department side (campaigns).
    NATIONAL_ADMIN = "national_admin", _("平台管理员")
    PROVINCIAL_ADMIN = "provincial_admin", _("省级管理员")
    REVIEWER = "reviewer", _("评审专家")
    FILER = "filer", _("填报人员")
    # School side: the crisis team (危机干预工作小组) and plain staff.
    TEAM_LEADER = "team_leader", _("危机干预工作小组组长")
    DEPUTY_LEADER = "deputy_leader", _("副组长")
    COORDINATOR = "coordinator", _("心理辅导室负责人")
    COUNSELLOR = "counsellor", _("心理老师/辅导员")
    HEALTH_TEACHER = "health_teacher", _("卫生老师")
    TEAM_MEMBER = "team_member", _("小组成员")
    CLASS_TEACHER = "class_teacher", _("班主任")
    STAFF = "staff", _("教职工")
    # Separation of duties (三员分立): three different people, none of whom reads case content.
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("审计员")


# Where each role may be held. A role held in the wrong kind of organisation is refused.
ROLE_ORG_KINDS = {
    Role.NATIONAL_ADMIN: {OrgKind.NATION},
    Role.PROVINCIAL_ADMIN: {OrgKind.PROVINCE},
    Role.REVIEWER: {OrgKind.NATION, OrgKind.PROVINCE, OrgKind.SCHOOL},
    Role.FILER: {OrgKind.SCHOOL},
    Role.TEAM_LEADER: {OrgKind.SCHOOL},
    Role.DEPUTY_LEADER: {OrgKind.SCHOOL},
    Role.COORDINATOR: {OrgKind.SCHOOL},
    Role.COUNSELLOR: {OrgKind.SCHOOL, OrgKind.DEPARTMENT},
    Role.HEALTH_TEACHER: {OrgKind.SCHOOL},
    Role.TEAM_MEMBER: {OrgKind.SCHOOL, OrgKind.DEPARTMENT},
    Role.CLASS_TEACHER: {OrgKind.SCHOOL, OrgKind.DEPARTMENT},
    Role.STAFF: {OrgKind.SCHOOL, OrgKind.DEPARTMENT},
    Role.SYSTEM_ADMIN: {OrgKind.NATION, OrgKind.PROVINCE, OrgKind.SCHOOL},
    Role.SECURITY_ADMIN: {OrgKind.NATION, OrgKind.PROVINCE, OrgKind.SCHOOL},
    Role.AUDITOR: {OrgKind.NATION, OrgKind.PROVINCE, OrgKind.SCHOOL},
}
# No account may hold two of these (GB/T 22239 level 3: 三员分立).
THREE_DUTY_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})

# Fixed members of the school's crisis team (危机干预工作小组固定成员).
CRISIS_TEAM_ROLES = frozenset(
    {
        Role.TEAM_LEADER,
        Role.DEPUTY_LEADER,
        Role.COORDINATOR,
        Role.COUNSELLOR,
        Role.HEALTH_TEACHER,
        Role.TEAM_MEMBER,
    }
)
# Roles allowed to sign in with a password (everyone may use an SMS code).
SCHOOL_ROLES = CRISIS_TEAM_ROLES | {Role.CLASS_TEACHER, Role.STAFF}
ADMIN_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.PROVINCIAL_ADMIN, Role.TEAM_LEADER})
# Separation of duties beyond the three: a holder of a duty reads no case, student or submission
# data and administers no province or nation, and whoever does any of that holds no duty. Every
# role that is not a duty is listed here on purpose (a test checks the two sets cover ``Role``):
# plain staff (教职工) pick students when they report a concern, filers and reviewers read
# submissions, the crisis team and class teachers read cases.
CASE_OR_STUDENT_ROLES = SCHOOL_ROLES
SUBMISSION_ROLES = frozenset({Role.FILER, Role.REVIEWER})
REGIONAL_ADMIN_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.PROVINCIAL_ADMIN})
DUTY_CONFLICTING_ROLES = CASE_OR_STUDENT_ROLES | SUBMISSION_ROLES | REGIONAL_ADMIN_ROLES


def roles_in_conflict_with(role: str) -> frozenset[Role]:
    """The roles one person may not hold together with ``role`` (三员分立)."""
    if role in THREE_DUTY_ROLES:
        return (THREE_DUTY_ROLES - {role}) | DUTY_CONFLICTING_ROLES
    if role in DUTY_CONFLICTING_ROLES:
        return THREE_DUTY_ROLES
    return frozenset()


# Roles that may read their organisation's audit trail.
AUDIT_VIEWER_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.PROVINCIAL_ADMIN, Role.TEAM_LEADER, Role.AUDITOR})
