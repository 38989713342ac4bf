from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinan.organisations.enums import PARENT_KIND, OrgKind, SchoolType

official_code_validator = RegexValidator(r"^[0-9A-Za-z]{2,20}$", _("机构代码只能由2到20位字母或数字组成。"))


class Organisation(models.Model):
    """A node of nation → province → school → department.

    ``path`` is a materialised path of primary keys ("/1/4/17/") so that
    "everything under this province" is one indexed prefix query.
    """

    kind = models.CharField(_("类型"), max_length=16, choices=OrgKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    # Province: GB/T 2260 division code (e.g. 440000). School: the Ministry's
    # 10-digit school identifier (学校标识码). Department: the school's own code.
    code = models.CharField(_("机构代码"), max_length=20, validators=[official_code_validator])
    school_type = models.CharField(_("学校类型"), max_length=16, choices=SchoolType.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="organisation_unique_code_per_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        path = f"{parent_path}{self.pk}/"
        if path != self.path:
            self.path = path
            self.depth = path.count("/") - 2
            type(self).objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    def clean(self) -> None:
        expected_parent = PARENT_KIND[OrgKind(self.kind)]
        actual_parent = self.parent.kind if self.parent_id else None
        if expected_parent != actual_parent:
            raise ValidationError({"parent": _("上级组织的类型不正确。")})
        if self.kind == OrgKind.SCHOOL and not self.school_type:
            raise ValidationError({"school_type": _("学校必须选择类型（高校或中学）。")})
        if self.kind != OrgKind.SCHOOL and self.school_type:
            raise ValidationError({"school_type": _("只有学校才有学校类型。")})

    def is_within(self, other: Organisation) -> bool:
        """True when this organisation is ``other`` or lies under it."""
        return self.path.startswith(other.path)

    @property
    def school(self) -> Organisation | None:
        """The school this organisation is or belongs to."""
        if self.kind == OrgKind.SCHOOL:
            return self
        if self.kind == OrgKind.DEPARTMENT:
            return self.parent
        return None

    @property
    def province(self) -> Organisation | None:
        node: Organisation | None = self
        while node is not None and node.kind != OrgKind.PROVINCE:
            node = node.parent
        return node
