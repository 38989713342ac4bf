"""Originality: a fingerprint per filed report, its LSH band keys, and the near duplicates found.

A match is a flag for people (provincial and national admins, later reviewers) to read the
matching passages side by side; it never changes a submission's state.
"""

from __future__ import annotations

import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinan.crypto.fields import EncryptedTextField


class ReportFingerprint(models.Model):
    """The shingle hashes and MinHash signature of one submission's report body."""

    submission = models.OneToOneField("campaigns.Submission", on_delete=models.CASCADE, related_name="fingerprint")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    # The report body with the template's headings and the standard footnote left out, kept
    # (encrypted) so that the matching passages can be shown in their original punctuation.
    body = EncryptedTextField(blank=True)
    shingles = models.BinaryField()  # sorted unsigned 32-bit shingle hashes, little-endian
    shingle_count = models.PositiveIntegerField(default=0)
    signature = models.BinaryField()  # one-permutation MinHash, unsigned 64-bit, little-endian
    computed_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["campaign"])]

    def __str__(self) -> str:
        return f"fingerprint:{self.submission_id}"


class OriginalityBand(models.Model):
    """One LSH band key of a fingerprint: reports sharing a key are candidates for comparison."""

    fingerprint = models.ForeignKey(ReportFingerprint, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.fingerprint_id}:{self.key}"


class OriginalityMatch(models.Model):
    """A near duplicate: two submissions (earlier = the lower id) and their matching passages."""

    earlier = models.ForeignKey("campaigns.Submission", on_delete=models.CASCADE, related_name="+")
    later = models.ForeignKey("campaigns.Submission", on_delete=models.CASCADE, related_name="+")
    jaccard = models.FloatField(_("相似度"))
    containment = models.FloatField(_("包含度"))
    shared_shingles = models.PositiveIntegerField(default=0)
    # [{"earlier": "...", "later": "...", "chars": n}], encrypted: the passages are report text.
    passages_json = EncryptedTextField(blank=True)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("相似案例")
        verbose_name_plural = _("相似案例")
        ordering = ["-containment", "-jaccard", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="originality_match_unique"),
            models.CheckConstraint(condition=models.Q(earlier__lt=models.F("later")), name="originality_match_order"),
        ]

    def __str__(self) -> str:
        return f"{self.earlier_id}~{self.later_id}"

    @property
    def passages(self) -> list[dict]:
        return json.loads(self.passages_json) if self.passages_json else []

    @property
    def score_percent(self) -> int:
        return round(max(self.jaccard, self.containment) * 100)
