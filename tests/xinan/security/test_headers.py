"""Security headers on real responses: a Content-Security-Policy without unsafe-inline,
frame denial, referrer policy, nosniff, COOP, and HSTS with production-like settings; and no
inline script or style anywhere in the templates."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.xinan.dossier.conftest import make_pdf
from tests.xinan.test_deploy_check import _production_env
from xinan.dossier.models import Document

SRC = Path(__file__).resolve().parents[3] / "src" / "xinan"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_policy(response) -> None:
    directives = policy(response)
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "unsafe-hashes" not in header
    assert directives["default-src"] == ["'self'"]
    for name in ("script-src", "style-src"):
        assert directives.get(name, directives["default-src"]) == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]


def assert_common_headers(response) -> None:
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def pages(client, world, case):
    """Responses of the main kinds: anonymous page, signed-in pages, htmx partial, error page."""
    responses = {"login": client.get(reverse("accounts:login"))}
    responses["code-partial"] = client.post(
        reverse("accounts:send_code"), {"phone": "13700009999"}, HTTP_HX_REQUEST="true"
    )
    client.force_login(world.counsellor_a)
    responses["home"] = client.get(reverse("web:home"))
    responses["case"] = client.get(reverse("cases:detail", args=[case.pk]))
    responses["not-found"] = client.get("/no-such-page/")
    return responses


def test_every_kind_of_page_has_the_strict_policy_and_headers(pages):
    for name, response in pages.items():
        assert response.status_code in (200, 404), name
        assert_strict_policy(response)
        assert_common_headers(response)


def test_signed_in_pages_are_not_cached(pages):
    assert pages["home"]["Cache-Control"] == "no-store, private"
    assert pages["case"]["Cache-Control"] == "no-store, private"


def test_file_download_keeps_its_own_sandboxing_policy(client, world, case):
    client.force_login(world.counsellor_a)
    client.post(
        reverse("dossier:upload", args=[case.pk]),
        {"slot": "other", "note": "", "file": SimpleUploadedFile("a.pdf", make_pdf())},
    )
    response = client.get(reverse("dossier:download", args=[Document.objects.get().pk]))
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert_common_headers(response)


def test_pages_carry_no_inline_script_or_style(pages):
    for name, response in pages.items():
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
        assert "<style" not in html, name
        assert not re.search(r"\sstyle=", html), name
        assert not re.search(r"\son[a-z]+=", html), name


TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))


def test_templates_have_no_inline_script_style_or_handlers():
    assert len(TEMPLATES) > 50
    offending = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"<style",
            r"\sstyle=",
            r"\son[a-z]+\s*=",
            r"javascript:",
            r"\shx-on",
        ):
            if re.search(pattern, text, re.IGNORECASE):
                offending.append(f"{path.relative_to(SRC)}: {pattern}")
    assert offending == []


def test_htmx_is_told_not_to_inject_its_indicator_style(pages):
    html = pages["home"].content.decode()
    match = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert match
    config = json.loads(match.group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False


def test_scripts_do_not_set_style_attributes_or_evaluate_strings():
    for path in sorted((SRC / "web" / "static" / "xinan").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\beval\(", r"new Function\(", r"setAttribute\(\s*['\"]style", r"cssText", r"<style"):
            assert not re.search(pattern, text), f"{path.name}: {pattern}"


# --- Production-like settings: HSTS, redirect, secure cookies ---------------------------------------
@pytest.fixture(scope="module")
def production_settings(tmp_path_factory) -> dict:
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "CONTENT_SECURITY_POLICY",
        "DEBUG",
        "MIDDLEWARE",
    ]
    code = textwrap.dedent(
        f"""
        import json, os
        os.environ["DJANGO_SETTINGS_MODULE"] = "xinan.settings"
        from django.conf import settings
        print(json.dumps({{name: getattr(settings, name, None) for name in {names!r}}}))
        """
    )
    env = _production_env(tmp_path_factory.mktemp("production"))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_production_settings_turn_on_hsts_and_https(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31536000
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert "csp.middleware.CSPMiddleware" in production_settings["MIDDLEWARE"]
    assert production_settings["CONTENT_SECURITY_POLICY"] == settings.CONTENT_SECURITY_POLICY


def test_production_like_responses_send_hsts_and_redirect_to_https(client, db, production_settings):
    overrides = {
        name: production_settings[name]
        for name in (
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
        )
    }
    overrides["SECURE_PROXY_SSL_HEADER"] = tuple(production_settings["SECURE_PROXY_SSL_HEADER"])
    with override_settings(**overrides):
        plain = client.get(reverse("accounts:login"))
        assert plain.status_code == 301
        assert plain["Location"].startswith("https://")
        secure = client.get(reverse("accounts:login"), HTTP_X_FORWARDED_PROTO="https")
        assert secure.status_code == 200
        assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert_strict_policy(secure)
        assert_common_headers(secure)
        assert secure.cookies[settings.CSRF_COOKIE_NAME]["secure"]
        assert client.get("/healthz").status_code == 200  # the load balancer's probe over plain HTTP
