from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "xinan.organisations"
    label = "organisations"
    verbose_name = _("组织与角色")
