"""Open audit alerts on the dashboards of the security administrator and the team leader,
and every alert sent through the outbox (in-app notice and SMS, delivered by the worker)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import person
from xinan.alerts.models import Alert
from xinan.alerts.services.raising import acknowledge_alert, raise_alerts
from xinan.audit.services.record import record
from xinan.notifications.models import Message, Notification
from xinan.notifications.services.outbox import deliver_due
from xinan.organisations.enums import Role

RULE_LABEL = "多次被拒绝访问"


@pytest.fixture
def security_admin(world):
    return person(Role.SECURITY_ADMIN, world.province_a)


@pytest.fixture
def alert(world, security_admin):
    for _ in range(11):
        record("xinan.access.denied", actor=world.staff_a, reason="cases.view_case GET /cases/1/")
    (raised,) = raise_alerts()
    return raised


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_open_alert_on_the_security_admins_home(client, world, security_admin, alert):
    html = _page(client, security_admin, reverse("web:home"))
    assert 'data-test="open-alerts"' in html
    assert 'data-test="open-alert"' in html
    assert RULE_LABEL in html
    assert world.staff_a.name in html
    assert reverse("alerts:list") in html


def test_open_alert_on_the_team_leaders_home_and_dashboard(client, world, alert):
    for url in (reverse("web:home"), reverse("cases:dashboard")):
        html = _page(client, world.team_leader_a, url)
        assert 'data-test="open-alert"' in html
        assert RULE_LABEL in html


def test_acknowledged_alert_leaves_the_dashboards(client, world, security_admin, alert):
    acknowledge_alert(alert, by=world.team_leader_a)
    for user in (security_admin, world.team_leader_a):
        html = _page(client, user, reverse("web:home"))
        assert 'data-test="open-alerts"' in html
        assert 'data-test="open-alert"' not in html


@pytest.mark.parametrize("who", ["counsellor_a", "coordinator_a", "staff_a", "provincial_admin_a"])
def test_no_alert_panel_for_other_roles(client, world, alert, who):
    html = _page(client, getattr(world, who), reverse("web:home"))
    assert 'data-test="open-alerts"' not in html
    assert RULE_LABEL not in html


def test_other_schools_team_leader_does_not_see_the_alert(client, world, alert):
    html = _page(client, world.team_leader_b, reverse("web:home"))
    assert 'data-test="open-alerts"' in html
    assert 'data-test="open-alert"' not in html


def test_only_the_newest_five_are_listed(client, world, security_admin):
    now = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
    for n in range(7):
        Alert.objects.create(
            rule="repeated_refusals",
            actor=world.staff_a,
            organisation=world.school_a,
            window_start=now + dt.timedelta(hours=n),
            window_end=now + dt.timedelta(hours=n + 1),
            count=11,
            created_at=now + dt.timedelta(hours=n + 1),
        )
    html = _page(client, security_admin, reverse("web:home"))
    assert html.count('data-test="open-alert"') == 5
    assert "还有更多未确认的告警" in html


def test_each_alert_goes_through_the_outbox_to_every_reader(world, security_admin, alert):
    readers = {security_admin.pk, world.team_leader_a.pk}
    assert set(Notification.objects.filter(url=reverse("alerts:list")).values_list("user_id", flat=True)) == readers
    messages = Message.objects.filter(template="audit_alert")
    assert set(messages.values_list("recipient_id", flat=True)) == readers
    assert {m.to_address for m in messages} == {security_admin.phone, world.team_leader_a.phone}
    assert deliver_due() == 2
    assert set(messages.values_list("status", flat=True)) == {"sent"}


def test_home_panels_link_to_exports_for_those_who_request_them(client, world, security_admin):
    for user in (security_admin, world.team_leader_a, world.coordinator_a):
        assert reverse("exports:mine") in _page(client, user, reverse("web:home"))
    assert reverse("exports:mine") not in _page(client, world.counsellor_a, reverse("web:home"))
