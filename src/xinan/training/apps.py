from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "xinan.training"
    label = "training"
    verbose_name = _("宣传教育与培训演练")

    def ready(self) -> None:
        from xinan.audit.labels import register_labels
        from xinan.training.enums import AUDIT_LABELS

        register_labels(AUDIT_LABELS)
