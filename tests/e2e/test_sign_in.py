"""Sign-in in a real headless Chromium: password, SMS code from the outbox, and every refusal."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from selenium.webdriver.common.by import By

from tests.e2e.conftest import (
    fill,
    last_code_for,
    request_code,
    sign_in_with_code,
    sign_in_with_password,
    wait_for,
    wait_for_text,
)
from xinan.audit.models import AuditEntry


def test_password_sign_in_then_sign_out(chromium, live_server, world):
    sign_in_with_password(chromium, live_server, world.team_leader_a)
    assert world.team_leader_a.name in chromium.find_element(By.TAG_NAME, "h1").text
    assert chromium.find_elements(By.CSS_SELECTOR, '[data-nav="team"]')
    chromium.find_element(By.CSS_SELECTOR, '[data-test="logout"]').click()
    wait_for_text(chromium, "您已安全退出")
    assert AuditEntry.objects.filter(action="xinan.auth.login", actor=world.team_leader_a).count() == 1


def test_password_sign_in_wrong_password_keeps_phone(chromium, live_server, world):
    chromium.get(f"{live_server.url}/accounts/login/?tab=password")
    fill(chromium, "phone", world.staff_a.phone)
    fill(chromium, "password", "wrong-password-1")
    chromium.find_element(By.CSS_SELECTOR, '[data-test="password-submit"]').click()
    wait_for_text(chromium, "手机号或密码错误")
    assert chromium.find_element(By.NAME, "phone").get_attribute("value") == world.staff_a.phone


@pytest.mark.phone
def test_sms_code_sign_in_on_a_phone(chromium, live_server, world):
    sign_in_with_code(chromium, live_server, world.filer_a)
    assert "填报人员" in chromium.page_source
    assert chromium.execute_script("return window.innerWidth") <= 400


@pytest.mark.phone
@override_settings(LOGIN_FAILURES_BEFORE_LOCKOUT=3)
def test_sms_code_wrong_codes_lock_the_account(chromium, live_server, world):
    request_code(chromium, live_server, world.filer_a.phone)
    wait_for(chromium, '[data-test="code-sent"]')
    right = last_code_for(world.filer_a.phone)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for expected in ("还可以再试 4 次", "还可以再试 3 次", "临时锁定"):
        fill(chromium, "code", wrong)
        chromium.find_element(By.CSS_SELECTOR, '[data-test="code-submit"]').click()
        wait_for_text(chromium, expected)
    fill(chromium, "code", right)
    chromium.find_element(By.CSS_SELECTOR, '[data-test="code-submit"]').click()
    wait_for_text(chromium, "临时锁定")
    assert not chromium.find_elements(By.CSS_SELECTOR, '[data-test="logout"]')
    assert AuditEntry.objects.filter(action="xinan.auth.lockout").count() == 1


def test_sms_code_resend_cooldown(chromium, live_server, world):
    request_code(chromium, live_server, world.filer_a.phone)
    wait_for(chromium, '[data-test="code-sent"]')
    button = chromium.find_element(By.CSS_SELECTOR, '[data-test="send-code"]')
    assert button.get_attribute("disabled") is not None  # counting down
    chromium.execute_script("arguments[0].disabled = false;", button)  # a person who forces it anyway
    button.click()
    wait_for_text(chromium, "秒后再重新获取")
    from xinan.notifications.models import Message

    assert Message.objects.to_address(world.filer_a.phone).count() == 1


def test_sms_code_expired_code_refused(chromium, live_server, world):
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=True) as traveller:
        request_code(chromium, live_server, world.filer_a.phone)
        wait_for(chromium, '[data-test="code-sent"]')
        traveller.shift(dt.timedelta(minutes=6))
        fill(chromium, "code", last_code_for(world.filer_a.phone))
        chromium.find_element(By.CSS_SELECTOR, '[data-test="code-submit"]').click()
        wait_for_text(chromium, "验证码已过期")


def test_sms_code_reuse_refused(chromium, live_server, world):
    sign_in_with_code(chromium, live_server, world.filer_a)
    code = last_code_for(world.filer_a.phone)
    chromium.find_element(By.CSS_SELECTOR, '[data-test="logout"]').click()
    wait_for_text(chromium, "您已安全退出")
    chromium.get(f"{live_server.url}/accounts/login/")
    fill(chromium, "phone", world.filer_a.phone)
    fill(chromium, "code", code)
    chromium.find_element(By.CSS_SELECTOR, '[data-test="code-submit"]').click()
    wait_for_text(chromium, "已使用过")


def test_other_school_crisis_team_page_is_404_in_browser(chromium, live_server, world):
    sign_in_with_password(chromium, live_server, world.counsellor_b)
    chromium.get(f"{live_server.url}/orgs/{world.school_a.pk}/team/")
    wait_for_text(chromium, "页面不存在")
