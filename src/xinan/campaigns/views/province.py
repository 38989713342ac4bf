"""The province's side of a campaign: schools and their quota, filers and their rights,
SMS invitations with delivery status, and decisions on submissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xinan.campaigns.enums import SLOT_STATES, SubmissionState
from xinan.campaigns.forms import DecisionForm
from xinan.campaigns.forms_province import AddFilerForm, ExtensionForm
from xinan.campaigns.models import FilingRight, SchoolFiling, SchoolQuota, Submission
from xinan.campaigns.services import filer_import, filing, provisioning
from xinan.campaigns.services.errors import FilingError
from xinan.campaigns.services.queries import campaigns_for_user, submissions_for_user
from xinan.notifications.models import Message
from xinan.notifications.services.outbox import resend
from xinan.organisations.enums import OrgKind, Role
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import held_roles
from xinan.spreadsheets import ImportFileError
from xinan.web.access import get_for_user_or_404, refuse

FILERS_PER_PAGE = 50
SUBMISSIONS_PER_PAGE = 50


def _province(request) -> Organisation:
    ids = [held.organisation_id for held in held_roles(request.user) if held.role == Role.PROVINCIAL_ADMIN]
    if not ids:
        refuse(request, permission="campaigns.provision")
    return Organisation.objects.get(pk=ids[0])


def _campaign(request, pk: int):
    return get_for_user_or_404(request, "campaigns.view_campaign", campaigns_for_user(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def province_home(request, pk: int):
    province = _province(request)
    campaign = _campaign(request, pk)
    schools = Organisation.objects.filter(
        campaign.admitted_schools(), parent=province, kind=OrgKind.SCHOOL, is_active=True
    ).order_by("name")
    form = AddFilerForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            provisioning.add_filer(
                campaign,
                province=province,
                school=form.cleaned_data["school"],
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                by=request.user,
                request=request,
                confirm=form.cleaned_data["confirm"],
            )
        except FilingError as exc:
            form.add_error(None, exc.message)
            form.conflict = isinstance(exc, provisioning.FilerConflict)
        else:
            messages.success(request, _("已添加填报人员。"))
            return redirect("campaigns:province", pk=campaign.pk)
    all_rights = (
        FilingRight.objects.filter(campaign.admitted_schools("school"), campaign=campaign, school__parent=province)
        .select_related("filer", "school")
        .order_by("school__name", "filer__name")
    )
    page = Paginator(all_rights, FILERS_PER_PAGE).get_page(request.GET.get("page"))
    rights = list(page.object_list)
    quotas = {q.school_id: q for q in SchoolQuota.objects.filter(campaign=campaign, school__in=schools)}
    closed = set(SchoolFiling.objects.filter(campaign=campaign, is_open=False).values_list("school_id", flat=True))
    counts = {
        row["school_id"]: row
        for row in Submission.objects.filter(campaign=campaign, school__in=schools)
        .values("school_id")
        .annotate(total=Count("pk"), submitted=Count("pk", filter=Q(state__in=list(SLOT_STATES))))
    }
    school_rows = [
        {
            "school": school,
            "used": quotas[school.pk].used if school.pk in quotas else 0,
            "quota": quotas[school.pk].quota if school.pk in quotas else campaign.school_quota,
            "open": school.pk not in closed,
            "counts": counts.get(school.pk, {}),
        }
        for school in schools
    ]
    invites = provisioning.latest_invites(rights)
    positions = provisioning.filer_positions(rights)
    for right in rights:
        right.invite = invites.get(right.filer_id)
        right.position = positions.get((right.filer_id, right.school_id), "")
    submissions = Paginator(
        submissions_for_user(request.user)
        .filter(campaign.admitted_schools("school"), campaign=campaign, school__parent=province)
        .exclude(state=SubmissionState.DRAFT)
        .select_related("school")
        .order_by("school__name", "-submitted_at", "pk"),
        SUBMISSIONS_PER_PAGE,
    ).get_page(request.GET.get("sp"))
    return render(
        request,
        "campaigns/province.html",
        {
            "campaign": campaign,
            "province": province,
            "form": form,
            "rights": rights,
            "page": page,
            "school_rows": school_rows,
            "submissions": submissions,  # a page of them: a province may have hundreds
            "extension_form": ExtensionForm(),
        },
        status=400 if form.errors else 200,
    )


def _right(request, pk: int) -> FilingRight:
    province = _province(request)
    return get_for_user_or_404(
        request,
        "campaigns.manage_filing_right",
        FilingRight.objects.filter(school__parent=province).select_related("campaign", "school__parent", "filer"),
        pk=pk,
    )


@login_required
@require_POST
def toggle_right(request, pk: int):
    right = _right(request, pk)
    provisioning.set_right_open(right, is_open=not right.is_open, by=request.user, request=request)
    return redirect("campaigns:province", pk=right.campaign_id)


@login_required
@require_POST
def toggle_school(request, pk: int, school_pk: int):
    province = _province(request)
    campaign = _campaign(request, pk)
    school = get_for_user_or_404(
        request,
        "organisations.view_organisation",
        Organisation.objects.filter(parent=province, kind=OrgKind.SCHOOL),
        pk=school_pk,
    )
    is_open = not SchoolFiling.objects.filter(campaign=campaign, school=school, is_open=False).exists()
    provisioning.set_school_open(campaign, school, is_open=not is_open, by=request.user, request=request)
    return redirect("campaigns:province", pk=campaign.pk)


@login_required
@require_POST
def extend(request, pk: int):
    right = _right(request, pk)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            provisioning.grant_extension(
                right,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except FilingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已为该填报人员延期。"))
    else:
        messages.error(request, _("请填写延期时间和原因（至少4个字）。"))
    return redirect("campaigns:province", pk=right.campaign_id)


@login_required
@require_POST
def invite(request, pk: int):
    province = _province(request)
    campaign = _campaign(request, pk)
    ids = [int(value) for value in request.POST.getlist("right") if value.isascii() and value.isdigit()][:10_000]
    ids = [pk for pk in ids if pk < 2**63]
    rights = FilingRight.objects.filter(
        campaign.admitted_schools("school"), campaign=campaign, school__parent=province, is_open=True
    ).select_related("filer", "campaign", "school")
    if ids:
        rights = rights.filter(pk__in=ids)
    try:
        invited = provisioning.invite(list(rights), by=request.user, request=request)
    except FilingError as exc:
        messages.error(request, exc.message)
        return redirect("campaigns:province", pk=campaign.pk)
    messages.success(request, _("已发送 %(n)s 条短信通知。") % {"n": invited.sent})
    if invited.past_deadline:
        messages.warning(
            request,
            _("另有 %(n)s 名填报人员的填报已截止，未发送通知；如需补报，请先为其延期。") % {"n": invited.past_deadline},
        )
    return redirect("campaigns:province", pk=campaign.pk)


@login_required
@require_POST
def resend_invite(request, pk: int, message_pk: int):
    province = _province(request)
    campaign = _campaign(request, pk)
    filers = FilingRight.objects.filter(campaign=campaign, school__parent=province).values("filer_id")
    message = Message.objects.filter(template="campaign_invite", recipient_id__in=filers, pk=message_pk).first()
    if message is None:
        refuse(request, permission="campaigns.resend", object_ref=f"message={message_pk}")
    resend(message, by=request.user, request=request)
    messages.success(request, _("已重新发送。"))
    return redirect("campaigns:province", pk=campaign.pk)


@login_required
@require_POST
def decide(request, pk: int, decision: str):
    submission = get_for_user_or_404(
        request, "campaigns.decide_submission", submissions_for_user(request.user).select_related("school"), pk=pk
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请写明原因（至少4个字）。"))
        return redirect("campaigns:submission", pk=submission.pk)
    action = {"return": filing.return_for_revision, "reject": filing.reject}.get(decision)
    if action is None:  # the URL names an unknown decision
        raise Http404
    try:
        action(submission, by=request.user, reason=form.cleaned_data["reason"], request=request)
    except FilingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已处理。"))
    return redirect("campaigns:submission", pk=submission.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request, pk: int):
    province = _province(request)
    campaign = _campaign(request, pk)
    if request.method == "GET" and request.GET.get("template"):
        response = HttpResponse(
            filer_import.filer_template(campaign, province),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="filers-template.xlsx"'
        return response
    result = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size == 0:
            error = _("请选择要导入的 Excel 文件（.xlsx）。")
        else:
            try:
                result = filer_import.import_filers(
                    campaign,
                    province,
                    b"".join(upload.chunks()),
                    by=request.user,
                    request=request,
                    confirm=request.POST.get("confirm") == "on",
                )
            except ImportFileError as exc:
                error = exc.message
        if result is not None and not result.errors:
            messages.success(
                request,
                _("已导入 %(n)s 名填报人员：新增 %(a)s 名，更新 %(u)s 名。")
                % {"n": result.saved, "a": result.added, "u": result.updated},
            )
            return redirect("campaigns:province", pk=campaign.pk)
    return render(
        request,
        "campaigns/import_filers.html",
        {"campaign": campaign, "result": result, "error": error},
        status=400 if (error or (result and result.errors)) else 200,
    )


urlpatterns = [
    path("<int:pk>/province/import/", import_view, name="import_filers"),
    path("<int:pk>/province/", province_home, name="province"),
    path("<int:pk>/province/schools/<int:school_pk>/toggle/", toggle_school, name="toggle_school"),
    path("<int:pk>/province/invite/", invite, name="invite"),
    path("<int:pk>/province/messages/<int:message_pk>/resend/", resend_invite, name="resend_invite"),
    path("rights/<int:pk>/toggle/", toggle_right, name="toggle_right"),
    path("rights/<int:pk>/extend/", extend, name="extend"),
    path("submissions/<int:pk>/decide/<str:decision>/", decide, name="decide"),
]
