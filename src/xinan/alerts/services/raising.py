"""Raising alerts from the findings of the rules, and acknowledging them."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.alerts.enums import AlertAction, AlertRule
from xinan.alerts.models import Alert
from xinan.alerts.services.detection import IMMEDIATE_RULES, RULES, Finding, find_patterns
from xinan.alerts.services.queries import recipients_of
from xinan.audit.services.record import record
from xinan.notifications.services.outbox import notify, queue_sms

logger = logging.getLogger(__name__)


def raise_alerts(*, now: dt.datetime | None = None, rules=RULES) -> list[Alert]:
    """Run every rule (or those given); raise (and send) each new alert once. Returns the alerts
    raised now."""
    now = now or timezone.now()
    raised = []
    for finding in find_patterns(now=now, rules=rules):
        alert = raise_alert(finding, now=now)
        if alert is not None:
            raised.append(alert)
    if raised:
        logger.info("audit alerts raised: %d", len(raised))
    return raised


def raise_alert_at_once(sender, instance, created: bool, **kwargs) -> None:
    """``post_save`` receiver of the audit entry: an entry whose rule is immediate runs that rule
    once its transaction commits (a rolled-back entry raises nothing). The audit trail itself
    is written by services, never here; this only reads it."""
    rule = IMMEDIATE_RULES.get(instance.action) if created else None
    if rule is not None:
        transaction.on_commit(lambda: raise_alerts(rules=(rule,)), robust=True)


def raise_alert(finding: Finding, *, now: dt.datetime) -> Alert | None:
    """Create the alert of ``finding`` unless it exists; notify its readers. None when it existed."""
    with transaction.atomic():
        alert, created = Alert.objects.get_or_create(
            rule=finding.rule,
            actor_id=finding.actor_id,
            window_start=finding.window_start,
            defaults={
                "organisation_id": finding.organisation_id,
                "window_end": finding.window_end,
                "count": finding.count,
                "details": finding.details,
                "created_at": now,
            },
        )
        if not created:
            # Keep the count current without telling anyone twice.
            Alert.objects.filter(pk=alert.pk, count__lt=finding.count).update(
                count=finding.count, details=finding.details
            )
            return None
        record(
            AlertAction.RAISED,
            organisation=alert.organisation,
            obj=alert,
            after={"rule": alert.rule, "actor_id": alert.actor_id, "count": alert.count},
        )
        _send(alert)
    return alert


def _send(alert: Alert) -> None:
    rule_label = str(AlertRule(alert.rule).label)
    url = reverse("alerts:list")
    for user in recipients_of(alert):
        key = f"alert-{alert.pk}-{user.pk}"
        notify(user, _("审计告警：%(rule)s") % {"rule": rule_label}, url=url, dedupe_key=key)
        if user.phone:
            queue_sms(user.phone, "audit_alert", {"rule_label": rule_label}, user=user, dedupe_key=f"sms-{key}")


def acknowledge_alert(alert: Alert, *, by, request=None) -> Alert:
    """Mark the alert as seen and handled by ``by``; acknowledging twice changes nothing."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.acknowledged_at is None:
            alert.acknowledged_by = by
            alert.acknowledged_at = timezone.now()
            alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
            record(
                AlertAction.ACKNOWLEDGED,
                actor=by,
                request=request,
                organisation=alert.organisation,
                obj=alert,
                after={"rule": alert.rule},
            )
    return alert
