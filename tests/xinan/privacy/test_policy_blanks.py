"""The published rules pages never show a bracketed blank: retention from the deployment's
settings, the privacy contact from the reader's school; a school that has not set its contact
gets a setup task (for its team leader and coordinator), everyone else a plain sentence."""

import pytest
from django.conf import settings
from django.urls import reverse

from xinan.audit.models import AuditEntry
from xinan.cases.models import SchoolCrisisSettings
from xinan.privacy.enums import PolicySlug
from xinan.privacy.models import PolicyPage
from xinan.privacy.services.policy import audit_retention_label, fill_blanks

PAGES = ["privacy:rules", "privacy:children"]
CONTACT = {
    "privacy_officer": "王某某，心理辅导室主任",
    "privacy_phone": "0571-88886666",
    "privacy_address": "行政楼302室",
}


def _body(response) -> str:
    return response.content.decode().split('data-test="policy-body"')[1].split("</div>")[0]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["team_leader_a", "staff_a", "national_admin", "provincial_admin_a"])
def test_rules_pages_show_no_brackets_before_the_school_sets_its_contact(client, world, name, who):
    # Arrange
    client.force_login(getattr(world, who))

    # Act
    body = _body(client.get(reverse(name)))

    # Assert
    assert "【" not in body
    assert "】" not in body


def test_team_leader_sees_a_setup_task_and_staff_a_sentence(client, world):
    # Arrange
    url = reverse("privacy:rules")

    # Act
    client.force_login(world.team_leader_a)
    leader_page = client.get(url).content.decode()
    client.force_login(world.staff_a)
    staff_page = client.get(url).content.decode()

    # Assert
    assert 'data-test="policy-setup-task"' in leader_page
    assert reverse("cases:school_settings", args=[world.school_a.pk]) in leader_page
    assert 'data-test="policy-setup-task"' not in staff_page
    assert "本校尚未填写，请向本校心理辅导室询问" in _body(client.get(url))


def test_rules_pages_name_the_school_contact_and_the_configured_periods(client, world):
    # Arrange
    SchoolCrisisSettings.objects.create(school=world.school_a, **CONTACT)
    client.force_login(world.team_leader_a)

    # Act
    response = client.get(reverse("privacy:rules"))
    children = _body(client.get(reverse("privacy:children")))

    # Assert
    body = _body(response)
    for value in CONTACT.values():
        assert value in body
    assert CONTACT["privacy_officer"] in children
    assert "保存五年" in body  # XINAN_RETENTION_CASE_YEARS, default 5
    assert "审计日志至少保存三年" in body
    assert 'data-test="policy-setup-task"' not in response.content.decode()


def test_a_saved_page_with_blanks_of_its_own_shows_none(world):
    # Arrange
    PolicyPage.objects.create(
        slug=PolicySlug.PROCESSING_RULES, title="规则", body="联系人：【姓名、职务】；传真：【传真号】"
    )
    row = SchoolCrisisSettings(school=world.school_a, privacy_officer="王某某，主任")

    # Act
    filled = fill_blanks(PolicyPage.objects.get().body, crisis_settings=row)

    # Assert
    assert filled.body == "联系人：王某某，主任；传真：（未填写）"
    assert filled.missing == []


def test_audit_retention_default_is_three_years_as_the_rules_say():
    assert settings.AUDIT_RETENTION_DAYS == 1095
    assert audit_retention_label(1095) == "三年"
    assert audit_retention_label(200) == "200 天"


def test_dashboard_shows_the_setup_task_until_the_contact_is_filled(client, world):
    # Arrange
    client.force_login(world.team_leader_a)
    url = reverse("cases:dashboard")

    # Act
    before = client.get(url).content.decode()
    response = client.post(
        reverse("cases:school_settings", args=[world.school_a.pk]),
        {"duty_phone": "", "hotlines": "全国心理援助热线 12356", "glass_break_hours": "4", **CONTACT},
    )
    after = client.get(url).content.decode()

    # Assert
    assert 'data-test="setup-task"' in before
    assert response.status_code == 302
    assert 'data-test="setup-task"' not in after
    entry = AuditEntry.objects.filter(action="xinan.school.settings.change").latest("pk")
    assert "privacy_officer" in entry.after["changed"]
    assert CONTACT["privacy_officer"] not in str(entry.after)


def test_a_bad_privacy_phone_is_refused_with_a_chinese_message_and_kept(client, world):
    # Arrange
    client.force_login(world.team_leader_a)

    # Act
    response = client.post(
        reverse("cases:school_settings", args=[world.school_a.pk]),
        {"hotlines": "", "glass_break_hours": "4", **CONTACT, "privacy_phone": "call me"},
    )

    # Assert
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写有效的联系电话" in html
    assert CONTACT["privacy_address"] in html
    assert not SchoolCrisisSettings.objects.filter(school=world.school_a).exists()
