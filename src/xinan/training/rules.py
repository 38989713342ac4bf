"""Who may see and record the crisis team's education and training work: the school's fixed
crisis-team members (the seed gives this duty to the team). Predicates are questions; the
list query is ``services/queries.activities_for_user``."""

from __future__ import annotations

import rules

from xinan.organisations.enums import CRISIS_TEAM_ROLES, OrgKind
from xinan.organisations.services.queries import held_roles


def _is_team_member(user, school_id) -> bool:
    return any(held.role in CRISIS_TEAM_ROLES and held.school_id == school_id for held in held_roles(user))


@rules.predicate
def is_crisis_team_member_of_school(user, school) -> bool:
    return school is not None and school.kind == OrgKind.SCHOOL and _is_team_member(user, school.pk)


@rules.predicate
def is_crisis_team_member_of_activity_school(user, activity) -> bool:
    return activity is not None and _is_team_member(user, activity.school_id)


rules.add_perm("training.view_school_training", is_crisis_team_member_of_school)
rules.add_perm("training.add_activity", is_crisis_team_member_of_school)
rules.add_perm("training.view_activity", is_crisis_team_member_of_activity_school)
