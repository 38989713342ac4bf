from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinan.organisations.enums import ROLE_ORG_KINDS, OrgKind, Role, roles_in_conflict_with

SEPARATION_OF_DUTIES_MESSAGE = _(
    "三员分立：系统管理员、安全管理员、审计员不能由同一人兼任，"
    "也不能兼任可查看个案、学生或填报材料的角色及省级/全国管理员。"
)


class SeparationOfDutiesError(ValidationError):
    """A grant that would give one person a duty (三员分立) and a role in conflict with it."""

    def __init__(self, *, role: str, conflicting: list[str]):
        super().__init__({"role": SEPARATION_OF_DUTIES_MESSAGE})
        self.role = role
        self.conflicting = sorted(conflicting)


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

    def conflicting_roles(self) -> list[str]:
        """The active roles of the same person that this one, active, may not sit beside."""
        conflicting = roles_in_conflict_with(self.role)
        if not self.is_active or not conflicting or self.user_id is None:
            return []
        others = Membership.objects.filter(user_id=self.user_id, role__in=conflicting, is_active=True)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        return sorted(set(others.values_list("role", flat=True)))

    def check_separation_of_duties(self) -> None:
        """The invariant of 三员分立, checked on every save (the database checks it again)."""
        conflicting = self.conflicting_roles()
        if conflicting:
            raise SeparationOfDutiesError(role=self.role, conflicting=conflicting)
