"""``{% masked obj "field" %}``: a phone or ID number masked, with a "显示完整" control for a
reader allowed to see it whole (an htmx GET to the audited reveal view; no inline script)."""

from __future__ import annotations

import rules
from django import template
from django.urls import reverse

from xinan.privacy.services.masking import maskable_for, masked_value

register = template.Library()


@register.inclusion_tag("privacy/_masked.html", takes_context=True)
def masked(context, obj, field: str):
    maskable = maskable_for(obj, field)
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    value = masked_value(obj, field)
    url = ""
    if value and user is not None and rules.has_perm(maskable.permission, user, obj):
        url = reverse("privacy:reveal", args=[maskable.key, obj.pk])
    return {"masked": value, "url": url}
