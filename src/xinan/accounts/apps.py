from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "xinan.accounts"
    label = "accounts"
    verbose_name = _("账号与登录")

    def ready(self) -> None:
        from xinan.accounts.enums import AUDIT_LABELS
        from xinan.audit.labels import register_labels

        register_labels(AUDIT_LABELS)
