"""Every export view against every standard person: outsiders get an audited 404."""

import pytest
from django.urls import reverse

from xinan.audit.models import AuditEntry
from xinan.exports.models import ExportRequest
from xinan.exports.services.requests import request_dossier_export

DENIED = "xinan.access.denied"
PEOPLE = [
    "counsellor_a",
    "team_leader_a",
    "coordinator_a",
    "class_teacher_a",
    "counsellor_a2",
    "health_teacher_a",
    "staff_a",
    "counsellor_b",
    "team_leader_b",
    "provincial_admin_a",
    "national_admin",
]
OVERSEERS = {"team_leader_a", "coordinator_a"}


def _as(client, world, who, call):
    client.force_login(getattr(world, who))
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = call()
    return response, AuditEntry.objects.filter(action=DENIED).count() - before


@pytest.mark.parametrize("who", PEOPLE)
def test_request_form_role_matrix(client, world, case, who):
    url = reverse("exports:request_dossier", args=[case.pk])
    response, refusals = _as(client, world, who, lambda: client.post(url, {"purpose": "区教育局专项督导调阅"}))
    allowed = who in OVERSEERS
    assert response.status_code == (302 if allowed else 404)
    assert refusals == (0 if allowed else 1)
    assert ExportRequest.objects.count() == (1 if allowed else 0)


@pytest.mark.parametrize("who", PEOPLE)
def test_decide_role_matrix(client, world, case, who):
    export_request = request_dossier_export(case, by=world.coordinator_a, purpose="区教育局专项督导调阅")
    url = reverse("exports:decide", args=[export_request.pk])
    response, refusals = _as(client, world, who, lambda: client.post(url, {"action": "approve"}))
    export_request.refresh_from_db()
    if who == "team_leader_a":
        assert response.status_code == 302
        assert export_request.decision == "approved"
    elif who == "coordinator_a":
        assert response.status_code == 400  # the requester: refused with a message on the list
        assert export_request.decision == ""
    else:
        assert response.status_code == 404
        assert refusals == 1
        assert export_request.decision == ""


@pytest.mark.parametrize("who", PEOPLE)
def test_download_role_matrix(client, world, case, who):
    export_request = request_dossier_export(case, by=world.coordinator_a, purpose="区教育局专项督导调阅")
    url = reverse("exports:download", args=[export_request.pk])
    response, refusals = _as(client, world, who, lambda: client.post(url))
    if who == "coordinator_a":
        assert response.status_code == 409  # not approved yet
    else:
        assert response.status_code == 404
        assert refusals == 1
    assert not AuditEntry.objects.filter(action="xinan.export.download").exists()


@pytest.mark.parametrize("who", PEOPLE)
def test_lists_open_to_everyone_signed_in_show_only_their_own(client, world, case, who):
    request_dossier_export(case, by=world.coordinator_a, purpose="区教育局专项督导调阅")
    client.force_login(getattr(world, who))
    pending = client.get(reverse("exports:pending")).content.decode()
    mine = client.get(reverse("exports:mine")).content.decode()
    assert ("区教育局专项督导调阅" in pending) == (who == "team_leader_a")
    assert ("区教育局专项督导调阅" in mine) == (who == "coordinator_a")
