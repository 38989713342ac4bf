"""List queries for alerts: who may read which, and who is told of one."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from xinan.alerts.models import Alert
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership
from xinan.organisations.services.queries import held_roles


def alerts_for_user(user) -> QuerySet[Alert]:
    """Security admins: their organisation and everything under it; team leaders: their school."""
    condition = Q(pk__in=[])
    for held in held_roles(user):
        leads_school = held.role == Role.TEAM_LEADER and held.school_id == held.organisation_id
        if held.role == Role.SECURITY_ADMIN or leads_school:
            condition |= Q(organisation__path__startswith=held.organisation_path)
    return Alert.objects.filter(condition).select_related("actor", "organisation", "acknowledged_by")


def recipients_of(alert: Alert) -> QuerySet:
    """Security admins of the alert's organisation or above it, and the team leader of its school."""
    organisation = alert.organisation
    if organisation is None:
        return get_user_model().objects.none()
    ancestor_ids = [int(part) for part in organisation.path.strip("/").split("/") if part]
    condition = Q(role=Role.SECURITY_ADMIN, organisation_id__in=ancestor_ids)
    school = organisation.school
    if school is not None:
        condition |= Q(role=Role.TEAM_LEADER, organisation=school)
    user_ids = Membership.objects.filter(condition, is_active=True, organisation__is_active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")


def open_alerts_for_user(user) -> QuerySet[Alert]:
    """The alerts the user reads that nobody has acknowledged yet, newest first."""
    return alerts_for_user(user).filter(acknowledged_at__isnull=True).order_by("-created_at", "-pk")
