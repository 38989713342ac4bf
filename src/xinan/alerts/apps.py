from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "xinan.alerts"
    label = "alerts"
    verbose_name = _("审计告警")
