"""The filer's side: the campaign page with its countdown, and one submission from draft to submitted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinan.audit.services.record import body_size, record_refused_upload
from xinan.campaigns.enums import DECLARATIONS, DECLARATIONS_VERSION, EDITABLE_STATES
from xinan.campaigns.forms import DeclarationsForm, FilesForm, InfoForm, KeepFlagForm
from xinan.campaigns.models import FilingRight, SchoolQuota, Submission
from xinan.campaigns.services import filing
from xinan.campaigns.services.deadlines import filing_deadline, format_deadline
from xinan.campaigns.services.errors import FilingError
from xinan.campaigns.services.queries import campaigns_for_user, submissions_for_user
from xinan.organisations.enums import Role
from xinan.organisations.services.queries import held_roles
from xinan.web.access import get_for_user_or_404


@login_required
@require_GET
def campaign_list(request):
    campaigns = campaigns_for_user(request.user).order_by("-opens_at")
    return render(
        request,
        "campaigns/list.html",
        {
            "campaigns": campaigns,
            "now": timezone.now(),
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
    return render(
        request,
        "campaigns/campaign.html",
        {
            "campaign": campaign,
            "right": right,
            "quota_used": quota.used if quota else 0,
            "quota_total": quota.quota if quota else campaign.school_quota,
            "deadline": deadline,
            "deadline_text": format_deadline(deadline),
            "open_now": campaign.is_open_at(timezone.now()) or (right and timezone.now() < deadline),
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
    return render(
        request,
        "campaigns/submission.html",
        {
            "submission": submission,
            "campaign": campaign,
            "editable": submission.state in EDITABLE_STATES and request.user.pk == submission.filer_id,
            "info_form": info_form
            or InfoForm(
                initial=initial,
                triggers=campaign.triggers,
                natures=campaign.natures,
                stored_phone=submission.contact_phone,
            ),
            "files_form": files_form or FilesForm(),
            "declarations": DECLARATIONS,
            "declarations_current": submission.declarations_version == DECLARATIONS_VERSION,
            "flags": flags,
            "problems": submission.checks.get("problems", []),
            "reasons": filing.unresolved(submission),
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
        request.POST, triggers=campaign.triggers, natures=campaign.natures, stored_phone=submission.contact_phone
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
]
