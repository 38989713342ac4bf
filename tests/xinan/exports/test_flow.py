"""Bulk export of a dossier: requested with a purpose, approved by a second overseer,
downloaded once within the validity window, watermarked and recorded as a disclosure."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from pdfminer.high_level import extract_text

from tests.xinan.dossier.conftest import make_pdf
from xinan.audit.labels import label_for
from xinan.audit.models import AuditEntry
from xinan.cases.models import Disclosure
from xinan.dossier.services.documents import upload_document
from xinan.exports.enums import Decision, Status
from xinan.exports.models import ExportRequest
from xinan.exports.services.errors import ExportError
from xinan.exports.services.requests import approve_export, request_dossier_export
from xinan.notifications.models import Notification

PURPOSE = "区教育局专项督导调阅"
INDEX = "00-目录.pdf"


@pytest.fixture
def asked(client, world, case, django_capture_on_commit_callbacks):
    upload_document(case, slot="other", chunks=[make_pdf()], original_name="a.pdf", by=world.counsellor_a)
    client.force_login(world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:request_dossier", args=[case.pk]), {"purpose": PURPOSE})
    assert response.status_code == 302
    return ExportRequest.objects.get()


def _decide(client, user, export_request, action, reason=""):
    client.force_login(user)
    return client.post(reverse("exports:decide", args=[export_request.pk]), {"action": action, "reason": reason})


def _download(client, user, export_request):
    client.force_login(user)
    return client.post(reverse("exports:download", args=[export_request.pk]))


def test_dossier_export_url_hands_out_no_archive(client, world, case):
    client.force_login(world.team_leader_a)
    response = client.post(reverse("dossier:export", args=[case.pk]))
    assert not isinstance(response, StreamingHttpResponse)
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:request_dossier", args=[case.pk])
    assert not AuditEntry.objects.filter(action="xinan.dossier.export").exists()


def test_request_needs_a_purpose(client, world, case):
    client.force_login(world.coordinator_a)
    response = client.post(reverse("exports:request_dossier", args=[case.pk]), {"purpose": "看看"})
    assert response.status_code == 400
    assert "用途" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_request_is_audited_and_the_other_overseer_is_told(asked, world):
    assert asked.status() == Status.PENDING
    assert asked.requested_by == world.coordinator_a
    assert AuditEntry.objects.filter(action="xinan.export.request", actor=world.coordinator_a).count() == 1
    assert Notification.objects.filter(user=world.team_leader_a).count() == 1
    assert not Notification.objects.filter(user=world.coordinator_a).exists()
    assert label_for("xinan.export.request") == "申请数据导出"


def test_download_before_approval_is_refused(client, world, asked):
    response = _download(client, world.coordinator_a, asked)
    assert response.status_code == 409
    assert "尚未审批" in response.content.decode()
    assert not AuditEntry.objects.filter(action="xinan.export.download").exists()


def test_requester_cannot_approve_own_request(client, world, asked):
    response = _decide(client, world.coordinator_a, asked, "approve")
    assert response.status_code == 400
    assert "不能审批自己的申请" in response.content.decode()
    asked.refresh_from_db()
    assert asked.decision == ""
    with pytest.raises(ExportError):
        approve_export(asked, by=world.coordinator_a)


def test_pending_list_shows_the_request_to_the_other_overseer_only(client, world, asked):
    client.force_login(world.team_leader_a)
    assert PURPOSE in client.get(reverse("exports:pending")).content.decode()
    client.force_login(world.coordinator_a)
    assert PURPOSE not in client.get(reverse("exports:pending")).content.decode()
    assert PURPOSE in client.get(reverse("exports:mine")).content.decode()


def test_approved_download_once_with_watermark_and_disclosure(
    client, world, case, asked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, world.team_leader_a, asked, "approve", "同意")
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.decision == Decision.APPROVED
    assert asked.decided_by == world.team_leader_a
    assert asked.valid_until - asked.decided_at == dt.timedelta(hours=24)
    assert Notification.objects.filter(user=world.coordinator_a).count() == 1

    disclosure = Disclosure.objects.get(case=case)
    assert asked.disclosure == disclosure
    assert disclosure.told_whom == world.coordinator_a.name
    assert disclosure.what == "一人一案档案导出"
    assert disclosure.why == PURPOSE

    client.force_login(world.coordinator_a)
    assert reverse("exports:download", args=[asked.pk]) in client.get(reverse("exports:mine")).content.decode()

    response = _download(client, world.coordinator_a, asked)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    assert len(archive.namelist()) == 4  # the file, the record form and timeline made at export, the index
    comment = archive.comment.decode()
    assert comment.startswith(f"导出人 {world.coordinator_a.name} · ")
    assert PURPOSE in comment
    index = extract_text(io.BytesIO(archive.read(INDEX))).replace("\n", "").replace(" ", "")
    assert world.coordinator_a.name.replace(" ", "") in index
    assert PURPOSE in index
    assert "导出人" in index
    assert AuditEntry.objects.filter(action="xinan.export.download", actor=world.coordinator_a).count() == 1
    assert AuditEntry.objects.filter(action="xinan.export.approve", actor=world.team_leader_a).count() == 1

    again = _download(client, world.coordinator_a, asked)
    assert again.status_code == 409
    assert "不能重复下载" in again.content.decode()
    assert AuditEntry.objects.filter(action="xinan.export.download").count() == 1


def test_approver_cannot_download(client, world, asked):
    approve_export(asked, by=world.team_leader_a)
    response = _download(client, world.team_leader_a, asked)
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="xinan.access.denied", actor=world.team_leader_a).exists()


def test_download_only_within_validity(client, world, asked):
    approve_export(asked, by=world.team_leader_a)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        response = _download(client, world.coordinator_a, asked)
        assert response.status_code == 409
        assert "有效期" in response.content.decode()
    asked.refresh_from_db()
    assert asked.used_at is None
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23)):
        assert _download(client, world.coordinator_a, asked).status_code == 200


def test_refusal_needs_a_reason_and_blocks_download(client, world, asked):
    response = _decide(client, world.team_leader_a, asked, "refuse")
    assert response.status_code == 400  # back on the list with the message beside the request
    assert "拒绝时请写明理由" in response.content.decode()
    response = _decide(client, world.team_leader_a, asked, "refuse", "用途不明确")
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status() == Status.REFUSED
    assert asked.decision_reason == "用途不明确"
    assert AuditEntry.objects.filter(action="xinan.export.refuse").count() == 1
    assert not Disclosure.objects.exists()
    assert _download(client, world.coordinator_a, asked).status_code == 409
    # A decided request cannot be decided again.
    with pytest.raises(ExportError):
        approve_export(asked, by=world.team_leader_a)


def test_service_refuses_a_requester_without_the_permission(world, case):
    with pytest.raises(ExportError):
        request_dossier_export(case, by=world.counsellor_a, purpose=PURPOSE)
