"""List queries for students. Names and numbers are encrypted: lookups are exact, by blind index."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xinan.crypto.keys import blind_index
from xinan.organisations.enums import SCHOOL_ROLES
from xinan.organisations.services.queries import school_ids_with_roles
from xinan.students.models import Student


def students_for_user(user) -> QuerySet[Student]:
    """Students of the schools where the user works (to pick one in a report)."""
    return Student.objects.filter(school_id__in=school_ids_with_roles(user, SCHOOL_ROLES)).select_related(
        "school_class"
    )


def find_students(queryset: QuerySet[Student], query: str) -> QuerySet[Student]:
    query = query.strip()
    if not query:
        return queryset.none()
    return queryset.filter(
        Q(number_index=blind_index("student-number", query)) | Q(name_index=blind_index("student-name", query))
    )
