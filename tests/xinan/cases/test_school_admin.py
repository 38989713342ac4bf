"""School crisis settings and plan templates: role matrices, defaults, step editor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xinan.audit.models import AuditEntry
from xinan.cases.models import PlanTemplate, SchoolCrisisSettings

DENIED = "xinan.access.denied"
DEFAULTS = 5  # one per risk level, and the red one for suicide plans
MATRIX = [
    ("team_leader_a", True),
    ("coordinator_a", True),
    ("counsellor_a", False),
    ("health_teacher_a", False),
    ("class_teacher_a", False),
    ("staff_a", False),
    ("team_leader_b", False),
    ("provincial_admin_a", False),
    ("national_admin", False),
]


def _call(client, user, method, url, data=None):
    client.force_login(user)
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = client.get(url) if method == "get" else client.post(url, data or {})
    return response, AuditEntry.objects.filter(action=DENIED).count() - before


def _steps(rows):
    data = {
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
    }
    for index, (title, who, hours) in enumerate(rows):
        data.update({f"steps-{index}-title": title, f"steps-{index}-who": who, f"steps-{index}-within_hours": hours})
    return data


def _template_post(name="橙色·自伤干预预案"):
    return {
        "name": name,
        "category": "self_harm",
        "level": "orange",
        "targets": "有自伤行为的学生",
        "actors": "心理老师、班主任",
        "methods": "伤口处理，约谈，通知监护人",
        **_steps([("处理伤口", "health_teacher", "1"), ("通知监护人", "class_teacher", "4"), ("", "", "")]),
    }


@pytest.mark.parametrize(("who", "allowed"), MATRIX)
def test_settings_role_matrix(client, world, who, allowed):
    url = reverse("cases:school_settings", args=[world.school_a.pk])
    response, refusals = _call(client, getattr(world, who), "get", url)
    assert response.status_code == (200 if allowed else 404)
    data = {
        "duty_counsellor": world.counsellor_a.pk,
        "duty_phone": "0571-88886666",
        "hotlines": "热线 12356",
        "glass_break_hours": "6",
    }
    response, refusals = _call(client, getattr(world, who), "post", url, data)
    assert response.status_code == (302 if allowed else 404)
    assert refusals == (0 if allowed else 1)
    row = SchoolCrisisSettings.objects.filter(school=world.school_a).first()
    assert (
        row is not None and row.duty_counsellor_id == world.counsellor_a.pk and row.glass_break_hours == 6
    ) == allowed


def test_settings_duty_counsellor_must_be_a_counsellor_of_the_school(client, world):
    url = reverse("cases:school_settings", args=[world.school_a.pk])
    data = {
        "duty_counsellor": world.counsellor_b.pk,
        "duty_phone": "abc",
        "hotlines": "热线 12356",
        "glass_break_hours": "500",
    }
    response, _ = _call(client, world.team_leader_a, "post", url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写有效的值班电话" in html
    assert "热线 12356" in html
    assert not SchoolCrisisSettings.objects.filter(school=world.school_a).exists()


def test_settings_change_audited(client, world):
    url = reverse("cases:school_settings", args=[world.school_a.pk])
    _call(
        client,
        world.coordinator_a,
        "post",
        url,
        {"duty_counsellor": "", "duty_phone": "", "hotlines": "", "glass_break_hours": "4"},
    )
    entry = AuditEntry.objects.get(action="xinan.school.settings.change")
    assert entry.organisation_id == world.school_a.pk


@pytest.mark.parametrize(("who", "allowed"), MATRIX)
def test_plan_templates_role_matrix_and_defaults(client, world, who, allowed):
    response, refusals = _call(
        client, getattr(world, who), "get", reverse("cases:plan_templates", args=[world.school_a.pk])
    )
    assert response.status_code == (200 if allowed else 404)
    assert refusals == (0 if allowed else 1)
    assert PlanTemplate.objects.filter(school=world.school_a).count() == (DEFAULTS if allowed else 0)


def test_default_templates_seeded_once_in_chinese(client, world):
    url = reverse("cases:plan_templates", args=[world.school_a.pk])
    _call(client, world.team_leader_a, "get", url)
    response, _ = _call(client, world.coordinator_a, "get", url)
    assert PlanTemplate.objects.filter(school=world.school_a).count() == DEFAULTS
    assert set(PlanTemplate.objects.filter(school=world.school_a).values_list("level", flat=True)) == {
        "red",
        "orange",
        "yellow",
        "blue",
    }
    red = PlanTemplate.objects.get(school=world.school_a, level="red", category="suicide_plan")
    assert [step["title"] for step in red.steps] == [
        "24小时看护安排",
        "通知监护人",
        "团队会商",
        "转介就医",
        "签署安全计划书",
    ]
    assert "可以随时修改" in response.content.decode()


@pytest.mark.parametrize(("who", "allowed"), MATRIX)
def test_plan_template_add_role_matrix(client, world, who, allowed):
    url = reverse("cases:plan_template_add", args=[world.school_a.pk])
    response, _ = _call(client, getattr(world, who), "get", url)
    assert response.status_code == (200 if allowed else 404)
    response, refusals = _call(client, getattr(world, who), "post", url, _template_post())
    assert response.status_code == (302 if allowed else 404)
    assert refusals == (0 if allowed else 1)
    created = PlanTemplate.objects.filter(name="橙色·自伤干预预案").first()
    assert (created is not None) == allowed
    if allowed:
        assert created.steps == [
            {"title": "处理伤口", "who": "health_teacher", "within_hours": 1},
            {"title": "通知监护人", "who": "class_teacher", "within_hours": 4},
        ]


@pytest.mark.parametrize(("who", "allowed"), MATRIX)
def test_plan_template_edit_and_retire_role_matrix(client, world, who, allowed):
    template = PlanTemplate.objects.create(school=world.school_a, name="原名", targets="对象", steps=[])
    url = reverse("cases:plan_template_edit", args=[template.pk])
    response, _ = _call(client, getattr(world, who), "get", url)
    assert response.status_code == (200 if allowed else 404)
    response, refusals = _call(client, getattr(world, who), "post", url, _template_post("新名"))
    template.refresh_from_db()
    assert (template.name == "新名") == allowed
    assert refusals == (0 if allowed else 1)
    response, refusals = _call(
        client, getattr(world, who), "post", reverse("cases:plan_template_retire", args=[template.pk])
    )
    template.refresh_from_db()
    assert template.is_active is not allowed
    assert response.status_code == (302 if allowed else 404)


def test_plan_template_bad_step_keeps_what_was_typed(client, world):
    data = _template_post()
    data.update({"steps-1-within_hours": "abc"})
    response, _ = _call(
        client, world.team_leader_a, "post", reverse("cases:plan_template_add", args=[world.school_a.pk]), data
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "处理伤口" in html
    assert "有自伤行为的学生" in html
    assert not PlanTemplate.objects.filter(name="橙色·自伤干预预案").exists()


def test_plan_template_of_other_school_refused(client, world):
    template = PlanTemplate.objects.create(school=world.school_b, name="乙校预案", targets="对象", steps=[])
    response, refusals = _call(
        client,
        world.team_leader_a,
        "post",
        reverse("cases:plan_template_edit", args=[template.pk]),
        _template_post("改名"),
    )
    assert response.status_code == 404
    assert refusals == 1
    template.refresh_from_db()
    assert template.name == "乙校预案"
