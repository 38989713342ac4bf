"""The TOTP second factor, with its seed encrypted at rest (issue 13.6).

django-otp's ``TOTPDevice`` keeps the seed as plain hex: a copy of the database would then be
enough to compute every administrator's codes. This device is the same in every other respect;
its algorithm (verification, drift, replay guard, throttling, the enrolment URL) is django-otp's
own, borrowed from ``TOTPDevice`` rather than written again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from xinan.crypto.fields import EncryptedTextField


class EncryptedTOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    key = EncryptedTextField(_("密钥"), default=default_key)  # hex, as django-otp expects; encrypted at rest
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("动态口令设备")
        verbose_name_plural = _("动态口令设备")

    bin_key = TOTPDevice.bin_key
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings
