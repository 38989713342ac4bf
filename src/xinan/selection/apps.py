from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "xinan.selection"
    label = "selection"
    verbose_name = _("推荐与遴选")
