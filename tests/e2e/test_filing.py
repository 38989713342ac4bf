"""A filer signs in by SMS code on a phone, uploads the Ministry's own sample report (2094 字 against
the 2000-字 limit) as Word and PDF, confirms the categories read from its subtitle, and submits it."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.campaign_fixtures import OFFICIAL_SAMPLE_TEXT, report_files
from tests.e2e.conftest import fill, sign_in_with_code, wait_for, wait_for_text
from xinan.campaigns.models import Submission


@pytest.mark.phone
def test_filer_submits_word_and_pdf_from_a_phone(chromium, live_server, world, campaign, right, tmp_path):
    docx, pdf = report_files(OFFICIAL_SAMPLE_TEXT)
    (tmp_path / "案例报告.docx").write_bytes(docx)
    (tmp_path / "案例报告.pdf").write_bytes(pdf)
    sign_in_with_code(chromium, live_server, world.filer_a)
    chromium.get(f"{live_server.url}/campaigns/{campaign.pk}/")
    wait_for(chromium, '[data-test="countdown"]')
    chromium.find_element(By.CSS_SELECTOR, '[data-test="start-submission"]').click()
    wait_for(chromium, '[data-test="upload-files"]')
    chromium.find_element(By.NAME, "docx").send_keys(str(tmp_path / "案例报告.docx"))
    chromium.find_element(By.NAME, "pdf").send_keys(str(tmp_path / "案例报告.pdf"))
    chromium.find_element(By.CSS_SELECTOR, '[data-test="upload-files"]').click()
    wait_for_text(chromium, "文件已上传并完成检查")
    assert chromium.find_element(By.NAME, "title").get_attribute("value") == "多方协同 化险为夷"
    assert chromium.find_element(By.CSS_SELECTOR, '[data-test="char-count"]').text == "2094"
    assert "标点符号计入字数" in chromium.find_element(By.CSS_SELECTOR, '[data-test="counting-rule"]').text
    assert "浮动范围内" in chromium.find_element(By.CSS_SELECTOR, '[data-test="length-verdict"]').text
    # The subtitle's "抑郁症" and "自杀" are offered as the campaign's categories, for the filer to confirm.
    assert Select(chromium.find_element(By.NAME, "trigger")).first_selected_option.text == "疾患"
    assert Select(chromium.find_element(By.NAME, "nature")).first_selected_option.text == "轻生自杀"
    fill(chromium, "authors", "测试作者，某大学心理中心，专职咨询师")
    fill(chromium, "contact_phone", "13712345678")
    chromium.find_element(By.CSS_SELECTOR, 'input[name="outcome"][value="successful"]').click()
    chromium.find_element(By.CSS_SELECTOR, '[data-test="info-form"] button[type="submit"]').click()
    wait_for_text(chromium, "基本信息已保存")
    for index in range(4):
        chromium.find_element(By.ID, f"d{index}").click()
    chromium.find_element(By.CSS_SELECTOR, '[data-test="declare"]').click()
    wait_for_text(chromium, "您已确认以下声明")
    chromium.find_element(By.CSS_SELECTOR, '[data-test="submit"]').click()
    wait_for_text(chromium, "提交成功")
    submission = Submission.objects.get()
    assert submission.state == "submitted"
    assert (submission.char_count, submission.trigger, submission.nature) == (2094, "疾患", "轻生自杀")
    assert submission.submission_hash in chromium.find_element(By.CSS_SELECTOR, '[data-test="submission-hash"]').text
    # On the phone the 64-character digest breaks instead of widening the page.
    assert chromium.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
