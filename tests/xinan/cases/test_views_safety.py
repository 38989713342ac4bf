"""The safety plan built on the case page: versions kept and compared, step 5 from the school's
settings, the review date as a task; signed confirmations; the guardian's agreement."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.xinan.cases.test_views_work import PLAN_STEPS
from xinan.audit.models import AuditEntry
from xinan.cases.enums import TaskKind
from xinan.cases.models import SchoolCrisisSettings


def _review(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_first_plan_starts_with_duty_counsellor_then_hotlines(client, world, case):
    SchoolCrisisSettings.objects.create(
        school=world.school_a,
        duty_counsellor=world.counsellor_a2,
        duty_phone="010-12345678",
        hotlines="全国心理援助热线 12356\n本市心理热线 12320-5",
    )
    client.force_login(world.counsellor_a)
    response = client.get(reverse("cases:safety_plan", args=[case.pk]))
    initial = response.context["form"]["professionals"].value()
    lines = initial.splitlines()
    assert world.counsellor_a2.name in lines[0]
    assert "010-12345678" in lines[0]
    assert lines[1:] == ["全国心理援助热线 12356", "本市心理热线 12320-5"]


def test_first_plan_without_settings_offers_the_default_hotlines(client, world, case):
    client.force_login(world.counsellor_a)
    response = client.get(reverse("cases:safety_plan", args=[case.pk]))
    assert "12356" in response.context["form"]["professionals"].value()


def test_two_versions_kept_compared_and_review_task_on_case(client, world, case):
    client.force_login(world.counsellor_a)
    url = reverse("cases:safety_plan", args=[case.pk])
    assert client.post(url, {**PLAN_STEPS, "review_on": _review(7)}).status_code == 302
    page = client.get(url)
    assert page.context["form"]["coping"].value() == PLAN_STEPS["coping"]  # a revision starts from the last one
    revised = {**PLAN_STEPS, "coping": "深呼吸、给姐姐打电话", "review_on": _review(14)}
    assert client.post(url, revised).status_code == 302

    assert list(case.safety_plans.values_list("version", "coping")) == [
        (1, PLAN_STEPS["coping"]),
        (2, "深呼吸、给姐姐打电话"),
    ]
    compare = client.get(reverse("cases:safety_plan_compare", args=[case.pk]), {"a": 1, "b": 2})
    assert compare.status_code == 200
    rows = compare.context["changes"]
    assert [(old, new) for _label, old, new in rows] == [(PLAN_STEPS["coping"], "深呼吸、给姐姐打电话")]
    assert "第二步" in compare.content.decode()

    review = case.tasks.filter(kind=TaskKind.SAFETY_PLAN_REVIEW)
    assert review.get(done_at__isnull=True).title.endswith("（第 2 版）")
    assert review.count() == 2  # the first review is closed by the revision
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "与学生复查安全计划书（第 2 版）" in detail
    assert AuditEntry.objects.filter(action="xinan.case.safety_plan.save").count() == 2


def test_compare_same_version_is_refused(client, world, case):
    client.force_login(world.counsellor_a)
    url = reverse("cases:safety_plan", args=[case.pk])
    client.post(url, {**PLAN_STEPS, "review_on": _review(7)})
    client.post(url, {**PLAN_STEPS, "helpers": "表哥", "review_on": _review(7)})
    response = client.get(reverse("cases:safety_plan_compare", args=[case.pk]), {"a": 2, "b": 2})
    assert response.status_code == 400
    assert "两个不同的版本" in response.content.decode()


def test_signed_confirmation_once_and_audited(client, world, case):
    client.force_login(world.counsellor_a)
    client.post(reverse("cases:safety_plan", args=[case.pk]), {**PLAN_STEPS, "review_on": _review(7)})
    url = reverse("cases:safety_plan_signed", args=[case.pk, 1])
    assert client.post(url, {}).status_code == 400  # the tick is required
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert case.safety_plans.get().signed_at is not None
    again = client.post(url, {"confirm": "on"})
    assert again.status_code == 400
    assert "已标记为签署" in again.content.decode()
    assert AuditEntry.objects.filter(action="xinan.case.safety_plan.sign").count() == 1


def test_guardian_agreement_created_then_signed(client, world, case):
    client.force_login(world.team_leader_a)
    page = client.get(reverse("cases:guardian_agreement", args=[case.pk])).content.decode()
    assert "妥善保管药品" in page
    guardian = case.student.guardians.get()
    response = client.post(reverse("cases:guardian_agreement", args=[case.pk]), {"guardian": guardian.pk})
    assert response.status_code == 302
    agreement = case.guardian_agreements.get()
    assert agreement.guardian == guardian
    url = reverse("cases:guardian_agreement_signed", args=[case.pk, agreement.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.signed_at is not None
    assert AuditEntry.objects.filter(action="xinan.case.guardian_agreement.sign", actor=world.team_leader_a).exists()


def test_guardian_of_another_student_is_refused(client, world, case):
    from xinan.students.models import Guardian, Student

    other = Student.objects.create(school=world.school_a, name="测试学生乙", student_number="20240002")
    stranger = Guardian.objects.create(student=other, relation="father", name="测试家长乙", phone="13912340001")
    client.force_login(world.counsellor_a)
    response = client.post(reverse("cases:guardian_agreement", args=[case.pk]), {"guardian": stranger.pk})
    assert response.status_code == 400
    assert case.guardian_agreements.count() == 0
