"""Error pages (400, 403, 404, 500) in Chinese, with debug off: no stack trace, no request
data, no personal data, and the same security headers as any page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse

from xinan.web import errors

SECRET_PHONE = "13912345678"
SECRET_NAME = "欧阳测试生"
SECRET_ID = "11010519491231002X"
TRACE_MARKERS = ("Traceback", 'File "', "django/", "site-packages", "Exception Value", "Request Method", "DEBUG")


def assert_safe(response, *, status: int, title: str) -> None:
    assert response.status_code == status
    html = response.content.decode()
    assert title in html
    assert '<html lang="zh-Hans">' in html
    for marker in TRACE_MARKERS:
        assert marker not in html
    for secret in (SECRET_PHONE, SECRET_NAME, SECRET_ID):
        assert secret not in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_debug_is_off():
    assert settings.DEBUG is False


def test_404_says_nothing_about_the_request(client, world):
    client.force_login(world.counsellor_a)
    response = client.get(f"/cases/{SECRET_PHONE}/{SECRET_NAME}/", {"id": SECRET_ID})
    assert_safe(response, status=404, title="页面不存在")


def test_404_of_an_object_not_in_scope_is_the_same_page(client, world, case):
    client.force_login(world.counsellor_b)  # another school
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert_safe(response, status=404, title="页面不存在")
    assert case.student.name not in response.content.decode()


def test_400_for_a_forged_host(db):
    response = Client().get("/", {"q": SECRET_PHONE}, HTTP_HOST="evil.example")
    assert_safe(response, status=400, title="请求有误")
    assert "evil.example" not in response.content.decode()


def test_403_page_from_a_refused_request(client, world, monkeypatch):
    def refuse(request):
        raise PermissionDenied(f"{SECRET_NAME} {SECRET_PHONE}")

    monkeypatch.setattr("xinan.web.views.panels_for", refuse)
    client.force_login(world.counsellor_a)
    response = client.get(reverse("web:home"), {"phone": SECRET_PHONE})
    assert_safe(response, status=403, title="无权访问")


def test_500_page_has_no_trace_and_no_request_data(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.counsellor_a)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("xinan.web.views.panels_for", lambda user: 1 / 0)
        response = client.post(reverse("web:home"), {"name": SECRET_NAME, "phone": SECRET_PHONE})
        response = client.get(reverse("web:home"), {"name": SECRET_NAME, "phone": SECRET_PHONE, "id": SECRET_ID})
    assert_safe(response, status=500, title="服务器出现错误")
    assert "ZeroDivisionError" not in response.content.decode()


def test_csrf_failure_page_is_chinese_and_plain(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.counsellor_a)
    response = client.post(reverse("accounts:logout"), {"phone": SECRET_PHONE})
    assert_safe(response, status=403, title="页面已过期")


@pytest.mark.parametrize(
    ("handler", "status", "title"),
    [
        (errors.bad_request, 400, "请求有误"),
        (errors.permission_denied, 403, "无权访问"),
        (errors.page_not_found, 404, "页面不存在"),
    ],
)
def test_handlers_render_their_template_without_the_exception(db, handler, status, title):
    request = RequestFactory().get("/", {"phone": SECRET_PHONE})
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = handler(request, Exception(f"{SECRET_NAME} {SECRET_PHONE} {SECRET_ID}"))
    assert response.status_code == status
    html = response.content.decode()
    assert title in html
    for secret in (SECRET_PHONE, SECRET_NAME, SECRET_ID):
        assert secret not in html


def test_500_handler_needs_no_context_or_database():
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器出现错误" in response.content.decode()
    assert "{%" not in response.content.decode()
