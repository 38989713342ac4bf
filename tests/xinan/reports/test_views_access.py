"""Role matrix of every report view: status per role, nothing changed when refused, refusals audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xinan.audit.models import AuditEntry
from xinan.reports.enums import ReportStatus
from xinan.reports.models import CaseReport
from xinan.reports.services.documents import texts_of
from xinan_reportformat import parse_text, to_docx

from .conftest import CLEAN_TEXTS, make_report

DENIED = "xinan.access.denied"


def _call(client, user, method, url, data=None):
    client.force_login(user)
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = getattr(client, method)(url, data or {})
    return response, AuditEntry.objects.filter(action=DENIED).count() - before


def _snapshot(report):
    report.refresh_from_db()
    return {**texts_of(report), "status": report.status, "char_count": report.char_count}


READ_MATRIX_DRAFT = [
    ("counsellor_a", 200),  # the author
    ("class_teacher_a", 404),  # another teacher of the same school
    ("counsellor_a2", 404),  # crisis team member: drafts are the author's
    ("team_leader_a", 200),
    ("coordinator_a", 200),
    ("counsellor_b", 404),  # other school
    ("team_leader_b", 404),
    ("provincial_admin_a", 404),
    ("national_admin", 404),
]
READ_MATRIX_READY = [
    ("counsellor_a", 200),
    ("class_teacher_a", 404),
    ("staff_a", 404),
    ("counsellor_a2", 200),  # crisis team member: ready reports of the school
    ("health_teacher_a", 200),
    ("team_leader_a", 200),
    ("counsellor_a2_school", 404),
    ("counsellor_b", 404),
    ("provincial_admin_a", 404),
]


@pytest.mark.parametrize(("who", "status"), READ_MATRIX_DRAFT)
def test_editor_get_role_matrix_on_draft(client, world, report, who, status):
    response, refusals = _call(client, getattr(world, who), "get", reverse("reports:edit", args=[report.pk]))

    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)
    if status == 200 and who != "counsellor_a":
        assert 'data-test="report-form"' not in response.content.decode()  # read-only
        assert AuditEntry.objects.filter(action="xinan.report.view", object_id=str(report.pk)).count() == 1


@pytest.mark.parametrize(("who", "status"), READ_MATRIX_READY)
def test_editor_get_role_matrix_on_ready(client, world, report, who, status):
    CaseReport.objects.filter(pk=report.pk).update(status=ReportStatus.READY)

    response, refusals = _call(client, getattr(world, who), "get", reverse("reports:edit", args=[report.pk]))

    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize(("who", "status"), READ_MATRIX_DRAFT)
def test_export_role_matrix(client, world, report, who, status, fmt):
    response, refusals = _call(client, getattr(world, who), "get", reverse("reports:export", args=[report.pk, fmt]))

    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)
    exports = AuditEntry.objects.filter(action="xinan.report.export").count()
    assert exports == (1 if status == 200 else 0)


WRITE_MATRIX = [
    ("counsellor_a", True),
    ("class_teacher_a", False),
    ("counsellor_a2", False),
    ("team_leader_a", False),  # reads, never writes someone else's report
    ("counsellor_b", False),
    ("provincial_admin_a", False),
]


def _write_requests(report):
    data = {**texts_of(report), "process": "改写后的干预过程。", "has_artistic_footnote": "on"}
    upload = to_docx(parse_text("另一个标题\n——一例由失恋引发的自伤危机的干预报告\n一、当事人基本信息\n改写。"))
    return {
        "save": ("post", reverse("reports:edit", args=[report.pk]), data, 302),
        "ready": ("post", reverse("reports:edit", args=[report.pk]), {**data, "action": "ready"}, 302),
        "preview": ("post", reverse("reports:preview", args=[report.pk]), data, 200),
        "import": (
            "post",
            reverse("reports:import", args=[report.pk]),
            {"file": SimpleUploadedFile("a.docx", upload)},
            302,
        ),
        "import-text": ("post", reverse("reports:import", args=[report.pk]), {"text": "标题\n正文"}, 302),
    }


@pytest.mark.parametrize("action", ["save", "ready", "preview", "import", "import-text"])
@pytest.mark.parametrize(("who", "allowed"), WRITE_MATRIX)
def test_write_views_role_matrix(client, world, report, who, allowed, action):
    method, url, data, ok_status = _write_requests(report)[action]
    before = _snapshot(report)

    response, refusals = _call(client, getattr(world, who), method, url, data)

    if allowed:
        assert response.status_code == ok_status
        assert refusals == 0
    else:
        assert response.status_code == 404
        assert refusals == 1
        assert _snapshot(report) == before
        assert not AuditEntry.objects.filter(action__startswith="xinan.report.").exists()


def test_flag_decision_by_someone_else_is_refused(client, world, names):
    report = make_report(world.counsellor_a, world.school_a, occurrence=f"{names[2]}同学很难过。")
    before = _snapshot(report)
    data = {**texts_of(report), "flag_action": "0:applied", "flag-0-kind": "person_name", "flag-0-text": names[2]}

    response, refusals = _call(client, world.team_leader_a, "post", reverse("reports:edit", args=[report.pk]), data)

    assert response.status_code == 404
    assert refusals == 1
    assert _snapshot(report) == before
    assert not report.flag_decisions.exists()


def test_author_who_left_the_school_loses_the_report(client, world, report):
    world.counsellor_a.memberships.update(is_active=False)

    response, refusals = _call(client, world.counsellor_a, "get", reverse("reports:edit", args=[report.pk]))

    assert response.status_code == 404
    assert refusals == 1


CREATE_MATRIX = [
    ("counsellor_a", 302),
    ("class_teacher_a", 302),
    ("staff_a", 302),
    ("filer_a", 302),
    ("team_leader_a", 302),
    ("counsellor_b", 302),
    ("provincial_admin_a", 404),
    ("reviewer_a", 404),
    ("national_admin", 404),
]


@pytest.mark.parametrize(("who", "status"), CREATE_MATRIX)
def test_create_role_matrix(client, world, who, status):
    user = getattr(world, who)

    response, refusals = _call(client, user, "post", reverse("reports:create"))

    assert response.status_code == status
    assert refusals == (1 if status == 404 else 0)
    assert CaseReport.objects.filter(author=user).count() == (1 if status == 302 else 0)
    if status == 302:
        report = CaseReport.objects.get(author=user)
        assert response["Location"] == reverse("reports:edit", args=[report.pk])
        assert report.school_id in {world.school_a.pk, world.school_b.pk}


LIST_MATRIX = [
    ("counsellor_a", True),
    ("class_teacher_a", False),
    ("counsellor_a2", False),
    ("team_leader_a", True),
    ("counsellor_b", False),
    ("provincial_admin_a", False),
]


@pytest.mark.parametrize(("who", "sees"), LIST_MATRIX)
def test_list_role_matrix(client, world, report, who, sees):
    response, refusals = _call(client, getattr(world, who), "get", reverse("reports:list"))

    assert response.status_code == 200
    assert refusals == 0
    assert (reverse("reports:edit", args=[report.pk]) in response.content.decode()) is sees


def test_anonymous_is_sent_to_sign_in(client, report):
    response = client.get(reverse("reports:edit", args=[report.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_report_is_404_and_audited(client, world):
    response, refusals = _call(client, world.counsellor_a, "get", reverse("reports:edit", args=[999999]))

    assert response.status_code == 404
    assert refusals == 1


@pytest.mark.parametrize("rows", [1, 3])
def test_list_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries, rows):
    for _ in range(rows):
        make_report(world.counsellor_a, world.school_a)
        make_report(world.counsellor_a2, world.school_a, status=ReportStatus.READY)
    client.force_login(world.team_leader_a)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:list"))

    assert response.status_code == 200
    assert response.content.decode().count(CLEAN_TEXTS["title"]) == rows * 2
