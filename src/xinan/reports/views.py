"""Case-report pages: my reports, the structured editor (with its live analysis), import,
export and the draft from a closed case. Views are thin: permission through the list
query and the object rule (audited 404 outside it), one service call, errors as messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.audit.services.record import record, record_refused_upload
from xinan.cases.models import Case
from xinan.organisations.models import Organisation
from xinan.reports.enums import FlagDecisionKind, ReportAction, ReportUseBasis
from xinan.reports.forms import DraftFromCaseForm, FlagDecisionForm, ImportForm, ReportForm
from xinan.reports.models import CaseReport
from xinan.reports.models.report import SECTION_FIELDS
from xinan.reports.services import authoring, drafting
from xinan.reports.services.documents import Analysis, field_label, texts_of
from xinan.reports.services.errors import ReportError
from xinan.reports.services.queries import author_school_ids, cases_to_draft_from, own_reports, reports_for_user
from xinan.web.access import get_for_user_or_404, refuse, require_perm
from xinan_reportformat import CHAR_LIMIT, DocumentReadError
from xinan_reportformat.reading import DEFAULT_MAX_BYTES, MSG_TOO_LARGE


def _report_for(request, perm: str, pk: int) -> CaseReport:
    return get_for_user_or_404(request, perm, reports_for_user(request.user).select_related("school", "author"), pk=pk)


def _initial(report: CaseReport) -> dict:
    return {**texts_of(report), "has_artistic_footnote": report.has_artistic_footnote}


def _analysis_context(analysis: Analysis, *, can_edit: bool) -> dict:
    index = {(flag.kind, flag.text): number for number, flag in enumerate(analysis.distinct_flags)}

    def pieces(field):
        return [
            (text, flag, index.get((flag.kind, flag.text)) if flag else None)
            for text, flag in analysis.highlighted(field)
        ]

    sections = [
        {"key": key, "label": field_label(key), "count": analysis.section_counts[key], "pieces": pieces(key)}
        for key in SECTION_FIELDS
    ]
    header = [{"key": key, "label": field_label(key), "pieces": pieces(key)} for key in ("title", "subtitle")]
    return {
        "analysis": analysis,
        "char_limit": CHAR_LIMIT,
        "over_limit": analysis.char_count > CHAR_LIMIT,
        "preview_sections": sections,
        "preview_header": header,
        "flag_rows": [
            {
                "flag": flag,
                "occurrences": analysis.occurrences(flag.kind, flag.text),
            }
            for flag in analysis.distinct_flags
        ],
        "blocking_count": len({(f.kind, f.text) for f in analysis.blocking_flags}),
        "can_edit": can_edit,
    }


def _render_editor(request, report, *, form=None, import_form=None, analysis=None, reasons=None, status=200):
    can_edit = request.user.has_perm("reports.change_report", report)
    form = form or ReportForm(initial=_initial(report))
    if can_edit:
        form.enable_live_check(reverse("reports:preview", args=[report.pk]))
    if analysis is None:
        analysis = authoring.analyse(report)
    context = {
        "report": report,
        "form": form,
        "import_form": import_form or ImportForm(),
        "reasons": reasons or [],
        "decisions": report.flag_decisions.filter(decision=FlagDecisionKind.DISMISSED).select_related("by"),
        "use_basis_label": ReportUseBasis(report.use_basis).label if report.use_basis else "",
        **_analysis_context(analysis, can_edit=can_edit),
    }
    template = "reports/editor.html" if can_edit else "reports/view.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def report_list(request):
    mine = own_reports(request.user).select_related("school")
    others = reports_for_user(request.user).exclude(author=request.user).select_related("school", "author")
    context = {
        "mine": mine,
        "others": others,
        "cases": cases_to_draft_from(request.user).select_related("school")[:50],
        "can_add": request.user.has_perm("reports.add_report"),
    }
    return render(request, "reports/list.html", context)


@login_required
@require_POST
def report_create(request):
    require_perm(request, "reports.add_report")
    school = Organisation.objects.get(pk=author_school_ids(request.user)[0])
    report = authoring.create_report(author=request.user, school=school, request=request)
    return redirect("reports:edit", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    if request.method == "GET":
        report = _report_for(request, "reports.view_report", pk)
        if report.author_id != request.user.pk:
            record(ReportAction.VIEW, request=request, organisation=report.school, obj=report)
        return _render_editor(request, report)
    report = _report_for(request, "reports.change_report", pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("内容未能保存，请检查标出的错误。"))
        return _render_editor(request, report, form=form, status=400)
    authoring.save_report(
        report,
        texts=form.texts(),
        footnote=form.cleaned_data["has_artistic_footnote"],
        by=request.user,
        request=request,
    )
    action = request.POST.get("action", "save")
    flag_action = request.POST.get("flag_action", "")
    if flag_action:
        return _decide_flag(request, report, flag_action)
    if action == "ready":
        try:
            authoring.mark_ready(report, by=request.user, request=request)
        except ReportError as error:
            messages.error(request, error.message)
            return _render_editor(request, report, reasons=error.reasons, status=400)
        messages.success(request, _("报告已定稿。如再修改正文，报告将回到草稿状态。"))
        return redirect("reports:edit", pk=report.pk)
    messages.success(request, _("已保存。"))
    return redirect("reports:edit", pk=report.pk)


def _decide_flag(request, report: CaseReport, flag_action: str):
    """One flag's decision, posted with the editor's text (which was saved first)."""
    index, _sep, decision = flag_action.partition(":")
    prefix = f"flag-{index}-"
    data = {name: request.POST.get(prefix + name, "") for name in ("kind", "text", "replacement", "reason")}
    form = FlagDecisionForm({**data, "decision": decision})
    if not form.is_valid():
        messages.error(request, _("请求不完整，请刷新页面后重试。"))
        return _render_editor(request, report, status=400)
    try:
        row = authoring.decide_flag(report, by=request.user, request=request, **form.cleaned_data)
    except ReportError as error:
        messages.error(request, error.message)
        return _render_editor(request, report, status=400)
    if row.decision == FlagDecisionKind.DISMISSED:
        messages.success(request, _("已保留这处文字，并记录了理由。"))
    else:
        messages.success(request, _("已替换 %(n)s 处。") % {"n": row.occurrences})
    return redirect("reports:edit", pk=report.pk)


@login_required
@require_POST
def report_preview(request, pk: int):
    """The live analysis of what is being typed (htmx, on input); nothing is saved."""
    report = _report_for(request, "reports.change_report", pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("内容过长，无法检查。"), status=200)
    analysis = authoring.analyse(report, form.texts(), form.cleaned_data["has_artistic_footnote"])
    context = {"report": report, **_analysis_context(analysis, can_edit=True)}
    return render(request, "reports/_analysis.html", context)


@login_required
@require_POST
def report_import(request, pk: int):
    report = _report_for(request, "reports.change_report", pk)
    import_form = ImportForm(request.POST, request.FILES)
    try:
        if getattr(request, "upload_too_large", 0):  # cut off while streaming in (xinan.web's upload cap)
            size = max(int(request.META.get("CONTENT_LENGTH") or 0), request.upload_too_large + 1)
            record_refused_upload("reports.import", "file.too_large", obj=report, request=request, size=size)
            raise DocumentReadError(MSG_TOO_LARGE.format(size=size / 1048576, limit=DEFAULT_MAX_BYTES / 1048576))
        if not import_form.is_valid():
            raise DocumentReadError(_("导入内容过长或不完整，请检查后重试。"))
        upload = import_form.cleaned_data["file"]
        if upload is not None:
            authoring.import_into_report(report, data=authoring.read_upload(upload), by=request.user, request=request)
        else:
            authoring.import_into_report(
                report, text=import_form.cleaned_data["text"], by=request.user, request=request
            )
    except DocumentReadError as error:
        messages.error(request, error.message)
        return _render_editor(request, report, import_form=ImportForm(), status=400)
    messages.success(request, _("已导入。请核对各部分内容，并处理隐私提示。"))
    return redirect("reports:edit", pk=report.pk)


@login_required
@require_GET
def report_export(request, pk: int, fmt: str):
    report = _report_for(request, "reports.export_report", pk)
    try:
        content, filename, content_type = authoring.export_report(report, fmt=fmt, by=request.user, request=request)
    except ReportError:
        refuse(request, permission="reports.export_report", obj=report, organisation=report.school)
    response = HttpResponse(content, content_type=content_type)
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def draft_from_case(request, case_pk: int):
    case = get_for_user_or_404(
        request,
        "reports.draft_from_case",
        Case.objects.select_related("school", "student"),
        pk=case_pk,
    )
    form = DraftFromCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = drafting.draft_report_from_case(
                case,
                by=request.user,
                school=case.school,
                basis=form.cleaned_data["basis"],
                basis_note=form.cleaned_data["basis_note"],
                confirmed=form.cleaned_data["confirm"],
                request=request,
            )
        except ReportError as error:
            form.add_error(None, error.message)
        else:
            messages.warning(
                request,
                _("已根据个案生成草稿，并自动替换了可识别的信息。请逐段阅读、改写，并处理剩余的隐私提示。"),
            )
            return redirect("reports:edit", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/draft_from_case.html", {"case": case, "form": form}, status=status)


urlpatterns = [
    path("", report_list, name="list"),
    path("new/", report_create, name="create"),
    path("<int:pk>/", report_edit, name="edit"),
    path("<int:pk>/preview/", report_preview, name="preview"),
    path("<int:pk>/import/", report_import, name="import"),
    path("<int:pk>/export/<str:fmt>/", report_export, name="export"),
    path("from-case/<int:case_pk>/", draft_from_case, name="draft_from_case"),
]
