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


AUDIT_LABELS = [
    ("xinan.student.list", _("查看学生名册")),
    ("xinan.student.view", _("查看学生信息")),
    ("xinan.student.add", _("添加学生")),
    ("xinan.student.change", _("修改学生信息")),
    ("xinan.student.import", _("导入学生名册")),
    ("xinan.student.import.rejected", _("学生名册导入未通过检查")),
    ("xinan.student.class.add", _("添加班级")),
    ("xinan.student.class.change", _("修改班级")),
]
