import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.campaign_fixtures import report_files
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import Submission
from xinan.campaigns.services import filing

DENIED = "xinan.access.denied"


@pytest.fixture
def draft(world, campaign, right):
    return filing.start_submission(campaign, filer=world.filer_a)


def _files(docx: bytes, pdf: bytes) -> dict:
    return {
        "docx": SimpleUploadedFile("案例.docx", docx, content_type="application/octet-stream"),
        "pdf": SimpleUploadedFile("案例.pdf", pdf, content_type="application/pdf"),
    }


def test_filer_uploads_fills_info_declares_and_submits(client, world, draft):
    client.force_login(world.filer_a)
    docx, pdf = report_files()
    response = client.post(reverse("campaigns:upload_files", args=[draft.pk]), _files(docx, pdf))
    assert response.status_code == 302
    page = client.get(reverse("campaigns:submission", args=[draft.pk])).content.decode()
    assert 'data-test="char-count"' in page
    info = {
        "title": "携手同行 守护生命",
        "subtitle": "——一例由学业挫折引发的自我伤害危机的干预报告",
        "authors": "测试作者，某大学心理中心，专职咨询师",
        "contact_phone": "137 1234 5678",
        "trigger": "学业",  # the campaign's category for the subtitle's "学业挫折"
        "nature": "自我伤害",
        "outcome": "successful",
    }
    assert client.post(reverse("campaigns:save_info", args=[draft.pk]), info).status_code == 302
    client.post(reverse("campaigns:declare", args=[draft.pk]), {"d0": "on", "d1": "on", "d2": "on", "d3": "on"})
    response = client.post(reverse("campaigns:submit", args=[draft.pk]), follow=True)
    assert "提交成功" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "submitted"
    assert draft.submission_hash in response.content.decode()


def test_upload_of_renamed_doc_shows_chinese_error_and_keeps_page(client, world, draft):
    client.force_login(world.filer_a)
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024
    response = client.post(reverse("campaigns:upload_files", args=[draft.pk]), _files(ole2, report_files()[1]))
    assert response.status_code == 400
    assert "Word 文件" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.docx_name


def test_info_form_bad_phone_keeps_what_was_typed(client, world, draft):
    client.force_login(world.filer_a)
    response = client.post(
        reverse("campaigns:save_info", args=[draft.pk]),
        {
            "title": "我的标题",
            "subtitle": "副标题",
            "authors": "甲，乙，丙",
            "contact_phone": "12345",
            "trigger": "家庭",
            "nature": "其他",
            "outcome": "successful",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "手机号" in html
    assert "我的标题" in html


def test_submit_without_files_lists_reasons(client, world, draft):
    client.force_login(world.filer_a)
    response = client.post(reverse("campaigns:submit", args=[draft.pk]), follow=True)
    assert "Word（.docx）和 PDF" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("filer_a", 200),
        ("provincial_admin_a", 200),
        ("provincial_admin_b", 404),
        ("national_admin", 404),
        ("counsellor_a", 404),
        ("team_leader_b", 404),
    ],
)
def test_submission_page_role_matrix(client, world, draft, who, status):
    client.force_login(getattr(world, who))
    before = AuditEntry.objects.filter(action=DENIED).count()
    assert client.get(reverse("campaigns:submission", args=[draft.pk])).status_code == status
    assert AuditEntry.objects.filter(action=DENIED).count() == before + (status == 404)


@pytest.mark.parametrize("who", ["provincial_admin_a", "provincial_admin_b", "counsellor_a"])
def test_only_the_filer_may_change_a_submission(client, world, draft, who):
    client.force_login(getattr(world, who))
    response = client.post(reverse("campaigns:save_info", args=[draft.pk]), {"title": "被改了"})
    assert response.status_code == 404
    assert Submission.objects.get(pk=draft.pk).title == ""


def test_campaign_page_shows_countdown_and_quota(client, world, campaign, right):
    client.force_login(world.filer_a)
    html = client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()
    assert "data-deadline" in html
    assert "已用名额 0 / 3" in html


def test_campaign_page_hidden_from_people_without_a_right(client, world, campaign):
    client.force_login(world.counsellor_a)
    assert client.get(reverse("campaigns:campaign", args=[campaign.pk])).status_code == 404


def test_filer_withdraws_from_the_page(client, world, draft):
    client.force_login(world.filer_a)
    assert 'data-test="withdraw"' in client.get(reverse("campaigns:submission", args=[draft.pk])).content.decode()
    client.post(reverse("campaigns:withdraw", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == "withdrawn"
