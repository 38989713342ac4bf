"""The legal hold page: the team leader sets and clears it; everyone else gets an audited 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from xinan.audit.models import AuditEntry
from xinan.cases.enums import CaseState
from xinan.cases.models import Case

DENIED = "xinan.access.denied"
REFUSED = ["counsellor_a", "class_teacher_a", "counsellor_a2_school", "team_leader_b", "provincial_admin_a"]


@pytest.fixture
def closed_case(case):
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_at=timezone.now())
    case.refresh_from_db()
    return case


def _url(case):
    return reverse("retention:legal_hold", args=[case.pk])


def test_team_leader_sets_and_clears_the_hold(client, world, closed_case):
    client.force_login(world.team_leader_a)
    assert client.get(_url(closed_case)).status_code == 200
    response = client.post(_url(closed_case), {"reason": "法院调取材料"})
    assert response.status_code == 302
    closed_case.refresh_from_db()
    assert closed_case.legal_hold
    assert closed_case.legal_hold_reason == "法院调取材料"
    assert AuditEntry.objects.filter(action="xinan.retention.hold_set", actor=world.team_leader_a).count() == 1
    response = client.post(_url(closed_case), {"reason": "案件审结"})
    assert response.status_code == 302
    closed_case.refresh_from_db()
    assert not closed_case.legal_hold
    assert closed_case.legal_hold_reason == ""
    assert AuditEntry.objects.filter(action="xinan.retention.hold_cleared", actor=world.team_leader_a).count() == 1


def test_a_reason_is_required(client, world, closed_case):
    client.force_login(world.team_leader_a)
    response = client.post(_url(closed_case), {"reason": "  "})
    assert response.status_code == 400
    closed_case.refresh_from_db()
    assert not closed_case.legal_hold


def test_an_open_case_cannot_be_held(client, world, case):
    client.force_login(world.team_leader_a)
    response = client.post(_url(case), {"reason": "法院调取材料"})
    assert response.status_code == 400
    assert "只能对已结案的个案设置法定保全" in response.content.decode()
    case.refresh_from_db()
    assert not case.legal_hold


@pytest.mark.parametrize("who", REFUSED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_others_get_an_audited_404(client, world, closed_case, who, method):
    client.force_login(getattr(world, who))
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = getattr(client, method)(_url(closed_case), {"reason": "法院调取材料"} if method == "post" else None)
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action=DENIED).count() - before == 1
    closed_case.refresh_from_db()
    assert not closed_case.legal_hold


def test_case_page_shows_the_hold_section_to_the_team_leader_only(client, world, closed_case):
    client.force_login(world.team_leader_a)
    page = client.get(reverse("cases:detail", args=[closed_case.pk])).content.decode()
    assert 'data-test="case-legal-hold"' in page
    assert _url(closed_case) in page
    client.force_login(world.counsellor_a)
    page = client.get(reverse("cases:detail", args=[closed_case.pk])).content.decode()
    assert 'data-test="case-legal-hold"' not in page


def test_audit_labels_are_registered():
    from xinan.audit.labels import label_for

    assert label_for("xinan.retention.destroy") == "到期个案已销毁"
    assert label_for("xinan.retention.hold_set")
    assert label_for("xinan.retention.hold_cleared")
