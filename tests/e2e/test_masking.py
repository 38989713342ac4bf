"""Masked phones in a real Chromium: the student list shows 139****0000; clicking 显示完整
fetches the full number in place (htmx, no inline script) and the reveal is audited."""

from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.e2e.conftest import click, sign_in_with_password, wait_for
from xinan.audit.models import AuditEntry

FULL = "13912340000"  # the guardian of tests/case_fixtures.py


def test_click_reveals_the_full_phone_and_is_audited(chromium, live_server, world, student):
    sign_in_with_password(chromium, live_server, world.counsellor_a)
    list_url = live_server.url + reverse("students:list", args=[world.school_a.pk])
    chromium.get(list_url)
    wait_for(chromium, '[data-test="masked"]')
    assert FULL not in chromium.page_source
    assert "139****0000" in chromium.find_element(By.CSS_SELECTOR, '[data-test="masked"]').text
    click(chromium, '[data-test="reveal"]')
    revealed = wait_for(chromium, '[data-test="revealed"]')
    assert FULL in revealed.text
    assert chromium.current_url == list_url  # swapped in place, no navigation
    entry = AuditEntry.objects.get(action="xinan.privacy.reveal")
    assert entry.actor == world.counsellor_a
    assert entry.object_type == "students.guardian"
    assert entry.after == {"field": "phone"}
