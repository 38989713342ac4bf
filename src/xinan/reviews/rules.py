"""Who may do what in the expert review. Predicates are questions; list queries in services/queries.py."""

from __future__ import annotations

import rules

from xinan.organisations.enums import Role
from xinan.organisations.rules import is_national_admin, is_provincial_admin, is_provincial_admin_of
from xinan.organisations.services.queries import held_roles
from xinan.reviews.enums import AssignmentState, RoundLevel


@rules.predicate
def is_reviewer(user) -> bool:
    return any(held.role == Role.REVIEWER for held in held_roles(user))


@rules.predicate
def is_reviewer_assigned_to(user, assignment) -> bool:
    return assignment is not None and assignment.reviewer_id == user.pk and assignment.state != AssignmentState.DECLINED


@rules.predicate
def is_of_submission_school(user, assignment) -> bool:
    """Belongs to the submission's school, or declared a conflict with it: must never review it."""
    from xinan.reviews.services.queries import excluded_school_ids

    return assignment is not None and assignment.submission.school_id in excluded_school_ids(user)


@rules.predicate
def is_manager_of_round(user, review_round) -> bool:
    """Provincial admin of the round's province; national admin for the national round."""
    if review_round is None:
        return False
    if review_round.level == RoundLevel.NATION:
        return is_national_admin(user)
    return is_provincial_admin_of(user, review_round.province)


rules.add_perm("reviews.list_assignments", is_reviewer)
rules.add_perm("reviews.review_assignment", is_reviewer_assigned_to & ~is_of_submission_school)
rules.add_perm("reviews.manage_round", is_manager_of_round)
rules.add_perm("reviews.open_provincial_round", is_provincial_admin)
rules.add_perm("reviews.open_national_round", is_national_admin)
