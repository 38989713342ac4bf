"""Helpers for driving Chromium through XinAn as a person would."""

from __future__ import annotations

import re
import time

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.factories import PASSWORD


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


# While a new page replaces the old one, Chromium may answer with any of these; waits retry.
_PAGE_CHANGES = (StaleElementReferenceException, NoSuchElementException, WebDriverException)


def wait_for(driver, css: str, timeout: float = 25):
    wait = WebDriverWait(driver, timeout, ignored_exceptions=_PAGE_CHANGES)
    return wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))


def wait_present(driver, css: str, timeout: float = 25):
    """For elements that may sit in the collapsed menu of a phone-sized screen."""
    wait = WebDriverWait(driver, timeout, ignored_exceptions=_PAGE_CHANGES)
    return wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def wait_for_text(driver, text: str, timeout: float = 25) -> None:
    # One script call reads the page text atomically: no element reference can go stale
    # while a new page replaces the old one.
    wait = WebDriverWait(driver, timeout, ignored_exceptions=_PAGE_CHANGES)
    wait.until(lambda d: text in (d.execute_script("return document.body ? document.body.innerText : '';") or ""))


def fill(driver, name: str, value: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)


def last_code_for(phone: str) -> str:
    from xinan.notifications.models import Message

    body = Message.objects.to_address(phone).filter(template="login_code").latest("pk").body
    return re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)


def sign_in_with_password(driver, live_server, user, password: str = PASSWORD) -> None:
    driver.get(f"{live_server.url}/accounts/login/?tab=password")
    fill(driver, "phone", user.phone)
    fill(driver, "password", password)
    driver.find_element(By.CSS_SELECTOR, '[data-test="password-submit"]').click()
    wait_present(driver, '[data-test="logout"]')


def request_code(driver, live_server, phone: str) -> None:
    driver.get(f"{live_server.url}/accounts/login/")
    fill(driver, "phone", phone)
    driver.find_element(By.CSS_SELECTOR, '[data-test="send-code"]').click()


def sign_in_with_code(driver, live_server, user) -> None:
    request_code(driver, live_server, user.phone)
    wait_for(driver, '[data-test="code-sent"]')
    fill(driver, "code", last_code_for(user.phone))
    driver.find_element(By.CSS_SELECTOR, '[data-test="code-submit"]').click()
    wait_present(driver, '[data-test="logout"]')


def click(driver, css: str) -> None:
    """Scroll the element into view first: on a phone-sized screen it may be below the fold."""
    element = wait_present(driver, css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def wait_for_file(directory: str, suffix: str, timeout: float = 20):
    """The first finished download with this suffix (Chromium writes .crdownload until done)."""
    import time
    from pathlib import Path

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [path for path in Path(directory).iterdir() if path.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} download arrived")


def scan_image(directory, label: str) -> str:
    """A white page with a line on it: what a phone photo of a signed or stamped page is to the platform."""
    import io
    from pathlib import Path

    from PIL import Image

    image = Image.new("RGB", (600, 800), "white")
    for x in range(100, 500):
        image.putpixel((x, 400), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    target = Path(directory) / f"{label}.png"
    target.write_bytes(buffer.getvalue())
    return str(target)


def click_and_wait(driver, css: str, timeout: float = 25) -> None:
    """Click something that loads a new page, and wait until the old page is gone."""
    old_page = driver.find_element(By.TAG_NAME, "html")
    click(driver, css)
    WebDriverWait(driver, timeout).until(lambda _driver: _is_gone(old_page))


def _is_gone(element) -> bool:
    # Chromium says "stale", or "node does not belong to the document", for a replaced page.
    try:
        element.is_enabled()
    except WebDriverException:
        return True
    return False


def wait_for_htmx_idle(driver, timeout: float = 25, settle: float = 0.7) -> None:
    """Wait until no htmx request is in flight and none is pending behind a trigger delay.

    The live server shares the test's in-memory SQLite connection, so the test thread must not
    query the database while the server answers a background request."""
    idle = "return document.querySelector('.htmx-request') === null"
    for _ in range(2):
        WebDriverWait(driver, timeout).until(lambda d: d.execute_script(idle))
        time.sleep(settle)  # longer than the editor's 600 ms trigger delay
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script(idle))
