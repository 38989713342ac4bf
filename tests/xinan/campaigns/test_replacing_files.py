"""Replacing the files after a return: the basic information is read again from the new report,
the filer confirms it, and the declarations are asked again."""

import pytest
from django.urls import reverse

from tests.campaign_fixtures import REPORT_TEXT, report_files
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.services import filing
from xinan.campaigns.services.errors import FilingError

INFO = {
    "authors": [{"name": "测试作者", "unit": "某大学心理中心", "position": "专职咨询师"}],
    "contact_phone": "13712345678",
    "outcome": "successful",
}

OTHER_REPORT = """风雨同舟 重燃希望
——一例由恋爱挫折引发的轻生自杀危机的干预报告
一、当事人基本信息
小周（化名），男，20岁，就读于某大学某专业。性格开朗，朋友较多，近来情绪低落。
二、危机的发生
与女友分手后，小周连续多日不去上课，深夜在朋友圈发布告别的话语，同学看到后报告辅导员。
三、干预过程
辅导员连夜找到小周，陪伴他到天亮；心理中心次日评估为高风险，联系家长来校，陪同就医并制定安全计划。
四、干预结果
经过药物治疗和每周咨询，小周逐步恢复正常作息，重新回到课堂，一学期后危机解除。
五、经验分享
同学的及时报告、辅导员的陪伴和家校医的衔接，是这次干预成功的关键。
文中所有人的身份信息以及案例情节都已进行过艺术加工，请勿对号入座，如有雷同，纯属巧合。
"""


def _submitted_then_returned(world, campaign):
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx, pdf = report_files(REPORT_TEXT)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)
    filing.update_info(submission, by=world.filer_a, **INFO)
    filing.agree_declarations(submission, by=world.filer_a)
    filing.submit(submission, by=world.filer_a)
    return filing.return_for_revision(submission, by=world.provincial_admin_a, reason="请换一个更典型的案例")


def test_new_files_after_a_return_replace_the_basic_information(world, campaign, right):
    # Arrange
    submission = _submitted_then_returned(world, campaign)
    assert (submission.title, submission.trigger, submission.nature) == ("携手同行 守护生命", "学业", "自我伤害")
    docx, pdf = report_files(OTHER_REPORT)

    # Act
    replaced = filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)

    # Assert
    assert replaced.title == "风雨同舟 重燃希望"
    assert replaced.subtitle == "一例由恋爱挫折引发的轻生自杀危机的干预报告"
    assert (replaced.trigger, replaced.nature) == ("恋爱", "轻生自杀")


def test_new_files_ask_for_the_declarations_and_the_information_again(world, campaign, right):
    # Arrange
    submission = _submitted_then_returned(world, campaign)
    docx, pdf = report_files(OTHER_REPORT)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)

    # Act
    with pytest.raises(FilingError) as refused:
        filing.submit(submission, by=world.filer_a)

    # Assert
    assert "请阅读并确认申报声明" in refused.value.message
    assert "请核对并保存项目基本信息" in refused.value.message
    submission.refresh_from_db()
    assert submission.state == SubmissionState.RETURNED


def test_resubmission_with_new_files_carries_the_new_title_and_hash(world, campaign, right):
    # Arrange
    submission = _submitted_then_returned(world, campaign)
    first_hash = submission.submission_hash
    docx, pdf = report_files(OTHER_REPORT)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)
    filing.update_info(submission, by=world.filer_a, **INFO)
    filing.agree_declarations(submission, by=world.filer_a)

    # Act
    resubmitted = filing.submit(submission, by=world.filer_a)

    # Assert
    assert resubmitted.state == SubmissionState.SUBMITTED
    assert resubmitted.title == "风雨同舟 重燃希望"
    assert resubmitted.submission_hash != first_hash


def test_kept_flag_of_the_old_report_does_not_carry_over_to_a_new_one(world, campaign, right):
    # Arrange: a name kept with a reason in the first report.
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx, pdf = report_files(REPORT_TEXT.replace("室友发现后", "室友王建国发现后"))
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)
    flag = next(f for f in submission.checks["flags"] if f["text"] == "王建国")
    filing.keep_flag(submission, key=filing.flag_key(flag), reason="此为化名，文中已注明", by=world.filer_a)
    docx, pdf = report_files(OTHER_REPORT)

    # Act
    replaced = filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)

    # Assert
    assert filing.flag_key(flag) not in replaced.flag_decisions


def test_page_names_what_the_new_files_changed_until_the_filer_saves(client, world, campaign, right):
    # Arrange
    submission = _submitted_then_returned(world, campaign)
    docx, pdf = report_files(OTHER_REPORT)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)
    client.force_login(world.filer_a)
    url = reverse("campaigns:submission", args=[submission.pk])

    # Act
    before = client.get(url).content.decode()
    filing.update_info(submission, by=world.filer_a, **INFO)
    after = client.get(url).content.decode()

    # Assert
    assert "已按新上传的文件更新：主标题、副标题、诱发事件、危机性质。" in before
    assert 'data-test="rederived"' not in after
