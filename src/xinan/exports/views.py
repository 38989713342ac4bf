"""Export requests: ask with a purpose, a second person decides, the requester downloads once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.cases.models import Case
from xinan.dossier.services.documents import content_disposition
from xinan.exports.enums import ORGANISATION_KINDS, PERMISSION_FOR_KIND, ExportKind
from xinan.exports.forms import DecisionForm, ExportRequestForm, OrganisationExportForm
from xinan.exports.models import ExportRequest
from xinan.exports.services import queries
from xinan.exports.services.errors import ExportError
from xinan.exports.services.requests import (
    approve_export,
    download_export,
    refuse_export,
    request_dossier_export,
    request_organisation_export,
)
from xinan.organisations.models import Organisation
from xinan.web.access import get_for_user_or_404, refuse


def _request_for(request, perm: str, pk: int) -> ExportRequest:
    queryset = ExportRequest.objects.select_related("case__school", "organisation", "requested_by")
    return get_for_user_or_404(request, perm, queryset, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def request_dossier(request, case_pk: int):
    case = get_for_user_or_404(
        request, "cases.export_dossier", Case.objects.select_related("school", "student"), pk=case_pk
    )
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_dossier_export(case, by=request.user, purpose=form.cleaned_data["purpose"], request=request)
        except ExportError as exc:
            form.add_error("purpose", exc.message)
        else:
            messages.success(request, _("导出申请已提交，等待另一位负责人审批。"))
            return redirect("exports:mine")
    status = 400 if form.errors else 200
    return render(request, "exports/request_form.html", {"case": case, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def request_for_organisation(request, kind: str, org_pk: int):
    """Ask for a student list, a case list or an audit extract of an organisation."""
    if kind not in ORGANISATION_KINDS:
        refuse(request, permission="exports.request", object_ref=f"kind={kind}")
    kind = ExportKind(kind)
    organisation = get_for_user_or_404(request, PERMISSION_FOR_KIND[kind], Organisation.objects.all(), pk=org_pk)
    with_period = kind == ExportKind.AUDIT_EXTRACT
    form = OrganisationExportForm(request.POST or None, with_period=with_period)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            request_organisation_export(
                kind,
                organisation,
                by=request.user,
                purpose=data["purpose"],
                since=data.get("since"),
                until=data.get("until"),
                request=request,
            )
        except ExportError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("导出申请已提交，等待另一位有导出权限的人员审批。"))
            return redirect("exports:mine")
    status = 400 if form.errors else 200
    context = {"form": form, "kind": kind, "organisation": organisation}
    return render(request, "exports/request_organisation.html", context, status=status)


@login_required
@require_GET
def disclosures(request):
    """The disclosure register: exports handed over in the organisations whose exports one decides."""
    return render(request, "exports/disclosures.html", {"items": queries.disclosures_visible_to(request.user)[:200]})


@login_required
@require_GET
def pending(request):
    return render(request, "exports/pending.html", {"items": queries.awaiting_decision_by(request.user)})


@login_required
@require_GET
def mine(request):
    context = {"items": queries.requests_of(request.user)[:100], "options": queries.export_options_for(request.user)}
    return render(request, "exports/mine.html", context)


@login_required
@require_POST
def decide(request, pk: int):
    export_request = _request_for(request, "exports.decide_exportrequest", pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求不完整，请刷新页面后重试。"))
        return redirect("exports:pending")
    try:
        if form.cleaned_data["action"] == "approve":
            approve_export(export_request, by=request.user, reason=form.cleaned_data["reason"], request=request)
            messages.success(request, _("已批准，申请人可在24小时内下载一次。"))
        else:
            refuse_export(export_request, by=request.user, reason=form.cleaned_data["reason"], request=request)
            messages.success(request, _("已拒绝该导出申请。"))
    except ExportError as exc:
        # Back on the list, the message beside the request it is about and the typed text kept.
        items = queries.awaiting_decision_by(request.user)
        on_list = any(item.pk == export_request.pk for item in items)
        context = {
            "items": items,
            "error_for": export_request.pk if on_list else None,
            "error": exc.message,
            "typed_reason": form.cleaned_data["reason"],
        }
        return render(request, "exports/pending.html", context, status=400)
    return redirect("exports:pending")


@login_required
@require_POST
def download(request, pk: int):
    export_request = _request_for(request, "exports.download_exportrequest", pk)
    try:
        result = download_export(export_request, by=request.user, request=request)
    except ExportError as exc:
        return render(request, "exports/refused.html", {"message": exc.message}, status=409)
    response = StreamingHttpResponse(result.chunks, content_type=result.content_type)
    response["Content-Disposition"] = content_disposition(result.file_name, fallback=result.fallback_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("cases/<int:case_pk>/dossier/", request_dossier, name="request_dossier"),
    path("organisations/<int:org_pk>/<slug:kind>/", request_for_organisation, name="request_organisation"),
    path("disclosures/", disclosures, name="disclosures"),
    path("pending/", pending, name="pending"),
    path("mine/", mine, name="mine"),
    path("<int:pk>/decide/", decide, name="decide"),
    path("<int:pk>/download/", download, name="download"),
]
