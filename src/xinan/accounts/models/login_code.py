from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from xinan.crypto.fields import EncryptedTextField


class LoginCode(models.Model):
    """A 6-digit SMS sign-in code, stored only as a salted HMAC.

    Codes are also issued (never sent) for phones that have no account, so that
    every answer of the sign-in page is the same for known and unknown phones. The phone and
    the code wait sealed (encrypted) for the task that sends the SMS, which wipes them.
    """

    phone_digest = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)
    sealed_phone = EncryptedTextField(blank=True, default="")
    sealed_code = EncryptedTextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["phone_digest", "-created_at"])]

    def __str__(self) -> str:
        return f"LoginCode #{self.pk}"
