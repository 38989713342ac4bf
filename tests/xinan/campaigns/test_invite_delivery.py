"""The invitation list shows each invitation's channel and delivery state with the provider's reason."""

from django.urls import reverse

from xinan.notifications.enums import Channel, Delivery, MessageStatus, NoticeKind, Platform
from xinan.notifications.models import ChannelAccount, Message, NoticePreference


def _invite(world, **fields):
    fields.setdefault("channel", Channel.SMS)
    return Message.objects.create(
        template="campaign_invite",
        recipient=world.filer_a,
        to_address=world.filer_a.phone,
        body="x",
        **fields,
    )


def test_an_undelivered_invitation_shows_its_state_and_reason(client, world, campaign, right):
    # Arrange: sent by Tencent, then reported undelivered by the operator.
    _invite(
        world,
        status=MessageStatus.SENT,
        provider="tencent",
        delivery=Delivery.UNDELIVERED,
        delivery_detail="MK:0001 user powered off",
    )
    client.force_login(world.provincial_admin_a)

    # Act
    html = client.get(reverse("campaigns:province", args=[campaign.pk])).content.decode()

    # Assert
    assert 'data-test="invite-status">已发送' in html
    assert 'data-test="delivery-state">未送达' in html
    assert "tencent · MK:0001 user powered off" in html


def test_an_invitation_through_dingtalk_shows_the_channel_and_read_state(client, world, campaign, right):
    # Arrange: the filer chose 钉钉 for campaign notices; the invitation was read.
    ChannelAccount.objects.create(
        organisation=world.school_a, platform=Platform.DINGTALK, app_key="k", agent_id="1", app_secret="s"
    )
    NoticePreference.objects.create(user=world.filer_a, kind=NoticeKind.CAMPAIGN, channel=Channel.DINGTALK)
    _invite(world, channel=Channel.DINGTALK, status=MessageStatus.SENT, provider="dingtalk", delivery=Delivery.READ)
    client.force_login(world.provincial_admin_a)

    # Act
    html = client.get(reverse("campaigns:province", args=[campaign.pk])).content.decode()

    # Assert
    assert 'data-test="delivery-channel">钉钉工作通知' in html
    assert 'data-test="delivery-state">已读' in html


def test_a_failed_invitation_shows_why(client, world, campaign, right):
    _invite(world, status=MessageStatus.FAILED, last_error="aliyun: isv.MOBILE_NUMBER_ILLEGAL: invalid mobile")
    client.force_login(world.provincial_admin_a)
    html = client.get(reverse("campaigns:province", args=[campaign.pk])).content.decode()
    assert 'data-test="invite-status">发送失败' in html
    assert "isv.MOBILE_NUMBER_ILLEGAL" in html
