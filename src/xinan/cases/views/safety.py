"""The student's safety plan (安全计划书, Stanley–Brown), built with the student, versioned and
compared; the guardian's agreement (安全协议书（监护人）). Signed scans go to the dossier; until
one is uploaded, a person confirms that the paper copy is signed and filed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinan.audit.services.record import record
from xinan.cases import sections
from xinan.cases.forms_work import CompareForm, ConfirmForm, GuardianAgreementForm, SafetyPlanForm
from xinan.cases.models.safety import GUARDIAN_DUTIES, SAFETY_PLAN_STEPS
from xinan.cases.services import safety
from xinan.cases.views.work import case_for, form_page, posted
from xinan.web.access import refuse

sections.register(20, "cases/sections/safety.html", "cases.change_case")

STEP_LABELS = dict(SAFETY_PLAN_STEPS)


def _initial(case) -> dict:
    """Start from the current version; a first plan starts with step 5 as the school configured it."""
    current = safety.current_safety_plan(case)
    if current is not None:
        initial = {name: getattr(current, name) for name in safety.PLAN_FIELDS}
        if current.review_on > timezone.localdate():  # a revision keeps the review date still ahead
            initial["review_on"] = current.review_on
        return initial
    return {"professionals": safety.default_professionals(case)}


@login_required
@require_http_methods(["GET", "POST"])
def safety_plan(request, pk: int):
    case = case_for(request, "cases.change_case", pk)
    record("xinan.case.safety_plan.view", request=request, organisation=case.school, obj=case)
    form = SafetyPlanForm(posted(request), initial=_initial(case))
    versions = list(case.safety_plans.select_related("created_by").order_by("-version"))
    return form_page(
        request,
        case,
        form,
        lambda data: safety.save_safety_plan(
            case, by=request.user, review_on=data["review_on"], request=request, **form.steps()
        ),
        title=_("安全计划书"),
        done=_("安全计划书已保存为新版本，复查日期已加入待办事项。"),
        template="cases/safety/plan.html",
        context={"versions": versions},
    )


@login_required
@require_GET
def safety_plan_compare(request, pk: int):
    case = case_for(request, "cases.change_case", pk)
    plans = {plan.version: plan for plan in case.safety_plans.all()}
    versions = sorted(plans)
    initial = {"a": versions[-2], "b": versions[-1]} if len(versions) >= 2 else {}
    form = CompareForm(request.GET or None, versions=versions, initial=initial)
    changes = older = newer = None
    if form.is_valid():
        older, newer = sorted([plans[form.cleaned_data["a"]], plans[form.cleaned_data["b"]]], key=lambda p: p.version)
        changes = [(STEP_LABELS[name], old, new) for name, old, new in safety.compare_versions(older, newer)]
        record(
            "xinan.case.safety_plan.compare",
            request=request,
            organisation=case.school,
            obj=case,
            after={"versions": [older.version, newer.version]},
        )
    context = {
        "case": case,
        "form": form,
        "changes": changes,
        "older": older,
        "newer": newer,
        "enough": len(versions) >= 2,
    }
    return render(request, "cases/safety/compare.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def safety_plan_signed(request, pk: int, version: int):
    case = case_for(request, "cases.change_case", pk)
    plan = case.safety_plans.filter(version=version).first()
    if plan is None:
        refuse(request, permission="cases.change_case", obj=case, organisation=case.school)
    form = ConfirmForm(posted(request), label=_("学生已在纸质版上签署，纸质版已存档"))
    return form_page(
        request,
        case,
        form,
        lambda data: safety.mark_safety_plan_signed(plan, by=request.user, request=request),
        title=_("登记纸质版签署"),
        done=_("已记录安全计划书签署。签署扫描件请上传到个案档案。"),
        template="cases/safety/signed.html",
        context={"what": _("第 %(v)s 版安全计划书") % {"v": plan.version}},
    )


@login_required
@require_http_methods(["GET", "POST"])
def guardian_agreement(request, pk: int):
    case = case_for(request, "cases.change_case", pk)
    form = GuardianAgreementForm(posted(request), case=case)
    return form_page(
        request,
        case,
        form,
        lambda data: safety.create_guardian_agreement(
            case, by=request.user, guardian=data["guardian"], request=request
        ),
        title=_("安全协议书（监护人）"),
        done=_("监护人安全协议书已生成，请打印后请监护人签署。"),
        template="cases/safety/agreement.html",
        context={"duties": GUARDIAN_DUTIES},
    )


@login_required
@require_http_methods(["GET", "POST"])
def guardian_agreement_signed(request, pk: int, agreement_pk: int):
    case = case_for(request, "cases.change_case", pk)
    agreement = case.guardian_agreements.filter(pk=agreement_pk).first()
    if agreement is None:
        refuse(request, permission="cases.change_case", obj=case, organisation=case.school)
    form = ConfirmForm(posted(request), label=_("监护人已在纸质版上签署，纸质版已存档"))
    return form_page(
        request,
        case,
        form,
        lambda data: safety.mark_guardian_agreement_signed(agreement, by=request.user, request=request),
        title=_("登记纸质版签署"),
        done=_("已记录监护人安全协议书签署。签署扫描件请上传到个案档案。"),
        template="cases/safety/signed.html",
        context={"what": _("安全协议书（监护人）")},
    )


urlpatterns = [
    path("<int:pk>/safety-plan/", safety_plan, name="safety_plan"),
    path("<int:pk>/safety-plan/compare/", safety_plan_compare, name="safety_plan_compare"),
    path("<int:pk>/safety-plan/v<int:version>/signed/", safety_plan_signed, name="safety_plan_signed"),
    path("<int:pk>/guardian-agreement/", guardian_agreement, name="guardian_agreement"),
    path(
        "<int:pk>/guardian-agreement/<int:agreement_pk>/signed/",
        guardian_agreement_signed,
        name="guardian_agreement_signed",
    ),
]
