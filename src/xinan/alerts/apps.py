from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "xinan.alerts"
    label = "alerts"
    verbose_name = _("审计告警")

    def ready(self) -> None:
        import datetime as dt

        from xinan.alerts import rules  # noqa: F401 - registers the permissions
        from xinan.alerts.enums import AlertAction
        from xinan.audit.labels import register_labels
        from xinan.jobs.services.periodic import PeriodicJob, register

        register_labels(AlertAction.choices)
        from django.db.models.signals import post_save

        from xinan.alerts.services.raising import raise_alert_at_once
        from xinan.audit.models import AuditEntry

        post_save.connect(raise_alert_at_once, sender=AuditEntry, dispatch_uid="xinan.alerts.at_once")
        register(PeriodicJob("audit_alerts", "xinan.alerts.tasks.task_raise_alerts", dt.timedelta(minutes=10)))
