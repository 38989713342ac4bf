"""Who may do what with the dossier. The case's own rules decide (cases/rules.py):
reading a document needs ``cases.view_case`` on its case, filing one ``cases.change_case``,
exporting the whole dossier ``cases.export_dossier``."""

from __future__ import annotations

import rules

from xinan.organisations.enums import Role
from xinan.organisations.services.queries import held_roles


@rules.predicate
def can_read_case_of_document(user, document) -> bool:
    return document is not None and user.has_perm("cases.view_case", document.case)


@rules.predicate
def is_overseer_of_school(user, school) -> bool:
    """Team leader or coordinator of this school: they decide the school's wording of letters."""
    if school is None:
        return False
    return any(
        held.school_id == school.pk and held.role in {Role.TEAM_LEADER, Role.COORDINATOR} for held in held_roles(user)
    )


rules.add_perm("dossier.view_document", can_read_case_of_document)
rules.add_perm("dossier.edit_letter_templates", is_overseer_of_school)
