"""A reviewer scores a submission on the campaign's weighted rubric and comments on it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.crypto.files import ChecksumMismatch, read_encrypted
from xinan.reviews.enums import SCORE_MAX, SCORE_MIN, AssignmentState
from xinan.reviews.models import Assignment, Review
from xinan.reviews.services.errors import ReviewError
from xinan_reportformat import DocumentReadError, extract_text

MAX_COMMENT = 5000


def weighted_total(rubric: list[dict], scores: dict[str, int]) -> Decimal:
    """Σ score × weight / Σ weight, on 0..100, two decimals. Criteria with no weight count for nothing."""
    weights = {item["name"]: Decimal(str(item.get("weight") or 0)) for item in rubric}
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise ReviewError(_("本次征集的评审指标没有设置权重，请联系平台管理员。"))
    value = sum(Decimal(scores[name]) * weight for name, weight in weights.items()) / total_weight
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def clean_scores(rubric: list[dict], raw: dict) -> dict[str, int]:
    """One whole score 0..100 per criterion of the rubric; a clear Chinese message otherwise."""
    scores = {}
    for item in rubric:
        name = item["name"]
        value = raw.get(name)
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise ReviewError(
                _("请为“%(c)s”打分（%(lo)s–%(hi)s 的整数）。") % {"c": name, "lo": SCORE_MIN, "hi": SCORE_MAX}
            ) from None
        if not SCORE_MIN <= number <= SCORE_MAX:
            raise ReviewError(
                _("“%(c)s”的得分应在 %(lo)s–%(hi)s 之间。") % {"c": name, "lo": SCORE_MIN, "hi": SCORE_MAX}
            )
        scores[name] = number
    return scores


def submit_review(assignment: Assignment, *, scores: dict, comment: str, by, request=None) -> Review:
    """Record the reviewer's scores and comment once; the weighted total is computed here."""
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ReviewError(_("评审意见不能超过 %(n)s 字。") % {"n": MAX_COMMENT})
    with transaction.atomic():
        locked = (
            Assignment.objects.select_for_update()
            .select_related("round__campaign", "submission__school")
            .get(pk=assignment.pk)
        )
        if locked.reviewer_id != by.pk:
            raise ReviewError(_("只能提交指派给您本人的评审。"))
        if not locked.round.is_open:
            raise ReviewError(_("本轮评审已结束，不能再提交评审意见。"))
        if locked.state != AssignmentState.ASSIGNED:
            raise ReviewError(_("您已提交过这个案例的评审意见，不能重复提交。"))
        rubric = locked.round.campaign.rubric
        cleaned = clean_scores(rubric, scores)
        review = Review.objects.create(
            assignment=locked,
            scores=cleaned,
            total=weighted_total(rubric, cleaned),
            comment=comment,
            submitted_at=timezone.now(),
        )
        locked.state = AssignmentState.SUBMITTED
        locked.save(update_fields=["state"])
        record(
            "xinan.review.submit",
            actor=by,
            organisation=locked.submission.school,
            obj=locked,
            request=request,
            after={"total": str(review.total)},
        )
    assignment.refresh_from_db()
    return review


def report_text(submission) -> str:
    """The report's text, read from the stored Word file ("" when it cannot be read)."""
    if not submission.docx_name:
        return ""
    try:
        data = read_encrypted(submission.docx_name, sha256=submission.docx_sha256)
        return extract_text(data, filename="report.docx")
    except (OSError, ChecksumMismatch, DocumentReadError):  # a missing or damaged file shows a notice
        return ""


def others_reviews(assignment: Assignment) -> list[Review]:
    """The other reviewers' submitted reviews of the same submission in the round — only once the
    reviewer has submitted their own, so nobody is anchored by the others' scores."""
    if assignment.state != AssignmentState.SUBMITTED:
        return []
    return list(
        Review.objects.filter(
            assignment__round=assignment.round_id, assignment__submission=assignment.submission_id
        ).exclude(assignment=assignment)
    )


def similar_passages(submission, *, limit: int = 3) -> list[dict]:
    """Originality flags for the reviewer: scores and the matching passages side by side.

    The other report is not named (it may be another province's, or an earlier campaign's):
    the reviewer needs the overlap, not whose it is. A flag for people, never a verdict.
    """
    from django.db.models import Q

    from xinan.campaigns.models import OriginalityMatch

    found = []
    matches = OriginalityMatch.objects.filter(Q(earlier=submission) | Q(later=submission)).order_by("-containment")
    for match in matches[:limit]:
        mine, other = ("earlier", "later") if match.earlier_id == submission.pk else ("later", "earlier")
        passages = match.passages
        found.append(
            {
                "jaccard": round(match.jaccard * 100),
                "containment": round(match.containment * 100),
                "passages": [{"mine": p.get(mine, ""), "other": p.get(other, "")} for p in passages],
            }
        )
    return found
