"""Reports of school A's counsellor, closed cases to draft from, and document builders."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from xinan.cases.enums import CaseState, ObservationCategory, Outcome
from xinan.cases.models import AftercarePlan, Assessment, GuardianContact, Referral
from xinan.cases.services.reporting import file_first_report
from xinan.demo.services.people import make_name
from xinan.reports.models import CaseReport
from xinan.students.models import Guardian, Student

SAMPLE = Path(__file__).resolve().parents[2] / "xinan_reportformat" / "data" / "official_sample.txt"
GUARDIAN_PHONE = "13955550123"

CLEAN_TEXTS = {
    "title": "多方协同 化险为夷",
    "subtitle": "——一例由学业压力引发的自伤危机的干预报告",
    "basic_info": "小林（化名），女，19岁，就读于某大学某专业。性格内向。",
    "occurrence": "一天晚上，室友发现小林情绪低落，立即告知了辅导员。",
    "process": "辅导员当晚与小林谈话，评估风险，联系家长，并陪同小林到心理健康教育中心咨询。",
    "result": "经过一段时间的咨询和家长的陪伴，小林情绪平稳，危机解除。",
    "experience": "及早发现、多方协同是危机干预成功的关键。",
}


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def names():
    """Generated real-looking names, never real people."""
    rng = random.Random(20260501)
    return [make_name(rng) for _ in range(6)]


def make_report(author, school, **texts) -> CaseReport:
    return CaseReport.objects.create(author=author, school=school, **{**CLEAN_TEXTS, **texts})


@pytest.fixture
def report(world):
    """A clean draft of counsellor A (school A)."""
    return make_report(world.counsellor_a, world.school_a)


@pytest.fixture
def real_student(world):
    student = Student.objects.create(
        school=world.school_a, name="欧阳明轩", student_number="20240917", sex="male", birth_date=dt.date(2005, 3, 1)
    )
    Guardian.objects.create(student=student, relation="mother", name="林秀英", phone=GUARDIAN_PHONE, is_primary=True)
    return student


def _case_with_records(world, student, *, closed: bool):
    first = file_first_report(
        school=world.school_a,
        reporter=world.staff_a,
        student=student,
        categories=[ObservationCategory.SUICIDE_NOTE],
        observed="欧阳明轩在宿舍给同学发了告别短信，同学马上告诉了辅导员。",
        measures="安排室友陪伴明轩，联系了他的母亲林秀英。",
    )
    case = first.case
    case.assigned_counsellor = world.counsellor_a
    Assessment.objects.create(
        case=case,
        by=world.counsellor_a,
        ratings={},
        screen={},
        suggested_level="red",
        level="red",
        in_crisis=True,
        notes="明轩承认有轻生念头，情绪低落。",
    )
    GuardianContact.objects.create(
        case=case,
        by=world.counsellor_a,
        channel="phone",
        response="agreed",
        said=f"电话联系母亲林秀英（{GUARDIAN_PHONE[:3]}-{GUARDIAN_PHONE[3:7]}-{GUARDIAN_PHONE[7:]}），说明情况，她同意来校。",
    )
    Referral.objects.create(
        case=case,
        by=world.counsellor_a,
        agency="北京大学第六医院",
        reason="需要精神科评估。",
        diagnosis="抑郁发作。",
        advice="药物治疗，定期复诊。",
        diagnosis_received_at=timezone.now(),
    )
    AftercarePlan.objects.create(
        case=case, plan="每周回访一次，关注服药情况。", until=dt.date(2026, 12, 31), created_by=world.counsellor_a
    )
    if closed:
        case.state, case.outcome, case.closed_at = CaseState.CLOSED, Outcome.RESOLVED, timezone.now()
    else:
        case.state = CaseState.AFTERCARE
    case.save()
    return case


@pytest.fixture
def closed_case(world, real_student):
    return _case_with_records(world, real_student, closed=True)


@pytest.fixture
def open_case(world, real_student):
    return _case_with_records(world, real_student, closed=False)


# --- Documents, good and bad -------------------------------------------------------------------
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def zip_bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/image1.bin", b"\0" * size)
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.rect(100, 100, 300, 400, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


def bad_documents() -> dict[str, tuple[str, bytes, str]]:
    """name → (file name, bytes, a phrase of the library's Chinese message)."""
    return {
        "empty": ("report.docx", b"", "文件是空的"),
        "doc-renamed": ("report.docx", OLE2_MAGIC + b"\0" * 2048, "旧版 Word 格式"),
        "encrypted": (
            "report.docx",
            OLE2_MAGIC + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512,
            "设置了打开密码",
        ),
        "corrupt": ("report.docx", b"PK\x03\x04" + b"\x14\x00garbage" * 50, "损坏"),
        "zip-bomb": ("report.docx", zip_bomb(40 * 1024 * 1024), "压缩比例异常"),
        "image-only-pdf": ("report.pdf", image_only_pdf(), "没有可提取的文字"),
    }
