from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.campaigns.enums import STATE_COLOURS, Outcome, SubmissionState
from xinan.crypto.fields import EncryptedCharField


class FilingRight(models.Model):
    """A filer's right to file for their school in a campaign, granted by the province."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="filing_rights")
    filer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="filing_rights")
    school = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    is_open = models.BooleanField(_("开放"), default=True)
    # A per-filer extension of the filing deadline, granted by the province with a reason.
    extended_until = models.DateTimeField(_("延期至"), null=True, blank=True)
    extension_reason = models.CharField(_("延期原因"), max_length=200, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    # When the province last sent this filer the campaign's SMS invitation: deadline reminders go
    # only to filers who were told of the campaign (or who have started a case).
    invited_at = models.DateTimeField(_("短信通知时间"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "filer"], name="filing_right_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.filer_id}"


class Submission(models.Model):
    """A school's case report in a campaign (申报项目)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="submissions")
    school = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    filer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(_("状态"), max_length=12, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    title = models.CharField(_("主标题"), max_length=100, blank=True)
    subtitle = models.CharField(_("副标题"), max_length=150, blank=True)
    authors = models.JSONField(_("作者"), default=list)  # [{"name", "unit", "position"}]
    contact_phone = EncryptedCharField(_("联系电话"), form_max_length=20, blank=True)
    trigger = models.CharField(_("诱发事件"), max_length=20, blank=True)
    nature = models.CharField(_("危机性质"), max_length=20, blank=True)
    outcome = models.CharField(_("干预结果"), max_length=16, choices=Outcome.choices, blank=True)
    # The two files, stored encrypted (xinan.crypto.files); their sha256 are of the plaintext.
    docx_name = models.CharField(max_length=200, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_name = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    char_count = models.PositiveIntegerField(_("字数"), null=True, blank=True)
    checks = models.JSONField(_("检查结果"), default=dict)  # {"problems": [...], "flags": [...], "same_text": bool}
    flag_decisions = models.JSONField(default=dict)  # {"<kind>:<text>": {"decision": "kept", "reason": "..."}}
    # When the filer last saved the basic information; cleared by every upload, so information
    # derived from new files is confirmed by the filer before it can be submitted.
    info_confirmed_at = models.DateTimeField(null=True, blank=True)
    declarations_version = models.CharField(max_length=20, blank=True)
    declarations_agreed_at = models.DateTimeField(null=True, blank=True)
    # Frozen at submission: sha256 over both file digests and the basic information.
    submission_hash = models.CharField(_("提交指纹"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    revision = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申报案例")
        verbose_name_plural = _("申报案例")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "school", "state"]),
            models.Index(fields=["campaign", "state"]),
        ]

    def __str__(self) -> str:
        return self.title or f"Submission #{self.pk}"

    @property
    def state_colour(self) -> str:
        return STATE_COLOURS[SubmissionState(self.state)]


class SubmissionEvent(models.Model):
    """The history of a submission: every state change, with the files' hash at that moment."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, choices=SubmissionState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=SubmissionState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    submission_hash = models.CharField(max_length=64, blank=True)
    docx_name = models.CharField(max_length=200, blank=True)
    pdf_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state or '-'}→{self.to_state}"
