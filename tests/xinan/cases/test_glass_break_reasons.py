"""Break the glass (issues 13.9 and 13.12): the reason is kept encrypted and shown to the team
leader and the auditor only; the offer answers the same 404 for a case out of reach and a case
that does not exist."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import person
from xinan.audit.models import AuditEntry
from xinan.cases.models import Case, GlassBreak
from xinan.cases.services import records
from xinan.organisations.enums import Role

REASON = "值班时学生再次来访，需了解既往评估"
DENIED = "xinan.access.denied"


@pytest.fixture
def grant(world, case):
    return records.break_glass(case, by=world.counsellor_a2, reason=REASON)


def test_the_reason_is_stored_encrypted(grant):
    # Arrange / Act
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM cases_glassbreak WHERE id = %s", [grant.pk])
        stored = cursor.fetchone()[0]

    # Assert
    assert stored.startswith("enc1:")
    assert REASON not in stored
    assert GlassBreak.objects.get(pk=grant.pk).reason == REASON


@pytest.mark.parametrize(
    ("who", "status", "sees"),
    [
        ("team_leader_a", 200, True),
        ("auditor_a", 200, True),
        ("auditor_b", 200, False),  # an auditor of another province: the page, without A's grants
        ("team_leader_b", 200, False),
        ("counsellor_a2", 404, False),  # the person who broke the glass
        ("coordinator_a", 404, False),
        ("security_admin_a", 404, False),
    ],
)
def test_the_reason_is_shown_to_the_team_leader_and_the_auditor(client, world, grant, who, status, sees):
    # Arrange
    people = {
        "auditor_a": lambda: person(Role.AUDITOR, world.province_a),
        "auditor_b": lambda: person(Role.AUDITOR, world.province_b),
        "security_admin_a": lambda: person(Role.SECURITY_ADMIN, world.province_a),
    }
    viewer = people[who]() if who in people else getattr(world, who)
    client.force_login(viewer)
    denials = AuditEntry.objects.filter(action=DENIED).count()

    # Act
    response = client.get(reverse("cases:glass_breaks"))

    # Assert
    assert response.status_code == status
    page = response.content.decode()
    assert (REASON in page) is sees
    assert (grant.case.reference in page) is sees
    if status == 200:
        assert AuditEntry.objects.filter(action="xinan.case.glass_break.list", actor=viewer).exists()
    else:
        assert AuditEntry.objects.filter(action=DENIED).count() == denials + 1


def _offer_body(response, pk: int) -> str:
    """The page without what differs by request anyway: the CSRF token and the case id in the URL."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return html.replace(f"/cases/{pk}/", "/cases/ID/")


@pytest.mark.parametrize("who", ["counsellor_a2", "health_teacher_a", "counsellor_b", "team_leader_b"])
def test_the_offer_answers_the_same_for_a_case_out_of_reach_and_a_missing_case(client, world, case, who):
    # Arrange
    client.force_login(getattr(world, who))
    missing = Case.objects.order_by("-pk").first().pk + 1000
    denials = AuditEntry.objects.filter(action=DENIED).count()

    # Act
    existing_page = client.get(reverse("cases:detail", args=[case.pk]))
    missing_page = client.get(reverse("cases:detail", args=[missing]))

    # Assert: 404 both, the same page, both refusals logged; no case content shown.
    assert existing_page.status_code == missing_page.status_code == 404
    assert _offer_body(existing_page, case.pk) == _offer_body(missing_page, missing)
    assert 'data-test="glass-break"' in existing_page.content.decode()
    assert case.reference not in existing_page.content.decode()
    assert AuditEntry.objects.filter(action=DENIED).count() == denials + 2


def test_breaking_the_glass_on_a_missing_case_or_another_schools_is_the_audited_404(client, world, case):
    # Arrange
    client.force_login(world.counsellor_b)
    denials = AuditEntry.objects.filter(action=DENIED).count()

    # Act
    other_school = client.post(reverse("cases:break_glass", args=[case.pk]), {"reason": REASON})
    missing = client.post(reverse("cases:break_glass", args=[case.pk + 1000]), {"reason": REASON})

    # Assert
    assert other_school.status_code == missing.status_code == 404
    assert AuditEntry.objects.filter(action=DENIED).count() == denials + 2
    assert not GlassBreak.objects.exists()
