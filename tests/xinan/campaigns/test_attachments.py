from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.campaign_fixtures import report_files
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import CampaignAttachment


def _upload(client, campaign, data, name="案例报告模板"):
    return client.post(
        reverse("campaigns:attachment_add", args=[campaign.pk]),
        {"name": name, "file": SimpleUploadedFile("template.docx", data)},
        follow=True,
    )


def test_national_admin_attaches_the_template_and_filers_download_it(client, world, campaign, right):
    client.force_login(world.national_admin)
    _upload(client, campaign, report_files()[0])
    attachment = CampaignAttachment.objects.get()
    assert attachment.extension == "docx"
    client.force_login(world.filer_a)
    page = client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()
    assert "案例报告模板.docx" in page
    response = client.get(reverse("campaigns:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]


def test_attachment_refuses_other_types_with_a_chinese_message(client, world, campaign):
    client.force_login(world.national_admin)
    response = _upload(client, campaign, b"MZ" + b"\0" * 200)
    assert "拒绝" in response.content.decode() or "只接受" in response.content.decode()
    assert not CampaignAttachment.objects.exists()


def test_attachment_hidden_from_people_without_the_campaign(client, world, campaign):
    client.force_login(world.national_admin)
    _upload(client, campaign, report_files()[1], name="操作指南")
    attachment = CampaignAttachment.objects.get()
    client.force_login(world.counsellor_a)
    before = AuditEntry.objects.filter(action="xinan.access.denied").count()
    assert client.get(reverse("campaigns:attachment", args=[attachment.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="xinan.access.denied").count() == before + 1


def test_only_the_national_admin_uploads(client, world, campaign):
    client.force_login(world.provincial_admin_a)
    response = client.post(
        reverse("campaigns:attachment_add", args=[campaign.pk]),
        {"name": "x", "file": SimpleUploadedFile("t.docx", report_files()[0])},
    )
    assert response.status_code == 404
    assert not CampaignAttachment.objects.exists()
