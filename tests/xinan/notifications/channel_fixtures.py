"""A school with its 企业微信 and 钉钉 accounts pointing at the stand-ins."""

from __future__ import annotations

import pytest

from tests.factories import make_org
from tests.xinan.notifications.provider_fixtures import FakeDingtalk, FakeWecom
from xinan.notifications.enums import Platform
from xinan.notifications.models import ChannelAccount
from xinan.organisations.enums import OrgKind

PHONE = "13712345678"


@pytest.fixture
def channel_school(db):
    province = make_org(OrgKind.PROVINCE, make_org(OrgKind.NATION))
    return make_org(OrgKind.SCHOOL, province)


@pytest.fixture
def wecom_account(channel_school):
    return ChannelAccount.objects.create(
        organisation=channel_school,
        platform=Platform.WECOM,
        app_key=FakeWecom.CORP_ID,
        agent_id="1000002",
        app_secret=FakeWecom.SECRET,
        robot_key=FakeWecom.ROBOT_KEY,
    )


@pytest.fixture
def dingtalk_account(channel_school):
    return ChannelAccount.objects.create(
        organisation=channel_school,
        platform=Platform.DINGTALK,
        app_key=FakeDingtalk.APP_KEY,
        agent_id=FakeDingtalk.AGENT_ID,
        app_secret=FakeDingtalk.SECRET,
        robot_key=FakeDingtalk.ROBOT_TOKEN,
        robot_secret=FakeDingtalk.ROBOT_SECRET,
    )
