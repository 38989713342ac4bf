"""List queries beside the object rules of ``rules.py``."""

from __future__ import annotations

from django.db.models import QuerySet

from xinan.organisations.enums import CRISIS_TEAM_ROLES
from xinan.organisations.models import Organisation
from xinan.organisations.services.queries import crisis_team_schools_for_user, school_ids_with_roles
from xinan.training.models import TrainingActivity


def activities_for_user(user) -> QuerySet[TrainingActivity]:
    """Activities of the schools where the user is a fixed crisis-team member."""
    if not getattr(user, "is_authenticated", False):
        return TrainingActivity.objects.none()
    return TrainingActivity.objects.filter(school_id__in=school_ids_with_roles(user, CRISIS_TEAM_ROLES))


def training_schools_for_user(user) -> QuerySet[Organisation]:
    return crisis_team_schools_for_user(user).order_by("name")
