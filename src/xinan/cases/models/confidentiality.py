"""The clinical wall, disclosures (保密例外) and break-the-glass grants."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.crypto.fields import EncryptedCharField, EncryptedTextField


class CounsellingNote(models.Model):
    """What the student said in counselling: readable by counselling staff only."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="counselling_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    text = EncryptedTextField(_("咨询记录"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"CounsellingNote #{self.pk}"


class SharedExcerpt(models.Model):
    """A chosen excerpt of a counselling note, shared to the crisis team on purpose."""

    note = models.ForeignKey(CounsellingNote, on_delete=models.CASCADE, related_name="shared_excerpts")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="shared_excerpts")
    excerpt = EncryptedTextField(_("共享摘录"))
    reason = EncryptedCharField(_("共享理由"), form_max_length=300)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["shared_at", "pk"]

    def __str__(self) -> str:
        return f"SharedExcerpt #{self.pk}"


class Disclosure(models.Model):
    """A use of the limits of confidentiality: who was told what, when and why."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="disclosures")
    told_whom = EncryptedCharField(_("告知对象"), form_max_length=120)
    what = EncryptedTextField(_("告知内容"))
    why = EncryptedTextField(_("理由"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Disclosure #{self.pk}"


class GlassBreak(models.Model):
    """Emergency access by a fixed team member who is not on the case, for a limited time."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="glass_breaks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="glass_breaks")
    reason = EncryptedTextField(_("紧急访问理由"))
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"GlassBreak #{self.pk}"
