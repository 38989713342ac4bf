from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "xinan.retention"
    label = "retention"
    verbose_name = _("保存期限与销毁")

    def ready(self) -> None:
        import datetime as dt

        from xinan.audit.labels import register_labels
        from xinan.jobs.services.periodic import PeriodicJob, register
        from xinan.retention.enums import AUDIT_LABELS

        register_labels(AUDIT_LABELS)
        register(PeriodicJob("retention_destroy", "xinan.retention.tasks.task_destroy_due_cases", dt.timedelta(days=1)))
