"""Who may do what in a campaign. Predicates are questions; list queries in services/queries.py."""

from __future__ import annotations

import rules

from xinan.organisations.enums import Role
from xinan.organisations.rules import is_national_admin
from xinan.organisations.services.queries import held_roles


def _province_ids(user) -> set[int]:
    return {held.organisation_id for held in held_roles(user) if held.role == Role.PROVINCIAL_ADMIN}


@rules.predicate
def is_filer_of(user, submission) -> bool:
    return submission is not None and submission.filer_id == user.pk


@rules.predicate
def is_provincial_admin_over(user, submission) -> bool:
    """Provincial admin of the province the submission's school belongs to."""
    return submission is not None and submission.school.parent_id in _province_ids(user)


@rules.predicate
def is_national_admin_of_recommended(user, submission) -> bool:
    return submission is not None and submission.state in {"recommended", "selected"} and is_national_admin(user)


@rules.predicate
def can_see_campaign(user, campaign) -> bool:
    """The object rule agrees with its list query by asking it."""
    from xinan.campaigns.services.queries import campaigns_for_user

    return campaign is not None and campaigns_for_user(user).filter(pk=campaign.pk).exists()


@rules.predicate
def is_provincial_admin_of_right(user, right) -> bool:
    """Provincial admin of the province whose school holds the filing right."""
    return right is not None and right.school.parent_id in _province_ids(user)


rules.add_perm("campaigns.view_submission", is_filer_of | is_provincial_admin_over | is_national_admin_of_recommended)
rules.add_perm("campaigns.change_submission", is_filer_of)
# The filer keeps a copy of what they submitted (officers read files through their reading view).
rules.add_perm("campaigns.download_submission_files", is_filer_of)
rules.add_perm("campaigns.decide_submission", is_provincial_admin_over)
rules.add_perm("campaigns.manage_campaign", is_national_admin)
rules.add_perm("campaigns.view_campaign", can_see_campaign)
rules.add_perm("campaigns.manage_filing_right", is_provincial_admin_of_right)


@rules.predicate
def can_see_attachment_campaign(user, attachment) -> bool:
    return attachment is not None and can_see_campaign(user, attachment.campaign)


rules.add_perm("campaigns.view_campaign_attachment", can_see_attachment_campaign)
