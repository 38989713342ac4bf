"""One file of a case's dossier (一人一案): typed, encrypted at rest, with its checksum."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.crypto.fields import EncryptedCharField, EncryptedTextField
from xinan.dossier.enums import DocumentSlot, LetterKind


class Document(models.Model):
    """A file of the dossier. The bytes live in storage under a random name, encrypted;
    this row holds what is needed to find, verify and describe them."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    slot = models.CharField(_("资料类别"), max_length=32, choices=DocumentSlot.choices)
    # The signed scan of a generated plan or agreement points back at the version it signs.
    safety_plan = models.ForeignKey(
        "cases.SafetyPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("安全计划书版本"),
    )
    guardian_agreement = models.ForeignKey(
        "cases.GuardianAgreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("监护人安全协议书"),
    )
    referral = models.ForeignKey(
        "cases.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("转介记录"),
    )
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.BigIntegerField(_("大小（字节）"), editable=False)
    content_type = models.CharField(_("文件类型"), max_length=100, editable=False)
    extension = models.CharField(max_length=8, editable=False)
    # File names often carry a student's or a parent's name.
    original_name = EncryptedCharField(_("文件名"), form_max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    generated = models.BooleanField(_("系统生成"), default=False)
    letter_kind = models.CharField(_("文书"), max_length=32, choices=LetterKind.choices, blank=True)
    note = EncryptedTextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("档案资料")
        verbose_name_plural = _("档案资料")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["case", "slot", "uploaded_at"])]

    def __str__(self) -> str:
        return f"Document #{self.pk} {self.slot}"

    @property
    def school_id(self) -> int:
        """The school the document belongs to (audit entries are filed under it)."""
        return self.case.school_id

    @property
    def slot_label(self) -> str:
        return DocumentSlot(self.slot).label
