"""The Content-Security-Policy in a real Chromium: the main pages, htmx included, run with no
violation (no inline script or style was needed, and htmx injects no style of its own)."""

from __future__ import annotations

from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.e2e.conftest import request_code, sign_in_with_password, wait_for, wait_for_text

# Recorded from before the first script of each page runs, so nothing is missed; the script is
# added through the DevTools protocol, which the page's policy does not govern.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def _watch(driver) -> None:
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTEN})


def _violations(driver) -> list[str]:
    events = driver.execute_script("return window.__csp || [];")
    console = [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]
    ]
    return events + console


def test_sign_in_page_and_htmx_code_form_have_no_violation(chromium, live_server, world):
    _watch(chromium)
    request_code(chromium, live_server, world.staff_a.phone)  # the code form swaps in through htmx
    wait_for(chromium, '[data-test="code-sent"]')
    assert chromium.execute_script("return !!window.htmx")
    assert not chromium.find_elements(By.CSS_SELECTOR, "style")  # no htmx indicator style
    assert _violations(chromium) == []


def test_signed_in_pages_have_no_violation(chromium, live_server, world, case, student):
    _watch(chromium)
    sign_in_with_password(chromium, live_server, world.counsellor_a)
    wait_for_text(chromium, world.counsellor_a.name)
    assert _violations(chromium) == []
    pages = [
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:list"),
        reverse("dossier:case", args=[case.pk]),
        reverse("accounts:security"),
        reverse("cases:first_report"),
    ]
    for path in pages:
        chromium.get(f"{live_server.url}{path}")
        wait_for(chromium, "h1")
        assert _violations(chromium) == [], path
    chromium.find_element(By.CSS_SELECTOR, '[data-test="student-query"]').send_keys("20240001")  # htmx search
    wait_for(chromium, '[data-test="student-choice"]')
    assert not chromium.find_elements(By.CSS_SELECTOR, "style")
    assert _violations(chromium) == []


def test_a_planted_inline_script_is_reported(chromium, live_server, world):
    """The check above can see a violation: an inline script added by hand is refused and counted."""
    _watch(chromium)
    chromium.get(f"{live_server.url}/accounts/login/")
    chromium.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.append(s);"
    )
    assert chromium.execute_script("return window.__ran === undefined")
    found = _violations(chromium)
    assert found
    assert any("script-src" in item for item in found)
