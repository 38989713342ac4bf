"""The filer's side: the campaign page with its countdown, and one submission from draft to submitted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinan.audit.services.record import body_size, record_refused_upload
from xinan.campaigns.enums import (
    DECLARATIONS,
    DECLARATIONS_VERSION,
    EDITABLE_STATES,
    WINDOW_COLOURS,
    WindowState,
)
from xinan.campaigns.forms import DeclarationsForm, FilesForm, InfoForm, KeepFlagForm
from xinan.campaigns.models import FilingRight, SchoolQuota, Submission
from xinan.campaigns.services import filing
from xinan.campaigns.services.deadlines import filing_deadline, format_deadline, window_message, window_state
from xinan.campaigns.services.errors import FilingError
from xinan.campaigns.services.lengths import FIXED_LIMIT_CODE, counting_rule, length_verdict, limit_rule
from xinan.campaigns.services.queries import campaigns_for_user, submissions_for_user
from xinan.dossier.services.documents import content_disposition
from xinan.dossier.services.filetypes import DOCX_TYPE
from xinan.organisations.enums import Role
from xinan.organisations.services.queries import held_roles
from xinan.web.access import get_for_user_or_404


@login_required
@require_GET
def campaign_list(request):
    campaigns = list(campaigns_for_user(request.user).order_by("-opens_at"))
    rights = {
        right.campaign_id: right
        for right in FilingRight.objects.filter(filer=request.user, campaign__in=[c.pk for c in campaigns])
    }
    now = timezone.now()
    for campaign in campaigns:
        campaign.window = window_state(campaign, rights.get(campaign.pk), now=now)
        campaign.window_colour = WINDOW_COLOURS[campaign.window]
    return render(
        request,
        "campaigns/list.html",
        {
            "campaigns": campaigns,
            "now": now,
            "perms_manage": request.user.has_perm("campaigns.manage_campaign"),
        },
    )


@login_required
@require_GET
def campaign_page(request, pk: int):
    campaign = get_for_user_or_404(request, "campaigns.view_campaign", campaigns_for_user(request.user), pk=pk)
    right = FilingRight.objects.filter(campaign=campaign, filer=request.user).select_related("school").first()
    quota = SchoolQuota.objects.filter(campaign=campaign, school=right.school).first() if right else None
    deadline = filing_deadline(campaign, right)
    window = window_state(campaign, right)
    message = window_message(campaign, right, window)
    if right is not None and not campaign.admits_school(right.school):  # another school type
        window = WindowState.CLOSED
        message = _("本次征集只面向%(types)s，%(school)s不在征集范围内。") % {
            "types": campaign.school_types_text(),
            "school": right.school.name,
        }
    return render(
        request,
        "campaigns/campaign.html",
        {
            "window": window,
            "window_label": window.label,
            "window_colour": WINDOW_COLOURS[window],
            "window_message": message,
            "now": timezone.now(),
            "campaign": campaign,
            "right": right,
            "quota_used": quota.used if quota else 0,
            "quota_total": quota.quota if quota else campaign.school_quota,
            "deadline": deadline,
            "deadline_text": format_deadline(deadline),
            "open_now": window == WindowState.OPEN,
            "submissions": Submission.objects.filter(campaign=campaign, filer=request.user).order_by("-created_at"),
            "is_province": any(held.role == Role.PROVINCIAL_ADMIN for held in held_roles(request.user)),
            "is_national": request.user.has_perm("campaigns.manage_campaign"),
            # National reviewers write commentary on the selection page too.
            "sees_selection": request.user.has_perm("selection.view_selection"),
            "attachments": campaign.attachments.all(),
        },
    )


@login_required
@require_POST
def start(request, pk: int):
    campaign = get_for_user_or_404(request, "campaigns.view_campaign", campaigns_for_user(request.user), pk=pk)
    try:
        submission = filing.start_submission(campaign, filer=request.user, request=request)
    except FilingError as exc:
        messages.error(request, exc.message)
        return redirect("campaigns:campaign", pk=campaign.pk)
    return redirect("campaigns:submission", pk=submission.pk)


def _submission(request, perm: str, pk: int) -> Submission:
    return get_for_user_or_404(
        request, perm, submissions_for_user(request.user).select_related("campaign", "school"), pk=pk
    )


def _page(request, submission, *, info_form=None, files_form=None, status=200):
    campaign = submission.campaign
    flags = submission.checks.get("flags", [])
    for flag in flags:
        flag["key"] = filing.flag_key(flag)
        flag["kept"] = submission.flag_decisions.get(flag["key"])
    initial = {
        "title": submission.title,
        "subtitle": submission.subtitle,
        "trigger": submission.trigger,
        "nature": submission.nature,
        "outcome": submission.outcome,
        "authors": "\n".join(f"{a['name']}，{a['unit']}，{a['position']}" for a in submission.authors),
    }
    right = FilingRight.objects.filter(campaign=campaign, filer=submission.filer).first()
    window = window_state(campaign, right)
    return render(
        request,
        "campaigns/submission.html",
        {
            "submission": submission,
            "campaign": campaign,
            "editable": submission.state in EDITABLE_STATES and request.user.pk == submission.filer_id,
            # Outside the window the forms stay visible but their buttons are off; the server refuses anyway.
            "window_open": window == WindowState.OPEN,
            "window_message": window_message(campaign, right, window),
            "now": timezone.now(),
            "can_download": request.user.has_perm("campaigns.download_submission_files", submission)
            and bool(submission.docx_name),
            "info_form": info_form
            or InfoForm(
                initial=initial,
                triggers=campaign.triggers,
                natures=campaign.natures,
                stored_phone=submission.contact_phone,
                subtitle_terms=submission.checks.get("subtitle_terms"),
            ),
            "files_form": files_form or FilesForm(),
            "declarations": DECLARATIONS,
            "declarations_current": submission.declarations_version == DECLARATIONS_VERSION,
            "flags": flags,
            # The checker's fixed-limit problem is replaced by the campaign's rule (length).
            "problems": [p for p in submission.checks.get("problems", []) if p.get("code") != FIXED_LIMIT_CODE],
            "length": length_verdict(campaign, submission.char_count),
            "counting_rule": counting_rule(),
            "limit_rule": limit_rule(campaign),
            "reasons": filing.unresolved(submission),
            # What the last upload changed in the basic information, until the filer has checked it.
            "rederived": [
                str(Submission._meta.get_field(name).verbose_name) for name in submission.checks.get("rederived", [])
            ]
            if submission.info_confirmed_at is None
            else [],
            "events": submission.events.select_related("by"),
            "deadline": filing_deadline(campaign, right),
            "deadline_text": format_deadline(filing_deadline(campaign, right)),
            "perms_decide": request.user.has_perm("campaigns.decide_submission", submission),
            "can_withdraw": request.user.pk == submission.filer_id
            and submission.state in {"draft", "submitted", "returned"},
        },
        status=status,
    )


@login_required
@require_GET
def submission_page(request, pk: int):
    return _page(request, _submission(request, "campaigns.view_submission", pk))


@login_required
@require_POST
def save_info(request, pk: int):
    submission = _submission(request, "campaigns.change_submission", pk)
    campaign = submission.campaign
    form = InfoForm(
        request.POST,
        triggers=campaign.triggers,
        natures=campaign.natures,
        stored_phone=submission.contact_phone,
        subtitle_terms=submission.checks.get("subtitle_terms"),
    )
    if form.is_valid():
        try:
            filing.update_info(submission, by=request.user, request=request, **form.cleaned_data)
        except FilingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("基本信息已保存。"))
            return redirect("campaigns:submission", pk=submission.pk)
    return _page(request, submission, info_form=form, status=400)


@login_required
@require_POST
def upload_files(request, pk: int):
    submission = _submission(request, "campaigns.change_submission", pk)
    form = FilesForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", 0):  # cut off while streaming in (xinan.web's upload cap)
        record_refused_upload(
            "campaign.report", "file.too_large", obj=submission, request=request, size=body_size(request)
        )
        form.add_error(None, _("文件不能超过 20 MB。"))
    elif form.is_valid():
        try:
            filing.attach_report_files(
                submission,
                docx=form.cleaned_data["docx"],
                pdf=form.cleaned_data["pdf"],
                by=request.user,
                request=request,
            )
        except FilingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("文件已上传并完成检查。"))
            return redirect("campaigns:submission", pk=submission.pk)
    return _page(request, submission, files_form=form, status=400)


def _act(request, action, *, success: str = "") -> bool:
    """Run one filing service for a POST, turning a refusal into a message. True when it went through."""
    try:
        action()
    except FilingError as exc:
        messages.error(request, exc.message)
        return False
    if success:
        messages.success(request, success)
    return True


@login_required
@require_POST
def keep_flag(request, pk: int):
    submission = _submission(request, "campaigns.change_submission", pk)
    form = KeepFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("保留隐私标记需要写明理由（至少4个字）。"))
    else:
        data = form.cleaned_data
        _act(
            request,
            lambda: filing.keep_flag(
                submission, key=data["key"], reason=data["reason"], by=request.user, request=request
            ),
        )
    return redirect("campaigns:submission", pk=submission.pk)


@login_required
@require_POST
def declare(request, pk: int):
    submission = _submission(request, "campaigns.change_submission", pk)
    if not DeclarationsForm(request.POST).is_valid():
        messages.error(request, _("请逐条阅读并勾选全部申报声明。"))
    else:
        _act(request, lambda: filing.agree_declarations(submission, by=request.user, request=request))
    return redirect("campaigns:submission", pk=submission.pk)


@login_required
@require_POST
def submit(request, pk: int):
    submission = _submission(request, "campaigns.change_submission", pk)
    _act(
        request,
        lambda: filing.submit(submission, by=request.user, request=request),
        success=_("提交成功。提交后不能再修改，如需修改请联系省级管理员退回。"),
    )
    return redirect("campaigns:submission", pk=submission.pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    submission = _submission(request, "campaigns.change_submission", pk)
    _act(
        request,
        lambda: filing.withdraw(submission, by=request.user, request=request),
        success=_("已撤回，本校名额已释放。"),
    )
    return redirect("campaigns:campaign", pk=submission.campaign_id)


@login_required
@require_GET
def download_file(request, pk: int, kind: str):
    """The filer's own submitted Word or PDF file, as stored (decrypted, checked against its SHA-256)."""
    submission = _submission(request, "campaigns.download_submission_files", pk)
    if kind not in filing.FILE_KINDS:
        raise Http404
    try:
        data, filename = filing.read_own_file(submission, kind, by=request.user, request=request)
    except FilingError as exc:
        messages.error(request, exc.message)
        return redirect("campaigns:submission", pk=submission.pk)
    extension = filing.FILE_KINDS[kind]
    content_type = DOCX_TYPE if kind == "docx" else "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback=f"submission-{submission.pk}.{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("", campaign_list, name="list"),
    path("<int:pk>/", campaign_page, name="campaign"),
    path("<int:pk>/start/", start, name="start"),
    path("submissions/<int:pk>/", submission_page, name="submission"),
    path("submissions/<int:pk>/info/", save_info, name="save_info"),
    path("submissions/<int:pk>/files/", upload_files, name="upload_files"),
    path("submissions/<int:pk>/keep-flag/", keep_flag, name="keep_flag"),
    path("submissions/<int:pk>/declare/", declare, name="declare"),
    path("submissions/<int:pk>/submit/", submit, name="submit"),
    path("submissions/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("submissions/<int:pk>/files/<str:kind>/", download_file, name="download_file"),
]
