"""Races on PostgreSQL: real threads, each with its own database connection, released together
by a barrier. Whoever loses a race gets a clear Chinese message, never a 500 and never a
silent double.

Races covered elsewhere (not repeated here): twenty parallel submits for the last quota slot
(tests/xinan/campaigns/test_filing.py), two reminder workers at the same moment
(tests/xinan/cases/test_reminders.py), two outbox workers (tests/xinan/notifications/test_outbox.py),
parallel review assignment and publication (tests/xinan/reviews/test_concurrency.py), parallel
recommendations against a hard quota (tests/xinan/selection/test_recommendation.py).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from tests.case_fixtures import NO_DANGER
from tests.xinan.dossier.conftest import make_pdf
from tests.xinan.students.conftest import workbook_bytes
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import FilingRight
from xinan.campaigns.services.filer_import import import_filers
from xinan.cases.enums import CaseState
from xinan.cases.models import Case, Disclosure, Transition
from xinan.cases.services.assessment import record_assessment
from xinan.cases.services.errors import CaseError
from xinan.cases.services.workflow import transition_case
from xinan.dossier.services.documents import upload_document
from xinan.exports.enums import Decision
from xinan.exports.models import ExportRequest
from xinan.exports.services.errors import ExportError
from xinan.exports.services.requests import approve_export, download_export, refuse_export, request_dossier_export
from xinan.organisations.enums import Role
from xinan.organisations.models import Membership
from xinan.students.models import Guardian, SchoolClass, Student
from xinan.students.services.importing import import_students

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EXPECTED = (CaseError, ExportError)


def race(*actions):
    """Run the actions at the same instant, one thread and one connection each. Returns, per
    action, ("ok", value), ("refused", Chinese message) or ("crash", exception)."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=20)
            outcomes[index] = ("ok", action())
        except EXPECTED as exc:
            outcomes[index] = ("refused", exc.message)
        except Exception as exc:  # reported by the caller's assertions
            outcomes[index] = ("crash", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, action)) for n, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racing thread hung"
    crashes = [outcome[1] for outcome in outcomes if outcome[0] == "crash"]
    assert not crashes, f"a racing action crashed: {crashes!r}"
    return outcomes


def _kinds(outcomes) -> Counter:
    return Counter(kind for kind, _value in outcomes)


# --- Two provinces import filers at once --------------------------------------------------------
def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "学校", "手机号", "职务"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PHONES = [f"1360000{n:04d}" for n in range(12)]


def _import(campaign, province, admin, data):
    def action():
        result = import_filers(campaign, province, data, by=admin)
        return result.saved, [error.message for error in result.errors]

    return action


def _assert_no_duplicates(campaign):
    phones = list(get_user_model().objects.filter(phone__in=PHONES).values_list("phone", flat=True))
    assert len(phones) == len(set(phones))
    filers = list(FilingRight.objects.filter(campaign=campaign).values_list("filer_id", flat=True))
    assert len(filers) == len(set(filers))
    roles = list(Membership.objects.filter(role=Role.FILER).values_list("user_id", "organisation_id"))
    assert len(roles) == len(set(roles))


def _check_import_race(world, campaign, rows_a, rows_b):
    outcomes = race(
        _import(campaign, world.province_a, world.provincial_admin_a, _xlsx(rows_a)),
        _import(campaign, world.province_b, world.provincial_admin_b, _xlsx(rows_b)),
    )
    _assert_no_duplicates(campaign)
    results = [value for _kind, value in outcomes]
    for (saved, errors), rows in zip(results, (rows_a, rows_b), strict=True):
        # Either the whole file went in, or nothing of it did and the province is told why in Chinese.
        assert (saved, errors) == (len(rows), []) or (saved == 0 and errors and all("手机号" in e for e in errors))
    return results


def test_two_provinces_import_the_same_phones_at_once(world, campaign):
    rows_a = [(f"甲{n}", world.school_a.name, phone) for n, phone in enumerate(PHONES)]
    rows_b = [(f"乙{n}", world.school_b.name, phone) for n, phone in enumerate(reversed(PHONES))]
    results = _check_import_race(world, campaign, rows_a, rows_b)
    # The same person cannot file for a school in each province: exactly one province holds them.
    assert sorted(saved for saved, _errors in results) == [0, len(PHONES)]
    assert FilingRight.objects.filter(campaign=campaign).count() == len(PHONES)
    assert len(set(FilingRight.objects.values_list("school_id", flat=True))) == 1
    assert AuditEntry.objects.filter(action="xinan.campaign.filer.import").count() == 1


def test_two_provinces_import_overlapping_files_at_once(world, campaign):
    shared = PHONES[4:8]
    rows_a = [(f"甲{n}", world.school_a.name, phone) for n, phone in enumerate(PHONES[:4] + shared)]
    rows_b = [(f"乙{n}", world.school_b.code, phone) for n, phone in enumerate(list(reversed(shared)) + PHONES[8:])]
    results = _check_import_race(world, campaign, rows_a, rows_b)
    assert sorted(saved for saved, _errors in results) == [0, 8]
    assert FilingRight.objects.filter(campaign=campaign).count() == 8


def test_one_province_imports_the_same_file_twice_at_once(world, campaign):
    rows = [(f"甲{n}", world.school_a.name, phone) for n, phone in enumerate(PHONES)]
    outcomes = race(
        _import(campaign, world.province_a, world.provincial_admin_a, _xlsx(rows)),
        _import(campaign, world.province_a, world.provincial_admin_a, _xlsx(list(reversed(rows)))),
    )
    assert [value for _kind, value in outcomes] == [(len(PHONES), []), (len(PHONES), [])]
    _assert_no_duplicates(campaign)
    assert FilingRight.objects.filter(campaign=campaign, school=world.school_a).count() == len(PHONES)


# --- Two people import the same students at once ----------------------------------------------
def test_two_student_imports_of_the_same_rows_at_once_create_each_student_once(world):
    rows = [
        (
            f"2024{n:04d}",
            f"学生{n}",
            "男",
            dt.date(2008, 1 + n % 12, 10),
            "2024级",
            "1班",
            f"家长{n}",
            "母亲",
            f"1391234{n:04d}",
        )
        for n in range(1, 13)
    ]
    outcomes = race(
        lambda: import_students(world.school_a, workbook_bytes(rows), by=world.coordinator_a).summary.rows,
        lambda: import_students(world.school_a, workbook_bytes(rows[::-1]), by=world.team_leader_a).summary.rows,
    )
    assert [value for _kind, value in outcomes] == [len(rows), len(rows)]
    assert Student.objects.filter(school=world.school_a).count() == len(rows)
    assert Guardian.objects.filter(student__school=world.school_a).count() == len(rows)
    assert SchoolClass.objects.filter(school=world.school_a).count() == 1


# --- Two people act on the same crisis case at once ---------------------------------------------
@pytest.fixture
def tracked_case(case, world):
    """A case in care tracking: it may be closed (team leader) or escalated (counsellor)."""
    transition_case(case, CaseState.ASSESSING, by=world.counsellor_a)
    record_assessment(case, by=world.counsellor_a, ratings=NO_DANGER, screen={}, level="blue", in_crisis=False)
    transition_case(case, CaseState.CARE_TRACKING, by=world.counsellor_a)
    return case


def _move(case, to, by, **extra):
    return lambda: transition_case(
        Case.objects.get(pk=case.pk), to, by=by, expected_state=CaseState.CARE_TRACKING, **extra
    )


def _one_move_won(case, outcomes, *, moves_before):
    assert _kinds(outcomes) == {"ok": 1, "refused": 1}
    (message,) = [value for kind, value in outcomes if kind == "refused"]
    assert "刚刚已被他人更新" in message
    assert Transition.objects.filter(case=case).count() == moves_before + 1
    return message


def test_closing_raced_against_escalating_one_wins(tracked_case, world):
    before = Transition.objects.filter(case=tracked_case).count()
    outcomes = race(
        _move(tracked_case, CaseState.CLOSED, world.team_leader_a, outcome="resolved"),
        _move(tracked_case, CaseState.INTERVENTION, world.counsellor_a, reason="回访时发现新的危机信号"),
    )
    _one_move_won(tracked_case, outcomes, moves_before=before)
    tracked_case.refresh_from_db()
    winner = Transition.objects.filter(case=tracked_case).latest("pk")
    assert tracked_case.state == winner.to_state
    assert (tracked_case.closed_at is not None) == (winner.to_state == CaseState.CLOSED)


def test_two_identical_closings_record_one_move(tracked_case, world):
    before = Transition.objects.filter(case=tracked_case).count()
    outcomes = race(
        _move(tracked_case, CaseState.CLOSED, world.team_leader_a, outcome="resolved"),
        _move(tracked_case, CaseState.CLOSED, world.coordinator_a, outcome="resolved"),
    )
    _one_move_won(tracked_case, outcomes, moves_before=before)
    assert AuditEntry.objects.filter(action="xinan.case.transition", object_id=str(tracked_case.pk)).count() == before


def test_raced_transition_through_the_view_tells_the_loser(tracked_case, world):
    before = Transition.objects.filter(case=tracked_case).count()
    url = reverse("cases:transition", args=[tracked_case.pk])
    closer, escalator = Client(), Client()
    closer.force_login(world.team_leader_a)
    escalator.force_login(world.counsellor_a)
    posts = [
        (closer, {"to": "closed", "expected_state": "care_tracking", "outcome": "resolved"}),
        (escalator, {"to": "intervention", "expected_state": "care_tracking", "reason": "回访时发现新的危机信号"}),
    ]
    outcomes = race(*[lambda c=c, data=data: c.post(url, data).status_code for c, data in posts])
    assert [value for _kind, value in outcomes] == [302, 302]
    assert Transition.objects.filter(case=tracked_case).count() == before + 1
    pages = [c.get(reverse("cases:detail", args=[tracked_case.pk])).content.decode() for c, _data in posts]
    assert sum("个案已转为" in page for page in pages) == 1
    assert sum("刚刚已被他人更新" in page for page in pages) == 1


# --- Export approval and the one-time download --------------------------------------------------
@pytest.fixture
def export_request(case, world):
    upload_document(case, slot="other", chunks=[make_pdf()], original_name="a.pdf", by=world.counsellor_a)
    return request_dossier_export(case, by=world.coordinator_a, purpose="区教育局专项督导调阅")


def test_approval_raced_against_refusal_decides_once(export_request, world):
    outcomes = race(
        lambda: approve_export(ExportRequest.objects.get(pk=export_request.pk), by=world.team_leader_a),
        lambda: refuse_export(ExportRequest.objects.get(pk=export_request.pk), by=world.team_leader_a, reason="不同意"),
    )
    assert _kinds(outcomes) == {"ok": 1, "refused": 1}
    assert [value for kind, value in outcomes if kind == "refused"] == ["该申请已经审批过了。"]
    export_request.refresh_from_db()
    decided = AuditEntry.objects.filter(action__in=["xinan.export.approve", "xinan.export.refuse"]).count()
    assert decided == 1
    assert Disclosure.objects.count() == (1 if export_request.decision == Decision.APPROVED else 0)


def test_two_identical_approvals_at_once_record_one_disclosure(export_request, world):
    def approve():
        return approve_export(ExportRequest.objects.get(pk=export_request.pk), by=world.team_leader_a).decision

    outcomes = race(approve, approve)
    assert sorted(outcomes) == [("ok", Decision.APPROVED), ("refused", "该申请已经审批过了。")]
    assert Disclosure.objects.count() == 1
    assert AuditEntry.objects.filter(action="xinan.export.approve").count() == 1


def test_one_time_download_used_twice_at_once_hands_out_one_archive(export_request, world):
    approve_export(export_request, by=world.team_leader_a)
    url = reverse("exports:download", args=[export_request.pk])
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(world.coordinator_a)

    def download(client):
        response = client.post(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, body

    outcomes = race(*[lambda c=c: download(c) for c in clients])
    statuses = sorted(value[0] for _kind, value in outcomes)
    assert statuses == [200, 409]
    (refusal,) = [value[1].decode() for _kind, value in outcomes if value[0] == 409]
    assert "不能重复下载" in refusal
    assert AuditEntry.objects.filter(action="xinan.export.download").count() == 1


def test_one_time_download_service_used_twice_at_once(export_request, world):
    approve_export(export_request, by=world.team_leader_a)

    def download():
        return b"".join(download_export(ExportRequest.objects.get(pk=export_request.pk), by=world.coordinator_a).chunks)

    outcomes = race(download, download)
    assert _kinds(outcomes) == {"ok": 1, "refused": 1}
    assert "不能重复下载" in next(value for kind, value in outcomes if kind == "refused")
