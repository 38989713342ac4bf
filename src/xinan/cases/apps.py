from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "xinan.cases"
    label = "cases"
    verbose_name = _("危机个案")

    def ready(self) -> None:
        import datetime as dt

        from xinan.audit.labels import register_labels
        from xinan.cases.enums import AUDIT_LABELS
        from xinan.jobs.services.periodic import PeriodicJob, register

        register_labels(AUDIT_LABELS)
        register(PeriodicJob("case_reminders", "xinan.cases.tasks.task_send_case_reminders", dt.timedelta(minutes=10)))
