"""Every SMS a campaign sends carries the platform's signature, as Chinese SMS rules require."""

import pytest

from xinan.notifications.services.templates import render_sms

CONTEXT = {
    "name": "测试人",
    "campaign": "2026年案例征集",
    "deadline": "2026年12月28日24时",
    "title": "携手同行 守护生命",
    "state": "已提交",
    "site_url": "https://xinan.example.cn",
}


@pytest.mark.parametrize(
    "template", ["campaign_invite", "campaign_returned", "campaign_decision", "campaign_received", "campaign_deadline"]
)
def test_campaign_sms_starts_with_the_signature(template):
    # Act
    text = render_sms(template, CONTEXT)

    # Assert
    assert text.startswith("【心安】")
    assert text.count("【心安】") == 1
