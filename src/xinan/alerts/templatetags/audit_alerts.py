"""``{% open_alerts %}``: the reader's unacknowledged audit alerts, on the security
administrator's and the team leader's dashboards (nothing for anyone else; one query)."""

from __future__ import annotations

import rules
from django import template

from xinan.alerts.services.queries import open_alerts_for_user

register = template.Library()

SHOWN = 5


@register.inclusion_tag("alerts/_open_alerts.html", takes_context=True)
def open_alerts(context):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not rules.has_perm("alerts.view_alerts", user):
        return {"visible": False}
    alerts = list(open_alerts_for_user(user)[: SHOWN + 1])
    return {"visible": True, "alerts": alerts[:SHOWN], "more": len(alerts) > SHOWN}
