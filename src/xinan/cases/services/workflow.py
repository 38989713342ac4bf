"""The one function that moves a case: ``transition_case``.

An explicit table of allowed moves (a crisis case must never jump from "reported" to
"closed" unseen), guards that say in Chinese why a move is not possible yet, one
transaction with the case row locked (a raced move loses with a clear message), a
``Transition`` row, the audit entry, and notifications scheduled on commit.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.enums import LEVEL_DUTIES, CaseState, MoveDecision, Outcome, RiskLevel, TaskKind
from xinan.cases.models import Case, MoveRequest, Transition
from xinan.cases.services.errors import CaseError

S = CaseState
ALLOWED_MOVES: dict[CaseState, frozenset[CaseState]] = {
    S.REPORTED: frozenset({S.ASSESSING}),
    S.ASSESSING: frozenset({S.CARE_TRACKING, S.INTERVENTION}),
    S.CARE_TRACKING: frozenset({S.INTERVENTION, S.CLOSED}),
    S.INTERVENTION: frozenset({S.REFERRED, S.AFTERCARE}),
    S.REFERRED: frozenset({S.AFTERCARE, S.INTERVENTION}),
    S.AFTERCARE: frozenset({S.CLOSED, S.INTERVENTION}),
    S.CLOSED: frozenset({S.ASSESSING}),  # re-opening starts with a fresh assessment
}
# Moves that must say why.
REASON_REQUIRED = {
    (S.CARE_TRACKING, S.INTERVENTION),
    (S.AFTERCARE, S.INTERVENTION),
    (S.REFERRED, S.INTERVENTION),
    (S.CLOSED, S.ASSESSING),
}


def allowed_moves(case: Case) -> frozenset[CaseState]:
    return ALLOWED_MOVES[CaseState(case.state)]


def needs_overseer(src: CaseState | str, to: CaseState | str) -> bool:
    """Closing and re-opening are the team leader's or the coordinator's (``cases.close_case``);
    anyone else working the case asks for them (services/approvals.py)."""
    return CaseState(to) == S.CLOSED or CaseState(src) == S.CLOSED


def check_move(case: Case, to: CaseState | str, *, reason: str = "", outcome: str = "") -> None:
    """Raise the CaseError ``transition_case`` would raise for this move now, without making it."""
    _guard(case, CaseState(to), reason=reason, outcome=outcome)


def _latest_assessment(case: Case):
    return case.assessments.order_by("-at", "-pk").first()


def _guard(case: Case, to: CaseState, *, reason: str, outcome: str) -> None:
    src = CaseState(case.state)
    if to not in ALLOWED_MOVES[src]:
        raise CaseError(_("个案不能从“%(src)s”直接转为“%(to)s”。") % {"src": src.label, "to": to.label})
    if (src, to) in REASON_REQUIRED and not reason.strip():
        raise CaseError(_("请填写“%(to)s”的原因。") % {"to": to.label})
    assessment = _latest_assessment(case)
    if src == S.ASSESSING:
        if assessment is None:
            raise CaseError(_("请先完成危机评估。"))
        if to == S.CARE_TRACKING and assessment.in_crisis:
            raise CaseError(_("最近一次评估认定处于危机状态，应进入危机干预，而不是关怀跟踪。"))
        if to == S.INTERVENTION and not assessment.in_crisis:
            raise CaseError(_("最近一次评估认定不处于危机状态；如需干预，请先重新评估。"))
    if to == S.REFERRED and not case.referrals.exists():
        raise CaseError(_("请先填写转介信息（转介机构与理由）。"))
    if to == S.AFTERCARE:
        _guard_leaving_intervention(case)
    if to == S.CLOSED and outcome not in Outcome.values:
        raise CaseError(_("结案时请选择结案结果。"))


def _guard_leaving_intervention(case: Case) -> None:
    level = case.level or RiskLevel.BLUE
    duties = LEVEL_DUTIES[level]
    missing = []
    if duties.safety_plan_required and not case.safety_plans.filter(signed_at__isnull=False).exists():
        missing.append(_("学生已签署的安全计划书"))
    if duties.guardian_agreement_required and not case.guardian_agreements.filter(signed_at__isnull=False).exists():
        missing.append(_("监护人已签署的安全协议书"))
    if duties.referral_required and not case.referrals.exists():
        missing.append(_("转介记录"))
    if not case.aftercare_plans.exists():
        missing.append(_("善后跟踪方案"))
    if missing:
        raise CaseError(
            _("%(level)s个案进入善后跟踪前还需要：%(missing)s。")
            % {"level": level.label, "missing": "、".join(missing)}
        )


def lock_case(case: Case, expected_state: str | None) -> Case:
    """The case locked for a change (inside the caller's transaction), refused when someone else moved it
    since the page showed ``expected_state``."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_state is not None and locked.state != expected_state:
        raise CaseError(
            _("该个案的状态刚刚已被他人更新为“%(state)s”，请刷新页面后再操作。")
            % {"state": CaseState(locked.state).label}
        )
    return locked


def transition_case(
    case: Case,
    to: CaseState | str,
    *,
    by,
    reason: str = "",
    outcome: str = "",
    expected_state: str | None = None,
    request=None,
) -> Transition:
    to = CaseState(to)
    with transaction.atomic():
        locked = lock_case(case, expected_state)
        _guard(locked, to, reason=reason, outcome=outcome)
        src = locked.state
        now = timezone.now()
        locked.state = to
        fields = ["state", "updated_at"]
        if to == S.CLOSED:
            locked.closed_at, locked.outcome = now, outcome
            fields += ["closed_at", "outcome"]
        elif src == S.CLOSED:
            locked.closed_at, locked.outcome = None, ""
            fields += ["closed_at", "outcome"]
        locked.save(update_fields=fields)
        move = Transition.objects.create(case=locked, from_state=src, to_state=to, by=by, at=now, reason=reason)
        _settle_requests(locked, to, by=by, now=now)
        record(
            "xinan.case.transition",
            actor=by,
            organisation=locked.school,
            obj=locked,
            request=request,
            before={"state": src},
            after={"state": to, "outcome": outcome},
        )
        _after_move(locked, src, to, by=by)
    case.refresh_from_db()
    return move


def _settle_requests(case: Case, to: CaseState, *, by, now) -> None:
    """A request waiting for this case is settled by any move: granted by the move it asked for,
    moot after another (nobody is left approving a move from a state the case has left)."""
    waiting = MoveRequest.objects.filter(case=case, decided_at__isnull=True)
    waiting.filter(to_state=to).update(decision=MoveDecision.APPROVED, decided_by=by, decided_at=now)
    waiting.exclude(to_state=to).update(
        decision=MoveDecision.DECLINED, decided_by=by, decided_at=now, decision_note=_("个案状态已变更，申请不再适用。")
    )


def _recall_messages(reference: str, school_id: int, by_id: int | None) -> None:
    from xinan.notifications.tasks import task_recall_case_messages

    task_recall_case_messages.enqueue(reference, school_id, by_id)


def _after_move(case: Case, src: str, to: CaseState, *, by) -> None:
    from xinan.cases.services import duties, notices

    if to == S.CLOSED:
        case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True).update(cancelled_at=timezone.now())
        # Reminders about a closed case are taken back from 企业微信 chats (possible within 24 h).
        reference, school_id, by_id = case.reference, case.school_id, getattr(by, "pk", None)
        transaction.on_commit(lambda: _recall_messages(reference, school_id, by_id))
        return
    if to == S.INTERVENTION:
        transaction.on_commit(lambda: notices.tell_team_leader_of_intervention(case.pk, by_id=by.pk))
    if to == S.REFERRED:
        duties.ensure_task(
            case,
            TaskKind.REFERRAL_DIAGNOSIS,
            key=f"referral-{case.referrals.latest('pk').pk}",
            title=_("跟进转介机构的诊断结果"),
            assignee=case.assigned_counsellor or by,
            due=timezone.now() + duties.REFERRAL_DIAGNOSIS_WITHIN,
        )
    duties.schedule(case, by=by)
