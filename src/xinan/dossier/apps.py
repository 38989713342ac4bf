from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    name = "xinan.dossier"
    label = "dossier"
    verbose_name = _("一人一案档案")

    def ready(self) -> None:
        from xinan.audit.labels import register_labels
        from xinan.dossier.enums import AUDIT_LABELS

        register_labels(AUDIT_LABELS)
