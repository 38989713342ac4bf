from xinan.campaigns.models.campaign import Campaign, SchoolFiling
from xinan.campaigns.models.filing import FilingRight, Submission, SubmissionEvent
from xinan.campaigns.models.quota import ProvinceQuota, SchoolQuota

__all__ = ["Campaign", "FilingRight", "ProvinceQuota", "SchoolFiling", "SchoolQuota", "Submission", "SubmissionEvent"]
