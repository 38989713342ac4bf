"""A staff member reports a student from a phone; the counsellor assesses; the case escalates."""

import pytest
from selenium.webdriver.common.by import By

from tests.e2e.conftest import click_and_wait, fill, sign_in_with_password, wait_for, wait_for_text
from xinan.cases.models import Case
from xinan.notifications.models import Message


@pytest.mark.phone
def test_first_report_from_a_phone_in_under_a_minute(chromium, live_server, world, student):
    sign_in_with_password(chromium, live_server, world.staff_a)
    chromium.get(f"{live_server.url}/cases/report/")
    query = chromium.find_element(By.CSS_SELECTOR, '[data-test="student-query"]')
    query.send_keys("20240001")
    wait_for(chromium, '[data-test="student-choice"]')
    chromium.find_element(By.CSS_SELECTOR, 'input[name="categories"][value="suicide_note"]').click()
    fill(chromium, "observed", "同学们收到其告别短信")
    chromium.find_element(By.CSS_SELECTOR, '[data-test="first-report-submit"]').click()
    wait_for(chromium, '[data-test="receipt"]')
    assert "告别短信" not in chromium.page_source
    case = Case.objects.get()
    assert case.student == student
    assert Message.objects.filter(template="case_first_report", recipient=world.team_leader_a).exists()


def test_counsellor_assesses_red_and_moves_to_intervention(chromium, live_server, world, case):
    sign_in_with_password(chromium, live_server, world.counsellor_a)
    chromium.get(f"{live_server.url}/cases/{case.pk}/")
    click_and_wait(chromium, '[data-test="move-assessing"] button')  # its label already says 评估中
    wait_for_text(chromium, "个案已转为“评估中”")
    chromium.find_element(By.CSS_SELECTOR, '[data-test="assess"]').click()
    for dimension, value in {"emotion": 3, "behaviour": 2, "social": 2, "coping": 2, "support": 1, "danger": 3}.items():
        chromium.find_element(By.CSS_SELECTOR, f'input[name="dim_{dimension}"][value="{value}"]').click()
    for question in ("q1", "q2", "q3", "q4", "q5"):
        chromium.find_element(By.NAME, f"screen_{question}").click()
    chromium.find_element(By.CSS_SELECTOR, 'input[name="level"][value="red"]').click()
    chromium.find_element(By.CSS_SELECTOR, 'input[name="in_crisis"][value="yes"]').click()
    click_and_wait(chromium, '[data-test="assessment-submit"]')
    wait_for_text(chromium, "评估已保存")
    assert "红色（高危）" in chromium.find_element(By.CSS_SELECTOR, '[data-test="case-level"]').text
    click_and_wait(chromium, '[data-test="move-intervention"] button')
    wait_for_text(chromium, "个案已转为“危机干预”")
    assert chromium.find_elements(By.CSS_SELECTOR, '[data-test="level-chart"] circle')
    case.refresh_from_db()
    assert case.state == "intervention"
    assert case.tasks.filter(kind="guardian_contact").exists()
