"""Every page of every role reachable from the demo, checked by axe-core in Chromium at desktop and
phone size: no violation of impact serious or critical under the WCAG 2.1 A/AA rules.

axe-core (MPL-2.0) is vendored under tests/e2e/vendor/axe-core with its Simplified Chinese locale;
the findings are written, in Chinese, to var/test-results/axe-<size>.json (a CI artefact).
"""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

VENDOR = Path(__file__).parent / "vendor" / "axe-core"
RESULTS = Path(__file__).resolve().parents[2] / "var" / "test-results"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
# Links that download, sign out or change state on GET are not pages to check.
SKIPPED_NAME_PARTS = ("logout", "download", "export", "file", "pdf", "docx", "xlsx", "zip", "print", "seal_image",
                      "qr", "favicon")
PAGES_PER_ROLE = 30

AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.configure({locale: arguments[0]});
axe.run(document, {runOnly: {type: 'tag', values: arguments[1]}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').slice(0, 300))}))))
  .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
"""


@pytest.fixture(autouse=True)
def _rendering_checks_run_once():
    # What axe checks is the rendered page, the same on either database: the PostgreSQL pass
    # would repeat the SQLite pass's findings at the cost of five minutes of CI.
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("rendering checks run in the SQLite pass")


def _page_key(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    name = f"{match.namespace}:{match.url_name}" if match.namespace else (match.url_name or "")
    if not name or any(part in name for part in SKIPPED_NAME_PARTS):
        return None
    return name


def _sign_in(driver, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    driver.get(f"{live_server.url}/accounts/login/")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookie, "path": "/"})


def _links(driver, origin: str) -> list[str]:
    hrefs = driver.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href);") or []
    return [href.split("#")[0] for href in hrefs if href.startswith(origin)]


def check_every_page(driver, live_server, size: str) -> dict:
    from django.contrib.auth import get_user_model

    from xinan.demo.services.generate import PEOPLE, generate_demo

    generate_demo()
    axe_source = (VENDOR / "axe.min.js").read_text(encoding="utf-8")
    locale = json.loads((VENDOR / "zh_CN.json").read_text(encoding="utf-8"))
    checked: dict[str, dict] = {}
    for person in PEOPLE:
        user = get_user_model().objects.get(phone=person.phone)
        driver.delete_all_cookies()
        _sign_in(driver, live_server, user)
        queue, visited = deque([f"{live_server.url}/"]), set()
        while queue and len(visited) < PAGES_PER_ROLE:
            url = queue.popleft()
            key = _page_key(urlsplit(url).path)
            # Each page once (the home page once per role: it differs by role).
            if key is None or key in visited or (key in checked and key != "web:home"):
                continue
            visited.add(key)
            driver.get(url)
            driver.execute_script(axe_source)
            violations = [v for v in driver.execute_async_script(AXE_RUN, locale, TAGS) if v["impact"] in BLOCKING]
            checked[key if key != "web:home" else f"web:home ({person.role})"] = {
                "url": urlsplit(url).path, "role": str(person.role), "violations": violations,
            }
            for link in _links(driver, live_server.url):
                link_key = _page_key(urlsplit(link).path)
                if link_key is not None and link_key not in checked:
                    queue.append(link)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"axe-{size}.json").write_text(json.dumps(checked, ensure_ascii=False, indent=1), encoding="utf-8")
    return checked


def _failures(checked: dict) -> list[str]:
    return [
        f"{key} {page['url']} ({page['role']}): {v['id']} [{v['impact']}] {v['help']} → {'; '.join(v['nodes'])}"
        for key, page in checked.items()
        for v in page["violations"]
    ]


@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_at_desktop_size(chromium, live_server):
    # Act
    checked = check_every_page(chromium, live_server, "desktop")

    # Assert: the walk reached the pages of every part, and none has a serious or critical violation.
    assert len(checked) >= 40, sorted(checked)
    assert _failures(checked) == []


@pytest.mark.phone
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_at_phone_size(chromium, live_server):
    # Act
    checked = check_every_page(chromium, live_server, "phone")

    # Assert
    assert len(checked) >= 40, sorted(checked)
    assert _failures(checked) == []
