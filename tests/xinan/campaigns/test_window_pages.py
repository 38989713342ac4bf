"""What a filer sees of the window: a state on every campaign in the list, "尚未开始" and "已截止"
said apart, the filing buttons off after the deadline, and a copy of the files they submitted."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.campaign_fixtures import REPORT_TEXT, report_files
from tests.factories import person
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import Campaign, FilingRight
from xinan.campaigns.services import filing
from xinan.organisations.enums import Role

INFO = {
    "authors": [{"name": "测试作者", "unit": "某大学心理中心", "position": "专职咨询师"}],
    "contact_phone": "13712345678",
    "outcome": "successful",
}


def _campaign(world, title, *, opens, closes, published=True):
    now = timezone.now()
    return Campaign.objects.create(
        title=title,
        notice="通知正文",
        opens_at=now + opens,
        closes_at=now + closes,
        province_review_closes_at=now + closes + dt.timedelta(days=10),
        created_by=world.national_admin,
        published_at=now - dt.timedelta(days=30) if published else None,
    )


def test_campaign_list_labels_each_window(client, world):
    # Arrange
    day = dt.timedelta(days=1)
    _campaign(world, "草稿活动", opens=day, closes=3 * day, published=False)
    _campaign(world, "未开始活动", opens=day, closes=3 * day)
    _campaign(world, "进行中活动", opens=-day, closes=3 * day)
    _campaign(world, "已结束活动", opens=-3 * day, closes=-day)
    client.force_login(world.national_admin)

    # Act
    html = client.get(reverse("campaigns:list")).content.decode()

    # Assert
    for title, label in (
        ("草稿活动", "未发布"),
        ("未开始活动", "尚未开始"),
        ("进行中活动", "填报中"),
        ("已结束活动", "已截止"),
    ):
        section = html.split(title, 1)[1].split("</h2>", 1)[0]
        assert f'data-test="window-state">{label}<' in section, title


def test_campaign_list_counts_a_filers_extension(client, world):
    # Arrange
    ended = _campaign(world, "已结束活动", opens=-dt.timedelta(days=3), closes=-dt.timedelta(days=1))
    FilingRight.objects.create(
        campaign=ended,
        filer=world.filer_a,
        school=world.school_a,
        granted_by=world.provincial_admin_a,
        extended_until=timezone.now() + dt.timedelta(days=1),
        extension_reason="学校停电",
    )
    client.force_login(world.filer_a)

    # Act
    html = client.get(reverse("campaigns:list")).content.decode()

    # Assert
    assert 'data-test="window-state">填报中<' in html


def test_campaign_page_says_not_started_and_offers_no_start(client, world, campaign, right):
    # Arrange
    Campaign.objects.filter(pk=campaign.pk).update(opens_at=timezone.now() + dt.timedelta(hours=2))
    client.force_login(world.filer_a)

    # Act
    html = client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()

    # Assert
    assert "填报尚未开始，开始时间" in html
    assert "当前不在填报时间内" not in html
    assert 'data-test="start-submission"' not in html


def test_campaign_page_says_closed_with_the_deadline(client, world, campaign, right):
    # Act
    with time_machine.travel(campaign.closes_at + dt.timedelta(seconds=1), tick=False):
        client.force_login(world.filer_a)
        html = client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()

    # Assert
    assert 'data-test="window-message">填报已于' in html
    assert "截止，不能再上传、修改或提交" in html
    assert 'data-test="window-state">已截止<' in html


def test_filing_buttons_are_off_after_the_deadline(client, world, campaign, right):
    # Arrange
    draft = filing.start_submission(campaign, filer=world.filer_a)

    # Act
    with time_machine.travel(campaign.closes_at + dt.timedelta(seconds=1), tick=False):
        client.force_login(world.filer_a)
        html = client.get(reverse("campaigns:submission", args=[draft.pk])).content.decode()

    # Assert
    assert 'data-test="window-closed"' in html
    for name in ("upload-files", "save-info", "declare", "submit"):
        button = html.split(f'data-test="{name}"', 1)[1].split(">", 1)[0]
        assert "disabled" in button, name


def test_filing_buttons_are_on_while_open(client, world, campaign, right):
    # Arrange
    draft = filing.start_submission(campaign, filer=world.filer_a)
    client.force_login(world.filer_a)

    # Act
    html = client.get(reverse("campaigns:submission", args=[draft.pk])).content.decode()

    # Assert
    assert 'data-test="window-closed"' not in html
    for name in ("upload-files", "save-info", "declare"):
        button = html.split(f'data-test="{name}"', 1)[1].split(">", 1)[0]
        assert "disabled" not in button, name


@pytest.fixture
def submitted(world, campaign, right):
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx, pdf = report_files(REPORT_TEXT)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)
    filing.update_info(submission, by=world.filer_a, **INFO)
    filing.agree_declarations(submission, by=world.filer_a)
    return filing.submit(submission, by=world.filer_a), docx, pdf


def test_filer_downloads_the_files_they_submitted(client, world, submitted):
    # Arrange
    submission, docx, pdf = submitted
    client.force_login(world.filer_a)

    # Act
    page = client.get(reverse("campaigns:submission", args=[submission.pk])).content.decode()
    got_docx = client.get(reverse("campaigns:download_file", args=[submission.pk, "docx"]))
    got_pdf = client.get(reverse("campaigns:download_file", args=[submission.pk, "pdf"]))

    # Assert
    assert 'data-test="download-docx"' in page
    assert got_docx.content == docx
    assert got_pdf.content == pdf
    assert got_pdf["Content-Type"] == "application/pdf"
    assert got_docx["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(action="xinan.campaign.submission.download").count() == 2
    # The submitted page no longer tells the filer to edit and re-upload.
    assert "请在原文中修改后重新上传" not in page


@pytest.mark.parametrize("who", ["provincial_admin_a", "provincial_admin_b", "other_filer"])
def test_only_the_filer_downloads_through_this_link(client, world, submitted, who):
    # Arrange
    submission = submitted[0]
    user = person(Role.FILER, world.school_a) if who == "other_filer" else getattr(world, who)
    client.force_login(user)

    # Act
    response = client.get(reverse("campaigns:download_file", args=[submission.pk, "docx"]))

    # Assert
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="xinan.campaign.submission.download").exists()
    assert AuditEntry.objects.filter(action="xinan.access.denied").exists()


def test_unknown_file_kind_is_not_found(client, world, submitted):
    # Arrange
    client.force_login(world.filer_a)

    # Act
    response = client.get(reverse("campaigns:download_file", args=[submitted[0].pk, "exe"]))

    # Assert
    assert response.status_code == 404


def test_campaign_list_queries_do_not_grow_with_campaigns(client, world):
    # Arrange
    client.force_login(world.filer_a)
    day = dt.timedelta(days=1)

    def count_for(campaigns: int) -> int:
        for index in range(Campaign.objects.count(), campaigns):
            made = _campaign(world, f"活动{index}", opens=-day, closes=3 * day)
            FilingRight.objects.create(
                campaign=made, filer=world.filer_a, school=world.school_a, granted_by=world.provincial_admin_a
            )
        client.get(reverse("campaigns:list"))
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("campaigns:list")).content.decode()
        assert html.count('data-test="window-state"') == campaigns
        return len(queries)

    # Act
    one, three = count_for(1), count_for(3)

    # Assert
    assert one == three
