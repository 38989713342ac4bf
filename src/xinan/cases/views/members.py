"""Who works on a case: the assigned counsellor and the case members (class teacher,
assisting counsellor, other members)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xinan.cases import sections
from xinan.cases.forms_work import AddMemberForm, AssignCounsellorForm, ConfirmForm, LinkStudentForm
from xinan.cases.services import records
from xinan.cases.views.work import case_for, form_page, posted
from xinan.students.models import Student
from xinan.students.services.queries import find_students
from xinan.web.access import refuse

MEMBERS_PERM = "cases.manage_case_members"

sections.register(90, "cases/sections/members.html", MEMBERS_PERM)


@login_required
@require_http_methods(["GET", "POST"])
def assign_counsellor(request, pk: int):
    case = case_for(request, MEMBERS_PERM, pk)
    form = AssignCounsellorForm(posted(request), case=case, initial={"counsellor": case.assigned_counsellor_id})
    return form_page(
        request,
        case,
        form,
        lambda data: records.assign_counsellor(case, data["counsellor"], by=request.user, request=request),
        title=_("指派负责心理老师"),
        done=_("负责心理老师已更新。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_member(request, pk: int):
    case = case_for(request, MEMBERS_PERM, pk)
    form = AddMemberForm(posted(request), case=case)
    return form_page(
        request,
        case,
        form,
        lambda data: records.add_member(case, data["user"], data["role"], by=request.user, request=request),
        title=_("添加本案人员"),
        done=_("已添加本案人员。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request, pk: int, member_pk: int):
    case = case_for(request, MEMBERS_PERM, pk)
    member = case.members.select_related("user").filter(pk=member_pk, removed_at__isnull=True).first()
    if member is None:
        refuse(request, permission=MEMBERS_PERM, obj=case, organisation=case.school)
    form = ConfirmForm(posted(request), label=_("将此人移出本案"))
    return form_page(
        request,
        case,
        form,
        lambda data: records.remove_member(member, by=request.user, request=request),
        title=_("移出本案人员"),
        done=_("已移出本案人员。"),
        template="cases/members/remove.html",
        context={"member": member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_student(request, pk: int):
    """Link a case reported with the student in free text to the register (search, pick, confirm).
    Matches are exact (student number or full name) within the case's school only."""
    case = case_for(request, "cases.change_case", pk)
    query = (request.POST.get("q") if request.method == "POST" else request.GET.get("q", "")) or ""
    query = query.strip()[:60]
    matches = list(
        find_students(Student.objects.filter(school=case.school_id), query).select_related("school_class")[:10]
    )
    form = LinkStudentForm(posted(request), matches=matches)
    return form_page(
        request,
        case,
        form,
        lambda data: records.link_student(case, data["student"], by=request.user, request=request),
        title=_("关联学籍"),
        done=_("已关联学籍：监护人与班主任信息将取自学籍。"),
        template="cases/members/link_student.html",
        context={"query": query, "matches": matches},
    )


urlpatterns = [
    path("<int:pk>/student/", link_student, name="link_student"),
    path("<int:pk>/members/counsellor/", assign_counsellor, name="assign_counsellor"),
    path("<int:pk>/members/add/", add_member, name="add_member"),
    path("<int:pk>/members/<int:member_pk>/remove/", remove_member, name="remove_member"),
]
