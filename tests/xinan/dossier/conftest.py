"""Sample files of every kind a dossier holds, made here (no real records), and a safety plan."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from xinan.cases.services import records, safety

CANARY = "心安测试金丝雀-7f3a9c"
PLAN_TEXT = "连续失眠一周并反复说想消失"


def make_pdf(text: str = CANARY) -> bytes:
    from reportlab.platypus import Paragraph

    from xinan_reportformat.pdf import PdfBuilder, cjk_styles

    return PdfBuilder(title="sample").build([Paragraph(text, cjk_styles()["body"])])


def make_docx(text: str = CANARY) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(200))
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 4
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(64)
AMR = b"#!AMR\n" + bytes(range(100))
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64)
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(64)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200) + b"This program cannot be run in DOS mode"


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_docm() -> bytes:
    content_types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/word/document.xml" '
        b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
    )
    return make_zip(
        {"[Content_Types].xml": content_types, "word/document.xml": b"<w:document/>", "word/vbaProject.bin": b"x" * 64}
    )


def make_zip_bomb() -> bytes:
    content_types = b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'  # noqa: E501 - one XML line
    return make_zip(
        {
            "[Content_Types].xml": content_types,
            "word/document.xml": b"<w:document/>",
            "word/media/filler.bin": b"\x00" * (20 * 1024 * 1024),
        }
    )


@pytest.fixture
def plan(case, world):
    return safety.save_safety_plan(
        case,
        by=world.counsellor_a,
        review_on=dt.date.today() + dt.timedelta(days=7),
        warning_signs=PLAN_TEXT,
        coping="听音乐、跑步",
        distractions="操场、图书馆",
        helpers="室友、表姐",
        professionals="学校值班心理老师\n全国心理援助热线 12356",
        environment="药品由家长保管",
        reasons_for_living="想看妹妹长大",
    )


@pytest.fixture
def agreement(case, world):
    return safety.create_guardian_agreement(case, by=world.counsellor_a, guardian=case.student.guardians.first())


@pytest.fixture
def referral(case, world):
    return records.add_referral(
        case, by=world.counsellor_a, agency="某市精神卫生中心", department="儿童青少年心理科", reason="持续情绪低落"
    )
