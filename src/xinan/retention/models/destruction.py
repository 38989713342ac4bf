from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.retention.enums import CountedFrom, RecordKind, RetentionAction


class DestructionRecord(models.Model):
    """That a record was destroyed, when and under which rule. Never its content: the reference
    is a hash of the school and the case reference, so a known case can be matched but a
    destroyed one cannot be read back."""

    kind = models.CharField(_("记录类型"), max_length=16, choices=RecordKind.choices)
    action = models.CharField(_("处置方式"), max_length=16, choices=RetentionAction.choices)
    school = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("学校")
    )
    reference_hash = models.CharField(_("记录指纹"), max_length=64, db_index=True)
    destroyed_at = models.DateTimeField(_("销毁时间"), default=timezone.now)
    rule_years = models.PositiveSmallIntegerField(_("保存年限"))
    counted_from = models.CharField(_("起算依据"), max_length=8, choices=CountedFrom.choices)
    counted_from_date = models.DateField(_("起算日期"))
    due_on = models.DateField(_("保存期满日"))
    rows_removed = models.PositiveIntegerField(_("删除的数据行数"), default=0)
    files_removed = models.PositiveIntegerField(_("删除的文件数"), default=0)
    # Anonymise mode only: rows removed per record type, e.g. {"cases.followup": 3}.
    counts = models.JSONField(_("计数"), default=dict, blank=True)
    by_job = models.CharField(_("执行任务"), max_length=40)

    class Meta:
        verbose_name = _("销毁记录")
        verbose_name_plural = _("销毁记录")
        ordering = ["-destroyed_at", "-pk"]

    def __str__(self) -> str:
        return f"Destruction #{self.pk} {self.kind}"
