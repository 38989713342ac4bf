"""The campaign's word-limit rule: the official sample files under the defaults; a hard limit refuses
beyond its tolerance; the page shows how 字 are counted; the rule locks once cases are submitted."""

import pytest
from django.urls import reverse

from tests.campaign_fixtures import OFFICIAL_SAMPLE_TEXT, report_files
from xinan.campaigns.enums import CharLimitMode, SubmissionState
from xinan.campaigns.forms_national import CampaignForm
from xinan.campaigns.models import Campaign
from xinan.campaigns.services import filing
from xinan.campaigns.services.campaigns import save_campaign
from xinan.campaigns.services.errors import FilingError
from xinan.campaigns.services.lengths import ERROR, OK, WARNING, allowed_chars, length_verdict

INFO = {
    "authors": [{"name": "测试作者", "unit": "某大学心理中心", "position": "专职咨询师"}],
    "contact_phone": "13712345678",
    "outcome": "successful",
    "nature": "轻生自杀",
}


def _official_sample_ready(campaign, filer):
    submission = filing.start_submission(campaign, filer=filer)
    docx, pdf = report_files(OFFICIAL_SAMPLE_TEXT)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=filer)
    filing.update_info(submission, by=filer, **INFO)
    filing.agree_declarations(submission, by=filer)
    return submission


def test_official_sample_submits_under_the_default_settings(world, campaign, right):
    # Arrange: a campaign created with the defaults (2000 字, warning, 10 %).
    assert (campaign.char_limit, campaign.char_limit_mode, campaign.char_tolerance) == (2000, "warn", 10)
    submission = _official_sample_ready(campaign, world.filer_a)

    # Act
    submitted = filing.submit(submission, by=world.filer_a)

    # Assert
    assert submitted.char_count == 2094
    assert submitted.state == SubmissionState.SUBMITTED
    assert length_verdict(campaign, submitted.char_count).level == WARNING


def test_hard_limit_refuses_a_report_over_its_tolerance_with_a_chinese_message(world, campaign, right):
    # Arrange: hard limit, 4 % tolerance → at most 2080 字; the sample has 2094.
    Campaign.objects.filter(pk=campaign.pk).update(char_limit_mode=CharLimitMode.HARD, char_tolerance=4)
    campaign.refresh_from_db()
    submission = _official_sample_ready(campaign, world.filer_a)

    # Act
    with pytest.raises(FilingError) as refused:
        filing.submit(submission, by=world.filer_a)

    # Assert
    assert "正文共 2094 字，超过本次征集允许的最多 2080 字" in refused.value.message
    assert "请删减至少 14 字" in refused.value.message
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DRAFT
    # The upload is kept, to be replaced, not lost.
    assert submission.docx_name
    assert submission.pdf_name


def test_hard_limit_lets_a_report_within_its_tolerance_through(world, campaign, right):
    # Arrange: hard limit, 5 % tolerance → at most 2100 字.
    Campaign.objects.filter(pk=campaign.pk).update(char_limit_mode=CharLimitMode.HARD, char_tolerance=5)
    campaign.refresh_from_db()
    submission = _official_sample_ready(campaign, world.filer_a)

    # Act
    submitted = filing.submit(submission, by=world.filer_a)

    # Assert
    assert submitted.state == SubmissionState.SUBMITTED


@pytest.mark.parametrize(
    ("mode", "tolerance", "count", "level"),
    [
        (CharLimitMode.HARD, 10, 2000, OK),
        (CharLimitMode.HARD, 10, 2200, WARNING),
        (CharLimitMode.HARD, 10, 2201, ERROR),
        (CharLimitMode.HARD, 0, 2001, ERROR),
        (CharLimitMode.WARN, 0, 2001, WARNING),
        (CharLimitMode.WARN, 10, 5000, WARNING),
    ],
)
def test_length_verdict_by_mode_and_tolerance(mode, tolerance, count, level):
    # Arrange
    campaign = Campaign(char_limit=2000, char_limit_mode=mode, char_tolerance=tolerance)

    # Act
    verdict = length_verdict(campaign, count)

    # Assert
    assert verdict.level == level
    assert (verdict.message == "") == (level == OK)
    assert allowed_chars(campaign) == 2000 + 20 * tolerance


def test_report_uploaded_before_the_rule_changed_is_judged_by_the_current_rule(world, campaign, right):
    # Arrange: a legacy draft whose stored checks still carry the checker's fixed-limit error.
    submission = _official_sample_ready(campaign, world.filer_a)
    checks = dict(submission.checks)
    checks["problems"] = [*checks["problems"], {"code": "too_long", "severity": "error", "message": "正文共 2094 字"}]
    submission.checks = checks
    submission.save(update_fields=["checks"])

    # Act
    reasons = filing.unresolved(submission)

    # Assert
    assert reasons == []


def test_filing_page_shows_the_count_with_the_counting_rule(client, world, campaign, right):
    # Arrange
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx, pdf = report_files(OFFICIAL_SAMPLE_TEXT)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)
    client.force_login(world.filer_a)

    # Act
    html = client.get(reverse("campaigns:submission", args=[submission.pk])).content.decode()

    # Assert
    assert 'data-test="char-count">2094<' in html
    assert "标点符号计入字数" in html
    assert "允许浮动 10%（最多 2200 字）" in html
    assert "在本次征集允许的 10% 浮动范围内" in html
    assert "超过 2000 字的上限（多出 94 字）" not in html  # the checker's fixed-limit error is not shown


def test_word_limit_rule_locks_once_a_case_is_submitted(world, campaign, right):
    # Arrange
    filing.submit(_official_sample_ready(campaign, world.filer_a), by=world.filer_a)
    data = {
        "title": campaign.title,
        "notice": campaign.notice,
        "opens_at": campaign.opens_at,
        "closes_at": campaign.closes_at,
        "province_review_closes_at": campaign.province_review_closes_at,
        "school_quota": campaign.school_quota,
        "province_quota": campaign.province_quota,
        "province_quota_mode": campaign.province_quota_mode,
        "char_limit": campaign.char_limit,
        "char_limit_mode": CharLimitMode.HARD,
        "char_tolerance": 0,
        "triggers_text": "\n".join(campaign.triggers),
        "natures_text": "\n".join(campaign.natures),
        "rubric_text": "\n".join(f"{r['name']}，{r['weight']}" for r in campaign.rubric),
        "school_types_choice": ["university"],
    }
    form = CampaignForm(data, instance=campaign)
    assert form.is_valid(), form.errors

    # Act
    with pytest.raises(FilingError, match="字数控制"):
        save_campaign(form, by=world.national_admin)

    # Assert
    campaign.refresh_from_db()
    assert (campaign.char_limit_mode, campaign.char_tolerance) == (CharLimitMode.WARN, 10)
