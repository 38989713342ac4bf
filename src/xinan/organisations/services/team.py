"""The crisis team (危机干预工作小组固定成员) of a school: who may be on it, and the checks its
editing needs. The audited changes themselves are in ``xinan.cases.services.team``: the audit
trail sits above this app, so an organisations service cannot write to it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xinan.organisations.enums import CRISIS_TEAM_ROLES, SCHOOL_ROLES, Role
from xinan.organisations.models import Membership, Organisation


class TeamError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def staff_of_school(school: Organisation) -> QuerySet:
    """People holding an active school role in the school or one of its departments."""
    user_ids = Membership.objects.filter(
        Q(organisation=school) | Q(organisation__parent=school),
        role__in=SCHOOL_ROLES,
        is_active=True,
        organisation__is_active=True,
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("name", "pk")


def team_memberships(school: Organisation) -> QuerySet[Membership]:
    """The active fixed-member roles of the school's crisis team."""
    return Membership.objects.filter(organisation=school, role__in=CRISIS_TEAM_ROLES, is_active=True)


def check_team_role(school: Organisation, role: str) -> Role:
    """A crisis-team role the organisation may hold (``Membership.clean``), or TeamError."""
    if role not in CRISIS_TEAM_ROLES:
        raise TeamError(_("只能设置危机干预工作小组的固定成员角色。"))
    try:
        Membership(organisation=school, role=role).clean()
    except ValidationError as exc:
        raise TeamError(_("该角色不能在此类组织中担任。")) from exc
    return Role(role)


def is_last_team_leader(membership: Membership) -> bool:
    """Removing or re-roling this membership would leave the school without a team leader."""
    return (
        membership.role == Role.TEAM_LEADER
        and not team_memberships(membership.organisation)
        .filter(role=Role.TEAM_LEADER)
        .exclude(pk=membership.pk)
        .exists()
    )
