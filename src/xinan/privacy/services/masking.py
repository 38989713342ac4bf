"""Masked phones and ID numbers, and the audited reveal of one in full.

Every field that holds a phone or an ID number and is shown on a page is registered here with
the permission that lets a reader see it whole. Pages render ``{% masked obj "field" %}``
(templatetags/masking.py): the masked value, and for a reader with the permission a control
that fetches the full value from the reveal view, which checks the permission again on the
object and records ``xinan.privacy.reveal`` (object and field name, never the value).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from xinan.accounts.validators import mask_phone
from xinan.audit.services.record import record
from xinan.privacy.enums import PrivacyAction


def mask_id_number(value: str) -> str:
    """1101**********1234: the region of issue and the last four, nothing in between."""
    value = (value or "").strip()
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


@dataclass(frozen=True)
class Maskable:
    """A field shown masked: its model, how it is masked and who may reveal it."""

    key: str
    model: str
    field: str
    permission: str
    mask: callable

    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)


MASKABLE = {
    item.key: item
    for item in (
        Maskable("user-phone", "accounts.User", "phone", "privacy.reveal_user_phone", mask_phone),
        Maskable("guardian-phone", "students.Guardian", "phone", "privacy.reveal_guardian_phone", mask_phone),
        Maskable(
            "submission-phone", "campaigns.Submission", "contact_phone", "privacy.reveal_submission_phone", mask_phone
        ),
    )
}


def maskable_for(obj, field: str) -> Maskable:
    label = obj._meta.label
    for item in MASKABLE.values():
        if item.model == label and item.field == field:
            return item
    raise LookupError(f"{label}.{field} is not registered as maskable")


def masked_value(obj, field: str) -> str:
    value = getattr(obj, field) or ""
    return maskable_for(obj, field).mask(value) if value else ""


def reveal(obj, field: str, *, by, request=None) -> str:
    """The full value for a reader already checked to hold the permission; recorded."""
    with transaction.atomic():
        record(PrivacyAction.FIELD_REVEALED, actor=by, obj=obj, request=request, after={"field": field})
    return getattr(obj, field) or ""
