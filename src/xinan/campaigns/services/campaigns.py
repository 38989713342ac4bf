"""Running a campaign (national admin): create, change, publish."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record
from xinan.campaigns.models import Campaign
from xinan.campaigns.services.errors import FilingError


def save_campaign(form, *, by, request=None) -> Campaign:
    with transaction.atomic():
        creating = form.instance.pk is None
        campaign = form.save(commit=False)
        if creating:
            campaign.created_by = by
        elif campaign.published_at and campaign.submissions.exclude(state="draft").exists():
            changed = {"school_quota", "char_limit", "opens_at"} & set(form.changed_data)
            if changed:
                raise FilingError(_("已有学校提交案例，不能再修改每校限报、字数上限或开始时间。"))
        campaign.save()
        record(
            "xinan.campaign.create" if creating else "xinan.campaign.change",
            actor=by,
            obj=campaign,
            request=request,
            after={"fields": sorted(form.changed_data)},
        )
    return campaign


def publish(campaign: Campaign, *, by, request=None) -> Campaign:
    if campaign.published_at is not None:
        raise FilingError(_("该征集活动已发布。"))
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["published_at"])
    record("xinan.campaign.publish", actor=by, obj=campaign, request=request)
    return campaign
