"""Moves that need the team leader or the coordinator, asked for by someone working the case.

A counsellor whose case is ready to close asks "申请结案"; the request is stored, audited and
shown to the overseers (case page, dashboard, a message); an overseer approves it — the move is
then made by ``transition_case`` in the overseer's name with the requester's reason — or declines
it with a note. The requester hears of the decision either way."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.cases.enums import CaseState, MoveDecision
from xinan.cases.models import Case, MoveRequest
from xinan.cases.services.errors import CaseError
from xinan.cases.services.workflow import allowed_moves, check_move, lock_case, needs_overseer, transition_case


def pending_request(case: Case) -> MoveRequest | None:
    return case.move_requests.filter(decided_at__isnull=True).select_related("requested_by").first()


def request_move(
    case: Case,
    to: CaseState | str,
    *,
    by,
    reason: str = "",
    outcome: str = "",
    expected_state: str | None = None,
    request=None,
) -> MoveRequest:
    to = CaseState(to)
    with transaction.atomic():
        locked = lock_case(case, expected_state)
        if to not in allowed_moves(locked) or not needs_overseer(locked.state, to):
            raise CaseError(_("这一步不需要申请，请直接操作。"))
        check_move(locked, to, reason=reason, outcome=outcome)
        try:
            with transaction.atomic():
                move_request = MoveRequest.objects.create(
                    case=locked,
                    from_state=locked.state,
                    to_state=to,
                    outcome=outcome if to == CaseState.CLOSED else "",
                    reason=reason.strip(),
                    requested_by=by,
                )
        except IntegrityError:
            raise CaseError(_("本个案已有一项申请正在等待组长审批。")) from None
        record(
            "xinan.case.move_request",
            actor=by,
            organisation=locked.school,
            obj=locked,
            request=request,
            before={"state": locked.state},
            after={"requested": to, "outcome": move_request.outcome, "move_request": move_request.pk},
        )
        from xinan.cases.services import notices

        title = _("个案 %(ref)s 申请“%(to)s”，请审批") % {"ref": locked.reference, "to": to.label}
        transaction.on_commit(lambda: notices.tell_overseers(locked, title, key=f"move-request-{move_request.pk}"))
    return move_request


def decide_move_request(move_request: MoveRequest, *, by, approve: bool, note: str = "", request=None) -> MoveRequest:
    """Approve (make the move now, in the overseer's name) or decline (a note is required)."""
    note = note.strip()
    if not approve and not note:
        raise CaseError(_("不批准时请写明意见，申请人会看到。"))
    with transaction.atomic():
        locked = MoveRequest.objects.select_for_update().select_related("case").get(pk=move_request.pk)
        if locked.decided_at is not None:
            raise CaseError(_("该申请已经处理过了。"))
        case = locked.case
        if approve:
            reason = locked.reason
            if note:
                reason = f"{reason}\n{_('审批意见')}：{note}" if reason else note
            transition_case(
                case,
                locked.to_state,
                by=by,
                reason=reason,
                outcome=locked.outcome,
                expected_state=locked.from_state,
                request=request,
            )
        locked.decision = MoveDecision.APPROVED if approve else MoveDecision.DECLINED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        record(
            "xinan.case.move_request.decide",
            actor=by,
            organisation=case.school,
            obj=case,
            request=request,
            after={"move_request": locked.pk, "decision": locked.decision, "to": locked.to_state},
        )
        from xinan.notifications.services.outbox import notify

        title = (
            _("个案 %(ref)s 的“%(to)s”申请已批准")
            if approve
            else _("个案 %(ref)s 的“%(to)s”申请未批准，请查看审批意见")
        ) % {"ref": case.reference, "to": CaseState(locked.to_state).label}
        requester = locked.requested_by
        url = reverse("cases:detail", args=[case.pk])
        transaction.on_commit(lambda: notify(requester, title, url=url, dedupe_key=f"move-request-decided-{locked.pk}"))
    return locked
