"""The privacy pages a deployment shows its users, editable per deployment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinan.privacy.enums import PolicySlug


class PolicyPage(models.Model):
    slug = models.CharField(_("页面"), max_length=20, choices=PolicySlug.choices, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("个人信息保护规则页面")
        verbose_name_plural = _("个人信息保护规则页面")

    def __str__(self) -> str:
        return self.title
