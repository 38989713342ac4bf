"""Free words for the trigger and the nature map to the campaign's categories, the filer confirms,
and only categories are submitted, so the statistics never split one category."""

import pytest
from django.urls import reverse

from tests.campaign_fixtures import OFFICIAL_SAMPLE_TEXT, report_files
from xinan.campaigns.enums import DEFAULT_NATURES, DEFAULT_TRIGGERS
from xinan.campaigns.models import Submission
from xinan.campaigns.services import filing
from xinan.campaigns.services.categories import suggest_category
from xinan.campaigns.services.errors import FilingError

INFO = {
    "authors": [{"name": "测试作者", "unit": "某大学心理中心", "position": "专职咨询师"}],
    "contact_phone": "13712345678",
    "outcome": "successful",
}


@pytest.mark.parametrize(
    ("words", "categories", "expected"),
    [
        ("自杀", DEFAULT_NATURES, "轻生自杀"),
        ("轻生自杀", DEFAULT_NATURES, "轻生自杀"),
        ("自伤", DEFAULT_NATURES, "自我伤害"),
        ("攻击他人", DEFAULT_NATURES, "攻击伤人"),
        ("精神分裂症急性发作", DEFAULT_NATURES, "精神障碍急性发作"),
        ("抑郁症", DEFAULT_TRIGGERS, "疾患"),
        ("学业挫折", DEFAULT_TRIGGERS, "学业"),
        ("恋爱挫折", DEFAULT_TRIGGERS, "恋爱"),
        ("亲人离世", DEFAULT_TRIGGERS, "丧失"),
        ("家庭变故与学业压力", DEFAULT_TRIGGERS, ""),  # two categories: the filer chooses
        ("外星人来访", DEFAULT_TRIGGERS, ""),
        ("", DEFAULT_TRIGGERS, ""),
    ],
)
def test_suggest_category(words, categories, expected):
    # Act / Assert
    assert suggest_category(words, categories) == expected


def test_official_sample_gets_the_campaign_categories(world, campaign, right):
    # Arrange
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx, pdf = report_files(OFFICIAL_SAMPLE_TEXT)

    # Act
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)

    # Assert: the subtitle says "由抑郁症引发自杀危机".
    assert (submission.trigger, submission.nature) == ("疾患", "轻生自杀")
    assert submission.checks["subtitle_terms"] == {"trigger": "抑郁症", "nature": "自杀"}


def test_free_word_outside_the_categories_is_refused(world, campaign, right):
    # Arrange
    submission = filing.start_submission(campaign, filer=world.filer_a)

    # Act
    with pytest.raises(FilingError, match="危机性质“自杀”不是本次征集的类别"):
        filing.update_info(submission, by=world.filer_a, nature="自杀")

    # Assert
    submission.refresh_from_db()
    assert submission.nature == ""


def test_old_free_word_blocks_the_submit_until_a_category_is_chosen(world, campaign, right):
    # Arrange: a draft saved before the categories were enforced.
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx, pdf = report_files()
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)
    filing.update_info(submission, by=world.filer_a, **INFO)
    filing.agree_declarations(submission, by=world.filer_a)
    Submission.objects.filter(pk=submission.pk).update(nature="自杀")
    submission.refresh_from_db()

    # Act
    with pytest.raises(FilingError, match="危机性质“自杀”不是本次征集的类别"):
        filing.submit(submission, by=world.filer_a)
    filing.update_info(submission, by=world.filer_a, nature="轻生自杀")
    submitted = filing.submit(submission, by=world.filer_a)

    # Assert
    assert submitted.nature == "轻生自杀"


def test_filing_page_offers_only_categories_and_names_the_subtitle_words(client, world, campaign, right):
    # Arrange
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx, pdf = report_files(OFFICIAL_SAMPLE_TEXT)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)
    client.force_login(world.filer_a)

    # Act
    html = client.get(reverse("campaigns:submission", args=[submission.pk])).content.decode()
    response = client.post(
        reverse("campaigns:save_info", args=[submission.pk]),
        {
            "title": "多方协同 化险为夷",
            "subtitle": "一例由抑郁症引发自杀危机的干预报告",
            "authors": "测试作者，某大学心理中心，专职咨询师",
            "contact_phone": "13712345678",
            "trigger": "抑郁症",
            "nature": "自杀",
            "outcome": "successful",
        },
    )

    # Assert
    assert '<select name="nature"' in html
    assert '<option value="轻生自杀" selected>' in html
    assert "副标题中写的是“自杀”" in html
    assert response.status_code == 400  # free words are not categories; what was typed stays
    assert "多方协同 化险为夷" in response.content.decode()
    submission.refresh_from_db()
    assert submission.info_confirmed_at is None
