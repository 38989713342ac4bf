"""Saving a plan says what was done: steps became tasks only when a template had steps."""

from django.urls import reverse

from xinan.cases.enums import TaskKind
from xinan.cases.models import PlanTemplate


def test_plan_without_a_template_does_not_claim_tasks(client, world, case):
    # Arrange
    PlanTemplate.objects.filter(school=world.school_a).delete()
    client.force_login(world.counsellor_a)

    # Act
    response = client.post(reverse("cases:plan", args=[case.pk]), {"targets": "保障安全"}, follow=True)

    # Assert
    html = response.content.decode()
    assert "未生成待办事项" in html
    assert "已生成待办事项" not in html.replace("未生成待办事项", "")
    assert not case.tasks.filter(kind=TaskKind.PLAN_STEP).exists()


def test_plan_from_a_template_with_steps_says_how_many(client, world, case):
    # Arrange
    PlanTemplate.objects.filter(school=world.school_a).delete()
    PlanTemplate.objects.create(
        school=world.school_a,
        name="通用预案",
        targets="保障安全",
        steps=[{"title": "联系监护人", "who": "counsellor", "within_hours": 2}, {"title": "会商", "within_hours": 24}],
    )
    client.force_login(world.counsellor_a)

    # Act
    response = client.post(reverse("cases:plan", args=[case.pk]), {"targets": "保障安全"}, follow=True)

    # Assert
    assert "预案的 2 个步骤已生成待办事项" in response.content.decode()
    assert case.tasks.filter(kind=TaskKind.PLAN_STEP).count() == 2


def test_a_schools_first_plan_finds_the_default_for_its_level(client, world, case):
    # Arrange
    PlanTemplate.objects.filter(school=world.school_a).delete()
    case.__class__.objects.filter(pk=case.pk).update(risk_level="orange", state="intervention")
    client.force_login(world.counsellor_a)

    # Act
    page = client.get(reverse("cases:plan", args=[case.pk])).content.decode()

    # Assert
    assert "橙色·危机干预预案" in page
    assert set(PlanTemplate.objects.filter(school=world.school_a).values_list("level", flat=True)) == {
        "red",
        "orange",
        "yellow",
        "blue",
    }
