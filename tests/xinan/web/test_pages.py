import re

import pytest
from django.test import override_settings
from django.urls import reverse


def test_login_page_is_chinese_and_uses_only_local_assets(client, db):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录心安平台" in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")), url


def test_favicon_is_a_real_icon_served_locally(client, db):
    # Act
    response = client.get("/favicon.ico")
    login = client.get(reverse("accounts:login")).content.decode()

    # Assert
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert 'rel="icon" href="/static/xinan/favicon.ico"' in login


def test_home_requires_sign_in(client, db):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("national_admin", "平台管理员"),
        ("provincial_admin_a", "省级管理员"),
        ("team_leader_a", "危机干预工作小组组长"),
        ("counsellor_a", "心理老师/辅导员"),
        ("class_teacher_a", "班主任"),
        ("staff_a", "教职工"),
        ("filer_a", "填报人员"),
        ("reviewer_a", "评审专家"),
    ],
)
def test_home_shows_a_panel_per_role(client, world, who, expected):
    client.force_login(getattr(world, who))
    html = client.get(reverse("web:home")).content.decode()
    assert expected in html


def test_navigation_shows_team_and_audit_only_to_their_roles(client, world):
    client.force_login(world.team_leader_a)
    html = client.get(reverse("web:home")).content.decode()
    assert 'data-nav="team"' in html
    assert 'data-nav="audit"' in html
    client.force_login(world.staff_a)
    html = client.get(reverse("web:home")).content.decode()
    assert 'data-nav="team"' not in html
    assert 'data-nav="audit"' not in html


def test_unknown_page_gives_chinese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_error_page_leaks_nothing(db):
    from django.test import RequestFactory

    from xinan.web.errors import server_error

    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出现错误" in html
    assert "Traceback" not in html


def test_signed_in_pages_are_not_cached(client, world):
    client.force_login(world.staff_a)
    response = client.get(reverse("web:home"))
    assert "no-store" in response["Cache-Control"]


def test_security_headers_present(client, db):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("rows", [1, 3])
def test_home_query_count_does_not_grow_with_roles(client, world, django_assert_max_num_queries, rows):
    from tests.factories import MembershipFactory, make_org
    from xinan.organisations.enums import OrgKind, Role

    for _ in range(rows):
        MembershipFactory(
            user=world.counsellor_a, organisation=make_org(OrgKind.SCHOOL, world.province_a), role=Role.COUNSELLOR
        )
    client.force_login(world.counsellor_a)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("web:home")).status_code == 200
