"""A button the case page shows never leads to a refusal: every move offered to a reader is one
they may make, and a move that needs the team leader (closing, re-opening) is offered as a
request ("申请结案") the team leader approves or declines."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from xinan.audit.models import AuditEntry
from xinan.cases.enums import CaseRole, CaseState, MoveDecision
from xinan.cases.models import Case, CaseMember, MoveRequest
from xinan.cases.services.approvals import decide_move_request, request_move
from xinan.cases.services.errors import CaseError
from xinan.cases.services.workflow import transition_case
from xinan.notifications.models import Notification

DENIED = "xinan.access.denied"
ROLES_ON_CASE = ["counsellor_a", "team_leader_a", "coordinator_a", "assisting_counsellor", "member"]


class _Forms(HTMLParser):
    """The case page's move forms: action, the fields a person would send, and which ones."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        test = attrs.get("data-test", "")
        if tag == "form" and (test.startswith(("move-", "request-")) or test.endswith("-move-request")):
            self._current = {"name": test, "action": attrs["action"], "data": {}}
        elif self._current is not None and tag == "input" and attrs.get("name"):
            self._current["data"][attrs["name"]] = attrs.get("value", "")
        elif self._current is not None and tag == "select":
            self._current["data"][attrs["name"]] = "resolved"  # the first real outcome

    def handle_endtag(self, tag):
        if tag == "form" and self._current is not None:
            self.forms.append(self._current)
            self._current = None


def _move_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _reader(world, case, role):
    if role == "assisting_counsellor":
        CaseMember.objects.create(case=case, user=world.counsellor_a2, role=CaseRole.COUNSELLOR)
        return world.counsellor_a2
    if role == "member":
        CaseMember.objects.create(case=case, user=world.health_teacher_a, role=CaseRole.MEMBER)
        return world.health_teacher_a
    return getattr(world, role)


def _put_in(case, state, *, pending=None, waiting=False):
    """The case in ``state``; ``pending`` the only request kept, waiting for a decision or not."""
    Case.objects.filter(pk=case.pk).update(state=state)
    MoveRequest.objects.filter(case=case).exclude(pk=getattr(pending, "pk", None)).delete()
    if pending is not None:
        decided = {} if waiting else {"decision": "declined", "decided_at": pending.requested_at}
        MoveRequest.objects.filter(pk=pending.pk).update(
            decision=decided.get("decision", ""), decided_at=decided.get("decided_at"), decided_by=None
        )


def _pending(case, state, by):
    to = CaseState.ASSESSING if state == CaseState.CLOSED else CaseState.CLOSED
    return MoveRequest.objects.create(case=case, from_state=state, to_state=to, outcome="resolved", requested_by=by)


@pytest.mark.parametrize("state", list(CaseState))
@pytest.mark.parametrize("role", ROLES_ON_CASE)
def test_every_move_button_on_the_case_page_is_accepted(client, world, case, role, state):
    # Arrange
    reader = _reader(world, case, role)
    client.force_login(reader)
    _put_in(case, state)
    forms = _move_forms(client.get(reverse("cases:detail", args=[case.pk])).content.decode())
    pending = _pending(case, state, world.counsellor_a)
    forms += _move_forms(client.get(reverse("cases:detail", args=[case.pk])).content.decode())

    # Act / Assert
    for form in forms:
        _put_in(case, state, pending=pending, waiting=form["name"].endswith("-move-request"))
        denials = AuditEntry.objects.filter(action=DENIED).count()
        data = form["data"] | {"reason": "按计划处理", "note": form["data"].get("note") or "请补充材料"}
        response = client.post(form["action"], data)
        assert response.status_code == 302, (form["name"], response.status_code)
        assert AuditEntry.objects.filter(action=DENIED).count() == denials, form["name"]


def test_counsellor_is_offered_a_closure_request_not_a_refused_close(client, world, case):
    # Arrange
    Case.objects.filter(pk=case.pk).update(state=CaseState.CARE_TRACKING)
    client.force_login(world.counsellor_a)

    # Act
    names = {form["name"] for form in _move_forms(client.get(reverse("cases:detail", args=[case.pk])).content.decode())}

    # Assert
    assert "request-closed" in names
    assert "move-closed" not in names
    assert "move-intervention" in names


def test_closure_request_is_stored_audited_shown_and_approved_by_the_leader(
    client, world, case, django_capture_on_commit_callbacks
):
    # Arrange
    Case.objects.filter(pk=case.pk).update(state=CaseState.CARE_TRACKING)
    client.force_login(world.counsellor_a)

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cases:move_request", args=[case.pk]),
            {"to": "closed", "expected_state": "care_tracking", "outcome": "resolved", "reason": "连续四周情况稳定"},
        )
    client.force_login(world.team_leader_a)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    board = client.get(reverse("cases:dashboard")).content.decode()
    pending = MoveRequest.objects.get(case=case)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases:move_request_decide", args=[case.pk, pending.pk]), {"decision": "approved"})

    # Assert
    case.refresh_from_db()
    pending.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.outcome == "resolved"
    move = case.transitions.latest("pk")
    assert move.by == world.team_leader_a
    assert move.reason == "连续四周情况稳定"
    assert pending.decision == MoveDecision.APPROVED
    assert pending.decided_by == world.team_leader_a
    assert 'data-test="pending-move-request"' in page
    assert 'data-test="approve-move-request"' in page
    assert case.reference in board.split('data-test="dash-move-requests"')[1]
    assert Notification.objects.filter(user=world.team_leader_a, url__endswith=f"/{case.pk}/").exists()
    assert Notification.objects.filter(user=world.counsellor_a, title__contains="已批准").exists()
    actions = list(AuditEntry.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert "xinan.case.move_request" in actions
    assert "xinan.case.move_request.decide" in actions


def test_declining_needs_a_note_and_leaves_the_case_as_it_was(world, case):
    # Arrange
    Case.objects.filter(pk=case.pk).update(state=CaseState.CARE_TRACKING)
    case.refresh_from_db()
    pending = request_move(case, CaseState.CLOSED, by=world.counsellor_a, outcome="resolved")

    # Act / Assert
    with pytest.raises(CaseError, match="意见"):
        decide_move_request(pending, by=world.team_leader_a, approve=False)
    decided = decide_move_request(pending, by=world.team_leader_a, approve=False, note="先完成最后一次回访")
    case.refresh_from_db()
    assert decided.decision == MoveDecision.DECLINED
    assert case.state == CaseState.CARE_TRACKING
    with pytest.raises(CaseError, match="已经处理"):
        decide_move_request(pending, by=world.team_leader_a, approve=True)


def test_a_request_that_could_not_be_made_is_refused_with_the_reason(world, case):
    # Arrange
    Case.objects.filter(pk=case.pk).update(state=CaseState.CARE_TRACKING)
    case.refresh_from_db()

    # Act / Assert
    with pytest.raises(CaseError, match="结案结果"):
        request_move(case, CaseState.CLOSED, by=world.counsellor_a)
    request_move(case, CaseState.CLOSED, by=world.counsellor_a, outcome="resolved")
    with pytest.raises(CaseError, match="等待组长审批"):
        request_move(case, CaseState.CLOSED, by=world.counsellor_a, outcome="resolved")
    with pytest.raises(CaseError, match="不需要申请"):
        request_move(case, CaseState.INTERVENTION, by=world.counsellor_a, reason="再次出现风险")


def test_a_waiting_request_is_settled_by_any_move_of_the_case(world, case):
    # Arrange
    Case.objects.filter(pk=case.pk).update(state=CaseState.CARE_TRACKING)
    case.refresh_from_db()
    case.assessments.create(
        by=world.counsellor_a, ratings={}, screen={}, suggested_level="red", level="red", in_crisis=True
    )
    asked_to_close = request_move(case, CaseState.CLOSED, by=world.counsellor_a, outcome="resolved")

    # Act
    transition_case(case, CaseState.INTERVENTION, by=world.team_leader_a, reason="再次出现风险")

    # Assert
    asked_to_close.refresh_from_db()
    assert asked_to_close.decision == MoveDecision.DECLINED
    assert asked_to_close.decided_by == world.team_leader_a
    assert asked_to_close.decision_note == "个案状态已变更，申请不再适用。"


def test_closing_directly_grants_the_waiting_closure_request(world, case):
    # Arrange
    Case.objects.filter(pk=case.pk).update(state=CaseState.CARE_TRACKING)
    case.refresh_from_db()
    asked_to_close = request_move(case, CaseState.CLOSED, by=world.counsellor_a, outcome="resolved")

    # Act
    transition_case(case, CaseState.CLOSED, by=world.team_leader_a, outcome="resolved")

    # Assert
    asked_to_close.refresh_from_db()
    assert asked_to_close.decision == MoveDecision.APPROVED
    assert asked_to_close.decided_by == world.team_leader_a
