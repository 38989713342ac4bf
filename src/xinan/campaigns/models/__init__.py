from xinan.campaigns.models.campaign import Campaign, CampaignAttachment, SchoolFiling
from xinan.campaigns.models.filing import FilingRight, Submission, SubmissionEvent
from xinan.campaigns.models.originality import OriginalityBand, OriginalityMatch, ReportFingerprint
from xinan.campaigns.models.quota import ProvinceQuota, SchoolQuota

__all__ = [
    "Campaign",
    "CampaignAttachment",
    "FilingRight",
    "OriginalityBand",
    "OriginalityMatch",
    "ProvinceQuota",
    "ReportFingerprint",
    "SchoolFiling",
    "SchoolQuota",
    "Submission",
    "SubmissionEvent",
]
