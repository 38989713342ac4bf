"""Helpers for driving Chromium through XinAn as a person would."""

from __future__ import annotations

import re

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


def wait_for(driver, css: str, timeout: float = 10):
    wait = WebDriverWait(driver, timeout, ignored_exceptions=_PAGE_CHANGES)
    return wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))


def wait_present(driver, css: str, timeout: float = 10):
    """For elements that may sit in the collapsed menu of a phone-sized screen."""
    wait = WebDriverWait(driver, timeout, ignored_exceptions=_PAGE_CHANGES)
    return wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def wait_for_text(driver, text: str, timeout: float = 10) -> None:
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

    body = Message.objects.filter(to_address=phone, template="login_code").latest("pk").body
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
