from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinan.organisations.enums import CRISIS_TEAM_ROLES, SCHOOL_ROLES, Role
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import held_roles


@dataclass
class Link:
    label: str
    url: str


@dataclass
class Panel:
    role: str
    title: str
    organisation: str
    summary: str
    links: list[Link] = field(default_factory=list)


ROLE_SUMMARIES = {
    Role.NATIONAL_ADMIN: "组织全国案例征集活动，接收各省推荐，遴选典型案例并编辑案例集。",
    Role.PROVINCIAL_ADMIN: "为本省学校开通填报权限、短信通知填报人员、组织专家评审并推荐案例。",
    Role.REVIEWER: "对分配给您的案例报告打分并撰写评审意见（不评审本校案例）。",
    Role.FILER: "使用手机号和短信验证码登录，填写案例基本信息并上传 Word 与 PDF 案例报告。",
    Role.TEAM_LEADER: "掌握全校在案危机个案的风险等级与逾期事项，审批升级与结案。",
    Role.DEPUTY_LEADER: "协助组长统筹危机干预工作。",
    Role.COORDINATOR: "负责心理辅导室工作与一人一案资料的备案。",
    Role.COUNSELLOR: "开展危机评估、制定并记录干预过程，按时回访。",
    Role.HEALTH_TEACHER: "学生有身体伤害时实施初步急救或送医。",
    Role.TEAM_MEMBER: "参与危机干预工作小组的会商与协同工作。",
    Role.CLASS_TEACHER: "完成本班学生的关怀跟踪任务与家校沟通记录。",
    Role.STAFF: "发现学生心理危机时，第一时间提交首见报告。",
    Role.SYSTEM_ADMIN: "管理账号与系统设置；不能查看个案内容。",
    Role.SECURITY_ADMIN: "管理角色与访问策略；不能查看个案内容。",
    Role.AUDITOR: "查阅审计日志并校验其完整性；不能查看个案内容。",
}


def panels_for(user) -> list[Panel]:
    roles = held_roles(user)
    orgs = Organisation.objects.in_bulk({held.organisation_id for held in roles})
    panels = []
    for held in sorted(roles, key=lambda h: (list(Role).index(h.role), h.organisation_id)):
        org = orgs.get(held.organisation_id)
        links = []
        if held.role in SCHOOL_ROLES and held.school_id:
            links.append(Link(_("报告学生危机"), reverse("cases:first_report")))
        if held.role in CRISIS_TEAM_ROLES and held.school_id:
            links.append(Link(_("危机个案"), reverse("cases:list")))
            links.append(Link(_("危机干预工作小组"), reverse("organisations:team", args=[held.school_id])))
        if held.role in {Role.NATIONAL_ADMIN, Role.PROVINCIAL_ADMIN, Role.FILER, Role.REVIEWER}:
            links.append(Link(_("案例征集"), reverse("campaigns:list")))
        if held.role in {Role.NATIONAL_ADMIN, Role.PROVINCIAL_ADMIN}:
            links.append(Link(_("组织机构"), reverse("organisations:detail", args=[held.organisation_id])))
        if held.role in {Role.NATIONAL_ADMIN, Role.PROVINCIAL_ADMIN, Role.TEAM_LEADER}:
            links.append(Link(_("审计日志"), reverse("audit:log", args=[held.organisation_id])))
        if held.role == Role.SYSTEM_ADMIN:
            links.append(Link(_("账号管理"), reverse("accounts:admin_people")))
        if held.role == Role.SECURITY_ADMIN:
            links.append(Link(_("角色管理"), reverse("accounts:admin_roles")))
        if held.role in {Role.TEAM_LEADER, Role.COORDINATOR, Role.AUDITOR, Role.SECURITY_ADMIN}:
            links.append(Link(_("数据导出"), reverse("exports:mine")))
        panels.append(
            Panel(
                role=held.role.value,
                title=held.role.label,
                organisation=org.name if org else "",
                summary=_(ROLE_SUMMARIES[held.role]),
                links=links,
            )
        )
    return panels


@require_GET
@login_required
def home(request):
    unread = request.user.notifications.filter(read_at__isnull=True).count()
    return render(request, "web/home.html", {"panels": panels_for(request.user), "unread": unread})


@require_GET
def health(request):
    """For load balancers: 200 when the database answers, 503 otherwise. Says nothing else."""
    from django.db import DatabaseError, connection
    from django.http import JsonResponse

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def csrf_failure(request, reason: str = ""):
    return render(request, "csrf_failure.html", status=403)


FAVICON = Path(__file__).parent / "static" / "xinan" / "favicon.ico"


@cache
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on every page whatever the pages link to."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"  # the same icon for everyone; no personal data
    return response
