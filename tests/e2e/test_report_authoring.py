"""A counsellor writes a case report in the editor: the live count and the privacy flag of a
name, the replacement applied, the report marked ready and downloaded as a PDF."""

from __future__ import annotations

import random

from pdfminer.high_level import extract_text as pdf_text
from selenium.webdriver.common.by import By

from tests.e2e.conftest import (
    click,
    fill,
    sign_in_with_password,
    wait_for,
    wait_for_file,
    wait_for_htmx_idle,
    wait_for_text,
)
from xinan.demo.services.people import make_name
from xinan.reports.models import CaseReport

TITLE = "同心守护 走出阴霾"
SECTIONS = {
    "subtitle": "——一例由学业压力引发的自伤危机的干预报告",
    "basic_info": "小林（化名），女，19岁，就读于某大学某专业。性格内向。",
    "process": "辅导员当晚与小林谈话，评估风险，联系家长，并陪同小林到心理健康教育中心咨询。",
    "result": "经过一段时间的咨询和家长的陪伴，小林情绪平稳，危机解除。",
    "experience": "及早发现、多方协同是危机干预成功的关键。",
}


def test_counsellor_writes_resolves_flag_marks_ready_and_downloads_pdf(chromium, live_server, world):
    name = make_name(random.Random(4242))
    sign_in_with_password(chromium, live_server, world.counsellor_a)
    chromium.get(f"{live_server.url}/reports/")
    click(chromium, '[data-test="report-create"]')
    wait_for(chromium, '[data-test="report-form"]')

    fill(chromium, "title", TITLE)
    for field, text in SECTIONS.items():
        fill(chromium, field, text)
    fill(chromium, "occurrence", f"一天晚上，室友{name}发现小林情绪低落，立即告知了辅导员。")

    # The live analysis (htmx, no save): the count and the name's flag.
    wait_for_text(chromium, name)
    flag = wait_for(chromium, '[data-test="flag"][data-kind="person_name"]')
    assert flag.get_attribute("data-severity") == "high"
    count = chromium.find_element(By.CSS_SELECTOR, '[data-test="char-count"]').text
    assert "/ 2000 字" in count
    assert not count.startswith("正文 0 ")
    wait_for_htmx_idle(chromium)  # the server shares the test's database connection
    assert not CaseReport.objects.get().occurrence  # nothing saved yet

    click(chromium, '[data-test="flag"][data-kind="person_name"] [data-test="flag-apply"]')
    wait_for_text(chromium, "已替换 1 处")
    wait_for_htmx_idle(chromium)
    assert name not in CaseReport.objects.get().occurrence
    assert "（化名）" in chromium.find_element(By.NAME, "occurrence").get_attribute("value")

    click(chromium, '[data-test="report-ready"]')
    wait_for_text(chromium, "报告已定稿")
    assert chromium.find_element(By.CSS_SELECTOR, '[data-test="report-status"]').text == "已定稿"

    click(chromium, '[data-test="export-pdf"]')
    pdf = wait_for_file(chromium.download_dir, ".pdf")
    text = pdf_text(str(pdf))
    assert TITLE.replace(" ", "") in text.replace(" ", "")
    assert name not in text
