from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "xinan.campaigns"
    label = "campaigns"
    verbose_name = _("案例征集")

    def ready(self) -> None:
        from xinan.audit.labels import register_labels
        from xinan.campaigns.enums import AUDIT_LABELS

        register_labels(AUDIT_LABELS)
