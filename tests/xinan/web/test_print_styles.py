"""The print stylesheet: a static file every page links (no inline styles, for a strict CSP),
with the rules that make a notice or a safety plan print as a clean A4 page."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.urls import reverse

from xinan.cases.enums import NoticePurpose
from xinan.cases.services import notices_guardian

LINK = re.compile(r'<link rel="stylesheet" href="(?P<href>[^"]*xinan/print\.css)" media="print">')


def _print_rules() -> str:
    path = finders.find("xinan/print.css")
    assert path, "xinan/print.css is not a static file"
    with open(path, encoding="utf-8") as handle:
        css = re.sub(r"/\*.*?\*/", "", handle.read(), flags=re.S)
    match = re.search(r"@media print\s*\{(?P<body>.*)\}\s*$", css, re.S)
    assert match, "the rules sit inside @media print"
    return match["body"]


def test_print_rules_hide_screen_parts_and_set_a4_black_text():
    rules = _print_rules()
    assert re.search(r"@page\s*\{[^}]*size:\s*A4;[^}]*margin:\s*\d+mm", rules)
    hidden = re.search(r"(?P<selectors>[^{}]+)\{\s*display:\s*none !important;\s*\}", rules)
    assert hidden
    selectors = {s.strip() for s in hidden["selectors"].split(",")}
    for part in (".topbar", ".nav", ".footer", ".messages", "button", ".button", ".actions", ".form-actions"):
        assert part in selectors, part
    assert re.search(r"body\s*\{[^}]*color:\s*#000", rules)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_notice_and_safety_plan_pages_link_the_stylesheet(client, world, case):
    guardian = case.student.guardians.first()
    notice = notices_guardian.send_notice(
        case,
        by=world.counsellor_a,
        guardian=guardian,
        purpose=NoticePurpose.CRISIS_FOUND,
        text=notices_guardian.prefill(case, NoticePurpose.CRISIS_FOUND, guardian=guardian),
    )
    client.force_login(world.counsellor_a)
    for url in (
        reverse("cases:notice_print", args=[case.pk, notice.pk]),
        reverse("cases:safety_plan", args=[case.pk]),
    ):
        page = _page(client, url)
        assert LINK.search(page), url
        assert "<style" not in page
        assert " style=" not in page
