from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Operator commands that touch every app: backup, restore and encryption-key rotation."""

    name = "xinan.operations"
    label = "operations"
    verbose_name = _("运维")

    def ready(self) -> None:
        from xinan.audit.labels import register_labels
        from xinan.operations import checks  # noqa: F401 - registers the deploy checks
        from xinan.operations.enums import OperationsAction

        register_labels(OperationsAction.choices)
