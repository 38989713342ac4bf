"""Small things staff noticed: the receipt gives the duty number, the guardian drop-down starts
on the registered guardian, a safety-plan revision keeps the review date."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from xinan.cases.models import SchoolCrisisSettings
from xinan.cases.services import safety
from xinan.cases.services.reporting import file_first_report

STEPS = {
    "warning_signs": "连续失眠",
    "coping": "听音乐",
    "distractions": "操场",
    "helpers": "室友",
    "professionals": "学校值班心理老师",
    "environment": "药品由家长保管",
    "reasons_for_living": "想看妹妹长大",
}


def test_receipt_gives_the_configured_duty_number(client, world, student):
    # Arrange
    SchoolCrisisSettings.objects.create(school=world.school_a, duty_phone="0571-88881234")
    report = file_first_report(
        school=world.school_a, reporter=world.staff_a, student=student, categories=["self_harm"], observed="划痕"
    )
    client.force_login(world.staff_a)

    # Act
    html = client.get(reverse("cases:receipt", args=[report.receipt_token])).content.decode()

    # Assert
    duty = html.split('data-test="duty-phone"')[1].split("</p>")[0]
    assert "0571-88881234" in duty
    assert 'href="tel:0571-88881234"' in duty
    assert "划痕" not in html


def test_guardian_contact_form_starts_on_the_registered_guardian(client, world, case, student):
    # Arrange
    guardian = student.guardians.get()
    client.force_login(world.counsellor_a)

    # Act
    html = client.get(reverse("cases:guardian_contact", args=[case.pk])).content.decode()

    # Assert
    assert f'<option value="{guardian.pk}" selected>' in html


def test_safety_plan_revision_keeps_the_review_date(client, world, case):
    # Arrange
    review_on = timezone.localdate() + dt.timedelta(days=10)
    safety.save_safety_plan(case, by=world.counsellor_a, review_on=review_on, **STEPS)
    client.force_login(world.counsellor_a)

    # Act
    html = client.get(reverse("cases:safety_plan", args=[case.pk])).content.decode()

    # Assert
    assert f'name="review_on" value="{review_on.isoformat()}"' in html
