"""A school's own wording of a generated letter; without one, the text shipped with the code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.dossier.enums import LetterKind


class LetterTemplate(models.Model):
    school = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="letter_templates")
    kind = models.CharField(_("文书"), max_length=32, choices=LetterKind.choices)
    text = models.TextField(_("模板内容"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [models.UniqueConstraint(fields=["school", "kind"], name="letter_template_unique")]

    def __str__(self) -> str:
        return f"LetterTemplate {self.kind} of {self.school_id}"
