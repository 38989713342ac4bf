"""The system administrator's pages: people in scope, accounts created, stopped and unlocked,
a phone shown in full only by an audited click; and nobody else gets in."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import person
from tests.xinan.accounts.admin_helpers import actor, refusals
from xinan.accounts.services import codes
from xinan.audit.models import AuditEntry
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership

ALLOWED = {"system_admin_nation", "system_admin_a"}
EVERYONE = [
    "system_admin_nation",
    "system_admin_a",
    "system_admin_b",
    "security_admin_a",
    "auditor_a",
    "national_admin",
    "provincial_admin_a",
    "team_leader_a",
    "counsellor_a",
]


def _lock(phone: str) -> None:
    for _attempt in range(settings.LOGIN_FAILURES_BEFORE_LOCKOUT):
        codes.register_failure(phone)


# --- Role matrix --------------------------------------------------------------------------
@pytest.mark.parametrize("who", EVERYONE)
def test_people_list_role_matrix(client, world, duties, who):
    client.force_login(actor(world, duties, who))
    before = refusals()
    response = client.get(reverse("accounts:admin_people"))
    allowed = who in ALLOWED or who == "system_admin_b"  # B sees the list, with B's people only
    assert response.status_code == (200 if allowed else 404)
    assert refusals() - before == (0 if allowed else 1)


def test_people_list_shows_only_the_scope_with_masked_phones(client, world, duties):
    client.force_login(duties.system_admin_b)
    page = client.get(reverse("accounts:admin_people")).content.decode()
    assert world.counsellor_b.name in page
    assert world.counsellor_a.name not in page
    assert world.counsellor_b.masked_phone in page
    assert world.counsellor_b.phone not in page


@pytest.mark.parametrize("who", EVERYONE)
def test_person_page_role_matrix(client, world, duties, who):
    client.force_login(actor(world, duties, who))
    before = refusals()
    response = client.get(reverse("accounts:admin_person", args=[world.counsellor_a.pk]))
    assert response.status_code == (200 if who in ALLOWED else 404)
    assert refusals() - before == (0 if who in ALLOWED else 1)
    if who in ALLOWED:
        assert world.counsellor_a.phone not in response.content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_deactivate_role_matrix(client, world, duties, who):
    target = world.counsellor_a
    client.force_login(actor(world, duties, who))
    before = refusals()
    response = client.post(reverse("accounts:admin_person_deactivate", args=[target.pk]), {"reason": "离职"})
    target.refresh_from_db()
    if who in ALLOWED:
        assert response.status_code == 302
        assert not target.is_active
        assert AuditEntry.objects.filter(action="xinan.account.deactivate", object_id=str(target.pk)).exists()
    else:
        assert response.status_code == 404
        assert target.is_active
        assert refusals() - before == 1
        assert not AuditEntry.objects.filter(action="xinan.account.deactivate").exists()


@pytest.mark.parametrize("who", EVERYONE)
def test_reactivate_role_matrix(client, world, duties, who):
    target = world.counsellor_a2
    target.is_active = False
    target.save(update_fields=["is_active"])
    client.force_login(actor(world, duties, who))
    response = client.post(reverse("accounts:admin_person_reactivate", args=[target.pk]))
    target.refresh_from_db()
    assert response.status_code == (302 if who in ALLOWED else 404)
    assert target.is_active == (who in ALLOWED)


@pytest.mark.parametrize("who", EVERYONE)
def test_unlock_role_matrix(client, world, duties, who):
    target = world.counsellor_a
    _lock(target.phone)
    client.force_login(actor(world, duties, who))
    before = refusals()
    response = client.post(reverse("accounts:admin_person_unlock", args=[target.pk]))
    still_locked = bool(codes.locked_phones([target.phone]))
    if who in ALLOWED:
        assert response.status_code == 302
        assert not still_locked
        assert AuditEntry.objects.filter(action="xinan.auth.unlock", object_id=str(target.pk)).exists()
    else:
        assert response.status_code == 404
        assert still_locked
        assert refusals() - before == 1


@pytest.mark.parametrize("who", EVERYONE)
def test_reveal_phone_role_matrix(client, world, duties, who):
    target = world.counsellor_a
    client.force_login(actor(world, duties, who))
    response = client.post(reverse("accounts:admin_person_phone", args=[target.pk]))
    reveals = AuditEntry.objects.filter(action="xinan.account.phone.reveal", object_id=str(target.pk))
    if who in ALLOWED:
        assert response.status_code == 200
        assert target.phone in response.content.decode()
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
        assert reveals.count() == 1
        assert reveals.get().actor == actor(world, duties, who)
    else:
        assert response.status_code == 404
        assert target.phone not in response.content.decode()
        assert not reveals.exists()


def test_reveal_phone_is_a_post_only(client, world, duties):
    client.force_login(duties.system_admin_a)
    response = client.get(reverse("accounts:admin_person_phone", args=[world.counsellor_a.pk]))
    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action="xinan.account.phone.reveal").exists()


@pytest.mark.parametrize("who", EVERYONE)
def test_create_person_role_matrix(client, world, duties, who):
    client.force_login(actor(world, duties, who))
    data = {"name": "测试新人乙", "phone": "13700009001", "unit": "心理中心", "organisation": world.school_a.pk}
    before = refusals()
    response = client.post(reverse("accounts:admin_person_create"), data)
    user_model = type(world.counsellor_a)
    created = user_model.objects.filter(phone="13700009001").first()
    if who in ALLOWED:
        assert response.status_code == 302
        assert created is not None
        assert created.unit == "心理中心"
        assert not created.has_usable_password()
        assert list(created.memberships.values_list("role", flat=True)) == [Role.STAFF]
        assert AuditEntry.objects.filter(action="xinan.user.create", object_id=str(created.pk)).exists()
    else:
        assert response.status_code == 404
        assert created is None
        assert refusals() - before == 1


def test_create_person_with_a_bad_phone_is_400_and_keeps_the_input(client, world, duties):
    client.force_login(duties.system_admin_a)
    data = {"name": "测试新人丙", "phone": "12345", "organisation": world.school_a.pk}
    response = client.post(reverse("accounts:admin_person_create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "请输入有效的中国大陆手机号码" in page
    assert "测试新人丙" in page


def test_create_person_with_a_phone_that_has_an_account_is_400(client, world, duties):
    client.force_login(duties.system_admin_a)
    data = {"name": "测试新人丁", "phone": world.counsellor_b.phone, "organisation": world.school_a.pk}
    response = client.post(reverse("accounts:admin_person_create"), data)
    assert response.status_code == 400
    assert "已有账号" in response.content.decode()
    assert not world.counsellor_b.memberships.filter(organisation=world.school_a).exists()


# --- Search ---------------------------------------------------------------------------------
def test_people_search_by_phone_is_exact_and_normalised(client, world, duties):
    client.force_login(duties.system_admin_a)
    phone = world.counsellor_a.phone
    typed = f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}"
    page = client.get(reverse("accounts:admin_people"), {"phone": typed}).content.decode()
    assert world.counsellor_a.name in page
    assert world.team_leader_a.name not in page


def test_people_search_by_a_bad_phone_is_400(client, world, duties):
    client.force_login(duties.system_admin_a)
    response = client.get(reverse("accounts:admin_people"), {"phone": "12"})
    assert response.status_code == 400
    assert "请输入有效的中国大陆手机号码" in response.content.decode()


def test_people_filter_by_name(client, world, duties):
    client.force_login(duties.system_admin_a)
    page = client.get(reverse("accounts:admin_people"), {"name": world.team_leader_a.name}).content.decode()
    assert world.team_leader_a.name in page
    assert 'href="{}"'.format(reverse("accounts:admin_person", args=[world.team_leader_a.pk])) in page


def test_people_list_shows_a_lockout(client, world, duties):
    _lock(world.counsellor_a.phone)
    client.force_login(duties.system_admin_a)
    page = client.get(reverse("accounts:admin_people"), {"phone": world.counsellor_a.phone}).content.decode()
    assert "已锁定" in page


# --- Effects ------------------------------------------------------------------------------
def test_deactivation_ends_the_persons_sessions(client, world, duties):
    target = world.counsellor_a
    theirs = Client()
    theirs.force_login(target)
    assert theirs.get(reverse("web:home")).status_code == 200
    client.force_login(duties.system_admin_a)
    client.post(reverse("accounts:admin_person_deactivate", args=[target.pk]))
    response = theirs.get(reverse("web:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    mine = [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(target.pk)]
    assert mine == []
    assert client.get(reverse("accounts:admin_people")).status_code == 200  # the admin's own session lives on


def test_system_admin_cannot_deactivate_themselves(client, world, duties):
    client.force_login(duties.system_admin_a)
    response = client.post(reverse("accounts:admin_person_deactivate", args=[duties.system_admin_a.pk]))
    assert response.status_code == 404
    duties.system_admin_a.refresh_from_db()
    assert duties.system_admin_a.is_active


def test_lifted_lockout_lets_the_person_request_a_code(client, world, duties):
    target = world.counsellor_a
    _lock(target.phone)
    with pytest.raises(codes.SignInError):
        codes.ensure_not_locked(target.phone)
    client.force_login(duties.system_admin_a)
    client.post(reverse("accounts:admin_person_unlock", args=[target.pk]))
    codes.ensure_not_locked(target.phone)


# --- The system admin gives no roles and reads no cases -----------------------------------------
def test_system_admin_cannot_grant_roles(client, world, duties):
    client.force_login(duties.system_admin_nation)
    before = Membership.objects.count()
    data = {"phone": world.staff_a.phone, "organisation": world.school_a.pk, "role": Role.TEAM_MEMBER}
    assert client.get(reverse("accounts:admin_role_grant")).status_code == 404
    assert client.post(reverse("accounts:admin_role_grant"), data).status_code == 404
    assert client.get(reverse("accounts:admin_roles")).status_code == 404
    assert Membership.objects.count() == before


@pytest.mark.parametrize(
    "who", ["system_admin_nation", "system_admin_a", "security_admin_nation", "security_admin_a", "auditor_a"]
)
def test_three_duties_get_404_on_a_case_and_the_crisis_team(client, world, duties, case, who):
    client.force_login(actor(world, duties, who))
    before = refusals()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("organisations:team", args=[world.school_a.pk])).status_code == 404
    assert refusals() - before == 2


# --- Navigation and query count -------------------------------------------------------------
def test_navigation_and_home_link_to_the_pages(client, world, duties):
    client.force_login(duties.system_admin_a)
    page = client.get(reverse("web:home")).content.decode()
    assert reverse("accounts:admin_people") in page
    assert reverse("accounts:admin_roles") not in page
    client.force_login(duties.security_admin_a)
    page = client.get(reverse("web:home")).content.decode()
    assert reverse("accounts:admin_roles") in page
    assert reverse("accounts:admin_people") not in page


def _queries_for_people_list(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_people_list_query_count_does_not_grow(client, world, db):
    school = world.school_b
    admin = person(Role.SYSTEM_ADMIN, school)
    client.force_login(admin)
    url = reverse("accounts:admin_people")
    person(Role.STAFF, school)
    one = _queries_for_people_list(client, url)
    person(Role.STAFF, school)
    person(Role.STAFF, school)
    _lock(person(Role.STAFF, school).phone)
    three = _queries_for_people_list(client, url)
    assert three == one
