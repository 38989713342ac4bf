import datetime as dt

import pytest
import time_machine

from tests.factories import UserFactory
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import FilingRight, SchoolFiling, Submission
from xinan.campaigns.services import provisioning
from xinan.campaigns.services.reminders import send_deadline_reminders
from xinan.jobs.services.periodic import PERIODIC_JOBS
from xinan.notifications.models import Message, Notification


def _sms(user):
    return list(Message.objects.filter(recipient=user, template="campaign_deadline"))


def _notices(user):
    return list(Notification.objects.filter(user=user))


def _at(campaign, before: dt.timedelta):
    return time_machine.travel(campaign.closes_at - before, tick=False)


@pytest.fixture
def invited(world, campaign, right):
    """The right, after the province sent the filer the campaign's invitation."""
    FilingRight.objects.filter(pk=right.pk).update(invited_at=campaign.opens_at)
    right.refresh_from_db()
    return right


def test_registered_as_a_periodic_job_every_15_minutes():
    job = next(job for job in PERIODIC_JOBS if job.name == "campaign_deadline_reminders")
    assert job.every == dt.timedelta(minutes=15)
    assert job.task_path == "xinan.campaigns.tasks.task_send_deadline_reminders"


def test_filer_without_submission_reminded_3_days_and_1_day_before_never_twice(world, campaign, invited):
    with _at(campaign, dt.timedelta(days=4)):
        assert send_deadline_reminders() == 0
    with _at(campaign, dt.timedelta(days=3) - dt.timedelta(minutes=5)):
        assert send_deadline_reminders() == 1
    with _at(campaign, dt.timedelta(days=3) - dt.timedelta(minutes=20)):
        assert send_deadline_reminders() == 0  # the next run: never twice
    assert len(_sms(world.filer_a)) == 1
    with _at(campaign, dt.timedelta(hours=23)):
        assert send_deadline_reminders() == 1
        assert send_deadline_reminders() == 0
    messages = _sms(world.filer_a)
    assert len(messages) == 2
    assert len(_notices(world.filer_a)) == 2
    assert "截止" in messages[0].body
    assert campaign.title in messages[0].body
    with time_machine.travel(campaign.closes_at + dt.timedelta(minutes=1), tick=False):
        assert send_deadline_reminders() == 0


def test_late_run_sends_only_the_nearest_threshold(world, campaign, invited):
    with _at(campaign, dt.timedelta(hours=10)):
        assert send_deadline_reminders() == 1
    with _at(campaign, dt.timedelta(hours=9)):
        assert send_deadline_reminders() == 0
    assert len(_sms(world.filer_a)) == 1


def test_filer_with_draft_reminded_and_with_submitted_not(world, campaign, right):
    other = UserFactory()
    FilingRight.objects.create(
        campaign=campaign, filer=other, school=world.school_a, granted_by=world.provincial_admin_a
    )
    Submission.objects.create(
        campaign=campaign, school=world.school_a, filer=world.filer_a, state=SubmissionState.DRAFT
    )
    Submission.objects.create(campaign=campaign, school=world.school_a, filer=other, state=SubmissionState.SUBMITTED)
    with _at(campaign, dt.timedelta(days=2)):
        assert send_deadline_reminders() == 1
    assert len(_sms(world.filer_a)) == 1
    assert _sms(other) == []


def test_returned_submission_counts_as_unfinished(world, campaign, right):
    Submission.objects.create(
        campaign=campaign, school=world.school_a, filer=world.filer_a, state=SubmissionState.RETURNED
    )
    with _at(campaign, dt.timedelta(days=2)):
        assert send_deadline_reminders() == 1


@pytest.mark.parametrize("closed", ["right", "school"])
def test_closed_right_or_school_not_reminded(world, campaign, invited, closed):
    if closed == "right":
        FilingRight.objects.filter(pk=invited.pk).update(is_open=False)
    else:
        SchoolFiling.objects.create(
            campaign=campaign, school=world.school_a, is_open=False, changed_by=world.provincial_admin_a
        )
    with _at(campaign, dt.timedelta(days=2)):
        assert send_deadline_reminders() == 0


def test_extension_moves_the_reminders(world, campaign, invited):
    FilingRight.objects.filter(pk=invited.pk).update(
        extended_until=campaign.closes_at + dt.timedelta(days=5), extension_reason="学校停课"
    )
    with _at(campaign, dt.timedelta(hours=12)):
        assert send_deadline_reminders() == 0  # the campaign closes soon, this filer's deadline does not
    with time_machine.travel(campaign.closes_at + dt.timedelta(days=4, hours=1), tick=False):
        assert send_deadline_reminders() == 1
    with time_machine.travel(campaign.closes_at + dt.timedelta(days=4, hours=2), tick=False):
        assert send_deadline_reminders() == 0
    assert len(_sms(world.filer_a)) == 1


def test_unpublished_campaign_not_reminded(world, campaign, invited):
    campaign.published_at = None
    campaign.save()
    with _at(campaign, dt.timedelta(days=2)):
        assert send_deadline_reminders() == 0


def test_filer_never_invited_and_with_nothing_filed_is_not_reminded(world, campaign, right):
    # Act
    with _at(campaign, dt.timedelta(days=2)):
        sent = send_deadline_reminders()

    # Assert
    assert sent == 0
    assert _sms(world.filer_a) == []


def test_invitation_marks_the_right_so_reminders_follow(world, campaign, right):
    # Arrange
    rights = list(FilingRight.objects.filter(pk=right.pk).select_related("filer", "campaign", "school"))
    provisioning.invite(rights, by=world.provincial_admin_a)

    # Act
    with _at(campaign, dt.timedelta(days=2)):
        sent = send_deadline_reminders()

    # Assert
    right.refresh_from_db()
    assert right.invited_at is not None
    assert sent == 1
