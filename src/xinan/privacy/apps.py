from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "xinan.privacy"
    label = "privacy"
    verbose_name = _("个人信息保护")

    def ready(self) -> None:
        from xinan.audit.labels import register_labels
        from xinan.privacy.enums import PrivacyAction

        register_labels(PrivacyAction.choices)
