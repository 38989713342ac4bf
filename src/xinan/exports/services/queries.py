"""List queries: the requests a person may decide, their own requests, who decides one, and
the downloaded exports of an organisation (the disclosure register)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from xinan.exports.enums import (
    AUDIT_EXPORT_ROLES,
    PERMISSION_FOR_KIND,
    ROLES_FOR_KIND,
    SCHOOL_EXPORT_ROLES,
    ExportKind,
)
from xinan.exports.models import ExportRequest
from xinan.organisations.models import Membership, Organisation
from xinan.organisations.services.queries import held_roles, school_ids_with_roles


def _decidable_condition(user) -> Q:
    """School kinds in the schools the user oversees; audit extracts in or under the
    organisations where the user is an auditor or security administrator."""
    schools = school_ids_with_roles(user, SCHOOL_EXPORT_ROLES)
    condition = Q(organisation_id__in=schools) & ~Q(kind=ExportKind.AUDIT_EXTRACT)
    for held in held_roles(user):
        if held.role in AUDIT_EXPORT_ROLES:
            condition |= Q(kind=ExportKind.AUDIT_EXTRACT, organisation__path__startswith=held.organisation_path)
    return condition


def awaiting_decision_by(user) -> list[ExportRequest]:
    """Undecided requests of other people that this person may approve or refuse."""
    candidates = (
        ExportRequest.objects.filter(_decidable_condition(user), decision="")
        .exclude(requested_by=user)
        .select_related("case__school", "organisation", "requested_by")
    )
    return [item for item in candidates if user.has_perm("exports.decide_exportrequest", item)]


def requests_of(user) -> QuerySet[ExportRequest]:
    return ExportRequest.objects.filter(requested_by=user).select_related("case", "organisation", "decided_by")


def disclosures_visible_to(user) -> QuerySet[ExportRequest]:
    """Downloaded exports (each one a disclosure) of the organisations whose exports the user decides."""
    return (
        ExportRequest.objects.filter(_decidable_condition(user), used_at__isnull=False)
        .select_related("organisation", "requested_by", "decided_by")
        .order_by("-used_at", "-pk")
    )


def approvers_for(export_request: ExportRequest) -> list:
    """Everyone but the requester who holds the kind's permission on the target: the kind's
    roles in the target organisation or above it."""
    organisation = export_request.organisation
    ancestor_ids = [int(part) for part in organisation.path.strip("/").split("/") if part] or [organisation.pk]
    ids = Membership.objects.filter(
        organisation_id__in=ancestor_ids,
        role__in=ROLES_FOR_KIND[ExportKind(export_request.kind)],
        is_active=True,
        user__is_active=True,
    ).values_list("user_id", flat=True)
    permission = PERMISSION_FOR_KIND[ExportKind(export_request.kind)]
    target = export_request.case or organisation
    people = get_user_model().objects.filter(pk__in=set(ids)).exclude(pk=export_request.requested_by_id)
    return [person for person in people if person.has_perm(permission, target)]


@dataclass(frozen=True)
class ExportOption:
    kind: ExportKind
    organisation_id: int
    organisation_name: str

    @property
    def label(self) -> str:
        return str(self.kind.label)


def export_options_for(user) -> list[ExportOption]:
    """The organisation exports this person may ask for, one per kind and organisation."""
    options = []
    for held in held_roles(user):
        if held.role in SCHOOL_EXPORT_ROLES and held.school_id == held.organisation_id:
            kinds = [ExportKind.STUDENT_LIST, ExportKind.CASE_LIST]
        elif held.role in AUDIT_EXPORT_ROLES:
            kinds = [ExportKind.AUDIT_EXTRACT]
        else:
            continue
        options.extend(ExportOption(kind, held.organisation_id, "") for kind in kinds)
    names = dict(Organisation.objects.filter(pk__in={o.organisation_id for o in options}).values_list("pk", "name"))
    unique = {(o.kind, o.organisation_id): o for o in options}
    return [
        ExportOption(kind, org_id, names.get(org_id, ""))
        for (kind, org_id) in sorted(unique, key=lambda k: (k[1], k[0]))
    ]
