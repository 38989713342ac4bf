"""The security administrator's pages: roles in scope granted and revoked, the separation of
duties (三员分立) refused with its Chinese message, and nobody else gets in."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import person
from tests.xinan.accounts.admin_helpers import actor, refusals
from xinan.audit.models import AuditEntry
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership

ALLOWED = {"security_admin_nation", "security_admin_a"}
EVERYONE = [
    "security_admin_nation",
    "security_admin_a",
    "security_admin_b",
    "system_admin_nation",
    "system_admin_a",
    "auditor_a",
    "national_admin",
    "provincial_admin_a",
    "team_leader_a",
    "counsellor_a",
]


def _grant(client, phone, organisation, role, position=""):
    data = {"phone": phone, "organisation": organisation.pk, "role": role, "position": position}
    return client.post(reverse("accounts:admin_role_grant"), data)


# --- Role matrix --------------------------------------------------------------------------
@pytest.mark.parametrize("who", EVERYONE)
def test_role_list_role_matrix(client, world, duties, who):
    client.force_login(actor(world, duties, who))
    before = refusals()
    response = client.get(reverse("accounts:admin_roles"))
    allowed = who in ALLOWED or who == "security_admin_b"  # B sees the list, with B's roles only
    assert response.status_code == (200 if allowed else 404)
    assert refusals() - before == (0 if allowed else 1)


def test_role_list_shows_only_the_scope_with_masked_phones(client, world, duties):
    client.force_login(duties.security_admin_b)
    page = client.get(reverse("accounts:admin_roles")).content.decode()
    assert world.counsellor_b.name in page
    assert world.counsellor_a.name not in page
    assert world.counsellor_b.masked_phone in page
    assert world.counsellor_b.phone not in page


@pytest.mark.parametrize("who", EVERYONE)
def test_grant_page_role_matrix(client, world, duties, who):
    client.force_login(actor(world, duties, who))
    response = client.get(reverse("accounts:admin_role_grant"))
    allowed = who in ALLOWED or who == "security_admin_b"
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("who", EVERYONE)
def test_grant_role_matrix(client, world, duties, who):
    target = world.staff_a
    client.force_login(actor(world, duties, who))
    before = refusals()
    response = _grant(client, target.phone, world.school_a, Role.TEAM_MEMBER, "年级组长")
    granted = Membership.objects.filter(user=target, organisation=world.school_a, role=Role.TEAM_MEMBER)
    if who in ALLOWED:
        assert response.status_code == 302
        assert granted.get().position == "年级组长"
        entry = AuditEntry.objects.get(action="xinan.org.membership.add", object_id=str(granted.get().pk))
        assert entry.actor == actor(world, duties, who)
        assert entry.organisation_id == world.school_a.pk
    else:
        assert response.status_code == 404
        assert not granted.exists()
        assert refusals() - before == 1


@pytest.mark.parametrize("who", EVERYONE)
def test_revoke_role_matrix(client, world, duties, who):
    membership = Membership.objects.get(user=world.counsellor_a2, organisation=world.school_a)
    client.force_login(actor(world, duties, who))
    before = refusals()
    response = client.post(reverse("accounts:admin_role_revoke", args=[membership.pk]))
    membership.refresh_from_db()
    if who in ALLOWED:
        assert response.status_code == 302
        assert not membership.is_active
        assert AuditEntry.objects.filter(action="xinan.org.membership.remove", object_id=str(membership.pk)).exists()
    else:
        assert response.status_code == 404
        assert membership.is_active
        assert refusals() - before == 1


# --- Scope and self -----------------------------------------------------------------------
def test_security_admin_cannot_grant_outside_their_scope(client, world, duties):
    client.force_login(duties.security_admin_a)
    before = refusals()
    response = _grant(client, world.staff_a.phone, world.school_b, Role.STAFF)
    assert response.status_code == 404
    assert refusals() - before == 1
    assert not Membership.objects.filter(user=world.staff_a, organisation=world.school_b).exists()


def test_security_admin_cannot_grant_to_someone_outside_their_scope(client, world, duties):
    client.force_login(duties.security_admin_a)
    response = _grant(client, world.counsellor_b.phone, world.school_a, Role.STAFF)
    assert response.status_code == 400
    assert "没有此手机号" in response.content.decode()
    assert not Membership.objects.filter(user=world.counsellor_b, organisation=world.school_a).exists()


def test_security_admin_cannot_grant_themselves_anything(client, world, duties):
    me = duties.security_admin_a
    client.force_login(me)
    before = Membership.objects.filter(user=me).count()
    response = _grant(client, me.phone, world.school_a, Role.TEAM_MEMBER)
    assert response.status_code == 400
    assert "不能给自己授予角色" in response.content.decode()
    assert Membership.objects.filter(user=me).count() == before


def test_security_admin_cannot_revoke_their_own_role(client, world, duties):
    me = duties.security_admin_a
    own = Membership.objects.get(user=me)
    client.force_login(me)
    assert client.post(reverse("accounts:admin_role_revoke", args=[own.pk])).status_code == 404
    own.refresh_from_db()
    assert own.is_active


# --- Separation of duties and validation ----------------------------------------------------
@pytest.mark.parametrize(("holder", "role"), [("system_admin_a", Role.AUDITOR), ("auditor_a", Role.SECURITY_ADMIN)])
def test_two_duties_refused_with_the_chinese_message_and_nothing_saved(client, world, duties, holder, role):
    target = getattr(duties, holder)
    client.force_login(duties.security_admin_nation)
    before = Membership.objects.count()
    response = _grant(client, target.phone, world.province_a, role)
    assert response.status_code == 400
    page = response.content.decode()
    assert "三员分立" in page
    assert target.phone in page  # the input is kept (it is the admin's own entry, shown back to them)
    assert Membership.objects.count() == before
    refusal = AuditEntry.objects.get(action="xinan.org.membership.grant_refused")
    assert refusal.actor == duties.security_admin_nation
    assert refusal.object_id == str(target.pk)


def test_revoked_duty_lets_another_be_granted(client, world, duties):
    target = duties.auditor_a
    Membership.objects.filter(user=target).update(is_active=False)
    client.force_login(duties.security_admin_nation)
    assert _grant(client, target.phone, world.province_a, Role.SECURITY_ADMIN).status_code == 302
    assert Membership.objects.filter(user=target, role=Role.SECURITY_ADMIN, is_active=True).exists()


def test_role_that_does_not_fit_the_organisation_is_400(client, world, duties):
    client.force_login(duties.security_admin_a)
    response = _grant(client, world.staff_a.phone, world.province_a, Role.FILER)
    assert response.status_code == 400
    assert "该角色不能在此类组织中担任" in response.content.decode()
    assert not Membership.objects.filter(user=world.staff_a, role=Role.FILER).exists()


def test_granting_a_role_already_held_is_400(client, world, duties):
    client.force_login(duties.security_admin_a)
    response = _grant(client, world.counsellor_a.phone, world.school_a, Role.COUNSELLOR)
    assert response.status_code == 400
    assert "已在此组织担任该角色" in response.content.decode()


def test_a_revoked_role_comes_back_when_granted_again(client, world, duties):
    membership = Membership.objects.get(user=world.counsellor_a2, organisation=world.school_a)
    client.force_login(duties.security_admin_a)
    client.post(reverse("accounts:admin_role_revoke", args=[membership.pk]))
    assert _grant(client, world.counsellor_a2.phone, world.school_a, Role.COUNSELLOR).status_code == 302
    membership.refresh_from_db()
    assert membership.is_active
    assert Membership.objects.filter(user=world.counsellor_a2, organisation=world.school_a).count() == 1


def test_grant_with_a_bad_phone_is_400(client, world, duties):
    client.force_login(duties.security_admin_a)
    response = _grant(client, "12", world.school_a, Role.STAFF)
    assert response.status_code == 400
    assert "请输入有效的中国大陆手机号码" in response.content.decode()


def test_revoked_role_takes_effect_on_the_next_request(client, world, duties, case):
    membership = Membership.objects.get(user=world.counsellor_a, organisation=world.school_a)
    theirs = type(client)()
    theirs.force_login(world.counsellor_a)
    assert theirs.get(reverse("organisations:team", args=[world.school_a.pk])).status_code == 200
    client.force_login(duties.security_admin_a)
    client.post(reverse("accounts:admin_role_revoke", args=[membership.pk]))
    assert theirs.get(reverse("organisations:team", args=[world.school_a.pk])).status_code == 404


def test_role_list_filters_by_phone_and_role(client, world, duties):
    client.force_login(duties.security_admin_a)
    page = client.get(reverse("accounts:admin_roles"), {"phone": world.counsellor_a.phone}).content.decode()
    assert world.counsellor_a.name in page
    assert world.team_leader_a.name not in page
    page = client.get(reverse("accounts:admin_roles"), {"role": Role.TEAM_LEADER}).content.decode()
    assert world.team_leader_a.name in page
    assert world.counsellor_a.name not in page


def test_role_list_query_count_does_not_grow(client, world):
    admin = person(Role.SECURITY_ADMIN, world.school_b)
    client.force_login(admin)
    url = reverse("accounts:admin_roles")

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    person(Role.STAFF, world.school_b)
    one = count()
    person(Role.STAFF, world.school_b)
    person(Role.STAFF, world.school_b)
    assert count() == one
