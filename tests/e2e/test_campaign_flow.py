"""The whole collection campaign in a real Chromium (issue 5): the province imports filers from
Excel and invites them by SMS; a filer signs in by code on a phone, uploads Word + PDF and
submits; an expert reviews; the province approves, generates and downloads the summary table,
uploads the sealed scan and recommends; the nation selects, comments, and downloads the
anthology, whose PDF shows the Chinese text."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import Workbook
from pdfminer.high_level import extract_text as pdf_text
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.campaign_fixtures import report_files
from tests.e2e.conftest import (
    click,
    click_and_wait,
    fill,
    scan_image,
    sign_in_with_code,
    sign_in_with_password,
    wait_for,
    wait_for_file,
    wait_for_text,
    wait_present,
)
from xinan.campaigns.models import Submission
from xinan.notifications.models import Message

FILER_PHONE = "13600000009"


def _filers_xlsx(path, school_name: str) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "学校", "手机号", "职务"])
    sheet.append(["测试填报人", school_name, FILER_PHONE, "专职咨询师"])
    buffer = io.BytesIO()
    book.save(buffer)
    target = path / "filers.xlsx"
    target.write_bytes(buffer.getvalue())
    return str(target)


def _sign_out(driver) -> None:
    driver.delete_all_cookies()


@pytest.mark.phone
def test_campaign_from_filer_import_to_anthology(chromium, live_server, world, campaign, tmp_path):
    base = live_server.url
    inputs = tmp_path / "inputs"  # the browser downloads into tmp_path itself
    inputs.mkdir()

    # 1. The province imports its filers from Excel and tells them by SMS.
    sign_in_with_password(chromium, live_server, world.provincial_admin_a)
    chromium.get(f"{base}{reverse('campaigns:import_filers', args=[campaign.pk])}")
    chromium.find_element(By.NAME, "file").send_keys(_filers_xlsx(inputs, world.school_a.name))
    click_and_wait(chromium, '[data-test="import-submit"]')
    wait_for_text(chromium, "已导入 1 名填报人员")
    click_and_wait(chromium, '[data-test="invite"]')
    wait_for_text(chromium, "已发送 1 条短信通知")
    invite = Message.objects.to_address(FILER_PHONE).get(template="campaign_invite")
    assert "填报权限" in invite.body
    _sign_out(chromium)

    # 2. The filer signs in by SMS code on the phone and submits Word + PDF.
    filer = get_user_model().objects.get(phone=FILER_PHONE)
    docx, pdf = report_files()
    (inputs / "案例报告.docx").write_bytes(docx)
    (inputs / "案例报告.pdf").write_bytes(pdf)
    sign_in_with_code(chromium, live_server, filer)
    chromium.get(f"{base}{reverse('campaigns:campaign', args=[campaign.pk])}")
    click_and_wait(chromium, '[data-test="start-submission"]')
    wait_present(chromium, '[data-test="upload-files"]')
    chromium.find_element(By.NAME, "docx").send_keys(str(inputs / "案例报告.docx"))
    chromium.find_element(By.NAME, "pdf").send_keys(str(inputs / "案例报告.pdf"))
    click_and_wait(chromium, '[data-test="upload-files"]')
    wait_for_text(chromium, "文件已上传并完成检查")
    fill(chromium, "authors", "测试填报人，某大学心理中心，专职咨询师")
    fill(chromium, "contact_phone", FILER_PHONE)
    click(chromium, 'input[name="outcome"][value="successful"]')
    click_and_wait(chromium, '[data-test="info-form"] button[type="submit"]')
    wait_for_text(chromium, "基本信息已保存")
    for index in range(4):
        click(chromium, f"#d{index}")
    click_and_wait(chromium, '[data-test="declare"]')
    wait_for_text(chromium, "您已确认以下声明")
    click_and_wait(chromium, '[data-test="submit"]')
    wait_for_text(chromium, "提交成功")
    submission = Submission.objects.get()
    _sign_out(chromium)

    # 3. The province opens the expert review and assigns; the expert reviews.
    sign_in_with_password(chromium, live_server, world.provincial_admin_a)
    chromium.get(f"{base}{reverse('reviews:province', args=[campaign.pk])}")
    wait_for(chromium, '[data-test="open-round"]')
    fill(chromium, "reviews_per_submission", "1")
    click_and_wait(chromium, '[data-test="open-round"] button[type="submit"]')
    click_and_wait(chromium, '[data-test="auto-assign"]')
    wait_for(chromium, '[data-test="progress"]')
    round_url = chromium.current_url
    _sign_out(chromium)

    sign_in_with_password(chromium, live_server, world.reviewer_a)
    chromium.get(f"{base}{reverse('reviews:mine')}")
    click_and_wait(chromium, '[data-test="my-assignments"] a')
    wait_for(chromium, '[data-test="review-form"]')
    assert "小林" in chromium.find_element(By.CSS_SELECTOR, '[data-test="report-text"]').text
    for index in range(len(campaign.rubric)):
        fill(chromium, f"score_{index}", "85")
    fill(chromium, "comment", "干预过程规范，反思深入。")
    click_and_wait(chromium, '[data-test="submit-review"]')
    wait_present(chromium, '[data-test="own-review"]')
    _sign_out(chromium)

    # 4. The province approves, generates the summary table, uploads the sealed scan, recommends.
    sign_in_with_password(chromium, live_server, world.provincial_admin_a)
    chromium.get(round_url)
    Select(chromium.find_element(By.CSS_SELECTOR, '[data-test="ranking"] select[name="decision"]')).select_by_value(
        "approve"
    )
    click_and_wait(chromium, '[data-test="ranking"] form button')
    wait_present(chromium, '[data-test="staged"]')
    click_and_wait(chromium, '[data-test="publish"]')
    wait_for_text(chromium, "省级审核通过")
    submission.refresh_from_db()
    assert submission.state == "approved"

    chromium.get(f"{base}{reverse('selection:province_entry', args=[campaign.pk])}")
    click_and_wait(chromium, '[data-test="candidates"] button')
    wait_present(chromium, '[data-test="items"]')
    click_and_wait(chromium, '[data-test="generate-table"]')
    code = wait_present(chromium, '[data-test="verification-code"]').text
    chromium.find_element(By.PARTIAL_LINK_TEXT, "下载 PDF").click()
    table = pdf_text(str(wait_for_file(chromium.download_dir, ".pdf")))
    assert world.school_a.name in table.replace(" ", "")
    assert code in table
    chromium.find_element(By.NAME, "scan").send_keys(scan_image(inputs, "sealed"))
    click_and_wait(chromium, '[data-test="seal-form"] button')
    click_and_wait(chromium, '[data-test="submit-recommendation"]')
    wait_present(chromium, '[data-test="locked"]')
    submission.refresh_from_db()
    assert submission.state == "recommended"
    _sign_out(chromium)

    # 5. The nation selects, writes the expert commentary, and downloads the anthology.
    sign_in_with_password(chromium, live_server, world.national_admin)
    chromium.get(f"{base}{reverse('selection:national', args=[campaign.pk])}")
    click_and_wait(chromium, '[data-test="province-recommendation"] form button')
    wait_for_text(chromium, "入选")
    chromium.get(f"{base}{reverse('selection:commentary', args=[submission.pk])}")
    fill(chromium, "text", "本案例体现了多方协同、生命至上的原则，值得借鉴。")
    click_and_wait(chromium, '[data-test="commentary-form"] button[type="submit"]')
    chromium.get(f"{base}{reverse('selection:national', args=[campaign.pk])}")
    for old in list(tmp_path.iterdir()):
        if old.suffix == ".pdf":
            old.unlink()
    click_and_wait(chromium, '[data-test="generate-anthology"]')
    chromium.find_element(By.PARTIAL_LINK_TEXT, "PDF").click()
    anthology = pdf_text(str(wait_for_file(chromium.download_dir, ".pdf"))).replace(" ", "")
    assert "携手同行守护生命" in anthology
    assert "值得借鉴" in anthology
    submission.refresh_from_db()
    assert submission.state == "selected"
