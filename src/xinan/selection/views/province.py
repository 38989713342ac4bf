"""The province's recommendation: choose, generate the summary table, upload the sealed scan, submit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinan.audit.services.record import record
from xinan.campaigns.services.queries import campaigns_for_user
from xinan.crypto.files import read_encrypted
from xinan.organisations.enums import Role
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import held_roles
from xinan.selection.enums import SEAL_MAX_BYTES
from xinan.selection.forms import SealForm
from xinan.selection.models import Recommendation
from xinan.selection.services import recommendation as service
from xinan.selection.services.errors import SelectionError
from xinan.selection.services.queries import approved_candidates, items_of, recommendations_for_user
from xinan.selection.services.summary import table_title
from xinan.selection.views.downloads import file_response
from xinan.web.access import get_for_user_or_404, refuse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _recommendation(request, pk: int, perm: str) -> Recommendation:
    return get_for_user_or_404(request, perm, recommendations_for_user(request.user), pk=pk)


def _page(request, rec: Recommendation, *, error: str = "", seal_form=None, status: int = 200):
    from xinan.campaigns.models import ProvinceQuota

    can_change = request.user.has_perm("selection.change_recommendation", rec) and not rec.is_locked
    quota = ProvinceQuota.objects.filter(campaign=rec.campaign, province=rec.province).first()
    context = {
        "rec": rec,
        "title": table_title(rec.campaign, rec.province),
        "items": items_of(rec),
        "candidates": approved_candidates(rec) if can_change else [],
        "used": quota.used if quota else 0,
        "quota": quota.quota if quota else rec.campaign.province_quota,
        "hard": rec.campaign.province_quota_mode == "hard",
        "can_change": can_change,
        "seal_form": seal_form or SealForm(),
        "error": error,
    }
    return render(request, "selection/recommendation.html", context, status=status)


@login_required
@require_GET
def province_entry(request, pk: int):
    """The officer's way in from the campaign page: their province's recommendation, opened on first use."""
    ids = [held.organisation_id for held in held_roles(request.user) if held.role == Role.PROVINCIAL_ADMIN]
    if not ids:
        refuse(request, permission="selection.change_recommendation")
    campaign = get_for_user_or_404(request, "campaigns.view_campaign", campaigns_for_user(request.user), pk=pk)
    province = Organisation.objects.get(pk=ids[0])
    rec = service.open_recommendation(campaign, province, by=request.user, request=request)
    return redirect("selection:recommendation", pk=rec.pk)


@login_required
@require_GET
def recommendation(request, pk: int):
    return _page(request, _recommendation(request, pk, "selection.view_recommendation"))


@login_required
@require_POST
def add(request, pk: int):
    rec = _recommendation(request, pk, "selection.change_recommendation")
    submission = approved_candidates(rec).filter(pk=_int(request.POST.get("submission"))).first()
    if submission is None:
        return _page(request, rec, error=_("请选择本省省级审核通过、尚未推荐的案例。"), status=400)
    try:
        result = service.add_to_recommendation(rec, submission, by=request.user, request=request)
    except SelectionError as exc:
        return _page(request, rec, error=exc.message, status=400)
    if result.over_quota:
        messages.warning(
            request,
            _("已加入推荐名单。注意：本省推荐名额为 %(q)s 个，现已推荐 %(n)s 个，超出名额。")
            % {"q": result.quota, "n": result.used},
        )
    else:
        messages.success(request, _("已加入推荐名单（%(n)s / %(q)s）。") % {"n": result.used, "q": result.quota})
    return redirect("selection:recommendation", pk=rec.pk)


@login_required
@require_POST
def remove(request, pk: int):
    rec = _recommendation(request, pk, "selection.change_recommendation")
    submission = rec.items.filter(submission_id=_int(request.POST.get("submission"))).first()
    if submission is None:
        return _page(request, rec, error=_("该案例不在本省推荐名单中。"), status=400)
    try:
        service.remove_from_recommendation(rec, submission.submission, by=request.user, request=request)
    except SelectionError as exc:
        return _page(request, rec, error=exc.message, status=400)
    messages.success(request, _("已移出推荐名单。"))
    return redirect("selection:recommendation", pk=rec.pk)


@login_required
@require_POST
def generate_table(request, pk: int):
    rec = _recommendation(request, pk, "selection.change_recommendation")
    try:
        service.generate_summary_table(rec, by=request.user, request=request)
    except SelectionError as exc:
        return _page(request, rec, error=exc.message, status=400)
    messages.success(request, _("推荐汇总表已生成，请下载打印、盖章后拍照或扫描上传。"))
    return redirect("selection:recommendation", pk=rec.pk)


@login_required
@require_GET
def download_table(request, pk: int, kind: str):
    rec = _recommendation(request, pk, "selection.view_recommendation")
    if not rec.table_generated_at:
        refuse(request, permission="selection.view_recommendation", obj=rec)
    name, digest = (rec.xlsx_name, rec.xlsx_sha256) if kind == "xlsx" else (rec.pdf_name, rec.pdf_sha256)
    data = read_encrypted(name, sha256=digest)
    record(
        "xinan.selection.recommendation.download",
        request=request,
        organisation=rec.province,
        obj=rec,
        after={"kind": kind},
    )
    return file_response(
        data,
        content_type=XLSX_TYPE if kind == "xlsx" else "application/pdf",
        filename=f"{table_title(rec.campaign, rec.province)}.{kind}",
        fallback=f"summary-{rec.pk}.{kind}",
    )


@login_required
@require_POST
def upload_seal(request, pk: int):
    rec = _recommendation(request, pk, "selection.change_recommendation")
    form = SealForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, rec, seal_form=form, status=400)
    upload = form.cleaned_data["scan"]
    if upload.size > SEAL_MAX_BYTES:
        return _page(request, rec, error=_("文件太大：盖章件最大 15 MB。"), status=400)
    try:
        service.upload_sealed_scan(rec, upload.read(), by=request.user, request=request)
    except SelectionError as exc:
        return _page(request, rec, error=exc.message, status=400)
    messages.success(request, _("盖章件已上传。核对无误后即可报送全国。"))
    return redirect("selection:recommendation", pk=rec.pk)


@login_required
@require_GET
def download_seal(request, pk: int):
    rec = _recommendation(request, pk, "selection.view_recommendation")
    if not rec.seal_name:
        refuse(request, permission="selection.view_recommendation", obj=rec)
    data = read_encrypted(rec.seal_name, sha256=rec.seal_sha256)
    record("xinan.selection.recommendation.seal_download", request=request, organisation=rec.province, obj=rec)
    return file_response(
        data,
        content_type=rec.seal_content_type,
        filename=_("%(p)s推荐汇总表（盖章）.%(e)s") % {"p": rec.province.name, "e": rec.seal_extension},
        fallback=f"sealed-{rec.pk}.{rec.seal_extension}",
    )


@login_required
@require_POST
def submit(request, pk: int):
    rec = _recommendation(request, pk, "selection.change_recommendation")
    try:
        service.submit_recommendation(rec, by=request.user, request=request)
    except SelectionError as exc:
        return _page(request, rec, error=exc.message, status=400)
    messages.success(request, _("已报送全国。推荐名单已锁定。"))
    return redirect("selection:recommendation", pk=rec.pk)


def _int(value) -> int:
    """An id as posted, or 0: only ASCII digits, no longer than any database id."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 0


urlpatterns = [
    path("campaign/<int:pk>/recommend/", province_entry, name="province_entry"),
    path("recommendation/<int:pk>/", recommendation, name="recommendation"),
    path("recommendation/<int:pk>/add/", add, name="add"),
    path("recommendation/<int:pk>/remove/", remove, name="remove"),
    path("recommendation/<int:pk>/table/", generate_table, name="generate_table"),
    path("recommendation/<int:pk>/table.xlsx", download_table, {"kind": "xlsx"}, name="download_xlsx"),
    path("recommendation/<int:pk>/table.pdf", download_table, {"kind": "pdf"}, name="download_pdf"),
    path("recommendation/<int:pk>/seal/", upload_seal, name="upload_seal"),
    path("recommendation/<int:pk>/seal/download/", download_seal, name="download_seal"),
    path("recommendation/<int:pk>/submit/", submit, name="submit"),
]
