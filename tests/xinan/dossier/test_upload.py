"""Uploading to the dossier: type and size checks, encryption at rest, signed scans."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from tests.xinan.cases.conftest import HIGH_DANGER, PLAN_SCREEN
from tests.xinan.dossier.conftest import CANARY, EXE, MP3, PNG, make_docm, make_pdf, make_zip_bomb
from xinan.audit.models import AuditEntry
from xinan.cases.enums import CaseState
from xinan.cases.services import records
from xinan.cases.services.assessment import record_assessment
from xinan.cases.services.workflow import transition_case
from xinan.dossier.models import Document
from xinan.web import middleware

NOTE = "家长下午送来的请假条，原件已归还"


def _upload(client, case, *, name, data, slot="leave_record", **extra):
    return client.post(
        reverse("dossier:upload", args=[case.pk]),
        {"slot": slot, "note": NOTE, "file": SimpleUploadedFile(name, data), **extra},
    )


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_upload_files_the_document_and_audits(client, case, world):
    client.force_login(world.counsellor_a)
    response = _upload(client, case, name="请假条.pdf", data=make_pdf())
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert (document.slot, document.content_type, document.extension) == ("leave_record", "application/pdf", "pdf")
    assert document.original_name == "请假条.pdf"
    assert document.note == NOTE
    assert document.uploaded_by == world.counsellor_a
    assert not document.generated
    assert len(document.sha256) == 64
    entry = AuditEntry.objects.get(action="xinan.dossier.upload")
    assert entry.object_id == str(case.pk)
    assert entry.after["document"] == document.pk


@pytest.mark.parametrize(
    ("name", "data", "slot", "message"),
    [
        ("录音.mp3", PNG, "call_recording", "不接受"),
        ("请假条.pdf", EXE, "leave_record", "可执行程序"),
        ("请假条.docm", make_docm(), "leave_record", "含宏"),
        ("请假条.docx", make_zip_bomb(), "leave_record", "压缩炸弹"),
        ("请假条.pdf", b"", "leave_record", "文件是空的"),
        ("请假条.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), "leave_record", "文件太大"),
    ],
    ids=["wrong-type", "exe-renamed-pdf", "docm", "zip-bomb", "empty", "too-big"],
)
def test_bad_upload_refused_nothing_stored_note_kept(client, case, world, name, data, slot, message):
    client.force_login(world.counsellor_a)
    files_before = _stored_files()
    response = _upload(client, case, name=name, data=data, slot=slot)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert NOTE in page  # what the person typed is still there
    assert f'value="{slot}" selected' in page
    assert not Document.objects.exists()
    assert _stored_files() == files_before
    assert not AuditEntry.objects.filter(action="xinan.dossier.upload").exists()


def test_upload_past_the_largest_limit_is_cut_off_while_reading(client, case, world, monkeypatch):
    monkeypatch.setattr(middleware, "upload_limit", lambda: 256 * 1024)
    client.force_login(world.counsellor_a)
    response = _upload(client, case, name="录音.mp3", data=MP3 * 1000, slot="talk_recording")
    assert response.status_code == 400
    assert "文件太大" in response.content.decode()
    assert NOTE in response.content.decode()
    assert not Document.objects.exists()


def test_upload_without_a_file_asks_for_one(client, case, world):
    client.force_login(world.counsellor_a)
    response = client.post(reverse("dossier:upload", args=[case.pk]), {"slot": "photo", "note": NOTE})
    assert response.status_code == 400
    assert "请选择要上传的文件" in response.content.decode()


def test_upload_is_encrypted_at_rest(client, case, world):
    client.force_login(world.counsellor_a)
    transcript = f"2026-01-05 21:03 同学：{CANARY} 你还好吗\n".encode()
    response = _upload(client, case, name=f"{CANARY}聊天记录.txt", data=transcript, slot="chat_messages")
    assert response.status_code == 302
    document = Document.objects.get()
    stored = _stored_files()
    assert stored
    for path in stored:
        content = path.read_bytes()
        assert CANARY.encode() not in content
        assert CANARY.encode("gb18030") not in content
        assert CANARY not in path.name
    assert CANARY not in document.storage_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT original_name, note FROM dossier_document WHERE id = %s", [document.pk])
        raw_name, raw_note = cursor.fetchone()
    assert raw_name.startswith("enc1:")
    assert raw_note.startswith("enc1:")
    assert document.original_name == f"{CANARY}聊天记录.txt"


def test_signed_scan_marks_plan_version_signed_and_guard_passes(client, case, world, plan, agreement):
    transition_case(case, CaseState.ASSESSING, by=world.counsellor_a)
    record_assessment(case, by=world.counsellor_a, ratings=HIGH_DANGER, screen=PLAN_SCREEN, level="red", in_crisis=True)
    transition_case(case, CaseState.INTERVENTION, by=world.counsellor_a)
    records.add_referral(case, by=world.counsellor_a, agency="某市精神卫生中心", department="心理科", reason="抑郁")
    transition_case(case, CaseState.REFERRED, by=world.counsellor_a)
    records.add_aftercare_plan(
        case, by=world.counsellor_a, plan="每周谈心", follow_up_every_days=7, until=dt.date.today() + dt.timedelta(60)
    )
    client.force_login(world.counsellor_a)

    response = _upload(
        client, case, name="安全计划书签字.pdf", data=make_pdf(), slot="safety_plan", safety_plan=plan.pk
    )
    assert response.status_code == 302
    response = _upload(
        client, case, name="协议书签字.jpg", data=PNG, slot="guardian_agreement", guardian_agreement=agreement.pk
    )
    assert response.status_code == 302

    plan.refresh_from_db()
    agreement.refresh_from_db()
    assert plan.signed_at is not None
    assert agreement.signed_at is not None
    assert Document.objects.get(safety_plan=plan).slot == "safety_plan"
    assert AuditEntry.objects.filter(action="xinan.case.safety_plan.sign").exists()
    transition_case(case, CaseState.AFTERCARE, by=world.counsellor_a)
    assert case.state == CaseState.AFTERCARE


def test_signed_scan_of_plan_must_be_filed_as_safety_plan(client, case, world, plan):
    client.force_login(world.counsellor_a)
    response = _upload(client, case, name="scan.pdf", data=make_pdf(), slot="other", safety_plan=plan.pk)
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.signed_at is None
    assert not Document.objects.exists()


def test_plan_of_another_case_is_not_offered(client, case, world, plan, student):
    from xinan.cases.services.reporting import file_first_report

    other = file_first_report(
        school=world.school_a, reporter=world.staff_a, student=student, categories=["other"], observed="另一事件"
    ).case
    other.assigned_counsellor = world.counsellor_a
    other.save(update_fields=["assigned_counsellor"])
    client.force_login(world.counsellor_a)
    response = _upload(client, other, name="scan.pdf", data=make_pdf(), slot="safety_plan", safety_plan=plan.pk)
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.signed_at is None


class _RefusingStorage:
    """A store that cannot be reached (S3 down): every write fails as botocore fails."""

    def save(self, name, content, max_length=None):
        from botocore.exceptions import EndpointConnectionError

        raise EndpointConnectionError(endpoint_url="http://object-store.invalid")


def test_upload_while_the_storage_refuses_says_so_keeps_the_note_stores_nothing(client, case, world, monkeypatch):
    # Arrange: the object store refuses every write
    from xinan.crypto import files

    monkeypatch.setattr(files, "default_storage", _RefusingStorage())
    client.force_login(world.counsellor_a)

    # Act
    response = _upload(client, case, name="请假条.pdf", data=make_pdf())

    # Assert: a clear message on the form (not the server-error page), what was typed kept, no row
    assert response.status_code == 400
    page = response.content.decode()
    assert "文件存储暂时不可用" in page
    assert NOTE in page
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action="xinan.dossier.upload").exists()
