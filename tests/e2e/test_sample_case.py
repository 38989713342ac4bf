"""The sample case of seed 000 replayed in a real Chromium, from the farewell message to closing.

A staff member reports, from a phone, that classmates received the student's farewell message;
the counsellor assesses red; intervention: team consultation, guardian contacted, the safety plan
and the guardian's agreement generated and their signed scans uploaded; referral letter; the
diagnosis (depression) comes back and is uploaded; suspension and return to school are recorded;
aftercare; the team leader closes the case.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.e2e.conftest import (
    click,
    click_and_wait,
    fill,
    scan_image,
    sign_in_with_password,
    wait_for,
    wait_for_text,
    wait_present,
)
from xinan.cases.models import Case, SchoolCrisisSettings
from xinan.dossier.models import Document


def _set(driver, name: str, value: str) -> None:
    element = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].value = arguments[1];", element, value)


def _work_form(driver, live_server, url: str, fields: dict[str, str], done: str) -> None:
    driver.get(f"{live_server.url}{url}")
    wait_for(driver, '[data-test="work-form"]')
    for name, value in fields.items():
        element = driver.find_element(By.NAME, name)
        if element.get_attribute("type") in {"date", "datetime-local"}:
            _set(driver, name, value)
        elif element.tag_name == "select":
            Select(element).select_by_value(value)
        elif element.get_attribute("type") == "radio":
            click(driver, f'input[name="{name}"][value="{value}"]')
        else:
            fill(driver, name, value)
    click_and_wait(driver, '[data-test="work-submit"]')  # the form page itself may show the word awaited
    wait_for_text(driver, done)


def _upload(driver, live_server, case, slot: str, path: str, link: dict[str, str] | None = None) -> None:
    driver.get(f"{live_server.url}{reverse('dossier:upload', args=[case.pk])}")
    wait_for(driver, '[data-test="upload"]')
    Select(driver.find_element(By.NAME, "slot")).select_by_value(slot)
    for name, value in (link or {}).items():
        Select(driver.find_element(By.NAME, name)).select_by_value(value)
    driver.find_element(By.NAME, "file").send_keys(path)
    click_and_wait(driver, '[data-test="upload-submit"]')
    wait_present(driver, '[data-test="dossier-table"]')


def _move(driver, to: str, *, reason: str = "", outcome: str = "") -> None:
    form = f'[data-test="move-{to}"]'
    if reason:
        driver.find_element(By.CSS_SELECTOR, f'{form} input[name="reason"]').send_keys(reason)
    if outcome:
        Select(driver.find_element(By.CSS_SELECTOR, f'{form} select[name="outcome"]')).select_by_value(outcome)
    click_and_wait(driver, f"{form} button")


@pytest.mark.phone
def test_farewell_message_reported_from_a_phone(chromium, live_server, world, student):
    SchoolCrisisSettings.objects.create(school=world.school_a, duty_counsellor=world.counsellor_a)
    sign_in_with_password(chromium, live_server, world.staff_a)
    chromium.get(f"{live_server.url}/cases/report/")
    chromium.find_element(By.CSS_SELECTOR, '[data-test="student-query"]').send_keys("20240001")
    wait_for(chromium, '[data-test="student-choice"]')
    click(chromium, 'input[name="categories"][value="suicide_note"]')
    fill(chromium, "observed", "班上几位同学收到其告别短信：“感谢大家对我的照顾，我去了”。")
    fill(chromium, "measures", "已请身边同学关注其动向")
    click(chromium, '[data-test="first-report-submit"]')
    wait_for(chromium, '[data-test="receipt"]')
    case = Case.objects.get()
    assert case.assigned_counsellor == world.counsellor_a


def test_sample_case_from_report_to_closing(chromium, live_server, world, student, tmp_path):
    from xinan.cases.services.reporting import file_first_report

    case = file_first_report(
        school=world.school_a,
        reporter=world.staff_a,
        student=student,
        categories=["suicide_note"],
        observed="班上几位同学收到其告别短信",
        measures="已请身边同学关注其动向",
    ).case
    case.assigned_counsellor = world.counsellor_a
    case.save(update_fields=["assigned_counsellor"])
    page = f"{live_server.url}/cases/{case.pk}/"
    today = timezone.localdate()

    # The counsellor assesses: red, in crisis.
    sign_in_with_password(chromium, live_server, world.counsellor_a)
    chromium.get(page)
    _move(chromium, "assessing")
    wait_for_text(chromium, "个案已转为“评估中”")
    click(chromium, '[data-test="assess"]')
    for dimension, value in {"emotion": 3, "behaviour": 2, "social": 3, "coping": 2, "support": 1, "danger": 3}.items():
        click(chromium, f'input[name="dim_{dimension}"][value="{value}"]')
    for question in ("q1", "q2", "q3", "q4"):
        click(chromium, f'input[name="screen_{question}"]')
    click(chromium, 'input[name="level"][value="red"]')
    click(chromium, 'input[name="in_crisis"][value="yes"]')
    click(chromium, '[data-test="assessment-submit"]')
    wait_for_text(chromium, "评估已保存")
    _move(chromium, "intervention")
    wait_for_text(chromium, "个案已转为“危机干预”")

    # Intervention: consultation, guardian contacted.
    _work_form(
        chromium,
        live_server,
        reverse("cases:consultation", args=[case.pk]),
        {"decisions": "启动学院危机干预工作体系；同学陪伴；联系家长；建议到精神卫生中心就诊。"},
        "会商",
    )
    guardian = student.guardians.get()
    _work_form(
        chromium,
        live_server,
        reverse("cases:guardian_contact", args=[case.pk]),
        {"guardian": str(guardian.pk), "said": "告知学生发出告别短信，请家长来校共同商议。", "response": "informed"},
        "家校沟通已记录",
    )

    # The safety plan (Stanley–Brown) built with the student, generated, signed scan uploaded.
    chromium.get(page)
    click(chromium, '[data-test="safety-plan"]')
    wait_for(chromium, '[data-test="safety-plan-form"]')
    for name, text in {
        "warning_signs": "夜里睡不着，反复想死的事",
        "coping": "给自己写信，出去走走",
        "distractions": "图书馆，篮球场",
        "helpers": "室友，辅导员",
        "environment": "药品由家长保管",
        "reasons_for_living": "不想让妈妈难过",
    }.items():
        fill(chromium, name, text)
    _set(chromium, "review_on", (today + dt.timedelta(days=7)).isoformat())
    click(chromium, '[data-test="safety-plan-submit"]')
    wait_for_text(chromium, "安全计划书已保存为新版本")
    plan = case.safety_plans.get()
    chromium.get(f"{live_server.url}{reverse('dossier:case', args=[case.pk])}")
    click(chromium, '[data-test="generate-plan-student-1"]')
    wait_for(chromium, '[data-test="generated"]')
    _upload(chromium, live_server, case, "safety_plan", scan_image(tmp_path, "plan"), {"safety_plan": str(plan.pk)})

    # The guardian's agreement, generated, signed scan uploaded.
    chromium.get(f"{live_server.url}{reverse('cases:guardian_agreement', args=[case.pk])}")
    wait_present(chromium, '[data-test="guardian-duties"]')
    Select(chromium.find_element(By.NAME, "guardian")).select_by_value(str(guardian.pk))
    click(chromium, '[data-test="work-submit"]')
    WebDriverWait(chromium, 10).until(lambda _driver: case.guardian_agreements.exists())
    agreement = case.guardian_agreements.get()
    chromium.get(f"{live_server.url}{reverse('dossier:case', args=[case.pk])}")
    click(chromium, 'form:has(input[name="kind"][value="guardian_agreement"]) button')
    wait_for(chromium, '[data-test="generated"]')
    _upload(
        chromium,
        live_server,
        case,
        "guardian_agreement",
        scan_image(tmp_path, "agreement"),
        {"guardian_agreement": str(agreement.pk)},
    )

    # Referral: letter generated, the case referred; the diagnosis comes back and is uploaded.
    _work_form(
        chromium,
        live_server,
        reverse("cases:referral", args=[case.pk]),
        {"agency": "某市精神卫生中心", "department": "心理科", "reason": "有明确的轻生想法，需专业评估诊疗"},
        "转介",
    )
    referral = case.referrals.get()
    chromium.get(f"{live_server.url}{reverse('dossier:case', args=[case.pk])}")
    click(chromium, 'form:has(input[name="kind"][value="referral_letter"]) button')
    wait_for(chromium, '[data-test="generated"]')
    chromium.get(page)
    _move(chromium, "referred")
    wait_for_text(chromium, "个案已转为“已转介”")
    _work_form(
        chromium,
        live_server,
        reverse("cases:diagnosis", args=[case.pk, referral.pk]),
        {"diagnosis": "抑郁症", "advice": "药物治疗，建议休学数月后复学"},
        "诊断",
    )
    _upload(chromium, live_server, case, "diagnosis_certificate", scan_image(tmp_path, "diagnosis"))

    # Suspension for a few months, then return to school in the autumn.
    _work_form(
        chromium,
        live_server,
        reverse("cases:status_event", args=[case.pk]),
        {"kind": "suspension", "starts_on": today.isoformat(), "note": "家长提出休学"},
        "已记录",
    )
    _work_form(
        chromium,
        live_server,
        reverse("cases:status_event", args=[case.pk]),
        {"kind": "return", "starts_on": (today + dt.timedelta(days=1)).isoformat(), "note": "秋季开学复学"},
        "已记录",
    )

    # Aftercare, then the team leader closes the case.
    _work_form(
        chromium,
        live_server,
        reverse("cases:aftercare", args=[case.pk]),
        {
            "plan": "辅导员安排同学保持关心，每周谈心",
            "follow_up_every_days": "7",
            "until": (today + dt.timedelta(days=90)).isoformat(),
        },
        "善后",
    )
    chromium.get(page)
    _move(chromium, "aftercare")
    wait_for_text(chromium, "个案已转为“善后跟踪”")

    chromium.delete_all_cookies()
    sign_in_with_password(chromium, live_server, world.team_leader_a)
    chromium.get(page)
    _move(chromium, "closed", reason="复学后状态平稳，未发现自杀行为，危机解除", outcome="resolved")
    wait_for_text(chromium, "个案已转为“已结案”")

    case.refresh_from_db()
    assert case.state == "closed"
    assert case.outcome == "resolved"
    assert list(case.transitions.values_list("to_state", flat=True)) == [
        "reported",
        "assessing",
        "intervention",
        "referred",
        "aftercare",
        "closed",
    ]
    slots = set(Document.objects.filter(case=case).values_list("slot", flat=True))
    assert {"safety_plan", "guardian_agreement", "referral_letter", "diagnosis_certificate"} <= slots
    assert case.safety_plans.get().signed_at is not None
    assert case.guardian_agreements.get().signed_at is not None
    assert set(case.status_events.values_list("kind", flat=True)) == {"suspension", "return"}
