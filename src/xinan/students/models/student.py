"""The minimum the crisis work needs about a student. Students and guardians have no account."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinan.crypto.fields import EncryptedCharField, EncryptedDateField
from xinan.crypto.keys import blind_index
from xinan.students.enums import GuardianRelation, Sex


class SchoolClass(models.Model):
    """A class (班级) of a school, with its class teacher (班主任)."""

    school = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="classes")
    department = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("院系/年级组"),
    )
    grade = models.CharField(_("年级"), max_length=20)
    name = models.CharField(_("班级"), max_length=40)
    class_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="classes_taught",
        verbose_name=_("班主任"),
    )

    class Meta:
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        constraints = [models.UniqueConstraint(fields=["school", "grade", "name"], name="class_unique_per_school")]
        ordering = ["grade", "name"]

    def __str__(self) -> str:
        return f"{self.grade}{self.name}"


class Student(models.Model):
    school = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="students")
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.SET_NULL, related_name="students", verbose_name=_("班级")
    )
    name = EncryptedCharField(_("姓名"), form_max_length=40)
    name_index = models.CharField(max_length=32, db_index=True, editable=False)
    student_number = EncryptedCharField(_("学号"), form_max_length=30, blank=True)
    number_index = models.CharField(max_length=32, db_index=True, editable=False, blank=True)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices, blank=True)
    birth_date = EncryptedDateField(_("出生日期"), null=True, blank=True)
    # When the student leaves this school stage (graduation, withdrawal, transfer): retention counts from here.
    left_on = models.DateField(_("离校日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number_index"], condition=~models.Q(number_index=""), name="student_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_index = blind_index("student-name", self.name)
        self.number_index = blind_index("student-number", self.student_number) if self.student_number else ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_index", "number_index"}
        super().save(*args, **kwargs)

    def age_on(self, day: dt.date) -> int | None:
        """Full years of age on ``day`` (a birthday on the day counts)."""
        if self.birth_date is None:
            return None
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class Guardian(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardians")
    relation = models.CharField(_("关系"), max_length=16, choices=GuardianRelation.choices)
    name = EncryptedCharField(_("姓名"), form_max_length=40)
    phone = EncryptedCharField(_("电话"), form_max_length=20)
    is_primary = models.BooleanField(_("首要联系人"), default=False)

    class Meta:
        verbose_name = _("监护人")
        verbose_name_plural = _("监护人")
        ordering = ["-is_primary", "pk"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.name}"

    @property
    def masked_phone(self) -> str:
        from xinan.accounts.validators import mask_phone

        return mask_phone(self.phone)
