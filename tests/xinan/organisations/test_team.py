"""Crisis-team editing by the team leader: role matrices, services, audit."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from xinan.audit.models import AuditEntry
from xinan.cases.services.team import TeamError, add_team_member, change_team_member, remove_team_member
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership

DENIED = "xinan.access.denied"
MATRIX = [
    ("team_leader_a", True),
    ("coordinator_a", False),
    ("counsellor_a", False),
    ("health_teacher_a", False),
    ("class_teacher_a", False),
    ("staff_a", False),
    ("team_leader_b", False),
    ("provincial_admin_a", False),
    ("national_admin", False),
]


def _call(client, user, method, url, data=None):
    client.force_login(user)
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = client.get(url) if method == "get" else client.post(url, data or {})
    return response, AuditEntry.objects.filter(action=DENIED).count() - before


def _membership(user, school):
    return Membership.objects.get(user=user, organisation=school)


@pytest.mark.parametrize(("who", "allowed"), MATRIX)
def test_team_add_page_role_matrix(client, world, who, allowed):
    response, refusals = _call(client, getattr(world, who), "get", reverse("cases:team_add", args=[world.school_a.pk]))
    assert response.status_code == (200 if allowed else 404)
    assert refusals == (0 if allowed else 1)


@pytest.mark.parametrize(("who", "allowed"), MATRIX)
def test_team_add_existing_staff_role_matrix(client, world, who, allowed):
    url = reverse("cases:team_add", args=[world.school_a.pk])
    data = {"user": world.staff_a.pk, "role": Role.TEAM_MEMBER, "position": "政教主任"}
    response, refusals = _call(client, getattr(world, who), "post", url, data)
    added = Membership.objects.filter(user=world.staff_a, role=Role.TEAM_MEMBER, is_active=True).exists()
    assert added == allowed
    assert response.status_code == (302 if allowed else 404)
    assert refusals == (0 if allowed else 1)
    if allowed:
        entry = AuditEntry.objects.get(action="xinan.org.membership.add")
        assert entry.organisation_id == world.school_a.pk
        assert entry.after["role"] == Role.TEAM_MEMBER


@pytest.mark.parametrize(("who", "allowed"), MATRIX)
def test_team_change_role_matrix(client, world, who, allowed):
    membership = _membership(world.health_teacher_a, world.school_a)
    url = reverse("cases:team_change", args=[membership.pk])
    response, refusals = _call(client, getattr(world, who), "get", url)
    assert response.status_code == (200 if allowed else 404)
    response, refusals = _call(
        client, getattr(world, who), "post", url, {"role": Role.DEPUTY_LEADER, "position": "副校长"}
    )
    membership.refresh_from_db()
    assert (membership.role == Role.DEPUTY_LEADER) == allowed
    assert response.status_code == (302 if allowed else 404)
    assert refusals == (0 if allowed else 1)


@pytest.mark.parametrize(("who", "allowed"), MATRIX)
def test_team_remove_role_matrix(client, world, who, allowed):
    membership = _membership(world.counsellor_a2, world.school_a)
    response, refusals = _call(client, getattr(world, who), "post", reverse("cases:team_remove", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active is not allowed
    assert response.status_code == (302 if allowed else 404)
    assert refusals == (0 if allowed else 1)
    if allowed:
        assert AuditEntry.objects.filter(action="xinan.org.membership.remove", object_id=str(membership.pk)).exists()


def test_team_remove_is_post_only(client, world):
    membership = _membership(world.counsellor_a2, world.school_a)
    client.force_login(world.team_leader_a)
    assert client.get(reverse("cases:team_remove", args=[membership.pk])).status_code == 405


def test_team_leader_of_other_school_cannot_touch_this_team(client, world):
    membership = _membership(world.team_leader_b, world.school_b)
    response, refusals = _call(client, world.team_leader_a, "post", reverse("cases:team_remove", args=[membership.pk]))
    assert response.status_code == 404
    assert refusals == 1
    membership.refresh_from_db()
    assert membership.is_active


def test_team_add_new_staff_account(client, world):
    url = reverse("cases:team_add", args=[world.school_a.pk])
    data = {"new_name": "测试新老师", "new_phone": "+86 137-0099-8877", "role": Role.COUNSELLOR, "position": ""}
    response, _ = _call(client, world.team_leader_a, "post", url, data)
    assert response.status_code == 302
    user = get_user_model().objects.get(phone="13700998877")
    roles = set(Membership.objects.filter(user=user, organisation=world.school_a).values_list("role", flat=True))
    assert roles == {Role.STAFF, Role.COUNSELLOR}
    assert AuditEntry.objects.filter(action="xinan.user.create").count() == 1


def test_team_add_bad_phone_keeps_what_was_typed(client, world):
    url = reverse("cases:team_add", args=[world.school_a.pk])
    data = {"new_name": "测试新老师", "new_phone": "12345", "role": Role.COUNSELLOR, "position": "专职心理老师"}
    response, _ = _call(client, world.team_leader_a, "post", url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "请输入有效的中国大陆手机号码" in html
    assert "测试新老师" in html
    assert "专职心理老师" in html
    assert not get_user_model().objects.filter(name="测试新老师").exists()


def test_team_add_refuses_phone_of_another_school(client, world):
    url = reverse("cases:team_add", args=[world.school_a.pk])
    data = {"new_name": "测试新老师", "new_phone": world.counsellor_b.phone, "role": Role.COUNSELLOR}
    response, _ = _call(client, world.team_leader_a, "post", url, data)
    assert response.status_code == 400
    assert "不是本校教职工" in response.content.decode()
    assert not Membership.objects.filter(user=world.counsellor_b, organisation=world.school_a).exists()


def test_team_add_refuses_person_from_another_school(world):
    with pytest.raises(TeamError):
        add_team_member(world.school_a, user=world.counsellor_b, role=Role.COUNSELLOR, by=world.team_leader_a)


def test_team_roles_refused_outside_the_crisis_team_or_org_kind(world):
    with pytest.raises(TeamError, match="固定成员"):
        add_team_member(world.school_a, user=world.staff_a, role=Role.PROVINCIAL_ADMIN, by=world.team_leader_a)
    with pytest.raises(TeamError, match="不能在此类组织"):
        add_team_member(world.province_a, user=world.staff_a, role=Role.TEAM_LEADER, by=world.team_leader_a)


def test_team_cannot_lose_its_last_leader(world):
    membership = _membership(world.team_leader_a, world.school_a)
    with pytest.raises(TeamError, match="至少需要一名组长"):
        remove_team_member(membership, by=world.team_leader_a)
    with pytest.raises(TeamError, match="至少需要一名组长"):
        change_team_member(membership, role=Role.COUNSELLOR, position="", by=world.team_leader_a)
    membership.refresh_from_db()
    assert membership.is_active
    assert membership.role == Role.TEAM_LEADER


def test_team_remove_then_add_again_reactivates(world):
    membership = _membership(world.counsellor_a2, world.school_a)
    remove_team_member(membership, by=world.team_leader_a)
    again = add_team_member(world.school_a, user=world.counsellor_a2, role=Role.COUNSELLOR, by=world.team_leader_a)
    assert again.pk == membership.pk
    assert again.is_active
    assert Membership.objects.filter(user=world.counsellor_a2, role=Role.STAFF, is_active=True).exists()


def test_roster_shows_edit_links_to_the_team_leader_only(client, world):
    url = reverse("organisations:team", args=[world.school_a.pk])
    client.force_login(world.team_leader_a)
    assert 'data-test="team-add"' in client.get(url).content.decode()
    client.force_login(world.coordinator_a)
    html = client.get(url).content.decode()
    assert 'data-test="team-add"' not in html
    assert 'data-test="plans-link"' in html
