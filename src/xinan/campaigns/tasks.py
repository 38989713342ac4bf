"""Thin tasks: take ids, fetch again, call a service."""

from django_tasks import task

from xinan.campaigns.models import Campaign, Submission
from xinan.campaigns.services.originality import check_campaign, check_submission
from xinan.campaigns.services.reminders import send_deadline_reminders


@task()
def task_check_submission_originality(submission_id: int) -> int:
    submission = Submission.objects.filter(pk=submission_id).first()
    return len(check_submission(submission)) if submission is not None else 0


@task()
def task_check_campaign_originality(campaign_id: int) -> int:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return check_campaign(campaign) if campaign is not None else 0


@task()
def task_send_deadline_reminders() -> int:
    return send_deadline_reminders()
