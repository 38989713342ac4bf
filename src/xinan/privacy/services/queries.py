"""List queries of the privacy app."""

from __future__ import annotations

from django.db.models import QuerySet

from xinan.cases.services.queries import cases_for_user
from xinan.privacy.models import Consent


def consents_for_user(user) -> QuerySet[Consent]:
    """Consents of the cases whose full record the user may read."""
    return Consent.objects.filter(case__in=cases_for_user(user))
