"""Sections of the case page, contributed by the views modules that own them.

Each entry: (order, template, permission). The case page includes those the reader holds
the permission for, in order; each template receives the page's context.
"""

from __future__ import annotations

SECTIONS: list[tuple[int, str, str]] = []


def register(order: int, template: str, permission: str = "cases.view_case") -> None:
    if all(existing[1] != template for existing in SECTIONS):
        SECTIONS.append((order, template, permission))
        SECTIONS.sort()


def sections_for(user, case) -> list[str]:
    return [template for _order, template, permission in SECTIONS if user.has_perm(permission, case)]
