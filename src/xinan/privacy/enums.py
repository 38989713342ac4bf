"""Purposes, givers and forms of a consent, the policy pages, and the privacy audit actions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# PIPL Art. 31: a child under this age consents through a guardian.
GUARDIAN_CONSENT_BELOW_AGE = 14


class ConsentPurpose(models.TextChoices):
    RECORD_KEEPING = "record_keeping", _("建立和保存心理危机干预记录")
    HOSPITAL_REFERRAL = "hospital_referral", _("转介时向医疗机构提供个人信息")
    CASE_REPORT = "case_report", _("将去标识化后的个案用于撰写案例报告")
    OTHER = "other", _("其他用途")


# The purposes a consent-based case is checked against (``other`` is shown per consent).
STANDARD_PURPOSES = [ConsentPurpose.RECORD_KEEPING, ConsentPurpose.HOSPITAL_REFERRAL, ConsentPurpose.CASE_REPORT]


class ConsentGiver(models.TextChoices):
    STUDENT = "student", _("学生本人")
    GUARDIAN = "guardian", _("监护人")


class ConsentForm(models.TextChoices):
    WRITTEN = "written", _("书面签字")
    ORAL_RECORDED = "oral_recorded", _("口头同意（有录音或记录）")
    ELECTRONIC = "electronic", _("电子方式")


class PolicySlug(models.TextChoices):
    PROCESSING_RULES = "rules", _("个人信息处理规则")
    CHILDREN = "children", _("儿童个人信息保护规则")


class PrivacyAction(models.TextChoices):
    CONSENT_RECORDED = "xinan.privacy.consent.recorded", _("记录个人信息处理同意")
    CONSENT_WITHDRAWN = "xinan.privacy.consent.withdrawn", _("记录撤回同意")
    CONSENT_PROOF_VIEWED = "xinan.privacy.consent.proof_viewed", _("查看同意凭证")
    BASIS_CHANGED = "xinan.privacy.basis.changed", _("变更个案处理依据")
    POLICY_UPDATED = "xinan.privacy.policy.updated", _("修改个人信息保护规则页面")
    FIELD_REVEALED = "xinan.privacy.reveal", _("查看完整手机号或证件号")
