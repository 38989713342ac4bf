"""Every page of every role reachable from the demo, checked by axe-core in Chromium at desktop and
phone size: no violation of impact serious or critical under the WCAG 2.1 A/AA rules; at phone
size (390 × 844) also the layout rules: no horizontal overflow, no table cell narrower than three
characters, no tap target under 44 × 44 px, no fixed element covering a fifth of the screen.

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


# The phone layout rules of the interface issue, measured in the page as the phone shows it.
LAYOUT_CHECK = """
const problems = [];
const width = document.documentElement.clientWidth;
const label = el => (el.getAttribute('aria-label') || el.textContent || el.value || el.name || el.tagName)
    .trim().replace(/\\s+/g, ' ').slice(0, 24);
if (document.documentElement.scrollWidth > width + 1) {
  problems.push('页面横向溢出：' + document.documentElement.scrollWidth + 'px > ' + width + 'px');
}
for (const cell of document.querySelectorAll('td, th')) {
  const text = cell.textContent.trim();
  if (!text || cell.offsetParent === null) continue;
  const em = parseFloat(getComputedStyle(cell).fontSize);
  const box = cell.getBoundingClientRect();
  if (box.width > 0 && box.width < 3 * em && text.length >= 3) {
    problems.push('表格单元格过窄（' + Math.round(box.width) + 'px）：' + label(cell));
  }
}
const targets = 'button, select, textarea, a.button, nav a, [role=button], '
    + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio])';
for (const el of document.querySelectorAll(targets)) {
  if (el.offsetParent === null) continue;
  const box = el.getBoundingClientRect();
  const [w, h] = [Math.round(box.width), Math.round(box.height)];
  if (w < 44 || h < 44) problems.push('触控目标过小（' + w + '×' + h + '）：' + label(el));
}
for (const el of document.querySelectorAll('body *')) {
  const position = getComputedStyle(el).position;
  if (position !== 'fixed' && position !== 'sticky') continue;
  const box = el.getBoundingClientRect();
  if (box.height * box.width > 0.2 * window.innerHeight * width) problems.push('固定元素遮挡内容：' + label(el));
}
return problems;
"""


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
            layout = driver.execute_script(LAYOUT_CHECK) if size == "phone" else []
            checked[key if key != "web:home" else f"web:home ({person.role})"] = {
                "url": urlsplit(url).path, "role": str(person.role), "violations": violations, "layout": layout,
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


def _layout_failures(checked: dict) -> list[str]:
    return [f"{key} {page['url']} ({page['role']}): {problem}" for key, page in checked.items()
            for problem in page["layout"]]


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

    # Assert: no axe violation, and the phone layout rules hold: no sideways scrolling of the page,
    # no table cell narrower than three characters, every tap target 44 × 44 px, nothing fixed
    # covering the content.
    assert len(checked) >= 40, sorted(checked)
    assert _failures(checked) == []
    assert _layout_failures(checked) == []


BAD_PHONE_PAGE = """<!doctype html><html lang="zh-CN">
<head><meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="margin:0">
<div style="width:600px">太宽的内容</div>
<table><tr><td style="width:10px;max-width:10px">欧阳明轩</td><td>其余</td></tr></table>
<button style="padding:0;min-height:0;font-size:10px">删</button>
<div style="position:fixed;top:0;left:0;width:100%;height:60%;background:#fff">浮层</div>
</body></html>"""


@pytest.mark.phone
def test_the_layout_check_finds_each_kind_of_problem(chromium):
    # Arrange: a page that breaks each rule once.
    from urllib.parse import quote

    chromium.get("data:text/html;charset=utf-8," + quote(BAD_PHONE_PAGE))

    # Act
    problems = chromium.execute_script(LAYOUT_CHECK)

    # Assert
    kinds = {problem.split("（")[0].split("：")[0] for problem in problems}
    assert kinds == {"页面横向溢出", "表格单元格过窄", "触控目标过小", "固定元素遮挡内容"}, problems
