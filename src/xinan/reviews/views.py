"""Expert review pages: the reviewer's assignments and review form; the officer's round page
(assignment, progress, ranking, staged decisions and their publication)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.campaigns.services.queries import campaigns_for_user
from xinan.organisations.enums import Role
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import held_roles
from xinan.reviews.enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState, RoundLevel
from xinan.reviews.forms import AssignForm, ConflictForm, OpenRoundForm, ReviewForm, StageForm
from xinan.reviews.models import Assignment, ReviewRound
from xinan.reviews.services import assignment as assigning
from xinan.reviews.services import decisions, reviewing
from xinan.reviews.services.errors import ReviewError
from xinan.reviews.services.queries import (
    assignments_for_user,
    ranked_submissions_for_round,
    reviewers_for_round,
    rounds_for_user,
    submissions_for_round,
)
from xinan.reviews.services.ranking import ranking
from xinan.web.access import get_for_user_or_404, refuse, require_perm


# --- Reviewer ------------------------------------------------------------------------------
@login_required
@require_GET
def mine(request):
    require_perm(request, "reviews.list_assignments")
    assignments = (
        assignments_for_user(request.user)
        .exclude(state=AssignmentState.DECLINED)
        .select_related("round__campaign", "submission")
        .order_by("state", "-assigned_at", "-pk")
    )
    return render(request, "reviews/mine.html", {"assignments": assignments})


def _assignment(request, pk: int) -> Assignment:
    return get_for_user_or_404(
        request,
        "reviews.review_assignment",
        assignments_for_user(request.user).select_related("round__campaign", "submission__school"),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    assignment = _assignment(request, pk)
    rubric = assignment.round.campaign.rubric
    form = ReviewForm(request.POST or None, rubric=rubric)
    if request.method == "POST" and form.is_valid():
        try:
            reviewing.submit_review(
                assignment, scores=form.scores(), comment=form.cleaned_data["comment"], by=request.user, request=request
            )
        except ReviewError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("评审意见已提交。"))
            return redirect("reviews:review", pk=assignment.pk)
    submission = assignment.submission
    own = getattr(assignment, "review", None) if assignment.state == AssignmentState.SUBMITTED else None
    context = {
        "assignment": assignment,
        "review_round": assignment.round,
        "submission": submission,
        "blind": assignment.round.blind_to_authors,
        "report_text": reviewing.report_text(submission),
        "similar": reviewing.similar_passages(submission),
        "form": form,
        "own": own,
        "others": reviewing.others_reviews(assignment),
        "conflict_form": ConflictForm(),
    }
    return render(request, "reviews/review.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def declare_conflict(request, pk: int):
    assignment = _assignment(request, pk)
    form = ConflictForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    assigning.declare_conflict(request.user, assignment.submission.school, reason=reason, request=request)
    messages.success(request, _("已声明回避，该案例已从您的评审任务中移除。"))
    return redirect("reviews:mine")


# --- Officer ------------------------------------------------------------------------------
def _managed_province(request) -> Organisation:
    require_perm(request, "reviews.open_provincial_round")
    ids = [held.organisation_id for held in held_roles(request.user) if held.role == Role.PROVINCIAL_ADMIN]
    return Organisation.objects.get(pk=ids[0])


@login_required
@require_http_methods(["GET", "POST"])
def open_round(request, pk: int, level: str):
    if level == RoundLevel.NATION:
        require_perm(request, "reviews.open_national_round")
        province = None
    else:
        province = _managed_province(request)
    campaign = get_for_user_or_404(request, "campaigns.view_campaign", campaigns_for_user(request.user), pk=pk)
    existing = rounds_for_user(request.user).filter(campaign=campaign, level=level, province=province).first()
    if existing is not None:
        return redirect("reviews:round", pk=existing.pk)
    form = OpenRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_round = assigning.open_round(
                campaign,
                level=level,
                province=province,
                by=request.user,
                blind_to_authors=form.cleaned_data["blind_to_authors"],
                reviews_per_submission=form.cleaned_data["reviews_per_submission"],
                request=request,
            )
        except ReviewError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("专家评审已开启。"))
            return redirect("reviews:round", pk=review_round.pk)
    return render(
        request,
        "reviews/open_round.html",
        {"campaign": campaign, "province": province, "level": RoundLevel(level), "form": form},
        status=400 if form.errors else 200,
    )


def _round(request, pk: int) -> ReviewRound:
    return get_for_user_or_404(
        request, "reviews.manage_round", rounds_for_user(request.user).select_related("campaign", "province"), pk=pk
    )


def _round_page(request, review_round: ReviewRound, *, status: int = 200, error: str = "", assign_form=None):
    reviewers = reviewers_for_round(review_round).annotate(
        load=Count(
            "review_assignments",
            filter=Q(
                review_assignments__round=review_round,
                review_assignments__state__in=list(ACTIVE_ASSIGNMENT_STATES),
            ),
        ),
        done=Count(
            "review_assignments",
            filter=Q(review_assignments__round=review_round, review_assignments__state=AssignmentState.SUBMITTED),
        ),
    )
    reviewers = list(reviewers)
    rows = ranking(review_round)
    provincial = review_round.level == RoundLevel.PROVINCE
    context = {
        "review_round": review_round,
        "campaign": review_round.campaign,
        "rows": rows,
        "reviewers": reviewers,
        "assigned_total": sum(r.load for r in reviewers),
        "done_total": sum(r.done for r in reviewers),
        "provincial": provincial,
        "quota": decisions.quota_status(review_round) if provincial else None,
        "assign_form": assign_form
        or AssignForm(
            submissions=submissions_for_round(review_round).order_by("pk"), reviewers=reviewers_for_round(review_round)
        ),
        "stage_form": StageForm(auto_id=False),
        "error": error,
    }
    return render(request, "reviews/round.html", context, status=status)


@login_required
@require_GET
def round_detail(request, pk: int):
    return _round_page(request, _round(request, pk))


@login_required
@require_POST
def auto_assign(request, pk: int):
    review_round = _round(request, pk)
    try:
        result = assigning.assign_automatically(review_round, by=request.user, request=request)
    except ReviewError as exc:
        return _round_page(request, review_round, status=400, error=exc.message)
    messages.success(request, _("已自动分配 %(n)s 个评审任务。") % {"n": len(result.created)})
    if result.short:
        messages.warning(
            request,
            _("有 %(n)s 个案例的可选评审专家不足（须回避本校及声明回避的学校），请增加专家或手动指派。")
            % {"n": len(result.short)},
        )
    return redirect("reviews:round", pk=review_round.pk)


@login_required
@require_POST
def assign(request, pk: int):
    review_round = _round(request, pk)
    form = AssignForm(
        request.POST, submissions=submissions_for_round(review_round), reviewers=reviewers_for_round(review_round)
    )
    if form.is_valid():
        try:
            assigning.assign_reviewer(
                review_round,
                form.cleaned_data["submission"],
                form.cleaned_data["reviewer"],
                by=request.user,
                request=request,
            )
        except ReviewError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已指派评审专家。"))
            return redirect("reviews:round", pk=review_round.pk)
    return _round_page(request, review_round, status=400, assign_form=form)


@login_required
@require_POST
def stage(request, pk: int, submission_pk: int):
    review_round = _round(request, pk)
    submission = ranked_submissions_for_round(review_round).filter(pk=submission_pk).select_related("school").first()
    if submission is None:
        refuse(request, permission="reviews.manage_round", obj=review_round, object_ref=f"submission={submission_pk}")
    form = StageForm(request.POST)
    if not form.is_valid():
        return _round_page(request, review_round, status=400, error=_("请选择审核决定。"))
    try:
        decisions.stage_decision(
            review_round,
            submission,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            request=request,
        )
    except ReviewError as exc:
        return _round_page(request, review_round, status=400, error=exc.message)
    messages.success(request, _("决定已暂存，发布后生效。"))
    return redirect("reviews:round", pk=review_round.pk)


@login_required
@require_POST
def publish(request, pk: int):
    review_round = _round(request, pk)
    try:
        result = decisions.publish_decisions(review_round, by=request.user, request=request)
    except ReviewError as exc:
        return _round_page(request, review_round, status=400, error=exc.message)
    messages.success(request, _("已发布 %(n)s 个审核决定。") % {"n": result.published})
    if result.warning:
        messages.warning(request, result.warning)
    return redirect("reviews:round", pk=review_round.pk)


@login_required
@require_POST
def close(request, pk: int):
    review_round = _round(request, pk)
    try:
        assigning.close_round(review_round, by=request.user, request=request)
    except ReviewError as exc:
        return _round_page(request, review_round, status=400, error=exc.message)
    messages.success(request, _("本轮评审已结束。"))
    return redirect("reviews:round", pk=review_round.pk)


urlpatterns = [
    path("", mine, name="mine"),
    path("assignments/<int:pk>/", review, name="review"),
    path("assignments/<int:pk>/conflict/", declare_conflict, name="conflict"),
    path("campaigns/<int:pk>/province/", open_round, {"level": RoundLevel.PROVINCE.value}, name="province"),
    path("campaigns/<int:pk>/nation/", open_round, {"level": RoundLevel.NATION.value}, name="nation"),
    path("rounds/<int:pk>/", round_detail, name="round"),
    path("rounds/<int:pk>/assign/auto/", auto_assign, name="auto_assign"),
    path("rounds/<int:pk>/assign/", assign, name="assign"),
    path("rounds/<int:pk>/submissions/<int:submission_pk>/stage/", stage, name="stage"),
    path("rounds/<int:pk>/publish/", publish, name="publish"),
    path("rounds/<int:pk>/close/", close, name="close"),
]
