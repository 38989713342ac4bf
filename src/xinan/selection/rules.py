"""Who may recommend, select, comment and compile. Predicates are questions; each object
rule has its list query in services/queries.py."""

from __future__ import annotations

import rules

from xinan.organisations.enums import OrgKind, Role
from xinan.organisations.rules import is_national_admin
from xinan.organisations.services.queries import held_roles


def _province_ids(user) -> set[int]:
    return {held.organisation_id for held in held_roles(user) if held.role == Role.PROVINCIAL_ADMIN}


@rules.predicate
def is_provincial_admin_of_recommendation(user, recommendation) -> bool:
    return recommendation is not None and recommendation.province_id in _province_ids(user)


@rules.predicate
def is_recommendation_submitted(user, recommendation) -> bool:
    return recommendation is not None and recommendation.state == "submitted"


@rules.predicate
def is_national_reviewer(user) -> bool:
    return any(held.role == Role.REVIEWER and held.organisation_kind == OrgKind.NATION for held in held_roles(user))


@rules.predicate
def is_in_national_selection(user, submission) -> bool:
    return submission is not None and submission.state in {"recommended", "selected"}


@rules.predicate
def is_selected(user, submission) -> bool:
    return submission is not None and submission.state == "selected"


rules.add_perm(
    "selection.view_recommendation",
    is_provincial_admin_of_recommendation | (is_national_admin & is_recommendation_submitted),
)
rules.add_perm("selection.change_recommendation", is_provincial_admin_of_recommendation)
rules.add_perm("selection.select_submission", is_national_admin & is_in_national_selection)
rules.add_perm("selection.comment_submission", (is_national_admin | is_national_reviewer) & is_selected)
rules.add_perm("selection.manage_selection", is_national_admin)
rules.add_perm("selection.view_selection", is_national_admin | is_national_reviewer)
