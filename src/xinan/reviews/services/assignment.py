"""Opening a round and assigning its reviewers, by hand or automatically."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.notifications.services.outbox import notify, queue_sms
from xinan.reviews.enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState, RoundLevel
from xinan.reviews.models import Assignment, ConflictDeclaration, ReviewRound
from xinan.reviews.services.errors import ReviewError
from xinan.reviews.services.queries import (
    excluded_schools_by_reviewer,
    reviewers_for_round,
    submissions_for_round,
)


def open_round(
    campaign,
    *,
    level: str,
    province=None,
    by,
    blind_to_authors: bool = True,
    reviews_per_submission: int = 3,
    request=None,
) -> ReviewRound:
    if level == RoundLevel.NATION:
        province = None
    elif province is None:
        raise ReviewError(_("省级评审必须指定省份。"))
    if not 1 <= reviews_per_submission <= 9:
        raise ReviewError(_("每个案例的评审专家人数应在 1 到 9 之间。"))
    try:
        with transaction.atomic():
            review_round = ReviewRound.objects.create(
                campaign=campaign,
                level=level,
                province=province,
                blind_to_authors=blind_to_authors,
                reviews_per_submission=reviews_per_submission,
                opened_by=by,
            )
            record(
                "xinan.review.round.open",
                actor=by,
                organisation=province,
                obj=review_round,
                request=request,
                after={"level": level, "blind": blind_to_authors, "k": reviews_per_submission},
            )
    except IntegrityError:
        raise ReviewError(_("本次征集的该级评审已经开启。")) from None
    return review_round


def _ensure_open(review_round: ReviewRound) -> None:
    if not review_round.is_open:
        raise ReviewError(_("本轮评审已结束，不能再分配或评审。"))


@dataclass
class AssignmentResult:
    created: list[Assignment] = field(default_factory=list)
    # Submissions that could not get k reviewers (too few eligible experts), with how many are missing.
    short: dict[int, int] = field(default_factory=dict)


def assign_reviewer(review_round: ReviewRound, submission, reviewer, *, by, request=None) -> Assignment:
    """Assign one reviewer by hand; refused for a reviewer of the submission's school or with a conflict."""
    _ensure_open(review_round)
    if not submissions_for_round(review_round).filter(pk=submission.pk).exists():
        raise ReviewError(_("该案例不在本轮评审范围内。"))
    if not reviewers_for_round(review_round).filter(pk=reviewer.pk).exists():
        raise ReviewError(_("该人员不是本轮评审的评审专家。"))
    if submission.school_id in excluded_schools_by_reviewer([reviewer.pk]).get(reviewer.pk, set()):
        raise ReviewError(_("评审专家不能评审本校或已声明回避学校的案例。"))
    with transaction.atomic():
        if Assignment.objects.filter(round=review_round, submission=submission, reviewer=reviewer).exists():
            raise ReviewError(_("该专家已被指派评审这个案例。"))
        assignment = Assignment.objects.create(
            round=review_round, submission=submission, reviewer=reviewer, assigned_by=by
        )
        record(
            "xinan.review.assign",
            actor=by,
            organisation=submission.school,
            obj=assignment,
            request=request,
            after={"submission": submission.pk, "reviewer": reviewer.pk},
        )
        _tell_reviewers(review_round, [assignment])
    return assignment


def plan_assignments(
    submissions: list[tuple[int, int]],
    reviewers: list[int],
    *,
    k: int,
    load: dict[int, int],
    assigned: dict[int, set[int]],
    excluded: dict[int, set[int]],
    blocked: dict[int, set[int]] | None = None,
) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """Choose reviewers for submissions; pure, so it is tested on its own.

    ``submissions`` are ``(submission_id, school_id)``; ``load`` is each reviewer's current number
    of active assignments in the round; ``assigned`` the reviewers a submission already has;
    ``excluded`` the schools each reviewer must never review (their own, declared conflicts);
    ``blocked`` reviewers a submission must not get again (they declined it).

    The algorithm is greedy least-loaded:

    1. Submissions are taken most-constrained first (fewest eligible reviewers, then lowest id), so
       a case that only a few experts may review is served before those experts fill up.
    2. For each submission that has fewer than ``k`` reviewers, the eligible reviewers — not of its
       school, no conflict with it, not already on it — are sorted by (current load, reviewer id)
       and the first ones are taken until it has ``k``. Each pick adds one to that reviewer's load.

    Always giving the next case to the least-loaded eligible experts keeps the loads within one of
    each other whenever exclusions do not force otherwise; the reviewer id as tiebreak makes the
    result deterministic (the same input always gives the same plan). Returns the new
    ``(submission_id, reviewer_id)`` pairs and, per submission that could not reach ``k``, how many
    reviewers are missing.
    """
    load = {reviewer: load.get(reviewer, 0) for reviewer in reviewers}

    def eligible(submission_id: int, school_id: int) -> list[int]:
        have = assigned.get(submission_id, set()) | (blocked or {}).get(submission_id, set())
        return [r for r in reviewers if school_id not in excluded.get(r, set()) and r not in have]

    order = sorted(submissions, key=lambda item: (len(eligible(*item)), item[0]))
    pairs: list[tuple[int, int]] = []
    short: dict[int, int] = {}
    for submission_id, school_id in order:
        need = k - len(assigned.get(submission_id, set()))
        if need <= 0:
            continue
        candidates = sorted(eligible(submission_id, school_id), key=lambda r: (load[r], r))[:need]
        for reviewer in candidates:
            load[reviewer] += 1
            pairs.append((submission_id, reviewer))
        if len(candidates) < need:
            short[submission_id] = need - len(candidates)
    return pairs, short


def assign_automatically(review_round: ReviewRound, *, by, request=None) -> AssignmentResult:
    """Give every submission of the round k reviewers (see ``plan_assignments``), in one transaction."""
    _ensure_open(review_round)
    with transaction.atomic():
        # One automatic run at a time per round: the row lock serialises concurrent clicks.
        ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        reviewers = list(reviewers_for_round(review_round).values_list("pk", flat=True))
        submissions = list(submissions_for_round(review_round).order_by("pk").values_list("pk", "school_id"))
        active = Assignment.objects.filter(round=review_round, state__in=ACTIVE_ASSIGNMENT_STATES)
        load = Counter(active.values_list("reviewer_id", flat=True))
        assigned: dict[int, set[int]] = defaultdict(set)
        blocked: dict[int, set[int]] = defaultdict(set)
        for submission_id, reviewer_id, state in Assignment.objects.filter(round=review_round).values_list(
            "submission_id", "reviewer_id", "state"
        ):
            (assigned if state in ACTIVE_ASSIGNMENT_STATES else blocked)[submission_id].add(reviewer_id)
        pairs, short = plan_assignments(
            submissions,
            reviewers,
            k=review_round.reviews_per_submission,
            load=dict(load),
            assigned=assigned,
            excluded=excluded_schools_by_reviewer(reviewers),
            blocked=blocked,
        )
        created = Assignment.objects.bulk_create(
            [Assignment(round=review_round, submission_id=s, reviewer_id=r, assigned_by=by) for s, r in pairs]
        )
        record(
            "xinan.review.assign.auto",
            actor=by,
            organisation=review_round.province,
            obj=review_round,
            request=request,
            after={"created": len(created), "short": len(short)},
        )
        _tell_reviewers(review_round, created)
    return AssignmentResult(created=created, short=short)


def _tell_reviewers(review_round: ReviewRound, assignments: list[Assignment]) -> None:
    """One in-app notice and one SMS per reviewer, after the assignments are committed."""
    per_reviewer = Counter(assignment.reviewer_id for assignment in assignments)
    if not per_reviewer:
        return
    users = {user.pk: user for user in reviewers_for_round(review_round).filter(pk__in=per_reviewer)}
    title = review_round.campaign.title
    last = max(assignment.pk for assignment in assignments)

    def send() -> None:
        for reviewer_id, count in per_reviewer.items():
            user = users.get(reviewer_id)
            if user is None:
                continue
            notify(
                user,
                _("您有 %(n)s 个新的案例评审任务") % {"n": count},
                body=title,
                url=reverse("reviews:mine"),
                dedupe_key=f"review-assigned-{review_round.pk}-{reviewer_id}-{last}",
            )
            queue_sms(
                user.phone,
                "review_assigned",
                {"campaign": title, "count": count},
                user=user,
                dedupe_key=f"review-assigned-{review_round.pk}-{reviewer_id}-{last}",
            )

    transaction.on_commit(send)


def declare_conflict(reviewer, school, *, reason: str = "", request=None) -> ConflictDeclaration:
    """A reviewer declares a conflict with a school; their open assignments of its cases are declined."""
    with transaction.atomic():
        declaration, _created = ConflictDeclaration.objects.get_or_create(
            reviewer=reviewer, school=school, defaults={"reason": reason[:200]}
        )
        declined = Assignment.objects.filter(
            reviewer=reviewer, submission__school=school, state=AssignmentState.ASSIGNED
        ).update(state=AssignmentState.DECLINED)
        record(
            "xinan.review.conflict",
            actor=reviewer,
            organisation=school,
            obj=declaration,
            request=request,
            after={"declined": declined},
        )
    return declaration


def close_round(review_round: ReviewRound, *, by, request=None) -> ReviewRound:
    """End a round: no more assignments or reviews; the ranking stays readable."""
    with transaction.atomic():
        closed = ReviewRound.objects.filter(pk=review_round.pk, closed_at__isnull=True).update(closed_at=timezone.now())
        if not closed:
            raise ReviewError(_("本轮评审已经结束。"))
        record(
            "xinan.review.round.close", actor=by, organisation=review_round.province, obj=review_round, request=request
        )
    review_round.refresh_from_db()
    return review_round
