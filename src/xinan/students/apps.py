from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "xinan.students"
    label = "students"
    verbose_name = _("学生")

    def ready(self) -> None:
        from xinan.audit.labels import register_labels
        from xinan.students.enums import AUDIT_LABELS

        register_labels(AUDIT_LABELS)
