"""A counsellor whose case is ready to close asks the team leader ("申请结案"), from a phone;
the team leader approves it from the dashboard. No button on the way leads to a refusal."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.e2e.conftest import click_and_wait, sign_in_with_password, wait_for, wait_for_text
from xinan.cases.enums import CaseState
from xinan.cases.models import Case, MoveRequest


@pytest.mark.phone
def test_counsellor_asks_to_close_and_the_team_leader_approves(chromium, live_server, world, case):
    # Arrange
    Case.objects.filter(pk=case.pk).update(state=CaseState.CARE_TRACKING)
    page = f"{live_server.url}/cases/{case.pk}/"
    sign_in_with_password(chromium, live_server, world.counsellor_a)
    chromium.get(page)

    # Act: the counsellor is offered a request, not a close button
    assert not chromium.find_elements(By.CSS_SELECTOR, '[data-test="move-closed"]')
    form = '[data-test="request-closed"]'
    Select(chromium.find_element(By.CSS_SELECTOR, f'{form} select[name="outcome"]')).select_by_value("resolved")
    chromium.find_element(By.CSS_SELECTOR, f'{form} input[name="reason"]').send_keys("连续四周情况稳定")
    click_and_wait(chromium, f"{form} button")
    wait_for_text(chromium, "申请已提交，组长审批后生效")
    wait_for(chromium, '[data-test="pending-move-request"]')

    chromium.delete_all_cookies()
    sign_in_with_password(chromium, live_server, world.team_leader_a)
    chromium.get(f"{live_server.url}/cases/dashboard/")
    link = chromium.find_element(By.CSS_SELECTOR, '[data-test="dash-move-requests"] a')
    assert link.text == case.reference
    click_and_wait(chromium, '[data-test="dash-move-requests"] a')
    click_and_wait(chromium, '[data-test="approve-move-request"] button')
    wait_for_text(chromium, "已批准，个案状态已更新")

    # Assert
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.outcome == "resolved"
    assert MoveRequest.objects.get(case=case).decided_by == world.team_leader_a
    assert "危机解除" in chromium.find_element(By.CSS_SELECTOR, '[data-test="case-outcome"]').text
