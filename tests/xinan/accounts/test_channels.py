"""Notice channels: the system administrator connects a school's 企业微信/钉钉 (scope, role
matrix, secrets kept out of pages and audit), and each person chooses a channel per kind."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.xinan.accounts.admin_helpers import actor, refusals
from xinan.audit.models import AuditEntry
from xinan.notifications.enums import Channel, NoticeKind, Platform
from xinan.notifications.models import ChannelAccount, NoticePreference

EVERYONE = [
    "system_admin_nation",
    "system_admin_a",
    "system_admin_b",
    "security_admin_a",
    "auditor_a",
    "national_admin",
    "team_leader_a",
    "counsellor_a",
]
ALLOWED_FOR_SCHOOL_A = {"system_admin_nation", "system_admin_a"}
SECRET = "wecom-secret-value-123"


def _edit_url(school, platform=Platform.WECOM):
    return reverse("accounts:admin_channel_edit", args=[school.pk, platform])


def _form(**overrides):
    data = {"app_key": "ww0123456789", "agent_id": "1000002", "app_secret": SECRET, "active": "on"}
    data.update(overrides)
    return data


# --- Role matrices ---------------------------------------------------------------------------
@pytest.mark.parametrize("who", EVERYONE)
def test_channel_list_role_matrix(client, world, duties, who):
    client.force_login(actor(world, duties, who))
    before = refusals()
    response = client.get(reverse("accounts:admin_channels"))
    allowed = who.startswith("system_admin")
    assert response.status_code == (200 if allowed else 404)
    assert refusals() - before == (0 if allowed else 1)


@pytest.mark.parametrize("who", EVERYONE)
def test_channel_edit_role_matrix_and_nothing_changed_when_refused(client, world, duties, who):
    # Arrange
    client.force_login(actor(world, duties, who))
    before = refusals()

    # Act
    response = client.post(_edit_url(world.school_a), _form())

    # Assert
    allowed = who in ALLOWED_FOR_SCHOOL_A
    assert response.status_code == (302 if allowed else 404)
    assert ChannelAccount.objects.filter(organisation=world.school_a).exists() == allowed
    assert refusals() - before == (0 if allowed else 1)


# --- Behaviour -------------------------------------------------------------------------------
def test_a_saved_secret_is_encrypted_never_shown_and_kept_when_left_empty(client, world, duties):
    # Arrange
    client.force_login(duties.system_admin_a)
    client.post(_edit_url(world.school_a), _form())

    # Act: the page again, then a change without retyping the secret.
    page = client.get(_edit_url(world.school_a)).content.decode()
    client.post(_edit_url(world.school_a), _form(app_secret="", agent_id="1000003"))

    # Assert
    assert SECRET not in page
    account = ChannelAccount.objects.get(organisation=world.school_a)
    assert (account.app_secret, account.agent_id) == (SECRET, "1000003")
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_secret FROM notifications_channelaccount WHERE id = %s", [account.pk])
        assert SECRET not in cursor.fetchone()[0]
    entries = AuditEntry.objects.filter(action="xinan.channel.set")
    assert entries.count() == 2
    assert all(SECRET not in str(entry.after) + str(entry.before) for entry in entries)


def test_bad_input_gets_a_chinese_message_and_keeps_what_was_typed(client, world, duties):
    client.force_login(duties.system_admin_a)
    response = client.post(_edit_url(world.school_a), _form(agent_id="12ab"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "AgentId 只能是数字。" in page
    assert "ww0123456789" in page
    assert not ChannelAccount.objects.exists()


def test_an_unknown_platform_is_not_found(client, world, duties):
    client.force_login(duties.system_admin_a)
    assert client.get(reverse("accounts:admin_channel_edit", args=[world.school_a.pk, "telegram"])).status_code == 404


def test_a_person_chooses_a_connected_platform_and_it_is_audited(client, world):
    # Arrange: school A has 企业微信.
    ChannelAccount.objects.create(
        organisation=world.school_a, platform=Platform.WECOM, app_key="ww1", agent_id="1", app_secret="s"
    )
    client.force_login(world.counsellor_a)
    data = {kind: Channel.SMS for kind in NoticeKind.values} | {NoticeKind.CASE_TASK: Channel.WECOM}

    # Act
    response = client.post(reverse("accounts:channels"), data)

    # Assert
    assert response.status_code == 302
    assert NoticePreference.objects.get(user=world.counsellor_a, kind=NoticeKind.CASE_TASK).channel == Channel.WECOM
    entry = AuditEntry.objects.get(action="xinan.channel.preference")
    assert entry.after[NoticeKind.CASE_TASK] == Channel.WECOM


def test_a_platform_the_school_has_not_connected_is_refused_with_a_message(client, world):
    client.force_login(world.counsellor_a)
    data = {kind: Channel.SMS for kind in NoticeKind.values} | {NoticeKind.CASE_TASK: Channel.DINGTALK}
    response = client.post(reverse("accounts:channels"), data)
    assert response.status_code == 400
    assert "所选渠道不可用，请重新选择。" in response.content.decode()
    assert not NoticePreference.objects.exists()


def test_channel_list_queries_do_not_grow_with_schools(client, world, duties):
    # Arrange: the nation's system admin sees every school; one, then three more, with an account.
    from tests.factories import make_org
    from xinan.organisations.enums import OrgKind

    def add_schools(count):
        for _ in range(count):
            school = make_org(OrgKind.SCHOOL, world.province_a)
            ChannelAccount.objects.create(organisation=school, platform=Platform.DINGTALK, robot_key="t")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("accounts:admin_channels"))
        assert response.status_code == 200
        return len(queries)

    client.force_login(duties.system_admin_nation)
    add_schools(1)
    client.get(reverse("accounts:admin_channels"))  # warm the session and role caches

    # Act
    with_one = count_queries()
    add_schools(2)
    with_three = count_queries()

    # Assert
    assert with_three == with_one
