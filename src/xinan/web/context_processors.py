"""Navigation by role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xinan.organisations.enums import AUDIT_VIEWER_ROLES, CRISIS_TEAM_ROLES, SCHOOL_ROLES, Role
from xinan.organisations.services.queries import held_roles


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    roles = held_roles(user)
    kinds = {held.role for held in roles}
    items = [NavItem(_("首页"), reverse("web:home"), "home")]
    school_staff = kinds & SCHOOL_ROLES
    if school_staff:
        items.append(NavItem(_("报告学生危机"), reverse("cases:first_report"), "first_report"))
    if kinds & CRISIS_TEAM_ROLES:
        items.append(NavItem(_("工作台"), reverse("cases:dashboard"), "dashboard"))
        items.append(NavItem(_("危机个案"), reverse("cases:list"), "cases"))
    if school_staff:
        items.append(NavItem(_("我的待办"), reverse("cases:my_tasks"), "my_tasks"))
    if kinds & (CRISIS_TEAM_ROLES | {Role.CLASS_TEACHER}):
        items.append(NavItem(_("学生名册"), reverse("students:home"), "students"))
    if kinds & CRISIS_TEAM_ROLES:
        items.append(NavItem(_("宣传培训"), reverse("training:home"), "training"))
    if school_staff or Role.FILER in kinds:
        items.append(NavItem(_("案例报告"), reverse("reports:list"), "reports"))
    team_schools = sorted({held.school_id for held in roles if held.role in CRISIS_TEAM_ROLES and held.school_id})
    for school_id in team_schools[:1]:
        items.append(NavItem(_("危机干预工作小组"), reverse("organisations:team", args=[school_id]), "team"))
    if kinds & {Role.NATIONAL_ADMIN, Role.PROVINCIAL_ADMIN, Role.FILER, Role.REVIEWER}:
        items.append(NavItem(_("案例征集"), reverse("campaigns:list"), "campaigns"))
    if Role.REVIEWER in kinds:
        items.append(NavItem(_("评审任务"), reverse("reviews:mine"), "reviews"))
    if kinds & {Role.NATIONAL_ADMIN, Role.PROVINCIAL_ADMIN}:
        items.append(NavItem(_("组织机构"), reverse("organisations:list"), "organisations"))
    if kinds & AUDIT_VIEWER_ROLES:
        items.append(NavItem(_("审计日志"), reverse("audit:home"), "audit"))
    if Role.AUDITOR in kinds:
        items.append(NavItem(_("完整性校验"), reverse("audit:verify"), "audit_verify"))
    if kinds & {Role.SECURITY_ADMIN, Role.TEAM_LEADER}:
        items.append(NavItem(_("审计告警"), reverse("alerts:list"), "alerts"))
    if any(
        held.role == Role.AUDITOR or (held.role == Role.TEAM_LEADER and held.school_id == held.organisation_id)
        for held in roles
    ):
        items.append(NavItem(_("紧急访问记录"), reverse("cases:glass_breaks"), "glass_breaks"))
    if kinds & {Role.TEAM_LEADER, Role.COORDINATOR, Role.AUDITOR, Role.SECURITY_ADMIN}:
        items.append(NavItem(_("导出审批"), reverse("exports:pending"), "exports"))
    if Role.SYSTEM_ADMIN in kinds:
        items.append(NavItem(_("账号管理"), reverse("accounts:admin_people"), "admin_people"))
        items.append(NavItem(_("工作平台"), reverse("accounts:admin_channels"), "admin_channels"))
        items.append(NavItem(_("发件箱"), reverse("accounts:admin_outbox"), "admin_outbox"))
    if Role.SECURITY_ADMIN in kinds:
        items.append(NavItem(_("角色管理"), reverse("accounts:admin_roles"), "admin_roles"))
    items.append(NavItem(_("消息"), reverse("notifications:inbox"), "notifications"))
    items.append(NavItem(_("账号安全"), reverse("accounts:security"), "security"))
    return items


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": navigation_for(user)}
