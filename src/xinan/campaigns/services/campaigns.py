"""Running a campaign (national admin): create, change, publish."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinan.audit.services.record import record, record_refused_upload
from xinan.campaigns.models import Campaign, CampaignAttachment
from xinan.campaigns.services.errors import FilingError
from xinan.crypto.files import store_encrypted


def rubric_locked(campaign: Campaign) -> bool:
    """Once an expert has scored a case, the rubric they scored on cannot change."""
    return campaign.pk is not None and campaign.review_rounds.filter(assignments__review__isnull=False).exists()


# Fixed once a school has submitted: changing them would judge submitted cases by other rules.
LOCKED_AFTER_SUBMISSION = ("school_quota", "char_limit", "char_limit_mode", "char_tolerance", "opens_at")


def _value(campaign: Campaign, name: str):
    """A field's value as the form shows it: times to the second (the form has no microseconds)."""
    value = getattr(campaign, name)
    return value.replace(microsecond=0) if isinstance(value, dt.datetime) else value


def save_campaign(form, *, by, request=None) -> Campaign:
    with transaction.atomic():
        creating = form.instance.pk is None
        stored = None if creating else Campaign.objects.select_for_update().get(pk=form.instance.pk)
        campaign = form.save(commit=False)
        if creating:
            campaign.created_by = by
        else:
            # Compared by value, not by form.changed_data: a field left out of the post is not a change.
            if campaign.rubric != stored.rubric and rubric_locked(campaign):
                raise FilingError(_("已有专家提交评审意见，评审指标已锁定，不能再修改。"))
            changed = [name for name in LOCKED_AFTER_SUBMISSION if _value(campaign, name) != _value(stored, name)]
            if changed and stored.published_at and stored.submissions.exclude(state="draft").exists():
                raise FilingError(_("已有学校提交案例，不能再修改每校限报、字数上限、字数控制、字数浮动或开始时间。"))
        campaign.save()
        record(
            "xinan.campaign.create" if creating else "xinan.campaign.change",
            actor=by,
            obj=campaign,
            request=request,
            after={"fields": sorted(form.changed_data)},
        )
    return campaign


def ensure_school_admitted(campaign: Campaign, school) -> None:
    """Raise unless the campaign takes part of this school's type (Campaign.admits_school)."""
    if not campaign.admits_school(school):
        raise FilingError(
            _("本次征集只面向%(types)s，%(school)s（%(type)s）不在征集范围内。")
            % {"types": campaign.school_types_text(), "school": school.name, "type": school.get_school_type_display()}
        )


ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def add_attachment(campaign: Campaign, *, name: str, data: bytes, by, request=None) -> CampaignAttachment:
    """A Word or PDF file of the notice, checked by content, stored encrypted with its checksum."""
    from xinan.dossier.services.errors import DossierError
    from xinan.dossier.services.filetypes import DOCX_TYPE, detect

    if len(data) > ATTACHMENT_MAX_BYTES:
        raise FilingError(_("附件不能超过 20 MB。"))
    try:
        detected = detect(data)
    except DossierError as exc:
        record_refused_upload("campaign.attachment", exc.code, actor=by, obj=campaign, request=request, size=len(data))
        raise FilingError(exc.message, code=exc.code) from exc
    if detected.content_type not in {DOCX_TYPE, "application/pdf"}:
        raise FilingError(_("通知附件只接受 Word（.docx）或 PDF 文件。"))
    stored = store_encrypted(data, folder="campaigns/attachments")
    attachment = CampaignAttachment.objects.create(
        campaign=campaign,
        name=name.strip()[:120] or _("附件"),
        storage_name=stored.name,
        sha256=stored.sha256,
        size=stored.size,
        content_type=detected.content_type,
        extension=detected.extension,
        uploaded_by=by,
    )
    record("xinan.campaign.attachment.add", actor=by, obj=campaign, request=request, after={"sha256": stored.sha256})
    return attachment


def publish(campaign: Campaign, *, by, request=None) -> Campaign:
    if campaign.published_at is not None:
        raise FilingError(_("该征集活动已发布。"))
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["published_at"])
    record("xinan.campaign.publish", actor=by, obj=campaign, request=request)
    return campaign
