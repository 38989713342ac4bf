from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "xinan.reviews"
    label = "reviews"
    verbose_name = _("专家评审")

    def ready(self) -> None:
        from xinan.audit.labels import register_labels
        from xinan.reviews.enums import AUDIT_LABELS

        register_labels(AUDIT_LABELS)
