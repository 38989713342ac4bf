"""A populated platform with canary secrets, made through the real services, and key switching."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings
from django.utils import timezone

from xinan.cases.enums import ObservationCategory
from xinan.cases.services import counselling, records, safety
from xinan.cases.services.reporting import file_first_report
from xinan.crypto.keys import reset_cache
from xinan.dossier.services.documents import upload_document
from xinan.students.models import Guardian, Student
from xinan.students.services.register import save_student

# Made-up values that must never appear in the database or the storage folder as plaintext.
CANARY_NAME = "雀鸣测试生甲"
CANARY_NUMBER = "QX20249173"
CANARY_BIRTH = dt.date(2007, 4, 23)
CANARY_GUARDIAN = "雀鸣测试家长"
CANARY_PHONE = "13987650321"
CANARY_OBSERVED = "金丝雀观察记录：在天台边徘徊许久"
CANARY_NOTE = "金丝雀咨询记录：反复提到想要消失"
CANARY_FOLLOW_UP = "金丝雀回访记录：情绪平稳"
CANARY_PLAN = "金丝雀安全计划：听音乐"
CANARY_FILE = "金丝雀文件内容-CANARYFILE-5c1d"
CANARY_FILE_NAME = "金丝雀文件名"
CANARY_UNREGISTERED_GUARDIAN = "雀鸣未登记家长"
CANARY_TOLD_WHOM = "雀鸣告知对象"
CANARY_ATTENDEES = "雀鸣其他参会人员"
CANARIES = [
    CANARY_NAME,
    CANARY_NUMBER,
    CANARY_BIRTH.isoformat(),
    CANARY_GUARDIAN,
    CANARY_PHONE,
    CANARY_OBSERVED,
    CANARY_NOTE,
    CANARY_FOLLOW_UP,
    CANARY_PLAN,
    CANARY_FILE,
    CANARY_FILE_NAME,
    CANARY_UNREGISTERED_GUARDIAN,
    CANARY_TOLD_WHOM,
    CANARY_ATTENDEES,
]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))


@dataclass
class Populated:
    student: Student
    case: object
    document: object
    file_bytes: bytes


def populate(world) -> Populated:
    """A student with a guardian, a reported case with notes, a safety plan and an uploaded file."""
    student = Student(
        school=world.school_a,
        name=CANARY_NAME,
        student_number=CANARY_NUMBER,
        sex="female",
        birth_date=CANARY_BIRTH,
    )
    guardian = Guardian(relation="mother", name=CANARY_GUARDIAN, phone=CANARY_PHONE, is_primary=True)
    save_student(student, guardians=[guardian], removed=[], by=world.coordinator_a)
    case = file_first_report(
        school=world.school_a,
        reporter=world.staff_a,
        student=student,
        categories=[ObservationCategory.SUICIDE_NOTE],
        location="教学楼",
        observed=CANARY_OBSERVED,
        measures="已陪伴",
    ).case
    records.assign_counsellor(case, world.counsellor_a, by=world.team_leader_a)
    counselling.add_note(case, by=world.counsellor_a, text=CANARY_NOTE)
    records.add_follow_up(case, by=world.counsellor_a, at=timezone.now(), channel="in_person", note=CANARY_FOLLOW_UP)
    records.add_guardian_contact(
        case,
        by=world.counsellor_a,
        at=timezone.now(),
        channel="phone",
        said="已沟通",
        response="informed",
        guardian_text=CANARY_UNREGISTERED_GUARDIAN,
    )
    records.add_disclosure(case, by=world.counsellor_a, told_whom=CANARY_TOLD_WHOM, what="告知内容", why="理由")
    records.add_consultation(
        case,
        by=world.team_leader_a,
        held_at=timezone.now(),
        attendees=[world.counsellor_a],
        other_attendees=CANARY_ATTENDEES,
        decisions="会商决定",
    )
    safety.save_safety_plan(
        case,
        by=world.counsellor_a,
        review_on=dt.date.today() + dt.timedelta(days=7),
        warning_signs=CANARY_PLAN,
        coping="跑步",
        distractions="操场",
        helpers="室友",
        professionals="学校值班心理老师",
        environment="药品由家长保管",
    )
    file_bytes = PNG + CANARY_FILE.encode("utf-8")
    document = upload_document(
        case,
        slot="other",
        chunks=[file_bytes],
        original_name=f"{CANARY_FILE_NAME}.png",
        by=world.counsellor_a,
    )
    return Populated(student=student, case=case, document=document, file_bytes=file_bytes)


@pytest.fixture(autouse=True)
def own_storage(tmp_path, settings):
    """A storage folder of this test's own: the files of earlier tests are under other keys."""
    storages = {**settings.STORAGES}
    storages["default"] = {
        **storages["default"],
        "OPTIONS": {**storages["default"].get("OPTIONS", {}), "location": str(tmp_path / "files")},
    }
    settings.STORAGES = storages
    settings.MEDIA_ROOT = str(tmp_path / "files")
    return tmp_path / "files"


@pytest.fixture
def use_keys():
    """``use_keys(k1, k2)`` configures XINAN_ENCRYPTION_KEYS for the rest of the test."""
    overrides = []

    def switch(*keys: str) -> None:
        override = override_settings(ENCRYPTION_KEYS=list(keys))
        override.enable()
        overrides.append(override)
        reset_cache()

    yield switch
    for override in reversed(overrides):
        override.disable()
    reset_cache()


@pytest.fixture
def new_key() -> str:
    return Fernet.generate_key().decode()
