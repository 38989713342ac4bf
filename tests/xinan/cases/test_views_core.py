"""The first report, the receipt, the case page and the moves made from it."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from tests.xinan.cases.conftest import HIGH_DANGER, PLAN_SCREEN
from xinan.audit.models import AuditEntry
from xinan.cases.enums import CaseState
from xinan.cases.models import Case, GlassBreak, SchoolCrisisSettings
from xinan.notifications.models import Message

DENIED = "xinan.access.denied"


def _denials() -> int:
    return AuditEntry.objects.filter(action=DENIED).count()


REPORT = {
    "student_text": "高二（3）班 某同学",
    "occurred_at": "2026-05-06T10:30",
    "location": "教学楼",
    "categories": ["suicide_talk", "self_harm"],
    "observed": "在课间说不想活了，手臂有划痕",
    "measures": "陪同到心理辅导室",
    "injury": "first_aid",
}


def test_first_report_by_any_staff_notifies_team_at_once(client, world, django_capture_on_commit_callbacks):
    SchoolCrisisSettings.objects.create(school=world.school_a, duty_counsellor=world.counsellor_a2)
    client.force_login(world.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:first_report"), REPORT)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.state == CaseState.REPORTED
    assert case.assigned_counsellor == world.counsellor_a2
    told = set(Message.objects.filter(template="case_first_report").values_list("recipient", flat=True))
    for person in (
        world.team_leader_a,
        world.coordinator_a,
        world.counsellor_a,
        world.counsellor_a2,
        world.health_teacher_a,
    ):
        assert person.pk in told
    assert world.staff_a.pk not in told
    assert all("某同学" not in m.body for m in Message.objects.all())  # no student details in SMS


def test_first_report_receipt_shows_only_received(client, world):
    client.force_login(world.staff_a)
    response = client.post(reverse("cases:first_report"), REPORT, follow=True)
    html = response.content.decode()
    assert "报告已收到，正在处理" in html
    assert "手臂有划痕" not in html
    assert client.get(reverse("cases:detail", args=[Case.objects.get().pk])).status_code == 404


def test_first_report_missing_categories_keeps_what_was_typed(client, world):
    client.force_login(world.staff_a)
    response = client.post(reverse("cases:first_report"), REPORT | {"categories": []})
    html = response.content.decode()
    assert response.status_code == 400
    assert "这个字段是必填项" in html or "必填" in html
    assert "手臂有划痕" in html
    assert not Case.objects.exists()


def test_first_report_refused_to_people_without_a_school(client, world):
    for outsider in (world.provincial_admin_a, world.national_admin):
        client.force_login(outsider)
        before = _denials()
        assert client.get(reverse("cases:first_report")).status_code == 404
        assert _denials() == before + 1


def test_receipt_of_someone_else_is_404_and_audited(client, world, case):
    token = case.first_report.receipt_token
    client.force_login(world.counsellor_a2)
    before = _denials()
    assert client.get(reverse("cases:receipt", args=[token])).status_code == 404
    assert _denials() == before + 1


def test_student_search_finds_exact_number_in_own_school_only(client, world, student):
    client.force_login(world.staff_a)
    html = client.get(reverse("cases:student_search"), {"student_query": "20240001"}).content.decode()
    assert "测试学生甲" in html
    client.force_login(world.team_leader_b)
    html = client.get(reverse("cases:student_search"), {"student_query": "20240001"}).content.decode()
    assert "测试学生甲" not in html


DETAIL_MATRIX = [
    ("counsellor_a", 200),
    ("team_leader_a", 200),
    ("coordinator_a", 200),
    ("counsellor_a2", 404),  # a fixed team member not on the case: offered break-the-glass, not the case
    ("health_teacher_a", 404),
    ("staff_a", 404),
    ("filer_a", 404),
    ("counsellor_b", 404),
    ("team_leader_b", 404),
    ("provincial_admin_a", 404),
    ("national_admin", 404),
    ("reviewer_a", 404),
]


@pytest.mark.parametrize(("who", "status"), DETAIL_MATRIX)
def test_case_detail_role_matrix(client, world, case, who, status):
    client.force_login(getattr(world, who))
    before = _denials()
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == status
    html = response.content.decode()
    if status == 200:
        assert "收到告别短信" in html
        assert AuditEntry.objects.filter(action="xinan.case.view", object_id=str(case.pk)).exists()
    else:
        assert "收到告别短信" not in html
        assert _denials() == before + 1


def test_break_the_glass_grants_for_limited_time_and_tells_team_leader(
    client, world, case, django_capture_on_commit_callbacks
):
    start = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(world.counsellor_a2)
        short = client.post(reverse("cases:break_glass", args=[case.pk]), {"reason": "急"})
        assert short.status_code == 400
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("cases:break_glass", args=[case.pk]), {"reason": "值班时学生再次来访，需了解既往评估"}
            )
        assert response.status_code == 302
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
        assert world.team_leader_a.notifications.filter(title__contains="紧急访问").exists()
        traveller.shift(dt.timedelta(hours=4, minutes=1))
        client.force_login(world.counsellor_a2)  # the idle session ended long before
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert GlassBreak.objects.count() == 1
    assert AuditEntry.objects.filter(action="xinan.case.glass_break").count() == 1


def test_break_the_glass_refused_to_non_team_staff(client, world, case):
    client.force_login(world.staff_a)
    before = _denials()
    response = client.post(reverse("cases:break_glass", args=[case.pk]), {"reason": "想看看情况如何"})
    assert response.status_code == 404
    assert _denials() == before + 1
    assert not GlassBreak.objects.exists()


def test_assess_view_saves_and_shows_suggestion_on_override(client, world, case):
    client.force_login(world.counsellor_a)
    data = {f"dim_{k}": v for k, v in HIGH_DANGER.items()} | {f"screen_{k}": "on" for k, v in PLAN_SCREEN.items() if v}
    response = client.post(reverse("cases:assess", args=[case.pk]), data | {"level": "blue", "in_crisis": "no"})
    assert response.status_code == 400
    assert "评估规则建议为红色（高危）" in response.content.decode()
    response = client.post(reverse("cases:assess", args=[case.pk]), data | {"level": "red", "in_crisis": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.risk_level == "red"


@pytest.mark.parametrize("who", ["staff_a", "counsellor_a2", "counsellor_b", "provincial_admin_a"])
def test_assess_view_refused_outside_the_case(client, world, case, who):
    client.force_login(getattr(world, who))
    before = _denials()
    response = client.post(reverse("cases:assess", args=[case.pk]), {"level": "red", "in_crisis": "yes"})
    assert response.status_code == 404
    assert _denials() == before + 1
    assert not case.assessments.exists()


def test_transition_view_moves_and_refuses_closing_by_counsellor(client, world, case):
    client.force_login(world.counsellor_a)
    url = reverse("cases:transition", args=[case.pk])
    client.post(url, {"to": "assessing", "expected_state": "reported"})
    case.refresh_from_db()
    assert case.state == CaseState.ASSESSING
    response = client.post(url, {"to": "closed", "expected_state": "assessing", "outcome": "resolved"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.ASSESSING


def test_transition_view_illegal_move_gives_chinese_message(client, world, case):
    client.force_login(world.team_leader_a)
    response = client.post(
        reverse("cases:transition", args=[case.pk]), {"to": "aftercare", "expected_state": "reported"}, follow=True
    )
    assert "不能从“已报告”直接转为“善后跟踪”" in response.content.decode()


def test_case_texts_are_not_stored_in_plaintext(world, case):
    with connection.cursor() as cursor:
        cursor.execute("SELECT observed FROM cases_firstreport")
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT name FROM students_student")
        (name,) = cursor.fetchone()
    assert "告别短信" not in stored
    assert stored.startswith("enc1:")
    assert "测试学生甲" not in name


@pytest.mark.parametrize("rows", [1, 3])
def test_case_list_query_count_does_not_grow(client, world, student, rows, django_assert_max_num_queries):
    from xinan.cases.services.reporting import file_first_report

    for _ in range(rows):
        file_first_report(school=world.school_a, reporter=world.staff_a, student=student, categories=["other"])
    client.force_login(world.team_leader_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:list"))
    assert response.content.decode().count('class="mono">2') == rows


def test_case_list_shows_nothing_to_a_counsellor_not_on_cases(client, world, case):
    client.force_login(world.counsellor_a2)
    assert case.reference not in client.get(reverse("cases:list")).content.decode()
