"""Invitations stop at the deadline (with the reason); the rubric locks once an expert has scored;
the window and extension fields keep their seconds, in the form and in the saved value."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import person
from tests.xinan.campaigns.test_views_national import FORM
from xinan.campaigns.enums import DEFAULT_RUBRIC
from xinan.campaigns.forms_national import CampaignForm
from xinan.campaigns.models import Campaign, FilingRight
from xinan.campaigns.services import provisioning
from xinan.campaigns.services.campaigns import save_campaign
from xinan.campaigns.services.deadlines import format_deadline
from xinan.campaigns.services.errors import FilingError
from xinan.notifications.models import Message
from xinan.organisations.enums import Role
from xinan.reviews.enums import RoundLevel
from xinan.reviews.models import Assignment
from xinan.reviews.services.assignment import open_round
from xinan.reviews.services.reviewing import submit_review

# --- Invitations after the close ------------------------------------------------------------


def test_invitation_after_the_close_is_refused_with_the_deadline(world, campaign, right):
    # Arrange
    late = campaign.closes_at + dt.timedelta(seconds=1)

    # Act
    with time_machine.travel(late, tick=False), pytest.raises(FilingError) as refused:
        provisioning.invite([right], by=world.provincial_admin_a)

    # Assert
    assert "填报已于" in refused.value.message
    assert format_deadline(campaign.closes_at) in refused.value.message
    assert not Message.objects.filter(template="campaign_invite").exists()


def test_invitation_after_the_close_reaches_only_filers_with_an_extension(world, campaign, right):
    # Arrange
    extended = person(Role.FILER, world.school_a)
    FilingRight.objects.create(
        campaign=campaign,
        filer=extended,
        school=world.school_a,
        granted_by=world.provincial_admin_a,
        extended_until=campaign.closes_at + dt.timedelta(days=2),
        extension_reason="学校停电",
    )
    rights = list(FilingRight.objects.filter(campaign=campaign).select_related("filer", "campaign", "school"))

    # Act
    with time_machine.travel(campaign.closes_at + dt.timedelta(hours=1), tick=False):
        invited = provisioning.invite(rights, by=world.provincial_admin_a)

    # Assert
    assert (invited.sent, invited.past_deadline) == (1, 1)
    assert list(Message.objects.filter(template="campaign_invite").values_list("recipient", flat=True)) == [extended.pk]


def test_province_sees_why_invitations_after_the_close_were_not_sent(client, world, campaign, right):
    # Act: signed in after the close (a session from before would have expired by then).
    with time_machine.travel(campaign.closes_at + dt.timedelta(minutes=5), tick=False):
        client.force_login(world.provincial_admin_a)
        response = client.post(reverse("campaigns:invite", args=[campaign.pk]), follow=True)

    # Assert
    html = response.content.decode()
    assert "不再发送填报通知" in html
    assert "已发送" not in html
    assert not Message.objects.filter(template="campaign_invite").exists()


# --- The rubric locks once the first review is in -------------------------------------------


def _form_data(campaign, **changes):
    data = {
        "title": campaign.title,
        "notice": campaign.notice,
        "opens_at": timezone.localtime(campaign.opens_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "closes_at": timezone.localtime(campaign.closes_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "province_review_closes_at": timezone.localtime(campaign.province_review_closes_at).strftime(
            "%Y-%m-%dT%H:%M:%S"
        ),
        "school_quota": campaign.school_quota,
        "province_quota": campaign.province_quota,
        "province_quota_mode": campaign.province_quota_mode,
        "char_limit": campaign.char_limit,
        "triggers_text": "\n".join(campaign.triggers),
        "natures_text": "\n".join(campaign.natures),
        "rubric_text": "\n".join(f"{r['name']}，{r['weight']}" for r in campaign.rubric),
        "school_types_choice": ["university"],
    }
    return data | changes


def _review(world, campaign):
    """One case of school A scored by province A's reviewer."""
    from tests.xinan.reviews.conftest import SCORES, make_submission

    review_round = open_round(
        campaign, level=RoundLevel.PROVINCE, province=world.province_a, by=world.provincial_admin_a
    )
    assignment = Assignment.objects.create(
        round=review_round,
        submission=make_submission(campaign, world.school_a),
        reviewer=world.reviewer_a,
        assigned_by=world.provincial_admin_a,
    )
    return submit_review(assignment, scores=SCORES, comment="结构完整，反思深入。", by=world.reviewer_a)


@pytest.fixture
def whole_seconds(campaign):
    """The window in whole seconds, as the form sends it back."""
    for name in ("opens_at", "closes_at", "province_review_closes_at"):
        setattr(campaign, name, getattr(campaign, name).replace(microsecond=0))
    campaign.save()
    return campaign


@pytest.fixture
def reviewed(world, whole_seconds):
    return _review(world, whole_seconds)


def test_rubric_change_refused_once_a_review_is_in(world, whole_seconds):
    # Arrange: the officer opened the form before the first review came in.
    campaign = whole_seconds
    form = CampaignForm(_form_data(campaign, rubric_text="典型性，60\n规范性，40"), instance=campaign)
    assert form.is_valid(), form.errors
    _review(world, campaign)

    # Act
    with pytest.raises(FilingError, match="评审指标已锁定"):
        save_campaign(form, by=world.national_admin)

    # Assert
    campaign.refresh_from_db()
    assert campaign.rubric == [dict(item) for item in DEFAULT_RUBRIC]


def test_rubric_change_allowed_before_any_review(world, campaign):
    # Arrange
    form = CampaignForm(_form_data(campaign, rubric_text="典型性，60\n规范性，40"), instance=campaign)
    assert form.is_valid(), form.errors

    # Act
    save_campaign(form, by=world.national_admin)

    # Assert
    campaign.refresh_from_db()
    assert campaign.rubric == [{"name": "典型性", "weight": 60}, {"name": "规范性", "weight": 40}]


def test_other_fields_still_change_after_reviews_and_the_form_shows_the_lock(client, world, campaign, reviewed):
    # Arrange
    client.force_login(world.national_admin)
    url = reverse("campaigns:edit", args=[campaign.pk])

    # Act
    page = client.get(url).content.decode()
    response = client.post(url, _form_data(campaign, title="改名后的征集活动", rubric_text="典型性，100"))

    # Assert
    assert "评审指标已锁定" in page
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "改名后的征集活动"
    assert campaign.rubric == [dict(item) for item in DEFAULT_RUBRIC]  # the disabled field kept its value


# --- Seconds are kept ---------------------------------------------------------------------


def test_window_fields_keep_their_seconds(client, world):
    # Arrange
    client.force_login(world.national_admin)

    # Act
    client.post(reverse("campaigns:create"), FORM | {"closes_at": "2027-12-28T17:30:15"})
    campaign = Campaign.objects.get()
    html = client.get(reverse("campaigns:edit", args=[campaign.pk])).content.decode()

    # Assert
    assert timezone.localtime(campaign.closes_at).strftime("%H:%M:%S") == "17:30:15"
    assert 'value="2027-12-28T17:30:15"' in html
    assert html.count('type="datetime-local"') == html.count('step="1"') == 3
    assert format_deadline(campaign.closes_at) == "2027年12月28日17:30:15"


def test_extension_keeps_its_seconds(client, world, campaign, right):
    # Arrange
    client.force_login(world.provincial_admin_a)
    until = timezone.localtime(campaign.closes_at + dt.timedelta(days=1)).replace(second=42, microsecond=0)

    # Act
    client.post(
        reverse("campaigns:extend", args=[right.pk]),
        {"until": until.strftime("%Y-%m-%dT%H:%M:%S"), "reason": "学校停电一天"},
    )
    page = client.get(reverse("campaigns:province", args=[campaign.pk])).content.decode()

    # Assert
    right.refresh_from_db()
    assert right.extended_until == until
    assert 'name="until" step="1"' in page


def test_title_change_after_submissions_is_not_taken_for_a_change_of_the_window(world, campaign):
    # Arrange: a window stored with microseconds (made in code, like the demo's), a submitted case.
    from tests.xinan.reviews.conftest import make_submission

    campaign.opens_at = campaign.opens_at.replace(microsecond=123456)
    campaign.save()
    make_submission(campaign, world.school_a)
    form = CampaignForm(_form_data(campaign, title="改名后的征集活动"), instance=campaign)
    assert form.is_valid(), form.errors

    # Act
    save_campaign(form, by=world.national_admin)

    # Assert
    campaign.refresh_from_db()
    assert campaign.title == "改名后的征集活动"
