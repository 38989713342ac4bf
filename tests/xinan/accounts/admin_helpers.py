"""Helpers of the administration pages' tests: the three-duty people and refusal counting."""

from __future__ import annotations

from dataclasses import dataclass

from xinan.audit.models import AuditEntry

DENIED = "xinan.access.denied"


@dataclass
class Duties:
    system_admin_nation: object
    system_admin_a: object
    system_admin_b: object
    security_admin_nation: object
    security_admin_a: object
    security_admin_b: object
    auditor_a: object


def actor(world, duties, who: str):
    return getattr(duties, who, None) or getattr(world, who)


def refusals() -> int:
    return AuditEntry.objects.filter(action=DENIED).count()
