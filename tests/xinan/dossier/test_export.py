"""The dossier exported as one streamed ZIP with an index PDF."""

import io
import zipfile

from django.contrib.auth import get_user_model
from django.http import StreamingHttpResponse
from django.urls import reverse
from pdfminer.high_level import extract_text

from tests.xinan.dossier.conftest import MP3, PNG, make_docx, make_pdf
from xinan.audit.models import AuditEntry
from xinan.dossier.enums import LetterKind
from xinan.dossier.services.documents import upload_document
from xinan.dossier.services.generate import generate_letter
from xinan.exports.services.queries import approvers_for
from xinan.exports.services.requests import approve_export, request_dossier_export

INDEX = "00-目录.pdf"
RECORD = "00-危机干预记录表（导出时生成）.pdf"
TIMELINE = "00-处理经过（导出时生成）.pdf"


def _fill(case, world, plan):
    files = [
        ("leave_record", "请假条.pdf", make_pdf("请假")),
        ("call_recording", "电话录音.mp3", MP3),
        ("photo", "现场照片.png", PNG),
        ("chat_messages", "微信聊天.txt", "同学：你还好吗\n".encode()),
        ("status_papers", "休学申请.docx", make_docx("休学")),
    ]
    originals = {}
    for slot, name, data in files:
        document = upload_document(case, slot=slot, chunks=[data], original_name=name, by=world.counsellor_a)
        originals[document.pk] = data
    word, pdf = generate_letter(case, LetterKind.SAFETY_PLAN_STUDENT, by=world.counsellor_a, source_id=plan.pk)
    return originals, (word, pdf)


def _export(client, case):
    """Export through the approval flow: the signed-in overseer asks, the other one approves."""
    requester = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    export_request = request_dossier_export(case, by=requester, purpose="上级部门调阅个案材料")
    approve_export(export_request, by=approvers_for(export_request)[0])
    response = client.post(reverse("exports:download", args=[export_request.pk]))
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content)


def test_export_streams_every_file_in_slot_folders_with_index(client, case, world, plan):
    originals, _generated = _fill(case, world, plan)
    client.force_login(world.coordinator_a)
    response, body = _export(client, case)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]

    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names[-1] == INDEX
    assert "01-请假情况记录/001-请假条.pdf" in names
    assert f"04-安全计划书（学生）/002-安全计划书（学生留存）-{case.reference}-第1版.docx" in names
    assert "07-电话录音/004-电话录音.mp3" in names
    assert "10-微信、QQ文字资料/005-微信聊天.txt" in names
    assert "11-照片和图片/006-现场照片.png" in names
    assert "12-休学、退学、转学、复学材料/007-休学申请.docx" in names
    assert len(names) == 10  # seven files, the record form and the timeline made at export, the index
    contents = {name: archive.read(name) for name in names}
    for data in originals.values():
        assert data in contents.values()

    index = extract_text(io.BytesIO(contents[INDEX])).replace("\n", "")
    assert "一人一案档案目录" in index
    assert "甲省第一测试大学" in index
    assert "请假情况记录" in index
    assert "电话录音" in index
    assert "现场照片.png" in index
    entry = AuditEntry.objects.get(action="xinan.dossier.export")
    assert entry.actor == world.coordinator_a
    assert entry.after["documents"] == 7


def test_export_of_empty_dossier_has_only_the_index(client, case, world):
    client.force_login(world.team_leader_a)
    _response, body = _export(client, case)
    assert zipfile.ZipFile(io.BytesIO(body)).namelist() == [RECORD, TIMELINE, INDEX]


def test_export_leaves_out_an_altered_file_and_says_so(client, case, world, plan):
    from django.core.files.storage import default_storage

    from xinan.crypto.keys import fernet

    document = upload_document(case, slot="photo", chunks=[PNG], original_name="照片.png", by=world.counsellor_a)
    with default_storage.open(document.storage_name, "wb") as handle:
        handle.write(fernet().encrypt(b"\x89PNG changed"))
    client.force_login(world.team_leader_a)
    _response, body = _export(client, case)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.namelist() == [RECORD, TIMELINE, INDEX]
    assert "校验失败" in extract_text(io.BytesIO(archive.read(INDEX)))


def test_export_writes_the_record_form_and_timeline_as_the_case_stands_then(client, case, world):
    # Arrange
    from django.utils import timezone

    from xinan.cases.models import Case

    generate_letter(case, LetterKind.INTERVENTION_RECORD, by=world.counsellor_a)  # an early, stale copy
    Case.objects.filter(pk=case.pk).update(state="closed", outcome="resolved", closed_at=timezone.now())
    client.force_login(world.team_leader_a)

    # Act
    _response, body = _export(client, case)

    # Assert
    archive = zipfile.ZipFile(io.BytesIO(body))
    record = extract_text(io.BytesIO(archive.read(RECORD))).replace("\n", "")
    timeline = extract_text(io.BytesIO(archive.read(TIMELINE))).replace("\n", "")
    assert "已结案" in record
    assert "危机解除" in record
    assert "首见报告" in record
    assert "状态：已报告" in timeline
    for text in (record, timeline):
        assert world.team_leader_a.name in text  # watermarked: who exported it
