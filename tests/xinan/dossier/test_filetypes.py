"""Telling a file's kind from its content, and refusing what is dressed up as something else."""

import pytest

from tests.document_fixtures import PDF_ATTACKS
from tests.xinan.dossier.conftest import (
    AMR,
    EXE,
    HEIC,
    JPEG,
    M4A,
    MP3,
    PNG,
    WAV,
    WEBP,
    make_docm,
    make_docx,
    make_pdf,
    make_zip,
    make_zip_bomb,
)
from xinan.dossier.enums import DocumentSlot, FileKind
from xinan.dossier.services.errors import DossierError
from xinan.dossier.services.filetypes import check_allowed, detect


@pytest.mark.parametrize(
    ("data", "kind", "extension"),
    [
        (make_pdf(), FileKind.PDF, "pdf"),
        (make_docx(), FileKind.DOCX, "docx"),
        (PNG, FileKind.IMAGE, "png"),
        (JPEG, FileKind.IMAGE, "jpg"),
        (WEBP, FileKind.IMAGE, "webp"),
        (HEIC, FileKind.IMAGE, "heic"),
        (MP3, FileKind.AUDIO, "mp3"),
        (M4A, FileKind.AUDIO, "m4a"),
        (AMR, FileKind.AUDIO, "amr"),
        (WAV, FileKind.AUDIO, "wav"),
        ("2026-01-05 妈妈：今天还好吗\n".encode(), FileKind.TEXT, "txt"),
        ("2026-01-05 妈妈：今天还好吗\n".encode("gb18030"), FileKind.TEXT, "txt"),
    ],
)
def test_detect_tells_kind_from_content(data, kind, extension):
    detected = detect(data)
    assert (detected.kind, detected.extension) == (kind, extension)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (EXE, "可执行程序"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "可执行程序"),
        (b"#!/bin/sh\nrm -rf /\n", "可执行程序"),
        (make_docm(), "含宏"),
        (make_zip_bomb(), "压缩炸弹"),
        (make_zip({"a.txt": b"hello"}), "压缩包"),
        (PDF_ATTACKS["escaped-name"][0], "脚本"),
        (b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n", "损坏"),
        (bytes(range(256)) * 8, "无法识别"),
    ],
)
def test_detect_refuses_with_chinese_reason(data, message):
    with pytest.raises(DossierError, match=message):
        detect(data)


def test_recording_slot_refuses_a_picture():
    with pytest.raises(DossierError, match="“电话录音”不接受"):
        check_allowed(DocumentSlot.CALL_RECORDING, detect(PNG))


def test_chat_slot_takes_text_and_screenshots():
    check_allowed(DocumentSlot.CHAT_MESSAGES, detect("聊天记录".encode()))
    check_allowed(DocumentSlot.CHAT_MESSAGES, detect(PNG))
