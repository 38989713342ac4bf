"""Training and drills: role matrix, adding an activity, bad input, coverage, query count."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xinan.audit.models import AuditEntry
from xinan.training.models import TrainingActivity
from xinan.training.services.activities import add_activity
from xinan.training.services.coverage import year_coverage

DENIED = "xinan.access.denied"
TODAY = timezone.localdate


def _list_url(world):
    return reverse("training:list", args=[world.school_a.pk])


def _add_url(world):
    return reverse("training:add", args=[world.school_a.pk])


def _valid(**changes):
    data = {
        "held_on": (TODAY() - dt.timedelta(days=3)).isoformat(),
        "audience": "staff",
        "kind": "training",
        "topic": "班主任心理危机识别与报告流程培训",
        "attendance": "42",
        "target_size": "50",
        "materials": "课件《识别心理危机的信号》，存于心理辅导室共享盘",
    }
    data.update(changes)
    return data


def _activity(world, **changes):
    fields = {
        "held_on": TODAY() - dt.timedelta(days=10),
        "audience": "students",
        "kind": "education",
        "topic": "珍爱生命主题班会",
        "attendance": 300,
        "target_size": 400,
    }
    fields.update(changes)
    return add_activity(world.school_a, by=world.counsellor_a, **fields)


MATRIX = [
    ("team_leader_a", 200),
    ("coordinator_a", 200),
    ("counsellor_a", 200),
    ("counsellor_a2", 200),
    ("health_teacher_a", 200),
    ("class_teacher_a", 404),
    ("staff_a", 404),
    ("filer_a", 404),
    ("counsellor_a2_school", 404),
    ("counsellor_b", 404),
    ("team_leader_b", 404),
    ("provincial_admin_a", 404),
    ("reviewer_a", 404),
    ("national_admin", 404),
]


def _get(client, user, url):
    client.force_login(user)
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = client.get(url)
    return response, AuditEntry.objects.filter(action=DENIED).count() - before


@pytest.mark.parametrize(("who", "status"), MATRIX)
def test_activity_list_role_matrix(client, world, who, status):
    _activity(world)
    response, refusals = _get(client, getattr(world, who), _list_url(world))
    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)
    if status == 404:
        assert "珍爱生命" not in response.content.decode()


@pytest.mark.parametrize(("who", "status"), MATRIX)
def test_activity_add_role_matrix(client, world, who, status):
    client.force_login(getattr(world, who))
    before = AuditEntry.objects.filter(action=DENIED).count()

    response = client.post(_add_url(world), _valid())

    refusals = AuditEntry.objects.filter(action=DENIED).count() - before
    if status == 200:
        assert response.status_code == 302
        assert TrainingActivity.objects.filter(school=world.school_a).count() == 1
        assert refusals == 0
    else:
        assert response.status_code == 404
        assert refusals == 1
        assert not TrainingActivity.objects.exists()  # nothing changed


def test_training_home_sends_team_member_to_their_school_and_refuses_others(client, world):
    client.force_login(world.counsellor_a)
    assert client.get(reverse("training:home")).url == _list_url(world)

    response, refusals = _get(client, world.provincial_admin_a, reverse("training:home"))
    assert (response.status_code, refusals) == (404, 1)


def test_unknown_school_is_404_and_audited(client, world):
    response, refusals = _get(client, world.counsellor_a, reverse("training:list", args=[999999]))
    assert (response.status_code, refusals) == (404, 1)


def test_add_activity_records_it_with_an_audit_entry(client, world):
    client.force_login(world.coordinator_a)

    response = client.post(_add_url(world), _valid(), follow=True)

    activity = TrainingActivity.objects.get()
    assert (activity.audience, activity.kind, activity.attendance, activity.target_size) == (
        "staff",
        "training",
        42,
        50,
    )
    assert activity.recorded_by == world.coordinator_a
    entry = AuditEntry.objects.get(action="xinan.training.add")
    assert (entry.actor, entry.organisation_id, entry.object_id) == (
        world.coordinator_a,
        world.school_a.pk,
        str(activity.pk),
    )
    assert "已记录该活动" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"topic": "  "}, "这个字段是必填项"),
        ({"attendance": "0"}, ""),
        ({"attendance": "-5"}, ""),
        ({"attendance": "abc"}, ""),
        ({"attendance": "1000000"}, ""),
        ({"target_size": "0"}, ""),
        ({"audience": "guardians"}, ""),
        ({"kind": "lecture"}, ""),
        ({"held_on": "2026-13-40"}, ""),
        ({"held_on": (TODAY() + dt.timedelta(days=1)).isoformat()}, "日期不能晚于今天"),
        ({"topic": "主" * 121}, ""),
    ],
)
def test_add_activity_bad_input_changes_nothing(client, world, changes, message):
    client.force_login(world.counsellor_a)

    response = client.post(_add_url(world), _valid(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors
    assert message in response.content.decode()
    assert not TrainingActivity.objects.exists()
    assert not AuditEntry.objects.filter(action="xinan.training.add").exists()


def test_coverage_counts_activities_people_and_share_per_audience(world):
    _activity(world, audience="students", kind="education", attendance=300, target_size=400)
    _activity(world, audience="students", kind="drill", attendance=100, target_size=None)
    _activity(world, audience="parents", kind="education", attendance=80, target_size=400)
    _activity(world, audience="staff", kind="training", attendance=40, held_on=dt.date(TODAY().year - 1, 6, 1))

    coverage = year_coverage(TrainingActivity.objects.all(), TODAY().year)

    rows = {row.audience: row for row in coverage.rows}
    assert (rows["students"].activities, rows["students"].people, rows["students"].share) == (2, 400, 75.0)
    assert (rows["parents"].activities, rows["parents"].people, rows["parents"].share) == (1, 80, 20.0)
    assert (rows["staff"].activities, rows["staff"].share) == (0, None)  # last year's does not count
    assert rows["students"].by_kind == {"education": 300, "training": 0, "drill": 100}
    assert len(coverage.chart.rects) == 3


def test_list_shows_coverage_table_and_chart_of_the_chosen_year(client, world):
    _activity(world, held_on=dt.date(TODAY().year - 1, 5, 4), topic="去年的心理健康周")
    client.force_login(world.team_leader_a)

    this_year = client.get(_list_url(world)).content.decode()
    last_year = client.get(_list_url(world), {"year": TODAY().year - 1}).content.decode()

    assert "去年的心理健康周" not in this_year
    assert "去年的心理健康周" in last_year
    assert 'data-test="coverage-table"' in last_year
    assert "<svg" in last_year


def test_other_schools_activities_are_not_listed(client, world):
    add_activity(
        world.school_a2,
        by=world.counsellor_a2_school,
        held_on=TODAY(),
        audience="students",
        kind="education",
        topic="兄弟学校的活动",
        attendance=10,
    )
    client.force_login(world.counsellor_a)

    response = client.get(_list_url(world))

    assert "兄弟学校的活动" not in response.content.decode()
    assert response.context["coverage"].activities == 0


@pytest.mark.parametrize("count", [1, 3])
def test_activity_list_query_count_does_not_grow(client, world, django_assert_max_num_queries, count):
    for n in range(count):
        _activity(world, topic=f"主题{n}")
    client.force_login(world.counsellor_a)

    with django_assert_max_num_queries(11):
        response = client.get(_list_url(world))

    assert response.status_code == 200
    assert len(response.context["page"]) == count
