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
        register(PeriodicJob("audit_alerts", "xinan.alerts.tasks.task_raise_alerts", dt.timedelta(minutes=10)))
