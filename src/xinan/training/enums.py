"""Audiences and kinds of the crisis team's education and training work (seed 001, part 三)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """The seed's three groups: students, staff (class teachers first), parents."""

    STUDENTS = "students", _("学生")
    STAFF = "staff", _("教职工")
    PARENTS = "parents", _("家长")


class ActivityKind(models.TextChoices):
    EDUCATION = "education", _("宣传教育")
    TRAINING = "training", _("专题培训")
    DRILL = "drill", _("应急演练")


# Colour-blind-safe tones (Okabe–Ito), one per kind, for the coverage chart.
KIND_COLOURS = {
    ActivityKind.EDUCATION: "#0072b2",
    ActivityKind.TRAINING: "#e69f00",
    ActivityKind.DRILL: "#009e73",
}


AUDIT_LABELS = [("xinan.training.add", _("记录宣传培训活动"))]
