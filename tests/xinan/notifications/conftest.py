import pytest

from tests.xinan.notifications.channel_fixtures import (  # noqa: F401 - registered by import
    channel_school,
    dingtalk_account,
    wecom_account,
)
from tests.xinan.notifications.provider_fixtures import (  # noqa: F401 - registered by import
    aliyun_sms,
    dingtalk,
    tencent_sms,
    wecom,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Tokens and userid lookups are cached: every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
