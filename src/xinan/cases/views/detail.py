"""A case's page and the moves made from it: assessment, transitions, break the glass."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.audit.models import AuditEntry
from xinan.audit.services.record import record
from xinan.cases.charts import level_history
from xinan.cases.enums import LEVEL_CRITERIA, CaseState, MoveDecision, RiskLevel
from xinan.cases.forms import AssessmentForm, GlassBreakForm, MoveDecisionForm, TransitionForm
from xinan.cases.models import Case
from xinan.cases.sections import sections_for
from xinan.cases.services import approvals, records
from xinan.cases.services.assessment import record_assessment, suggest_level
from xinan.cases.services.errors import CaseError
from xinan.cases.services.timeline import timeline
from xinan.cases.services.workflow import allowed_moves, needs_overseer, transition_case
from xinan.web.access import get_for_user_or_404, record_refusal, refuse


def offered_moves(user, case: Case, pending) -> list[dict]:
    """The moves the page offers this reader: a button only for a move they may make; a move that
    needs the team leader or the coordinator becomes a request ("申请结案"), unless one is waiting."""
    may_close = user.has_perm("cases.close_case", case)
    offered = []
    for to in sorted(allowed_moves(case), key=list(CaseState).index):
        overseer_move = needs_overseer(case.state, to)
        if overseer_move and not may_close:
            if pending is not None:
                continue
            label = _("申请结案") if to == CaseState.CLOSED else _("申请重新开案")
            offered.append({"to": to.value, "label": label, "request": True})
        else:
            offered.append({"to": to.value, "label": _("转为：%(state)s") % {"state": to.label}, "request": False})
    return offered


def _case_for(request, perm: str, pk: int) -> Case:
    return get_for_user_or_404(
        request, perm, Case.objects.select_related("school", "student", "assigned_counsellor"), pk=pk
    )


def _glass_offer(request, pk: int, case: Case | None):
    """The break-the-glass form for a case the fixed team member cannot read: the same page and
    the same 404 whether the case exists in their school, in another, or not at all. Only the
    form's submission (audited, the team leader told) finds out."""
    organisation = case.school if case is not None else None
    record_refusal(request, permission="cases.view_case", obj=case, object_ref=f"pk={pk}", organisation=organisation)
    record("xinan.case.glass_offer", request=request, organisation=organisation, obj=case)
    context = {"case_pk": pk, "form": GlassBreakForm(), "not_found": True}
    return render(request, "cases/glass_break.html", context, status=404)


@login_required
@require_GET
def case_detail(request, pk: int):
    case = Case.objects.select_related("school", "student__school_class", "assigned_counsellor").filter(pk=pk).first()
    if case is None or not request.user.has_perm("cases.view_case", case):
        if case is not None and request.user.has_perm("cases.view_guardian_log", case):
            return redirect("cases:guardian_log", pk=case.pk)
        if request.user.has_perm("cases.offer_glass_break"):
            return _glass_offer(request, pk, case)
    case = _case_for(request, "cases.view_case", pk)
    record("xinan.case.view", request=request, organisation=case.school, obj=case)
    assessments = list(case.assessments.select_related("by"))
    pending = approvals.pending_request(case)
    tasks = list(case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True).select_related("assignee"))
    for task in tasks:  # a link is shown only where following it is allowed
        task.case = case
        task.may_complete = request.user.has_perm("cases.complete_task", task)
    context = {
        "case": case,
        "events": timeline(case),
        "tasks": tasks,
        "members": case.members.filter(removed_at__isnull=True).select_related("user"),
        "chart": level_history(assessments),
        "latest_assessment": assessments[-1] if assessments else None,
        "moves": offered_moves(request.user, case, pending),
        "pending_request": pending,
        "transition_form": TransitionForm(initial={"expected_state": case.state}),
        "now": timezone.now(),
        "can": {
            "change": request.user.has_perm("cases.change_case", case),
            "assess": request.user.has_perm("cases.assess_case", case),
            "close": request.user.has_perm("cases.close_case", case),
            "notes": request.user.has_perm("cases.view_counselling_notes", case),
            "members": request.user.has_perm("cases.manage_case_members", case),
            "access_log": request.user.has_perm("cases.view_case_access_log", case),
            "export": request.user.has_perm("cases.export_dossier", case),
        },
        "glass": case.glass_breaks.filter(user=request.user, expires_at__gt=timezone.now()).first(),
        "sections": sections_for(request.user, case),
    }
    return render(request, "cases/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, pk: int):
    case = _case_for(request, "cases.assess_case", pk)
    form = AssessmentForm(request.POST or None)
    suggested = None
    if request.method == "POST" and form.is_valid():
        suggested = suggest_level(form.ratings(), form.screen())
        try:
            record_assessment(
                case,
                by=request.user,
                ratings=form.ratings(),
                screen=form.screen(),
                level=form.cleaned_data["level"],
                in_crisis=form.cleaned_data["in_crisis"],
                override_reason=form.cleaned_data["override_reason"],
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("评估已保存。"))
            return redirect("cases:detail", pk=case.pk)
    criteria = [(level, LEVEL_CRITERIA[level]) for level in RiskLevel]
    return render(
        request,
        "cases/assess.html",
        {"case": case, "form": form, "criteria": criteria, "suggested": suggested},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def transition(request, pk: int):
    case = _case_for(request, "cases.change_case", pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求不完整，请刷新页面后重试。"))
        return redirect("cases:detail", pk=case.pk)
    to = CaseState(form.cleaned_data["to"])
    if needs_overseer(case.state, to) and not request.user.has_perm("cases.close_case", case):
        refuse(request, permission="cases.close_case", obj=case, organisation=case.school)
    try:
        transition_case(
            case,
            to,
            by=request.user,
            reason=form.cleaned_data["reason"],
            outcome=form.cleaned_data["outcome"],
            expected_state=form.cleaned_data["expected_state"],
            request=request,
        )
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("个案已转为“%(state)s”。") % {"state": to.label})
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def move_request(request, pk: int):
    """Ask the team leader for a move the asker may not make (closing, re-opening)."""
    case = _case_for(request, "cases.change_case", pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求不完整，请刷新页面后重试。"))
        return redirect("cases:detail", pk=case.pk)
    try:
        approvals.request_move(
            case,
            form.cleaned_data["to"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            outcome=form.cleaned_data["outcome"],
            expected_state=form.cleaned_data["expected_state"],
            request=request,
        )
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("申请已提交，组长审批后生效。"))
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def move_request_decide(request, pk: int, request_pk: int):
    case = _case_for(request, "cases.close_case", pk)
    pending = case.move_requests.filter(pk=request_pk).first()
    if pending is None:
        refuse(request, permission="cases.close_case", obj=case, organisation=case.school)
    form = MoveDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求不完整，请刷新页面后重试。"))
        return redirect("cases:detail", pk=case.pk)
    approve = form.cleaned_data["decision"] == MoveDecision.APPROVED
    try:
        approvals.decide_move_request(
            pending, by=request.user, approve=approve, note=form.cleaned_data["note"], request=request
        )
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已批准，个案状态已更新。") if approve else _("已退回申请。"))
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def break_glass(request, pk: int):
    case = _case_for(request, "cases.break_glass", pk)
    form = GlassBreakForm(request.POST)
    if form.is_valid():
        try:
            records.break_glass(case, by=request.user, reason=form.cleaned_data["reason"], request=request)
        except CaseError as exc:
            form.add_error("reason", exc.message)
        else:
            messages.warning(request, _("已启用紧急访问，组长已收到通知。"))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/glass_break.html", {"case_pk": case.pk, "form": form}, status=400)


@login_required
@require_GET
def access_log(request, pk: int):
    """Who has seen this case: for the team leader and the coordinator."""
    case = _case_for(request, "cases.view_case_access_log", pk)
    entries = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("-at", "-pk")[:500]
    return render(request, "cases/access_log.html", {"case": case, "entries": entries})


urlpatterns = [
    path("<int:pk>/", case_detail, name="detail"),
    path("<int:pk>/assess/", assess, name="assess"),
    path("<int:pk>/transition/", transition, name="transition"),
    path("<int:pk>/move-request/", move_request, name="move_request"),
    path("<int:pk>/move-request/<int:request_pk>/decide/", move_request_decide, name="move_request_decide"),
    path("<int:pk>/break-glass/", break_glass, name="break_glass"),
    path("<int:pk>/access-log/", access_log, name="access_log"),
]
