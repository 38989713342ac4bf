"""National selection's outputs: the expert commentary (专家点评) on each selected case, and
the anthology (案例集) compiled from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Commentary(models.Model):
    """The expert commentary published with a selected case (plain text: it is for publication)."""

    submission = models.OneToOneField("campaigns.Submission", on_delete=models.PROTECT, related_name="commentary")
    text = models.TextField(_("专家点评"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("撰写时间"), default=timezone.now)

    class Meta:
        verbose_name = _("专家点评")
        verbose_name_plural = _("专家点评")

    def __str__(self) -> str:
        return f"commentary:{self.submission_id}"


class Anthology(models.Model):
    """One generation of the campaign's anthology, as Word and PDF (stored encrypted)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="anthologies")
    report_count = models.PositiveIntegerField(_("案例数"))
    docx_name = models.CharField(max_length=200)
    docx_sha256 = models.CharField(max_length=64)
    pdf_name = models.CharField(max_length=200)
    pdf_sha256 = models.CharField(max_length=64)
    seconds = models.FloatField(default=0)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("案例集")
        verbose_name_plural = _("案例集")
        ordering = ["-generated_at", "-pk"]

    def __str__(self) -> str:
        return f"anthology:{self.campaign_id}:{self.pk}"
