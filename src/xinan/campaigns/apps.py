from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "xinan.campaigns"
    label = "campaigns"
    verbose_name = _("案例征集")

    def ready(self) -> None:
        import datetime as dt

        from xinan.audit.labels import register_labels
        from xinan.campaigns.enums import AUDIT_LABELS
        from xinan.jobs.services.periodic import PeriodicJob, register

        register_labels(AUDIT_LABELS)
        register(
            PeriodicJob(
                "campaign_deadline_reminders",
                "xinan.campaigns.tasks.task_send_deadline_reminders",
                dt.timedelta(minutes=15),
            )
        )
