"""List queries of the dossier, beside its object rules (rules.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from xinan.cases.services.queries import cases_for_user
from xinan.dossier.enums import SLOT_ORDER, DocumentSlot
from xinan.dossier.models import Document


def documents_for_user(user) -> QuerySet[Document]:
    """Documents of the cases whose full record the user may read."""
    return Document.objects.filter(case__in=cases_for_user(user))


@dataclass(frozen=True)
class SlotGroup:
    slot: DocumentSlot
    documents: list[Document]

    @property
    def label(self) -> str:
        return self.slot.label


def documents_in_order(case) -> list[Document]:
    """Every document of the case, by slot in the seed's order, then by date."""
    documents = list(Document.objects.filter(case=case).select_related("uploaded_by"))
    rank = {slot.value: index for index, slot in enumerate(SLOT_ORDER)}
    return sorted(documents, key=lambda d: (rank[d.slot], d.uploaded_at, d.pk))


def documents_by_slot(case, *, empty: bool = True) -> list[SlotGroup]:
    grouped: dict[str, list[Document]] = {slot.value: [] for slot in SLOT_ORDER}
    for document in documents_in_order(case):
        grouped[document.slot].append(document)
    return [SlotGroup(slot, grouped[slot.value]) for slot in SLOT_ORDER if empty or grouped[slot.value]]
