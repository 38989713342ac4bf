"""The work recorded on a case: follow-ups, consultations, the intervention plan, guardian
contact, referral and diagnosis, status events, aftercare, disclosures, tasks; and the class
teacher's limited page (their tasks and the guardian log)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinan.audit.services.record import record
from xinan.cases import sections
from xinan.cases.forms_work import (
    AftercareForm,
    ConsultationForm,
    DiagnosisForm,
    DisclosureForm,
    FollowUpForm,
    GuardianContactForm,
    PlanForm,
    ReferralForm,
    StatusEventForm,
    TaskDoneForm,
)
from xinan.cases.models import Case, Task
from xinan.cases.services import records
from xinan.cases.services.errors import CaseError
from xinan.cases.services.school_admin import ensure_default_plan_templates
from xinan.web.access import get_for_user_or_404, refuse

FORM_TEMPLATE = "cases/work/form.html"

sections.register(10, "cases/sections/work.html", "cases.change_case")


def case_for(request, perm: str, pk: int) -> Case:
    return get_for_user_or_404(
        request, perm, Case.objects.select_related("school", "student", "assigned_counsellor"), pk=pk
    )


def case_page_url(request, case: Case) -> str:
    """The case page for people who read the whole case; the guardian log for the class teacher."""
    if request.user.has_perm("cases.view_case", case):
        return reverse("cases:detail", args=[case.pk])
    return reverse("cases:guardian_log", args=[case.pk])


def form_page(
    request,
    case: Case,
    form,
    act: Callable[[dict], object],
    *,
    title: str,
    done: str,
    template: str = FORM_TEMPLATE,
    context: dict | None = None,
):
    """GET shows the form; POST validates and calls one service. A refused action (CaseError)
    comes back on the form with status 400 and everything typed kept."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect(case_page_url(request, case))
    page = {"case": case, "form": form, "title": title, "back_url": case_page_url(request, case), **(context or {})}
    return render(request, template, page, status=400 if form.errors else 200)


def posted(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, pk: int):
    case = case_for(request, "cases.add_follow_up", pk)
    form = FollowUpForm(posted(request))
    return form_page(
        request,
        case,
        form,
        lambda data: records.add_follow_up(case, by=request.user, request=request, **data),
        title=_("记录回访（关怀跟踪）"),
        done=_("回访已记录。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation(request, pk: int):
    case = case_for(request, "cases.change_case", pk)
    form = ConsultationForm(posted(request), case=case)
    return form_page(
        request,
        case,
        form,
        lambda data: records.add_consultation(case, by=request.user, request=request, **data),
        title=_("团队会商"),
        done=_("会商记录已保存。"),
    )


def _plan_done_message(template) -> str:
    """Say what was done, never more: steps become tasks only when the template has steps."""
    steps = len(template.steps) if template is not None else 0
    if steps:
        return _("干预预案已保存，预案的 %(n)s 个步骤已生成待办事项。") % {"n": steps}
    return _("干预预案已保存。没有匹配的预案模板步骤，未生成待办事项；请在“待办事项”中按需安排。")


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, pk: int):
    case = case_for(request, "cases.change_case", pk)
    ensure_default_plan_templates(case.school, by=request.user, request=request)  # a school's first plan
    template = records.matching_template(case)
    initial = {"targets": template.targets, "methods": template.methods} if template else None
    form = PlanForm(posted(request), initial=initial)
    return form_page(
        request,
        case,
        form,
        lambda data: records.start_plan(case, by=request.user, template=template, request=request, **data),
        title=_("制定干预预案"),
        done=_plan_done_message(template),
        template="cases/work/plan.html",
        context={"plan_template": template},
    )


@login_required
@require_http_methods(["GET", "POST"])
def guardian_contact(request, pk: int):
    case = case_for(request, "cases.add_guardian_contact", pk)
    form = GuardianContactForm(posted(request), case=case)
    return form_page(
        request,
        case,
        form,
        lambda data: records.add_guardian_contact(case, by=request.user, request=request, **data),
        title=_("记录家校沟通"),
        done=_("家校沟通已记录。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral(request, pk: int):
    case = case_for(request, "cases.change_case", pk)
    form = ReferralForm(posted(request))
    return form_page(
        request,
        case,
        form,
        lambda data: records.add_referral(case, by=request.user, request=request, **data),
        title=_("转介"),
        done=_("转介已记录；请出具转介建议书。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def diagnosis(request, pk: int, referral_pk: int):
    case = case_for(request, "cases.change_case", pk)
    item = case.referrals.filter(pk=referral_pk).first()
    if item is None:
        refuse(request, permission="cases.change_case", obj=case, organisation=case.school)
    form = DiagnosisForm(posted(request), initial={"diagnosis": item.diagnosis, "advice": item.advice})
    return form_page(
        request,
        case,
        form,
        lambda data: records.record_diagnosis(item, by=request.user, request=request, **data),
        title=_("记录诊断结果与机构建议"),
        done=_("诊断结果已记录。"),
        template="cases/work/diagnosis.html",
        context={"referral": item},
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_event(request, pk: int):
    case = case_for(request, "cases.change_case", pk)
    form = StatusEventForm(posted(request))
    return form_page(
        request,
        case,
        form,
        lambda data: records.add_status_event(case, by=request.user, request=request, **data),
        title=_("记录请假/休学/退学/转学/复学"),
        done=_("已记录；相关证明材料请上传到个案档案。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def aftercare(request, pk: int):
    case = case_for(request, "cases.change_case", pk)
    form = AftercareForm(posted(request))
    return form_page(
        request,
        case,
        form,
        lambda data: records.add_aftercare_plan(case, by=request.user, request=request, **data),
        title=_("善后跟踪方案"),
        done=_("善后跟踪方案已保存。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def disclosure(request, pk: int):
    case = case_for(request, "cases.change_case", pk)
    form = DisclosureForm(posted(request))
    return form_page(
        request,
        case,
        form,
        lambda data: records.add_disclosure(case, by=request.user, request=request, **data),
        title=_("记录保密例外"),
        done=_("保密例外已记录。"),
        template="cases/work/disclosure.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_done(request, pk: int, task_pk: int):
    """The team completes any task of the case except an escalation (its owner's, with a note);
    the class teacher only their own (rule ``cases.complete_task``)."""
    case = case_for(request, "cases.view_guardian_log", pk)
    task = Task.objects.filter(case=case, pk=task_pk).select_related("assignee", "case").first()
    if task is None or not request.user.has_perm("cases.complete_task", task):
        refuse(request, permission="cases.complete_task", obj=case, organisation=case.school)
    form = TaskDoneForm(posted(request), label=_("已完成此事项"), note_required=task.owner_only)
    return form_page(
        request,
        case,
        form,
        lambda data: records.complete_task(task, by=request.user, note=data["note"], request=request),
        title=_("完成待办事项"),
        done=_("事项已完成。"),
        template="cases/work/task_done.html",
        context={"task": task},
    )


@login_required
@require_GET
def guardian_log(request, pk: int):
    """The class teacher's part of the case: their own tasks and the guardian log, nothing more."""
    case = case_for(request, "cases.view_guardian_log", pk)
    record("xinan.case.guardian_log.view", request=request, organisation=case.school, obj=case)
    context = {
        "case": case,
        "tasks": case.tasks.filter(assignee=request.user, done_at__isnull=True, cancelled_at__isnull=True),
        "contacts": case.guardian_contacts.select_related("by", "guardian"),
        "contact_form": GuardianContactForm(case=case),
        "follow_up_form": FollowUpForm(auto_id="follow_up_%s"),
        "reads_case": request.user.has_perm("cases.view_case", case),
    }
    return render(request, "cases/guardian_log.html", context)


urlpatterns = [
    path("<int:pk>/guardian-log/", guardian_log, name="guardian_log"),
    path("<int:pk>/follow-up/", follow_up, name="follow_up"),
    path("<int:pk>/consultation/", consultation, name="consultation"),
    path("<int:pk>/plan/", plan, name="plan"),
    path("<int:pk>/guardian-contact/", guardian_contact, name="guardian_contact"),
    path("<int:pk>/referral/", referral, name="referral"),
    path("<int:pk>/referral/<int:referral_pk>/diagnosis/", diagnosis, name="diagnosis"),
    path("<int:pk>/status-event/", status_event, name="status_event"),
    path("<int:pk>/aftercare/", aftercare, name="aftercare"),
    path("<int:pk>/disclosure/", disclosure, name="disclosure"),
    path("<int:pk>/tasks/<int:task_pk>/done/", task_done, name="task_done"),
]
