"""Risk assessment: the seed's six dimensions plus the C-SSRS screener give a suggested
level; the counsellor decides, and must say why when they differ from the suggestion.

C-SSRS screener (Columbia–Suicide Severity Rating Scale, screen version, recent), triage as
its authors publish it: yes to 4, 5, or 6 within three months → high risk; yes to 3, or
6 longer ago → moderate; yes to 1 or 2 only → low. See docs/risk-assessment.md.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinan.audit.services.record import record
from xinan.cases.enums import LEVEL_ORDER, CaseState, Dimension, RiskLevel
from xinan.cases.models import Assessment, Case
from xinan.cases.services.errors import CaseError

SCREEN_QUESTIONS = [
    ("q1", gettext_lazy("过去一个月内，你是否希望自己已经死了，或者希望自己睡着后再也不要醒来？")),
    ("q2", gettext_lazy("过去一个月内，你是否真的有过想要自杀的念头？")),
    ("q3", gettext_lazy("（如第2题为“是”）你是否想过可能会怎样去做？")),
    ("q4", gettext_lazy("（如第2题为“是”）你是否有过这些念头，并且有一些想要付诸行动的打算？")),
    ("q5", gettext_lazy("（如第2题为“是”）你是否已经开始或已经想好了如何自杀的具体细节？你是否打算实施这个计划？")),
    ("q6", gettext_lazy("你是否曾经做过、开始做过或准备做过任何结束自己生命的事情？")),
    ("q6_recent", gettext_lazy("（如第6题为“是”）这是在过去三个月内吗？")),
]


def screen_level(screen: dict) -> RiskLevel | None:
    yes = {key for key, value in screen.items() if value is True}
    if yes & {"q4", "q5"} or {"q6", "q6_recent"} <= yes:
        return RiskLevel.RED
    if "q3" in yes or "q6" in yes:
        return RiskLevel.ORANGE
    if yes & {"q1", "q2"}:
        return RiskLevel.YELLOW
    return None


def dimension_level(ratings: dict) -> RiskLevel:
    scores = {Dimension(key): int(value) for key, value in ratings.items()}
    total = sum(scores.values())
    danger = scores.get(Dimension.DANGER, 0)
    if danger >= 3:
        return RiskLevel.RED
    if danger == 2 or total >= 10 or any(score >= 3 for score in scores.values()):
        return RiskLevel.ORANGE
    if danger == 1 or total >= 6:
        return RiskLevel.YELLOW
    return RiskLevel.BLUE


def suggest_level(ratings: dict, screen: dict) -> RiskLevel:
    candidates = [dimension_level(ratings)]
    from_screen = screen_level(screen)
    if from_screen is not None:
        candidates.append(from_screen)
    return max(candidates, key=LEVEL_ORDER.index)


def record_assessment(
    case: Case,
    *,
    by,
    ratings: dict,
    screen: dict,
    level: str,
    in_crisis: bool,
    override_reason: str = "",
    notes: str = "",
    request=None,
) -> Assessment:
    missing = [d.label for d in Dimension if d.value not in ratings]
    if missing:
        raise CaseError(_("请为每个维度评分：%(missing)s。") % {"missing": "、".join(missing)})
    if any(int(value) not in (0, 1, 2, 3) for value in ratings.values()):
        raise CaseError(_("每个维度的评分应为0至3。"))
    suggested = suggest_level(ratings, screen)
    decided = RiskLevel(level)
    if decided != suggested and not override_reason.strip():
        raise CaseError(
            _("评估规则建议为%(suggested)s；如调整为%(decided)s，请写明理由。")
            % {"suggested": suggested.label, "decided": decided.label}
        )
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.state == CaseState.CLOSED:
            raise CaseError(_("个案已结案，如需重新评估请先重新开案。"))
        now = timezone.now()
        assessment = Assessment.objects.create(
            case=locked,
            by=by,
            at=now,
            ratings={k: int(v) for k, v in ratings.items()},
            screen=screen,
            suggested_level=suggested,
            level=decided,
            override_reason=override_reason,
            in_crisis=in_crisis,
            notes=notes,
        )
        before = {"risk_level": locked.risk_level, "in_crisis": locked.in_crisis}
        fields = ["in_crisis", "updated_at"]
        if locked.risk_level != decided:
            locked.risk_level, locked.level_changed_at = decided, now
            fields += ["risk_level", "level_changed_at"]
        locked.in_crisis = in_crisis
        locked.save(update_fields=fields)
        record(
            "xinan.case.assess",
            actor=by,
            organisation=locked.school,
            obj=locked,
            request=request,
            before=before,
            after={"risk_level": decided, "in_crisis": in_crisis, "suggested": suggested},
            reason="override" if decided != suggested else "",
        )
        from xinan.cases.enums import TaskKind
        from xinan.cases.services import duties

        duties.complete_open(locked, TaskKind.ASSESSMENT, by=by, now=now)
        duties.complete_open(locked, TaskKind.REASSESSMENT, by=by, now=now)
        duties.schedule(locked, by=by, now=now)
    case.refresh_from_db()
    return assessment
