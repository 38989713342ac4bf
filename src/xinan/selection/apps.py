from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "xinan.selection"
    label = "selection"
    verbose_name = _("推荐与遴选")

    def ready(self) -> None:
        from xinan.audit.labels import register_labels
        from xinan.selection.enums import AUDIT_LABELS

        register_labels(AUDIT_LABELS)
