"""A case report (案例报告) being written in the official template, and the author's
decisions on the de-identification flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.crypto.fields import EncryptedTextField
from xinan.reports.enums import REPORT_STATUS_COLOURS, FlagDecisionKind, ReportStatus, ReportUseBasis

# The sections the author writes, by xinan_reportformat's keys, in the template's order.
SECTION_FIELDS = ("basic_info", "occurrence", "process", "result", "experience")


class CaseReport(models.Model):
    """Personal-data-bearing until de-identified: every text is encrypted at rest."""

    school = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="case_reports", verbose_name=_("学校")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_reports", verbose_name=_("作者")
    )
    title = EncryptedTextField(_("主标题"), blank=True)
    subtitle = EncryptedTextField(_("副标题"), blank=True)
    basic_info = EncryptedTextField(_("当事人基本信息"), blank=True)
    occurrence = EncryptedTextField(_("危机的发生"), blank=True)
    process = EncryptedTextField(_("干预过程"), blank=True)
    result = EncryptedTextField(_("干预结果"), blank=True)
    experience = EncryptedTextField(_("经验分享"), blank=True)
    has_artistic_footnote = models.BooleanField(_("加注“艺术加工”脚注"), default=True)
    status = models.CharField(_("状态"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # Counted on every save by xinan_reportformat.count_report_chars (the five sections' bodies).
    char_count = models.PositiveIntegerField(_("正文字数"), default=0)
    # "Draft from a case": the closed case it started from, why that use is lawful, and the
    # author's confirmation that the text will be (and, when ready, was) de-identified.
    source_case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_reports",
        verbose_name=_("来源个案"),
    )
    use_basis = models.CharField(_("使用个案的依据"), max_length=20, choices=ReportUseBasis.choices, blank=True)
    use_basis_note = EncryptedTextField(_("依据说明"), blank=True)
    deidentify_confirmed_at = models.DateTimeField(_("承诺去标识化的时间"), null=True, blank=True)
    deidentified_at = models.DateTimeField(_("确认已去标识化的时间"), null=True, blank=True)
    ready_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("案例报告")
        verbose_name_plural = _("案例报告")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["author", "updated_at"]),
            models.Index(fields=["school", "status"]),
        ]

    def __str__(self) -> str:
        return f"CaseReport #{self.pk}"

    @property
    def status_colour(self) -> str:
        return REPORT_STATUS_COLOURS[ReportStatus(self.status)]

    @property
    def is_ready(self) -> bool:
        return self.status == ReportStatus.READY

    def section_texts(self) -> dict[str, str]:
        return {key: getattr(self, key) or "" for key in SECTION_FIELDS}


class FlagDecision(models.Model):
    """What the author did with one de-identification flag.

    A flag is identified by its kind and its text only (a keyed digest, never the
    surrounding text), so a decision holds wherever the same text recurs. The flagged
    text itself is kept (encrypted) only for dismissals: after a replacement it is gone
    from the report, and keeping it here would undo the de-identification.
    """

    report = models.ForeignKey(CaseReport, on_delete=models.CASCADE, related_name="flag_decisions")
    kind = models.CharField(_("类型"), max_length=20)
    severity = models.CharField(_("级别"), max_length=8)
    fingerprint = models.CharField(max_length=32)
    decision = models.CharField(_("处理"), max_length=10, choices=FlagDecisionKind.choices)
    kept_text = EncryptedTextField(_("保留的文字"), blank=True)
    replacement = EncryptedTextField(_("替换为"), blank=True)
    reason = EncryptedTextField(_("保留理由"), blank=True)
    occurrences = models.PositiveIntegerField(_("替换处数"), default=0)
    # True for the replacements applied when a draft was built from a case.
    automatic = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["report", "fingerprint"])]

    def __str__(self) -> str:
        return f"FlagDecision #{self.pk} {self.decision}"
