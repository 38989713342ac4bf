from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "xinan.exports"
    label = "exports"
    verbose_name = _("数据导出审批")

    def ready(self) -> None:
        from xinan.audit.labels import register_labels
        from xinan.exports import rules  # noqa: F401 - registers the permissions
        from xinan.exports.enums import AUDIT_LABELS

        register_labels(AUDIT_LABELS)
