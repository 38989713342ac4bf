"""National selection: the provinces' recommendations, selecting typical cases, expert
commentary, and the anthology."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.audit.services.record import record
from xinan.campaigns.models import Submission
from xinan.campaigns.services.queries import campaigns_for_user
from xinan.crypto.files import read_encrypted
from xinan.selection.forms import CommentaryForm, UnselectForm
from xinan.selection.models import Commentary
from xinan.selection.services.anthology import anthology_title, generate_anthology
from xinan.selection.services.errors import SelectionError
from xinan.selection.services.national import select_submission, unselect_submission, write_commentary
from xinan.selection.services.queries import (
    anthologies_for_user,
    anthologies_with_staleness,
    selection_submissions_for_user,
    submitted_recommendations,
)
from xinan.selection.views.downloads import file_response
from xinan.web.access import get_for_user_or_404, require_perm

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _campaign(request, pk: int, perm: str):
    require_perm(request, perm)
    return get_for_user_or_404(request, "campaigns.view_campaign", campaigns_for_user(request.user), pk=pk)


def _page(request, campaign, *, error: str = "", status: int = 200):
    return render(
        request,
        "selection/national.html",
        {
            "campaign": campaign,
            "recommendations": submitted_recommendations(campaign),
            "anthologies": anthologies_with_staleness(request.user, campaign),
            "can_manage": request.user.has_perm("selection.manage_selection"),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def national(request, pk: int):
    return _page(request, _campaign(request, pk, "selection.view_selection"))


def _submission(request, pk: int, perm: str) -> Submission:
    return get_for_user_or_404(
        request, perm, selection_submissions_for_user(request.user).select_related("campaign", "school"), pk=pk
    )


@login_required
@require_POST
def select(request, pk: int):
    submission = _submission(request, pk, "selection.select_submission")
    try:
        select_submission(submission, by=request.user, request=request)
    except SelectionError as exc:
        return _page(request, submission.campaign, error=exc.message, status=400)
    messages.success(request, _("已入选。请为该案例撰写专家点评。"))
    return redirect("selection:national", pk=submission.campaign_id)


@login_required
@require_POST
def unselect(request, pk: int):
    submission = _submission(request, pk, "selection.select_submission")
    form = UnselectForm(request.POST)
    try:
        if not form.is_valid():
            raise SelectionError(_("取消入选需要写明原因。"))
        unselect_submission(submission, by=request.user, reason=form.cleaned_data["reason"], request=request)
    except SelectionError as exc:
        return _page(request, submission.campaign, error=exc.message, status=400)
    messages.success(request, _("已取消入选。"))
    return redirect("selection:national", pk=submission.campaign_id)


@login_required
@require_http_methods(["GET", "POST"])
def commentary(request, pk: int):
    submission = _submission(request, pk, "selection.comment_submission")
    existing = Commentary.objects.filter(submission=submission).select_related("author").first()
    form = CommentaryForm(request.POST or None, initial={"text": existing.text if existing else ""})
    if request.method == "POST" and form.is_valid():
        try:
            write_commentary(submission, text=form.cleaned_data["text"], by=request.user, request=request)
        except SelectionError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("专家点评已保存。"))
            return redirect("selection:national", pk=submission.campaign_id)
    return render(
        request,
        "selection/commentary.html",
        {"submission": submission, "form": form, "existing": existing},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def anthology_generate(request, pk: int):
    campaign = _campaign(request, pk, "selection.manage_selection")
    try:
        anthology = generate_anthology(campaign, by=request.user, request=request)
    except SelectionError as exc:
        return _page(request, campaign, error=exc.message, status=400)
    messages.success(
        request,
        _("案例集已生成：%(n)s 个案例，用时 %(s)s 秒。") % {"n": anthology.report_count, "s": anthology.seconds},
    )
    return redirect("selection:national", pk=campaign.pk)


@login_required
@require_GET
def anthology_download(request, pk: int, kind: str):
    anthology = get_for_user_or_404(request, "selection.manage_selection", anthologies_for_user(request.user), pk=pk)
    name, digest = (
        (anthology.docx_name, anthology.docx_sha256) if kind == "docx" else (anthology.pdf_name, anthology.pdf_sha256)
    )
    data = read_encrypted(name, sha256=digest)
    record("xinan.selection.anthology.download", request=request, obj=anthology, after={"kind": kind})
    return file_response(
        data,
        content_type=DOCX_TYPE if kind == "docx" else "application/pdf",
        filename=f"{anthology_title(anthology.campaign)}.{kind}",
        fallback=f"anthology-{anthology.pk}.{kind}",
    )


urlpatterns = [
    path("campaign/<int:pk>/national/", national, name="national"),
    path("submission/<int:pk>/select/", select, name="select"),
    path("submission/<int:pk>/unselect/", unselect, name="unselect"),
    path("submission/<int:pk>/commentary/", commentary, name="commentary"),
    path("campaign/<int:pk>/anthology/", anthology_generate, name="anthology_generate"),
    path("anthology/<int:pk>/anthology.docx", anthology_download, {"kind": "docx"}, name="anthology_docx"),
    path("anthology/<int:pk>/anthology.pdf", anthology_download, {"kind": "pdf"}, name="anthology_pdf"),
]
