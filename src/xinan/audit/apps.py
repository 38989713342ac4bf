from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "xinan.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from xinan.audit.enums import AuditAction
        from xinan.audit.labels import register_labels

        register_labels(AuditAction.choices)
