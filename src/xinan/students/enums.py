from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class GuardianRelation(models.TextChoices):
    FATHER = "father", _("父亲")
    MOTHER = "mother", _("母亲")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    OTHER = "other", _("其他监护人")
