"""A guardian notice (告知书) in a real Chromium: the counsellor writes it from the referral
template and sends it; the case page shows the SMS delivered by the outbox (the immediate task
backend delivers on commit, as in every test); the notice page prints cleanly and gives the
Word and PDF files, read back here; the guardian refuses on the phone, in words the counsellor
records; the team leader signs in and finds the task."""

from __future__ import annotations

import io
import time
from contextlib import contextmanager
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from pdfminer.high_level import extract_text as pdf_text
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.e2e.conftest import (
    click,
    click_and_wait,
    fill,
    sign_in_with_password,
    wait_for,
    wait_for_text,
    wait_present,
)
from xinan.cases.enums import NoticePurpose, NoticeResponse, TaskKind
from xinan.cases.models import SchoolCrisisSettings
from xinan.notifications.enums import MessageStatus

DUTY_PHONE = "0571-86661234"
WORDS = "孩子就是压力大，我们家长自己会管，不用去医院"


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


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(io.BytesIO(path.read_bytes()))
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    return "".join("".join(parts).split())


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


def test_notice_sent_delivered_printed_refused_and_escalated(chromium, live_server, world, case):
    SchoolCrisisSettings.objects.create(
        school=world.school_a, duty_counsellor=world.counsellor_a, duty_phone=DUTY_PHONE
    )
    guardian = case.student.guardians.get()
    page = f"{live_server.url}{reverse('cases:detail', args=[case.pk])}"

    # The counsellor writes the notice from the referral template and sends it.
    sign_in_with_password(chromium, live_server, world.counsellor_a)
    chromium.get(page)
    click_and_wait(chromium, '[data-test="add-notice"]')
    wait_for(chromium, '[data-test="work-form"]')
    click_and_wait(chromium, f'[data-test="notice-purpose-{NoticePurpose.REFERRAL_ADVISED}"]')
    wait_for(chromium, '[data-test="work-form"]')
    assert Select(chromium.find_element(By.NAME, "purpose")).first_selected_option.get_attribute("value") == (
        NoticePurpose.REFERRAL_ADVISED
    )
    assert Select(chromium.find_element(By.NAME, "guardian")).first_selected_option.get_attribute("value") == str(
        guardian.pk
    )
    text = chromium.find_element(By.NAME, "text").get_attribute("value")
    assert "进行专业评估与诊治" in text
    assert DUTY_PHONE in text
    chromium.find_element(By.NAME, "text").send_keys("\n请于本周五前到校面谈。")
    click_and_wait(chromium, '[data-test="work-submit"]')
    wait_for_text(chromium, "告知书已保存，短信已进入发送队列。")
    with printed(chromium):  # flash messages and buttons stay off the paper
        assert not shown(chromium, ".messages")
        assert not shown(chromium, '[data-test="add-notice"]')
        assert not shown(chromium, '[data-test="logout"]')
    assert shown(chromium, ".messages")

    # The outbox delivered the SMS: the case page shows it, and the text holds no details.
    notice = case.guardian_notices.get()
    assert notice.text.endswith("请于本周五前到校面谈。")
    wait_for(chromium, '[data-test="notice-sms-status"]')
    status = chromium.find_element(By.CSS_SELECTOR, '[data-test="notice-sms-status"]').text
    assert status == str(MessageStatus.SENT.label)
    notice.message.refresh_from_db()
    assert notice.message.status == MessageStatus.SENT
    assert notice.message.sent_at is not None
    assert notice.message.to_address == guardian.phone
    assert DUTY_PHONE in notice.message.body
    for detail in (case.student.name, case.reference, "转介", "危机"):
        assert detail not in notice.message.body

    # The notice page prints cleanly and gives the Word and PDF files.
    click_and_wait(chromium, '[data-test="notice-print-link"]')
    wait_for(chromium, '[data-test="notice-print"]')
    with printed(chromium):
        assert shown(chromium, '[data-test="notice-text"]')
        for screen_only in (".topbar", '[data-test="notice-downloads"]', '[data-test="notice-pdf"]', ".footer"):
            assert not shown(chromium, screen_only), screen_only
        colour = chromium.execute_script("return getComputedStyle(document.body).color;")
        assert colour == "rgb(0, 0, 0)"
    assert shown(chromium, '[data-test="notice-downloads"]')

    pdf = "".join(pdf_text(str(download(chromium, '[data-test="notice-pdf"]', ".pdf"))).split())
    word = docx_text(download(chromium, '[data-test="notice-docx"]', ".docx"))
    for content in (pdf, word):
        assert world.school_a.name in content
        assert "监护人告知书（转介就医建议告知）" in content
        assert "测试家长甲（家长）" in content
        assert "请于本周五前到校面谈" in content
        assert "将尽快陪同孩子就医" in content  # the receipt the guardian signs
        assert "监护人签名" in content

    # The guardian refuses on the phone; the counsellor records the date, channel and words.
    chromium.get(page)
    click_and_wait(chromium, '[data-test="notice-respond"]')
    wait_for(chromium, '[data-test="notice-summary"]')
    click(chromium, f'input[name="response"][value="{NoticeResponse.REFUSED}"]')
    answered = timezone.localtime().replace(second=0, microsecond=0)
    chromium.execute_script(
        "arguments[0].value = arguments[1];",
        chromium.find_element(By.NAME, "at"),
        answered.strftime("%Y-%m-%dT%H:%M"),
    )
    Select(chromium.find_element(By.NAME, "channel")).select_by_value("phone")
    fill(chromium, "guardian_words", WORDS)
    click_and_wait(chromium, '[data-test="work-submit"]')
    wait_for_text(chromium, "监护人的回应已记录。")
    recorded = chromium.find_element(By.CSS_SELECTOR, '[data-test="notice-response"]').text
    assert "拒绝" in recorded
    assert answered.strftime("%Y-%m-%d %H:%M") in recorded
    assert "电话" in recorded
    wait_for_text(chromium, WORDS)
    notice.refresh_from_db()
    assert (notice.response, notice.response_channel, notice.guardian_words) == ("refused", "phone", WORDS)
    assert timezone.localtime(notice.responded_at) == answered
    escalation = case.tasks.get(kind=TaskKind.ESCALATION, duty_key__contains=f"notice-refusal-{notice.pk}")
    assert escalation.assignee == world.team_leader_a

    # The team leader signs in and finds the task in their list.
    chromium.delete_all_cookies()
    sign_in_with_password(chromium, live_server, world.team_leader_a)
    chromium.get(f"{live_server.url}{reverse('cases:my_tasks')}")
    wait_present(chromium, '[data-test="my-tasks"]')
    wait_for_text(chromium, f"监护人拒绝或不配合告知书（个案 {case.reference}），请组长处理")
