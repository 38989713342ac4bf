"""Student list, case list and audit extract (Excel): requested with a purpose, approved by a
second authorised person, downloaded once, watermarked in the document properties and on a
visible row, redacted by the requester's role, recorded as a disclosure; and never carrying
counselling notes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pdfminer.high_level import extract_text

from tests.factories import person
from tests.xinan.dossier.conftest import make_pdf
from xinan.alerts.models import Alert
from xinan.alerts.services.raising import raise_alerts
from xinan.audit.models import AuditEntry
from xinan.cases.models import Disclosure
from xinan.cases.services.counselling import add_note
from xinan.dossier.services.documents import upload_document
from xinan.exports.enums import ExportKind
from xinan.exports.models import ExportRequest
from xinan.exports.services import producers, requests
from xinan.exports.services.errors import ExportError
from xinan.exports.services.requests import approve_export, request_dossier_export, request_organisation_export
from xinan.notifications.models import Notification
from xinan.organisations.enums import Role

PURPOSE = "学期末名册核对与心理普查安排"
GUARDIAN_PHONE = "13912340000"  # tests/case_fixtures.py
CANARY = "金丝雀-7Q3X-咨询原话"
DENIED = "xinan.access.denied"


@pytest.fixture
def auditor(world):
    return person(Role.AUDITOR, world.province_a)


@pytest.fixture
def security_admin(world):
    return person(Role.SECURITY_ADMIN, world.province_a)


def _request(client, user, kind, organisation, **extra):
    client.force_login(user)
    return client.post(
        reverse("exports:request_organisation", args=[organisation.pk, kind]), {"purpose": PURPOSE, **extra}
    )


def _download(client, user, export_request) -> bytes:
    client.force_login(user)
    response = client.post(reverse("exports:download", args=[export_request.pk]))
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def _approved_workbook(client, kind, organisation, requester, approver, **extra):
    assert _request(client, requester, kind, organisation, **extra).status_code == 302
    export_request = ExportRequest.objects.latest("pk")
    approve_export(export_request, by=approver)
    content = _download(client, requester, export_request)
    export_request.refresh_from_db()
    return export_request, openpyxl.load_workbook(io.BytesIO(content))


def _all_text(workbook) -> str:
    properties = workbook.properties
    parts = [properties.title, properties.subject, properties.description, properties.keywords, properties.creator]
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(value) for value in row if value is not None)
    return "\n".join(str(part) for part in parts if part)


def _rows(workbook) -> list[tuple]:
    return list(workbook.worksheets[0].iter_rows(min_row=3, values_only=True))


# --- the four eyes --------------------------------------------------------------------------------
def test_download_without_approval_is_refused(client, world, case):
    assert _request(client, world.coordinator_a, "student_list", world.school_a).status_code == 302
    export_request = ExportRequest.objects.get()
    response = client.post(reverse("exports:download", args=[export_request.pk]))
    assert response.status_code == 409
    export_request.refresh_from_db()
    assert export_request.used_at is None


def test_requester_cannot_approve_own_request(client, world, case):
    export_request = request_organisation_export(
        ExportKind.CASE_LIST, world.school_a, by=world.team_leader_a, purpose=PURPOSE
    )
    with pytest.raises(ExportError):
        approve_export(export_request, by=world.team_leader_a)
    client.force_login(world.team_leader_a)
    response = client.post(reverse("exports:decide", args=[export_request.pk]), {"action": "approve"})
    assert response.status_code == 400
    export_request.refresh_from_db()
    assert export_request.decision == ""


def test_approver_must_hold_the_permission_on_the_target(world, case):
    export_request = request_organisation_export(
        ExportKind.STUDENT_LIST, world.school_a, by=world.team_leader_a, purpose=PURPOSE
    )
    for outsider in (world.team_leader_b, world.counsellor_a, world.staff_a):
        with pytest.raises(ExportError):
            approve_export(export_request, by=outsider)


def test_request_is_told_to_the_other_authorised_people(
    world, auditor, security_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_organisation_export(ExportKind.STUDENT_LIST, world.school_a, by=world.coordinator_a, purpose=PURPOSE)
        request_organisation_export(
            ExportKind.AUDIT_EXTRACT,
            world.province_a,
            by=auditor,
            purpose=PURPOSE,
            since=timezone.localdate() - dt.timedelta(days=7),
            until=timezone.localdate(),
        )
    assert Notification.objects.filter(user=world.team_leader_a).count() == 1
    assert Notification.objects.filter(user=security_admin).count() == 1
    assert not Notification.objects.filter(user__in=[world.coordinator_a, auditor]).exists()


@pytest.mark.parametrize(
    ("who", "kind", "org"),
    [
        ("staff_a", "student_list", "school_a"),
        ("counsellor_a", "case_list", "school_a"),
        ("class_teacher_a", "student_list", "school_a"),
        ("team_leader_b", "case_list", "school_a"),
        ("provincial_admin_a", "student_list", "school_a"),
        ("team_leader_a", "audit_extract", "school_a"),
        ("coordinator_a", "dossier", "school_a"),
    ],
)
def test_request_page_refused_without_the_permission(client, world, who, kind, org):
    client.force_login(getattr(world, who))
    url = reverse("exports:request_organisation", args=[getattr(world, org).pk, kind])
    assert client.get(url).status_code == 404
    assert client.post(url, {"purpose": PURPOSE}).status_code == 404
    assert AuditEntry.objects.filter(action=DENIED).count() == 2
    assert not ExportRequest.objects.exists()


def test_request_options_on_my_exports_page(client, world, auditor):
    client.force_login(world.team_leader_a)
    page = client.get(reverse("exports:mine")).content.decode()
    assert reverse("exports:request_organisation", args=[world.school_a.pk, "student_list"]) in page
    assert reverse("exports:request_organisation", args=[world.school_a.pk, "case_list"]) in page
    client.force_login(auditor)
    page = client.get(reverse("exports:mine")).content.decode()
    assert reverse("exports:request_organisation", args=[world.province_a.pk, "audit_extract"]) in page
    assert "student_list" not in page


# --- watermark and redaction -------------------------------------------------------------------
def test_student_list_watermarked_in_properties_and_first_row(client, world, case):
    export_request, workbook = _approved_workbook(
        client, "student_list", world.school_a, world.coordinator_a, world.team_leader_a
    )
    name = world.coordinator_a.name
    properties = workbook.properties
    assert properties.creator == name
    assert properties.subject == PURPOSE
    assert name in properties.description
    assert PURPOSE in properties.description
    assert f"{timezone.localtime(export_request.used_at):%Y-%m-%d %H:%M}" in properties.description
    assert name in properties.keywords
    assert PURPOSE in properties.keywords
    assert "学生名册" in properties.title
    first = workbook.worksheets[0]["A1"].value
    assert name in first
    assert PURPOSE in first
    assert workbook.worksheets[1]["A1"].value == first
    assert export_request.rows == 1


def test_student_list_redacted_by_role(client, world, case):
    _, coordinator_copy = _approved_workbook(
        client, "student_list", world.school_a, world.coordinator_a, world.team_leader_a
    )
    assert GUARDIAN_PHONE in _all_text(coordinator_copy)
    _, leader_copy = _approved_workbook(
        client, "student_list", world.school_a, world.team_leader_a, world.coordinator_a
    )
    text = _all_text(leader_copy)
    assert GUARDIAN_PHONE not in text
    assert "139****0000" in text
    assert case.student.name in text


def test_case_list_is_structured_redacted_and_each_case_disclosed(client, world, case):
    export_request, workbook = _approved_workbook(
        client, "case_list", world.school_a, world.team_leader_a, world.coordinator_a
    )
    rows = _rows(workbook)
    assert len(rows) == 1
    assert rows[0][0] == case.reference
    text = _all_text(workbook)
    assert "收到告别短信" not in text  # the first report's free text stays in the case
    assert GUARDIAN_PHONE not in text
    assert "139****0000" in text
    disclosure = Disclosure.objects.get(case=case)
    assert disclosure.told_whom == world.team_leader_a.name
    assert disclosure.why == PURPOSE
    assert disclosure.by == world.coordinator_a
    download = AuditEntry.objects.get(action="xinan.export.download", object_id=str(export_request.pk))
    assert download.after == {"kind": "case_list", "rows": 1}


def test_audit_extract_period_redaction_and_watermark(client, world, auditor, security_admin):
    today = timezone.localdate()
    period = {"since": (today - dt.timedelta(days=3)).isoformat(), "until": today.isoformat()}
    _, auditor_copy = _approved_workbook(client, "audit_extract", world.province_a, auditor, security_admin, **period)
    text = _all_text(auditor_copy)
    assert "127.0.0.1" in text
    assert "xinan.export.request" in text
    assert auditor_copy.properties.creator == auditor.name
    _, security_copy = _approved_workbook(client, "audit_extract", world.province_a, security_admin, auditor, **period)
    text = _all_text(security_copy)
    assert "127.0.0.1" not in text
    assert "127.0.*.*" in text
    assert PURPOSE in security_copy.worksheets[0]["A1"].value


@pytest.mark.parametrize(
    ("since", "until"),
    [(3, 5), (400, 0), (0, -1), (None, 0)],
)
def test_audit_extract_period_is_checked(client, world, auditor, since, until):
    today = timezone.localdate()
    data = {"until": (today - dt.timedelta(days=until)).isoformat()}
    if since is not None:
        data["since"] = (today - dt.timedelta(days=since)).isoformat()
    response = _request(client, auditor, "audit_extract", world.province_a, **data)
    assert response.status_code == 400
    assert not ExportRequest.objects.exists()


def test_used_export_in_the_disclosure_register(client, world, case):
    export_request, _ = _approved_workbook(
        client, "student_list", world.school_a, world.coordinator_a, world.team_leader_a
    )
    client.force_login(world.team_leader_a)
    page = client.get(reverse("exports:disclosures")).content.decode()
    assert 'data-test="export-disclosure-row"' in page
    assert PURPOSE in page
    client.force_login(world.team_leader_b)
    assert PURPOSE not in client.get(reverse("exports:disclosures")).content.decode()
    assert _download_again_refused(client, world.coordinator_a, export_request)


def _download_again_refused(client, user, export_request) -> bool:
    client.force_login(user)
    return client.post(reverse("exports:download", args=[export_request.pk])).status_code == 409


# --- the clinical wall -------------------------------------------------------------------------
def test_counselling_notes_never_reach_an_export_a_non_counsellor_gets(client, world, case, auditor, security_admin):
    add_note(case, by=world.counsellor_a, text=f"学生说：{CANARY}")
    upload_document(case, slot="other", chunks=[make_pdf()], original_name="a.pdf", by=world.counsellor_a)
    texts = []
    for kind in ("student_list", "case_list"):
        _, workbook = _approved_workbook(client, kind, world.school_a, world.team_leader_a, world.coordinator_a)
        texts.append(_all_text(workbook))
    today = timezone.localdate().isoformat()
    for requester, approver in ((auditor, security_admin), (security_admin, auditor)):
        _, workbook = _approved_workbook(
            client, "audit_extract", world.province_a, requester, approver, since=today, until=today
        )
        texts.append(_all_text(workbook))
    dossier = request_dossier_export(case, by=world.team_leader_a, purpose=PURPOSE)
    approve_export(dossier, by=world.coordinator_a)
    with zipfile.ZipFile(io.BytesIO(_download(client, world.team_leader_a, dossier))) as archive:
        texts.append(archive.comment.decode())
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.endswith(".pdf"):
                texts.append(extract_text(io.BytesIO(data)))
            texts.append(data.decode("utf-8", "ignore"))
    assert texts
    for text in texts:
        assert CANARY not in text


def test_audit_extract_over_the_row_limit_is_refused_or_says_it_is_cut(
    client, world, auditor, security_admin, monkeypatch
):
    today = timezone.localdate().isoformat()
    record_some = _request(client, world.team_leader_a, "audit_extract", world.province_a)  # a refusal: one entry
    assert record_some.status_code == 404
    monkeypatch.setattr(requests, "AUDIT_EXTRACT_MAX_ROWS", 0)
    response = _request(client, auditor, "audit_extract", world.province_a, since=today, until=today)
    assert response.status_code == 400
    assert not ExportRequest.objects.exists()
    monkeypatch.setattr(requests, "AUDIT_EXTRACT_MAX_ROWS", 1000)
    monkeypatch.setattr(producers, "AUDIT_EXTRACT_MAX_ROWS", 1)
    export_request, workbook = _approved_workbook(
        client, "audit_extract", world.province_a, auditor, security_admin, since=today, until=today
    )
    assert export_request.rows == 1
    assert len(_rows(workbook)) == 1
    assert "本文件只含最早的1条" in _all_text(workbook)


def test_a_list_downloaded_at_night_raises_an_alert(client, world, case):
    night = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with time_machine.travel(night, tick=False):
        _approved_workbook(client, "case_list", world.school_a, world.team_leader_a, world.coordinator_a)
    with time_machine.travel(night + dt.timedelta(minutes=10), tick=False):
        raise_alerts()
    alert = Alert.objects.get(rule="night_export")
    assert alert.actor == world.team_leader_a
