from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinan.organisations.enums import ROLE_ORG_KINDS, THREE_DUTY_ROLES, OrgKind, Role


class Membership(models.Model):
    """A role a person holds in one organisation. People may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.organisation}"

    def save(self, *args, **kwargs) -> None:
        # Enforced on every save, whatever the caller: a form, a service, the demo, an import.
        self.check_separation_of_duties()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        allowed = ROLE_ORG_KINDS[Role(self.role)]
        if OrgKind(self.organisation.kind) not in allowed:
            raise ValidationError({"role": _("该角色不能在此类组织中担任。")})
        self.check_separation_of_duties()

    def check_separation_of_duties(self) -> None:
        if self.role not in THREE_DUTY_ROLES:
            return
        others = Membership.objects.filter(user_id=self.user_id, role__in=THREE_DUTY_ROLES, is_active=True).exclude(
            role=self.role
        )
        if self.is_active and others.exists():
            raise ValidationError(
                {"role": _("同一人不能同时担任系统管理员、安全管理员和审计员中的两个角色（三员分立）。")}
            )
