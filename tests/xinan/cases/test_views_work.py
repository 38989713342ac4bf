"""Role matrix of the case-work views (GET and POST): status per role, nothing changed when
refused, every refusal audited; and the class teacher's guardian log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from xinan.audit.models import AuditEntry
from xinan.cases.enums import CaseRole, TaskKind
from xinan.cases.models import CaseMember, Task
from xinan.cases.services import counselling, duties, records, safety

DENIED = "xinan.access.denied"
PEOPLE = [
    "counsellor_a",
    "counsellor_a2",
    "team_leader_a",
    "coordinator_a",
    "class_teacher_a",
    "staff_a",
    "counsellor_b",
    "provincial_admin_a",
]
TEAM = {"counsellor_a", "team_leader_a", "coordinator_a"}
TEAM_AND_CLASS_TEACHER = TEAM | {"class_teacher_a"}
COUNSELLING_STAFF = {"counsellor_a", "coordinator_a"}


def now_field() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def day(offset: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=offset)).isoformat()


PLAN_STEPS = {
    "warning_signs": "失眠、不想说话",
    "coping": "听音乐、散步",
    "distractions": "去图书馆，找同桌聊天",
    "helpers": "同桌、姐姐",
    "professionals": "学校值班心理老师",
    "environment": "药品交给妈妈保管",
    "reasons_for_living": "我的猫",
}


def _task(case, world, assignee=None):
    return duties.ensure_task(
        case,
        TaskKind.FOLLOW_UP,
        key="matrix-task",
        title="测试事项",
        assignee=assignee or world.counsellor_a,
        due=timezone.now() + dt.timedelta(days=1),
    )


@dataclass
class View:
    name: str
    allowed: set
    args: Callable = lambda case, world: [case.pk]
    post: Callable | None = None  # (case, world) -> data; None for GET-only pages


def _guardian(case):
    return case.student.guardians.first().pk


VIEWS = [
    View("guardian_log", TEAM_AND_CLASS_TEACHER),
    View(
        "follow_up",
        TEAM_AND_CLASS_TEACHER,
        post=lambda case, world: {"at": now_field(), "channel": "in_person", "note": "情绪平稳"},
    ),
    View(
        "guardian_contact",
        TEAM_AND_CLASS_TEACHER,
        post=lambda case, world: {
            "guardian": _guardian(case),
            "at": now_field(),
            "channel": "phone",
            "said": "告知学生近况",
            "response": "informed",
        },
    ),
    View(
        "consultation",
        TEAM,
        post=lambda case, world: {
            "held_at": now_field(),
            "attendees": [world.counsellor_a.pk, world.team_leader_a.pk],
            "decisions": "每日回访，通知家长",
        },
    ),
    View("plan", TEAM, post=lambda case, world: {"targets": "保障学生安全", "methods": "每日谈话"}),
    View(
        "referral",
        TEAM,
        post=lambda case, world: {"agency": "某市精神卫生中心", "department": "心理科", "reason": "需要专业评估"},
    ),
    View(
        "diagnosis",
        TEAM,
        args=lambda case, world: [
            case.pk,
            records.add_referral(case, by=world.counsellor_a, agency="某医院", department="", reason="评估").pk,
        ],
        post=lambda case, world: {"received_at": now_field(), "diagnosis": "中度抑郁发作", "advice": "遵医嘱服药"},
    ),
    View(
        "status_event",
        TEAM,
        post=lambda case, world: {"kind": "leave", "starts_on": day(0), "ends_on": day(7), "note": "病假"},
    ),
    View(
        "aftercare",
        TEAM,
        post=lambda case, world: {"plan": "每周回访", "follow_up_every_days": "7", "until": day(60)},
    ),
    View(
        "disclosure",
        TEAM,
        post=lambda case, world: {"told_whom": "监护人", "what": "学生有自伤行为", "why": "保护生命安全"},
    ),
    View(
        "task_done",
        TEAM,  # the class teacher completes only their own tasks (see below)
        args=lambda case, world: [case.pk, _task(case, world).pk],
        post=lambda case, world: {"confirm": "on"},
    ),
    View("safety_plan", TEAM, post=lambda case, world: {**PLAN_STEPS, "review_on": day(14)}),
    View(
        "safety_plan_compare",
        TEAM,
        args=lambda case, world: [
            case.pk
            for _version in range(2)
            if safety.save_safety_plan(
                case,
                by=world.counsellor_a,
                review_on=timezone.localdate() + dt.timedelta(days=7),
                **{**PLAN_STEPS, "coping": f"版本{_version}"},
            )
        ][:1],
    ),
    View(
        "safety_plan_signed",
        TEAM,
        args=lambda case, world: [
            case.pk,
            safety.save_safety_plan(
                case, by=world.counsellor_a, review_on=timezone.localdate() + dt.timedelta(days=7), **PLAN_STEPS
            ).version,
        ],
        post=lambda case, world: {"confirm": "on"},
    ),
    View("guardian_agreement", TEAM, post=lambda case, world: {"guardian": _guardian(case)}),
    View(
        "guardian_agreement_signed",
        TEAM,
        args=lambda case, world: [case.pk, safety.create_guardian_agreement(case, by=world.counsellor_a).pk],
        post=lambda case, world: {"confirm": "on"},
    ),
    View("counselling_note_add", COUNSELLING_STAFF, post=lambda case, world: {"text": "学生谈到与父母的冲突"}),
    View(
        "counselling_share",
        COUNSELLING_STAFF,
        args=lambda case, world: [
            case.pk,
            counselling.add_note(case, by=world.counsellor_a, text="学生说最近睡不着。其他内容不共享。").pk,
        ],
        post=lambda case, world: {"excerpt": "学生说最近睡不着", "reason": "需要班主任关注作息"},
    ),
    View("assign_counsellor", TEAM, post=lambda case, world: {"counsellor": world.counsellor_a2.pk}),
    View("add_member", TEAM, post=lambda case, world: {"user": world.health_teacher_a.pk, "role": "member"}),
    View(
        "remove_member",
        TEAM,
        args=lambda case, world: [
            case.pk,
            records.add_member(case, world.health_teacher_a, CaseRole.MEMBER, by=world.team_leader_a).pk,
        ],
        post=lambda case, world: {"confirm": "on"},
    ),
]
POST_VIEWS = [view for view in VIEWS if view.post is not None]


def snapshot(case) -> tuple:
    """Everything the views can change on a case."""
    case.refresh_from_db()
    return (
        case.assigned_counsellor_id,
        case.follow_ups.count(),
        case.guardian_contacts.count(),
        case.consultations.count(),
        case.plans.count(),
        case.referrals.count(),
        case.referrals.filter(diagnosis_received_at__isnull=False).count(),
        case.status_events.count(),
        case.aftercare_plans.count(),
        case.disclosures.count(),
        case.tasks.filter(done_at__isnull=False).count(),
        case.tasks.count(),
        case.safety_plans.count(),
        case.safety_plans.filter(signed_at__isnull=False).count(),
        case.guardian_agreements.count(),
        case.guardian_agreements.filter(signed_at__isnull=False).count(),
        case.counselling_notes.count(),
        case.shared_excerpts.count(),
        CaseMember.objects.filter(case=case, removed_at__isnull=True).count(),
    )


def _denials() -> int:
    return AuditEntry.objects.filter(action=DENIED).count()


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_case_work_get_role_matrix(client, world, case, view, who):
    url = reverse(f"cases:{view.name}", args=view.args(case, world))
    client.force_login(getattr(world, who))
    before = _denials()
    response = client.get(url)
    expected = 200 if who in view.allowed else 404
    assert response.status_code == expected
    assert _denials() - before == (1 if expected == 404 else 0)


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("view", POST_VIEWS, ids=lambda v: v.name)
def test_case_work_post_role_matrix(client, world, case, view, who):
    url = reverse(f"cases:{view.name}", args=view.args(case, world))
    data = view.post(case, world)
    client.force_login(getattr(world, who))
    before_state, before_denials = snapshot(case), _denials()
    response = client.post(url, data)
    if who in view.allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert snapshot(case) != before_state
        assert _denials() == before_denials
    else:
        assert response.status_code == 404
        assert snapshot(case) == before_state
        assert _denials() - before_denials == 1
        entry = AuditEntry.objects.filter(action=DENIED).latest("pk")
        assert entry.actor == getattr(world, who)


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_case_work_anonymous_is_sent_to_sign_in(client, world, case, view):
    response = client.get(reverse(f"cases:{view.name}", args=view.args(case, world)))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_success_redirects_to_case_page_with_a_message(client, world, case):
    client.force_login(world.counsellor_a)
    response = client.post(reverse("cases:referral", args=[case.pk]), VIEWS[5].post(case, world), follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert "转介已记录" in response.content.decode()
    assert AuditEntry.objects.filter(action="xinan.case.referral.add", actor=world.counsellor_a).count() == 1


def test_class_teacher_is_sent_back_to_the_guardian_log(client, world, case):
    client.force_login(world.class_teacher_a)
    response = client.post(
        reverse("cases:follow_up", args=[case.pk]), {"at": now_field(), "channel": "phone", "note": "已谈话"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:guardian_log", args=[case.pk])


def test_class_teacher_completes_own_task_not_others(client, world, case):
    own = _task(case, world, assignee=world.class_teacher_a)
    other = duties.ensure_task(
        case,
        TaskKind.REASSESSMENT,
        key="other",
        title="复评",
        assignee=world.counsellor_a,
        due=timezone.now(),
    )
    client.force_login(world.class_teacher_a)
    assert client.post(reverse("cases:task_done", args=[case.pk, own.pk]), {"confirm": "on"}).status_code == 302
    assert client.post(reverse("cases:task_done", args=[case.pk, other.pk]), {"confirm": "on"}).status_code == 404
    assert Task.objects.get(pk=own.pk).done_by == world.class_teacher_a
    assert Task.objects.get(pk=other.pk).done_at is None


def test_detail_redirects_class_teacher_to_guardian_log(client, world, case):
    client.force_login(world.class_teacher_a)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:guardian_log", args=[case.pk])


def test_guardian_log_shows_only_own_tasks_and_the_guardian_log(client, world, case):
    from tests.xinan.cases.conftest import NO_DANGER
    from xinan.cases.services.assessment import record_assessment

    record_assessment(
        case, by=world.counsellor_a, ratings=NO_DANGER, screen={}, level="blue", in_crisis=False, notes="评估备注丙"
    )
    _task(case, world, assignee=world.class_teacher_a)
    duties.ensure_task(
        case, TaskKind.REASSESSMENT, key="x", title="心理老师的事项", assignee=world.counsellor_a, due=timezone.now()
    )
    records.add_guardian_contact(
        case, by=world.counsellor_a, at=timezone.now(), channel="phone", said="告知家长近况乙", response="informed"
    )
    client.force_login(world.class_teacher_a)
    html = client.get(reverse("cases:guardian_log", args=[case.pk])).content.decode()
    assert "测试事项" in html
    assert "告知家长近况乙" in html
    assert 'action="{}"'.format(reverse("cases:guardian_contact", args=[case.pk])) in html
    assert 'action="{}"'.format(reverse("cases:follow_up", args=[case.pk])) in html
    for hidden in ("心理老师的事项", "收到告别短信", "联系了同学陪伴", "评估备注丙", "转为"):
        assert hidden not in html
    assert AuditEntry.objects.filter(action="xinan.case.guardian_log.view", actor=world.class_teacher_a).exists()


def test_guardian_refusal_escalates_to_team_leader(client, world, case):
    client.force_login(world.counsellor_a)
    data = {
        "guardian": _guardian(case),
        "at": now_field(),
        "channel": "phone",
        "said": "建议带孩子就医",
        "response": "refused",
        "guardian_words": "孩子没事，不用去医院",
    }
    assert client.post(reverse("cases:guardian_contact", args=[case.pk]), data).status_code == 302
    task = case.tasks.get(kind=TaskKind.ESCALATION)
    assert task.assignee == world.team_leader_a


def test_plan_shows_template_steps_and_makes_them_tasks(client, world, case):
    from xinan.cases.models import PlanTemplate

    PlanTemplate.objects.create(
        school=world.school_a,
        name="遗书预案",
        category="suicide_note",
        targets="确保学生安全",
        steps=[
            {"title": "24小时陪护安排", "who": "class_teacher", "within_hours": 2},
            {"title": "通知组长", "who": "team_leader", "within_hours": 1},
        ],
    )
    client.force_login(world.counsellor_a)
    page = client.get(reverse("cases:plan", args=[case.pk])).content.decode()
    assert "24小时陪护安排" in page
    assert "遗书预案" in page
    assert "确保学生安全" in page
    response = client.post(reverse("cases:plan", args=[case.pk]), {"targets": "确保学生安全", "methods": ""})
    assert response.status_code == 302
    steps = {t.title: t.assignee for t in case.tasks.filter(kind=TaskKind.PLAN_STEP)}
    assert steps == {"24小时陪护安排": world.class_teacher_a, "通知组长": world.team_leader_a}


def test_work_section_on_case_page_for_the_team_only(client, world, case):
    client.force_login(world.team_leader_a)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-test="case-work"' in html
    assert 'data-test="case-safety"' in html
    assert 'data-test="manage-members"' in html
    assert 'data-test="counselling-notes"' not in html
