"""A consent to process a student's personal information for one purpose (PIPL Arts. 14, 29, 31)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinan.crypto.fields import EncryptedCharField, EncryptedTextField
from xinan.privacy.enums import ConsentForm, ConsentGiver, ConsentPurpose
from xinan.students.enums import GuardianRelation


class Consent(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("用途"), max_length=32, choices=ConsentPurpose.choices)
    purpose_other = models.CharField(_("其他用途说明"), max_length=200, blank=True)
    given_by = models.CharField(_("同意人"), max_length=16, choices=ConsentGiver.choices)
    giver_name = EncryptedCharField(_("同意人姓名"), form_max_length=40)
    giver_relation = models.CharField(_("与学生的关系"), max_length=16, choices=GuardianRelation.choices, blank=True)
    given_on = models.DateField(_("同意日期"))
    form = models.CharField(_("同意形式"), max_length=20, choices=ConsentForm.choices)
    # The proof, encrypted at rest; the storage name is random and says nothing of the content.
    proof_storage_name = models.CharField(max_length=255, blank=True, editable=False)
    proof_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    proof_content_type = models.CharField(max_length=100, blank=True, editable=False)
    proof_size = models.PositiveIntegerField(default=0, editable=False)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_note = EncryptedTextField(_("撤回说明"), blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("个人信息处理同意")
        verbose_name_plural = _("个人信息处理同意")
        ordering = ["purpose", "-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def purpose_label(self) -> str:
        if self.purpose == ConsentPurpose.OTHER and self.purpose_other:
            return f"{self.get_purpose_display()}：{self.purpose_other}"
        return str(self.get_purpose_display())
