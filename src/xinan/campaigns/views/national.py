"""The national admin runs campaigns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinan.audit.services.record import body_size, record, record_refused_upload
from xinan.campaigns.forms_national import CampaignForm
from xinan.campaigns.models import Campaign, CampaignAttachment
from xinan.campaigns.services.campaigns import ATTACHMENT_MAX_BYTES, add_attachment, publish, save_campaign
from xinan.campaigns.services.errors import FilingError
from xinan.crypto.files import read_encrypted
from xinan.dossier.services.documents import content_disposition
from xinan.web.access import get_for_user_or_404, require_perm


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int | None = None):
    require_perm(request, "campaigns.manage_campaign")
    campaign = get_for_user_or_404(request, "campaigns.manage_campaign", Campaign.objects.all(), pk=pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = save_campaign(form, by=request.user, request=request)
        except FilingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("征集活动已保存。"))
            return redirect("campaigns:campaign", pk=campaign.pk)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def campaign_publish(request, pk: int):
    campaign = get_for_user_or_404(request, "campaigns.manage_campaign", Campaign.objects.all(), pk=pk)
    try:
        publish(campaign, by=request.user, request=request)
    except FilingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发布，各省与填报人员现在可以看到该活动。"))
    return redirect("campaigns:campaign", pk=campaign.pk)


@login_required
@require_POST
def attachment_add(request, pk: int):
    campaign = get_for_user_or_404(request, "campaigns.manage_campaign", Campaign.objects.all(), pk=pk)
    upload = request.FILES.get("file")
    if getattr(request, "upload_too_large", 0):  # cut off while streaming in (xinan.web's upload cap)
        record_refused_upload(
            "campaign.attachment", "file.too_large", obj=campaign, request=request, size=body_size(request)
        )
        messages.error(request, _("附件不能超过 20 MB。"))
    elif upload is None or upload.size == 0:
        messages.error(request, _("请选择要上传的 Word 或 PDF 文件。"))
    elif upload.size > ATTACHMENT_MAX_BYTES:
        messages.error(request, _("附件不能超过 20 MB。"))
    else:
        try:
            data = b"".join(upload.chunks())
            add_attachment(campaign, name=request.POST.get("name", ""), data=data, by=request.user, request=request)
        except FilingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("附件已上传。"))
    return redirect("campaigns:campaign", pk=campaign.pk)


@login_required
@require_GET
def attachment_download(request, pk: int):
    attachment = get_for_user_or_404(
        request, "campaigns.view_campaign_attachment", CampaignAttachment.objects.select_related("campaign"), pk=pk
    )
    data = read_encrypted(attachment.storage_name, sha256=attachment.sha256)
    record("xinan.campaign.attachment.download", request=request, obj=attachment.campaign)
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(
        f"{attachment.name}.{attachment.extension}", fallback=f"attachment-{attachment.pk}.{attachment.extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("<int:pk>/attachments/", attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", attachment_download, name="attachment"),
    path("new/", campaign_edit, name="create"),
    path("<int:pk>/edit/", campaign_edit, name="edit"),
    path("<int:pk>/publish/", campaign_publish, name="publish"),
]
