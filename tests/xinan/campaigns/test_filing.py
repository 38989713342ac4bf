import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from tests.campaign_fixtures import REPORT_TEXT, report_files
from tests.factories import UserFactory
from xinan.audit.models import AuditEntry
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import FilingRight, SchoolQuota, Submission
from xinan.campaigns.services import filing
from xinan.campaigns.services.deadlines import format_deadline
from xinan.campaigns.services.errors import FilingError

INFO = {
    "authors": [{"name": "测试作者", "unit": "某大学心理中心", "position": "专职咨询师"}],
    "contact_phone": "13712345678",
    "outcome": "successful",
}


def _ready(campaign, filer, text=REPORT_TEXT):
    submission = filing.start_submission(campaign, filer=filer)
    docx, pdf = report_files(text)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=filer)
    filing.update_info(submission, by=filer, **INFO)
    filing.agree_declarations(submission, by=filer)
    return submission


def test_files_fill_title_trigger_and_nature_from_the_report(world, campaign, right):
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx, pdf = report_files()
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)
    assert submission.title == "携手同行 守护生命"
    assert submission.trigger == "学业"  # the campaign's category the subtitle's "学业挫折" means
    assert submission.nature == "自我伤害"
    assert submission.checks["subtitle_terms"] == {"trigger": "学业挫折", "nature": "自我伤害"}
    assert 0 < submission.char_count < 2000


def test_submit_freezes_the_submission_with_a_hash(world, campaign, right):
    submission = filing.submit(_ready(campaign, world.filer_a), by=world.filer_a)
    assert submission.state == SubmissionState.SUBMITTED
    assert len(submission.submission_hash) == 64
    with pytest.raises(FilingError, match="提交后不能修改"):
        filing.update_info(submission, by=world.filer_a, title="改了")
    docx, pdf = report_files()
    with pytest.raises(FilingError, match="提交后不能修改"):
        filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)
    assert SchoolQuota.objects.get().used == 1


def test_submit_refused_one_second_after_close(world, campaign, right):
    submission = _ready(campaign, world.filer_a)
    late = campaign.closes_at + dt.timedelta(seconds=1)
    with time_machine.travel(late, tick=False), pytest.raises(FilingError, match="截止"):
        filing.submit(submission, by=world.filer_a)
    with time_machine.travel(campaign.closes_at - dt.timedelta(seconds=1), tick=False):
        assert filing.submit(submission, by=world.filer_a).state == SubmissionState.SUBMITTED


def test_extension_lets_one_filer_submit_after_close(world, campaign, right):
    submission = _ready(campaign, world.filer_a)
    FilingRight.objects.filter(pk=right.pk).update(
        extended_until=campaign.closes_at + dt.timedelta(days=1), extension_reason="学校停电"
    )
    with time_machine.travel(campaign.closes_at + dt.timedelta(hours=1), tick=False):
        assert filing.submit(submission, by=world.filer_a).state == SubmissionState.SUBMITTED


def test_deadline_written_as_a_notice_writes_it():
    moment = dt.datetime(2026, 12, 28, 16, 0, tzinfo=dt.UTC)  # 2026-12-29 00:00 in Asia/Shanghai
    assert format_deadline(moment) == "2026年12月28日24时"


def test_fourth_case_from_a_school_refused(world, campaign, right):
    others = [UserFactory() for _ in range(3)]
    for other in others:
        FilingRight.objects.create(
            campaign=campaign, filer=other, school=world.school_a, granted_by=world.provincial_admin_a
        )
    for other in others:
        filing.submit(_ready(campaign, other), by=other)
    with pytest.raises(FilingError, match="达到每校限报数量"):
        filing.submit(_ready(campaign, world.filer_a), by=world.filer_a)
    assert SchoolQuota.objects.get().used == 3


def test_withdrawal_frees_the_slot(world, campaign, right):
    submission = filing.submit(_ready(campaign, world.filer_a), by=world.filer_a)
    filing.withdraw(submission, by=world.filer_a)
    assert SchoolQuota.objects.get().used == 0


def test_word_and_pdf_of_different_texts_refused(world, campaign, right):
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx = report_files()[0]
    other_pdf = report_files(REPORT_TEXT.replace("小林", "小周").replace("辅导员", "班主任").replace("家长", "父亲"))[1]
    with pytest.raises(FilingError, match="不一致"):
        filing.attach_report_files(submission, docx=docx, pdf=other_pdf, by=world.filer_a)


def test_doc_renamed_docx_refused_with_chinese_message(world, campaign, right):
    submission = filing.start_submission(campaign, filer=world.filer_a)
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048
    with pytest.raises(FilingError, match="Word 文件"):
        filing.attach_report_files(submission, docx=ole2, pdf=report_files()[1], by=world.filer_a)


def test_image_only_pdf_refused(world, campaign, right):
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(50, 50, 200, 200, fill=1)
    page.save()
    submission = filing.start_submission(campaign, filer=world.filer_a)
    with pytest.raises(FilingError, match="PDF 文件"):
        filing.attach_report_files(submission, docx=report_files()[0], pdf=buffer.getvalue(), by=world.filer_a)


def test_unresolved_name_blocks_submit_until_kept_with_reason(world, campaign, right):
    submission = _ready(campaign, world.filer_a, REPORT_TEXT.replace("室友发现后", "室友王建国发现后"))
    with pytest.raises(FilingError, match="可能泄露隐私"):
        filing.submit(submission, by=world.filer_a)
    flag = next(f for f in submission.checks["flags"] if f["text"] == "王建国")
    filing.keep_flag(submission, key=filing.flag_key(flag), reason="此为化名，文中已注明", by=world.filer_a)
    assert filing.submit(submission, by=world.filer_a).state == SubmissionState.SUBMITTED


def test_return_reopens_and_resubmission_keeps_history(world, campaign, right):
    submission = filing.submit(_ready(campaign, world.filer_a), by=world.filer_a)
    first_hash = submission.submission_hash
    filing.return_for_revision(submission, by=world.provincial_admin_a, reason="请补充干预结果")
    filing.update_info(submission, by=world.filer_a, title="携手同行 守护生命（修改稿）")
    submission = filing.submit(submission, by=world.filer_a)
    assert submission.revision == 2
    assert submission.submission_hash != first_hash
    states = list(submission.events.values_list("to_state", flat=True))
    assert states == ["draft", "submitted", "returned", "submitted"]
    assert submission.events.filter(submission_hash=first_hash).exists()
    assert SchoolQuota.objects.get().used == 1  # the returned case kept its slot
    assert AuditEntry.objects.filter(action="xinan.campaign.submission.return").exists()


def test_filer_without_right_refused(world, campaign):
    with pytest.raises(FilingError, match="没有该征集活动的填报权限"):
        filing.start_submission(campaign, filer=world.filer_a)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_submits_for_the_last_slot_exactly_one_wins(world, campaign):
    SchoolQuota.objects.create(campaign=campaign, school=world.school_a, quota=3, used=2)
    filers = [UserFactory() for _ in range(20)]
    ready = []
    for filer in filers:
        FilingRight.objects.create(
            campaign=campaign, filer=filer, school=world.school_a, granted_by=world.provincial_admin_a
        )
        ready.append(_ready(campaign, filer))
    barrier = threading.Barrier(20)
    outcomes = []

    def attempt(submission):
        barrier.wait()
        try:
            filing.submit(Submission.objects.get(pk=submission.pk), by=submission.filer)
            outcomes.append("ok")
        except FilingError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(submission,)) for submission in ready]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert all("达到每校限报数量" in outcome for outcome in outcomes if outcome != "ok")
    assert SchoolQuota.objects.get().used == 3
    assert Submission.objects.filter(state=SubmissionState.SUBMITTED).count() == 1


def test_filer_is_told_of_receipt_and_of_each_decision(world, campaign, right, django_capture_on_commit_callbacks):
    from xinan.notifications.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        submission = filing.submit(_ready(campaign, world.filer_a), by=world.filer_a)
        filing.move_submission(
            submission,
            SubmissionState.APPROVED,
            {SubmissionState.SUBMITTED},
            by=world.provincial_admin_a,
            reason="",
            request=None,
            action="approve",
        )
    templates = list(Message.objects.filter(recipient=world.filer_a).values_list("template", flat=True))
    assert templates.count("campaign_received") == 1
    assert templates.count("campaign_decision") == 1
    decision = Message.objects.get(template="campaign_decision")
    assert "省级审核通过" in decision.body
    assert world.filer_a.notifications.filter(title__contains="省级审核通过").exists()


def test_report_files_when_the_storage_fails_midway_leave_no_name_and_no_orphan(world, campaign, right, monkeypatch):
    # Arrange: the store takes the Word file, then becomes unreachable for the PDF
    from botocore.exceptions import EndpointConnectionError
    from django.core.files.storage import default_storage

    from xinan.crypto import files

    saved = []

    class FailsOnSecondWrite:
        def save(self, name, content, max_length=None):
            if saved:
                raise EndpointConnectionError(endpoint_url="http://object-store.invalid")
            saved.append(default_storage.save(name, content, max_length=max_length))
            return saved[-1]

        def exists(self, name):
            return default_storage.exists(name)

        def delete(self, name):
            default_storage.delete(name)

    monkeypatch.setattr(files, "default_storage", FailsOnSecondWrite())
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx, pdf = report_files()

    # Act
    with pytest.raises(FilingError, match="文件存储暂时不可用"):
        filing.attach_report_files(submission, docx=docx, pdf=pdf, by=world.filer_a)

    # Assert: the row names no file, and the Word file already stored was taken back
    submission.refresh_from_db()
    assert (submission.docx_name, submission.pdf_name) == ("", "")
    assert len(saved) == 1
    assert not default_storage.exists(saved[0])
    assert not AuditEntry.objects.filter(action="xinan.campaign.submission.files").exists()
