from django import template

from xinan.dossier.services.queries import documents_by_slot

register = template.Library()


@register.simple_tag
def dossier_slots(case, empty=False):
    """The case's documents grouped by slot, in the seed's order."""
    return documents_by_slot(case, empty=empty)


@register.filter
def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
