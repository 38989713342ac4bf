import pytest
from django.urls import reverse

from tests.factories import person
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import Campaign
from xinan.organisations.enums import Role

FORM = {
    "title": "2027年学生心理危机干预案例征集",
    "notice": "各省教育厅：现开展案例征集工作。",
    "opens_at": "2027-11-28T00:00:00",
    "closes_at": "2027-12-29T00:00:00",
    "province_review_closes_at": "2028-01-10T00:00:00",
    "school_quota": "3",
    "province_quota": "3",
    "province_quota_mode": "soft",
    "char_limit": "2000",
    "triggers_text": "学业\n家庭",
    "natures_text": "自我伤害\n轻生自杀",
    "rubric_text": "典型性，60\n规范性，40",
    "school_types_choice": ["university"],
}


def test_national_admin_creates_and_publishes_a_campaign(client, world):
    client.force_login(world.national_admin)
    response = client.post(reverse("campaigns:create"), FORM)
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.rubric == [{"name": "典型性", "weight": 60}, {"name": "规范性", "weight": 40}]
    assert campaign.published_at is None
    client.post(reverse("campaigns:publish", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.published_at is not None
    assert AuditEntry.objects.filter(action="xinan.campaign.publish").exists()


def test_rubric_weights_must_total_100_and_input_is_kept(client, world):
    client.force_login(world.national_admin)
    response = client.post(reverse("campaigns:create"), FORM | {"rubric_text": "典型性，50"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "合计须为100" in html
    assert "2027年学生心理危机干预案例征集" in html
    assert not Campaign.objects.exists()


def test_close_before_open_refused(client, world):
    client.force_login(world.national_admin)
    response = client.post(reverse("campaigns:create"), FORM | {"closes_at": "2027-11-01T00:00:00"})
    assert response.status_code == 400
    assert "截止时间应晚于开始时间" in response.content.decode()


@pytest.mark.parametrize("who", ["provincial_admin_a", "filer_a", "team_leader_a"])
def test_only_the_national_admin_creates_campaigns(client, world, who):
    client.force_login(getattr(world, who))
    before = AuditEntry.objects.filter(action="xinan.access.denied").count()
    assert client.post(reverse("campaigns:create"), FORM).status_code == 404
    assert AuditEntry.objects.filter(action="xinan.access.denied").count() == before + 1
    assert not Campaign.objects.exists()


def test_campaign_page_shows_management_to_the_right_people(client, world, campaign):
    client.force_login(world.national_admin)
    html = client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()
    assert reverse("campaigns:edit", args=[campaign.pk]) in html
    client.force_login(world.provincial_admin_a)
    html = client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()
    assert 'data-test="province-link"' in html
    assert reverse("campaigns:edit", args=[campaign.pk]) not in html


def test_selection_and_national_review_are_linked_for_those_who_use_them(client, world, campaign):
    selection = reverse("selection:national", args=[campaign.pk])
    national_review = reverse("reviews:nation", args=[campaign.pk])
    client.force_login(world.national_admin)
    html = client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()
    assert selection in html
    assert national_review in html
    client.force_login(person(Role.REVIEWER, world.nation))  # writes the expert commentary
    response = client.get(reverse("campaigns:campaign", args=[campaign.pk]))
    html = response.content.decode()
    assert selection in html
    assert national_review not in html
    assert client.get(selection).status_code == 200
    for who in (world.provincial_admin_a, world.reviewer_a, world.filer_a):
        client.force_login(who)
        html = client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()
        assert selection not in html
        assert national_review not in html
