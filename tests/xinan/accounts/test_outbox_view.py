"""The system administrator's outbox: messages to people in scope with their delivery state,
never their text; a 企业微信 message that was wrong can be recalled (audited)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.xinan.accounts.admin_helpers import actor, refusals
from xinan.audit.models import AuditEntry
from xinan.notifications.enums import Channel, Delivery, MessageStatus
from xinan.notifications.models import Message

EVERYONE = ["system_admin_nation", "system_admin_a", "security_admin_a", "auditor_a", "team_leader_a", "counsellor_a"]
BODY = "【心安】您在个案 GX-2026-0007 有一项事项将在24小时内到期"


def _message(user, **fields):
    fields.setdefault("channel", Channel.SMS)
    fields.setdefault("status", MessageStatus.SENT)
    return Message.objects.create(template="case_task_due", recipient=user, to_address=user.phone, body=BODY, **fields)


@pytest.mark.parametrize("who", EVERYONE)
def test_outbox_role_matrix(client, world, duties, who):
    client.force_login(actor(world, duties, who))
    before = refusals()
    response = client.get(reverse("accounts:admin_outbox"))
    allowed = who.startswith("system_admin")
    assert response.status_code == (200 if allowed else 404)
    assert refusals() - before == (0 if allowed else 1)


def test_outbox_shows_scope_and_delivery_but_never_the_text(client, world, duties):
    # Arrange
    _message(world.counsellor_a, provider="tencent", delivery=Delivery.UNDELIVERED, delivery_detail="MK:0005")
    _message(world.counsellor_b)
    client.force_login(duties.system_admin_a)

    # Act
    page = client.get(reverse("accounts:admin_outbox")).content.decode()

    # Assert
    assert world.counsellor_a.name in page
    assert world.counsellor_b.name not in page
    assert "MK:0005" in page
    assert 'data-test="delivery-state">未送达' in page
    assert "GX-2026-0007" not in page
    assert world.counsellor_a.phone not in page


@pytest.mark.parametrize("who", ["system_admin_b", "team_leader_a"])
def test_recall_outside_the_circle_is_not_found_and_changes_nothing(client, world, duties, who):
    message = _message(world.counsellor_a, channel=Channel.WECOM, provider="wecom", provider_id="msg-1")
    client.force_login(actor(world, duties, who))
    response = client.post(reverse("accounts:admin_outbox_recall", args=[message.pk]), {"reason": "发错了"})
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert not AuditEntry.objects.filter(action="xinan.message.recall").exists()


def test_a_wrong_wecom_message_is_recalled(client, world, duties, wecom):
    # Arrange: a message sent through school A's 企业微信 within the day.
    from django.utils import timezone

    from xinan.notifications.enums import Platform
    from xinan.notifications.models import ChannelAccount

    account = ChannelAccount.objects.create(
        organisation=world.school_a,
        platform=Platform.WECOM,
        app_key=wecom.CORP_ID,
        agent_id="1000002",
        app_secret=wecom.SECRET,
    )
    message = _message(
        world.counsellor_a,
        channel=Channel.WECOM,
        account=account,
        provider="wecom",
        provider_id="msg-9",
        sent_at=timezone.now(),
    )
    client.force_login(duties.system_admin_a)

    # Act
    response = client.post(reverse("accounts:admin_outbox_recall", args=[message.pk]), {"reason": "发错了对象"})

    # Assert
    assert response.status_code == 302
    assert wecom.recalled == ["msg-9"]
    message.refresh_from_db()
    assert message.status == MessageStatus.RECALLED
    assert AuditEntry.objects.get(action="xinan.message.recall").reason == "发错了对象"


def test_outbox_queries_do_not_grow_with_messages(client, world, duties):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:admin_outbox")).status_code == 200
        return len(queries)

    client.force_login(duties.system_admin_a)
    _message(world.counsellor_a)
    client.get(reverse("accounts:admin_outbox"))
    with_one = count_queries()
    _message(world.team_leader_a)
    _message(world.staff_a, channel=Channel.DINGTALK, delivery=Delivery.READ)
    with_three = count_queries()
    assert with_three == with_one
