from tests.xinan.notifications.provider_fixtures import aliyun_sms, tencent_sms  # noqa: F401 - registered by import
