from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xinan.reports"
    label = "reports"
    verbose_name = _("案例报告")

    def ready(self) -> None:
        from xinan.audit.labels import register_labels
        from xinan.reports.enums import ReportAction

        register_labels(ReportAction.choices)
