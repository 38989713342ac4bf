"""A counsellor runs a crisis from the case page on a phone: the safety plan built with the
student, then a guardian who refuses, which puts an escalation task before the team leader."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.e2e.conftest import click, fill, sign_in_with_password, wait_for, wait_for_text
from xinan.cases.enums import TaskKind

STEPS = {
    "warning_signs": "晚上睡不着，反复想以前的事",
    "coping": "听喜欢的歌，出去跑步",
    "distractions": "去图书馆，找同桌聊天",
    "helpers": "姐姐，同桌",
    "environment": "药交给妈妈保管",
    "reasons_for_living": "想看到妹妹长大",
}


@pytest.mark.phone
def test_counsellor_builds_safety_plan_then_guardian_refusal_escalates(chromium, live_server, world, case):
    sign_in_with_password(chromium, live_server, world.counsellor_a)
    assert chromium.execute_script("return window.innerWidth") <= 400

    chromium.get(f"{live_server.url}/cases/{case.pk}/")
    click(chromium, '[data-test="safety-plan"]')
    wait_for(chromium, '[data-test="safety-plan-form"]')
    professionals = chromium.find_element(By.NAME, "professionals").get_attribute("value")
    assert "12356" in professionals  # the hotlines are already there for the student
    for name, text in STEPS.items():
        fill(chromium, name, text)
    review_on = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    date_input = chromium.find_element(By.NAME, "review_on")
    chromium.execute_script("arguments[0].value = arguments[1];", date_input, review_on)
    click(chromium, '[data-test="safety-plan-submit"]')
    wait_for_text(chromium, "安全计划书已保存为新版本")
    assert "与学生复查安全计划书（第 1 版）" in chromium.find_element(By.TAG_NAME, "body").text
    plan = case.safety_plans.get()
    assert plan.coping == STEPS["coping"]

    click(chromium, '[data-test="add-guardian-contact"]')
    wait_for(chromium, '[data-test="work-form"]')
    Select(chromium.find_element(By.NAME, "guardian")).select_by_index(1)
    fill(chromium, "said", "学校建议尽快带孩子到医院心理科就诊")
    click(chromium, 'input[name="response"][value="refused"]')
    fill(chromium, "guardian_words", "孩子就是压力大，不用去医院")
    click(chromium, '[data-test="work-submit"]')
    wait_for_text(chromium, "家校沟通已记录")

    escalation = case.tasks.get(kind=TaskKind.ESCALATION)
    assert escalation.assignee == world.team_leader_a
    assert "监护人拒绝或不配合" in chromium.find_element(By.TAG_NAME, "body").text

    chromium.delete_all_cookies()
    sign_in_with_password(chromium, live_server, world.team_leader_a)
    chromium.get(f"{live_server.url}/cases/tasks/")
    wait_for_text(chromium, "监护人拒绝或不配合")
