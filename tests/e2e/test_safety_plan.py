"""A counsellor builds a safety plan (安全计划书, Stanley–Brown) with the student on a phone, in a
real Chromium: all six steps and the reasons for living through the real form; the page prints
cleanly; both copies are generated and downloaded as PDF and read back; a week later (a moved
clock, which the live server in this process shares) the plan is revised, the new version kept
beside the old and compared, and the review task of the new version is on the case."""

from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pdfminer.high_level import extract_text as pdf_text
from selenium.webdriver.common.by import By

from tests.e2e.conftest import click, click_and_wait, fill, sign_in_with_password, wait_for, wait_for_text
from xinan.cases.enums import TaskKind

FIRST = {
    "warning_signs": "晚上睡不着，反复想以前的事，不想见人",
    "coping": "听喜欢的歌，出去跑步",
    "distractions": "去图书馆，找同桌聊天",
    "helpers": "姐姐，同桌小李",
    "professionals": "学校值班心理老师\n全国心理援助热线 12356",
    "environment": "家里的药交给妈妈保管",
    "reasons_for_living": "想看到妹妹长大",
}
REVISED = {
    "coping": "写日记，给自己写一封信，出去跑步",
    "helpers": "姐姐，同桌小李，宿舍长",
}


def set_value(driver, name: str, value: str) -> None:
    """Date inputs take their value from script: typing into them depends on the locale."""
    element = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].value = arguments[1];", element, value)


def steps_of(plan) -> dict[str, str]:
    # A browser sends a text area's line breaks as CRLF.
    return {name: getattr(plan, name).replace("\r\n", "\n") for name in FIRST}


def shown(driver, css: str) -> bool:
    return driver.find_element(By.CSS_SELECTOR, css).is_displayed()


@contextmanager
def printed(driver):
    """The page as the browser lays it out for the printer (the print stylesheet applies)."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        yield
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def download(driver, css: str, suffix: str, timeout: float = 20) -> Path:
    """Click a download link and wait for the new, finished file with this suffix."""
    folder = Path(driver.download_dir)
    before = set(folder.glob(f"*{suffix}"))
    click(driver, css)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = set(folder.glob(f"*{suffix}")) - before
        if new:
            return new.pop()
        time.sleep(0.2)
    raise AssertionError(f"no new {suffix} download arrived")


def printed_copy(driver, live_server, case, which: str) -> str:
    """Generate one copy of version 1 on the dossier page and download its PDF; its text."""
    driver.get(f"{live_server.url}{reverse('dossier:case', args=[case.pk])}")
    click_and_wait(driver, f'[data-test="generate-plan-{which}-1"]')
    wait_for(driver, '[data-test="generated"]')
    return "".join(pdf_text(str(download(driver, '[data-test="generated-pdf"]', ".pdf"))).split())


@pytest.mark.phone
def test_safety_plan_built_printed_and_revised_a_week_later(chromium, live_server, world, case):
    page = f"{live_server.url}{reverse('cases:detail', args=[case.pk])}"
    plan_page = f"{live_server.url}{reverse('cases:safety_plan', args=[case.pk])}"
    first_day = timezone.localdate()

    # With the student, on a phone: the six steps and the reasons for living.
    sign_in_with_password(chromium, live_server, world.counsellor_a)
    assert chromium.execute_script("return window.innerWidth") <= 400
    chromium.get(page)
    click_and_wait(chromium, '[data-test="safety-plan"]')
    wait_for(chromium, '[data-test="safety-plan-form"]')
    assert "12356" in chromium.find_element(By.NAME, "professionals").get_attribute("value")
    for name, text in FIRST.items():
        fill(chromium, name, text)
    set_value(chromium, "review_on", (first_day + dt.timedelta(days=7)).isoformat())
    click_and_wait(chromium, '[data-test="safety-plan-submit"]')
    wait_for_text(chromium, "安全计划书已保存为新版本")
    wait_for_text(chromium, "与学生复查安全计划书（第 1 版）")
    first = case.safety_plans.get()
    assert steps_of(first) == FIRST

    # The plan page prints as paper: no navigation, no buttons, the student's words in black.
    chromium.get(plan_page)
    wait_for(chromium, '[data-test="safety-plan-form"]')
    with printed(chromium):
        assert shown(chromium, '[data-field="warning_signs"]')
        for screen_only in (".topbar", '[data-test="safety-plan-submit"]', ".sticky-actions", ".footer"):
            assert not shown(chromium, screen_only), screen_only
        assert chromium.execute_script("return getComputedStyle(document.body).color;") == "rgb(0, 0, 0)"
    assert shown(chromium, '[data-test="safety-plan-submit"]')

    # Both copies, printed from their PDFs.
    student_copy = printed_copy(chromium, live_server, case, "student")
    school_copy = printed_copy(chromium, live_server, case, "school")
    for copy, label in ((student_copy, "安全计划书（学生留存）"), (school_copy, "安全计划书（学校留存）")):
        assert label in copy
        assert world.school_a.name in copy
        assert "第一步：危机来临前的预警信号" in copy
        assert "晚上睡不着，反复想以前的事" in copy
        assert "想看到妹妹长大" in copy
    assert "安全计划书（学校留存）" not in student_copy
    assert case.reference in school_copy  # the school's copy is filed under the case

    # A week later, the plan is reviewed and revised. The live server runs in this process,
    # so the moved clock is its clock too; the clock keeps ticking for the browser waits.
    with time_machine.travel(timezone.now() + dt.timedelta(days=7), tick=True):
        week_later = timezone.localdate()
        assert week_later == first_day + dt.timedelta(days=7)
        chromium.get(plan_page)  # the session has expired in the meantime
        sign_in_with_password(chromium, live_server, world.counsellor_a)
        chromium.get(plan_page)
        wait_for(chromium, '[data-test="safety-plan-form"]')
        assert chromium.find_element(By.NAME, "coping").get_attribute("value") == FIRST["coping"]
        for name, text in REVISED.items():
            fill(chromium, name, text)
        # The old review date is today now, on the server's clock: it is refused.
        set_value(chromium, "review_on", week_later.isoformat())
        click_and_wait(chromium, '[data-test="safety-plan-submit"]')
        wait_for_text(chromium, "复查日期应晚于今天")
        assert chromium.find_element(By.NAME, "coping").get_attribute("value") == REVISED["coping"]
        set_value(chromium, "review_on", (week_later + dt.timedelta(days=14)).isoformat())
        click_and_wait(chromium, '[data-test="safety-plan-submit"]')
        wait_for_text(chromium, "安全计划书已保存为新版本")

        # The review task of the new version is on the case.
        wait_for_text(chromium, "与学生复查安全计划书（第 2 版）")
        review = case.tasks.get(kind=TaskKind.SAFETY_PLAN_REVIEW, done_at__isnull=True)
        assert review.title == "与学生复查安全计划书（第 2 版）"
        assert timezone.localdate(review.due_at) == week_later + dt.timedelta(days=14)
        old_review = case.tasks.get(kind=TaskKind.SAFETY_PLAN_REVIEW, duty_key__endswith="-safety-plan-v1-review")
        assert old_review.done_at is not None

        # The new version is kept beside the old, and the two are compared.
        first_again, second = case.safety_plans.order_by("version")
        assert steps_of(first_again) == FIRST
        assert timezone.localdate(second.created_at) == week_later
        assert (second.coping, second.helpers, second.warning_signs) == (
            REVISED["coping"],
            REVISED["helpers"],
            FIRST["warning_signs"],
        )
        chromium.get(plan_page)
        click_and_wait(chromium, '[data-test="compare-link"]')
        click_and_wait(chromium, '[data-test="compare-submit"]')
        table = wait_for(chromium, '[data-test="safety-plan-compare"]')
        rows = {
            row.find_element(By.TAG_NAME, "th").text: [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
        }
        assert rows == {
            "第二步：我自己可以做的应对方法": [FIRST["coping"], REVISED["coping"]],
            "第四步：可以求助的人": [FIRST["helpers"], REVISED["helpers"]],
        }
