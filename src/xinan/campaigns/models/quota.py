"""The quota ledger. A slot is taken and freed by a conditional UPDATE in the same
transaction as the state change: concurrent submits can never exceed the quota."""

from __future__ import annotations

from django.db import models


class SchoolQuota(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="school_quotas")
    school = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveSmallIntegerField()
    used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="school_quota_unique"),
            models.CheckConstraint(condition=models.Q(used__lte=models.F("quota")), name="school_quota_not_exceeded"),
        ]

    def __str__(self) -> str:
        return f"{self.used}/{self.quota}"

    @property
    def left(self) -> int:
        return max(self.quota - self.used, 0)


class ProvinceQuota(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="province_quotas")
    province = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveSmallIntegerField()
    used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "province"], name="province_quota_unique")]

    def __str__(self) -> str:
        return f"{self.used}/{self.quota}"

    @property
    def left(self) -> int:
        return max(self.quota - self.used, 0)
