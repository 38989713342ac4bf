from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from xinan.campaigns.models import Campaign, FilingRight, Submission
from xinan.organisations.enums import Role
from xinan.organisations.services.queries import held_roles


def campaigns_for_user(user) -> QuerySet[Campaign]:
    """Published campaigns for filers with a right and for education-department staff; all for national admins."""
    roles = {held.role for held in held_roles(user)}
    if Role.NATIONAL_ADMIN in roles:
        return Campaign.objects.all()
    published = Campaign.objects.filter(published_at__isnull=False, published_at__lte=timezone.now())
    if roles & {Role.PROVINCIAL_ADMIN, Role.REVIEWER}:
        return published
    return published.filter(pk__in=FilingRight.objects.filter(filer=user).values("campaign_id"))


def submissions_for_user(user) -> QuerySet[Submission]:
    """Submissions the user may read: their own; their province's; the nation's recommended ones."""
    roles = held_roles(user)
    provinces = {held.organisation_id for held in roles if held.role == Role.PROVINCIAL_ADMIN}
    condition = Q(filer=user) | Q(school__parent_id__in=provinces)
    if any(held.role == Role.NATIONAL_ADMIN for held in roles):
        condition |= Q(state__in=["recommended", "selected"])
    return Submission.objects.filter(condition)
