"""Consents: who must give them on the day, proof checked by content, withdrawal, basis change."""

import datetime as dt

import pytest

from tests.document_fixtures import handmade_pdf, page_objects
from xinan.audit.labels import label_for
from xinan.audit.models import AuditEntry
from xinan.cases.enums import LawfulBasis
from xinan.crypto.files import read_encrypted
from xinan.privacy.enums import ConsentForm, ConsentGiver, ConsentPurpose, PrivacyAction
from xinan.privacy.models import Consent
from xinan.privacy.services.consent import (
    change_lawful_basis,
    consent_required_from,
    coverage,
    record_consent,
    withdraw_consent,
)
from xinan.privacy.services.errors import PrivacyError

DAY = dt.date(2026, 5, 20)
PDF = handmade_pdf(page_objects())
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


def _born(student, birth_date):
    student.birth_date = birth_date
    student.save(update_fields=["birth_date"])
    return student


def _record(case, world, **overrides):
    values = {
        "case": case,
        "purpose": ConsentPurpose.RECORD_KEEPING,
        "given_by": ConsentGiver.STUDENT,
        "giver_name": "测试学生甲",
        "given_on": DAY,
        "form": ConsentForm.WRITTEN,
        "actor": world.counsellor_a,
    }
    values.update(overrides)
    return record_consent(**values)


@pytest.mark.django_db
def test_thirteen_years_364_days_needs_the_guardian_fourteen_years_the_student(student):
    _born(student, dt.date(2012, 5, 21))  # 14th birthday is the day after DAY
    assert student.age_on(DAY) == 13
    assert consent_required_from(student, DAY) == "guardian"
    _born(student, dt.date(2012, 5, 20))  # 14th birthday is DAY itself
    assert student.age_on(DAY) == 14
    assert consent_required_from(student, DAY) == "student"


@pytest.mark.django_db
def test_unknown_birth_date_asks_the_guardian(student):
    _born(student, None)
    assert consent_required_from(student, DAY) == ConsentGiver.GUARDIAN


def test_consent_from_the_student_under_14_is_refused(world, case):
    _born(case.student, dt.date(2012, 5, 21))
    with pytest.raises(PrivacyError, match="监护人"):
        _record(case, world)
    consent = _record(case, world, given_by=ConsentGiver.GUARDIAN, giver_name="测试家长甲", giver_relation="mother")
    assert consent.given_by == ConsentGiver.GUARDIAN
    assert not Consent.objects.filter(given_by=ConsentGiver.STUDENT).exists()


def test_consent_from_the_guardian_of_a_14_year_old_is_refused(world, case):
    _born(case.student, dt.date(2012, 5, 20))
    with pytest.raises(PrivacyError, match="学生本人"):
        _record(case, world, given_by=ConsentGiver.GUARDIAN, giver_name="测试家长甲", giver_relation="mother")
    assert _record(case, world).given_by == ConsentGiver.STUDENT


def test_guardian_consent_needs_the_relation(world, case):
    _born(case.student, dt.date(2013, 1, 1))
    with pytest.raises(PrivacyError, match="关系"):
        _record(case, world, given_by=ConsentGiver.GUARDIAN, giver_name="测试家长甲")


def test_proof_is_checked_by_content_and_stored_encrypted(world, case):
    with pytest.raises(PrivacyError, match="可执行程序"):
        _record(case, world, proof=EXE)
    assert not Consent.objects.exists()
    docx_like = b"just some text pretending to be a scan"
    with pytest.raises(PrivacyError, match="PDF 或图片"):
        _record(case, world, proof=docx_like)
    consent = _record(case, world, proof=PDF)
    assert consent.proof_content_type == "application/pdf"
    assert read_encrypted(consent.proof_storage_name, sha256=consent.proof_sha256) == PDF
    image = _record(case, world, purpose=ConsentPurpose.CASE_REPORT, proof=PNG)
    assert image.proof_content_type == "image/png"


def test_giver_name_is_not_stored_in_plaintext_nor_audited(world, case):
    from django.db import connection

    _record(case, world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT giver_name FROM privacy_consent")
        (stored,) = cursor.fetchone()
    assert "测试学生甲" not in stored
    entry = AuditEntry.objects.get(action=PrivacyAction.CONSENT_RECORDED)
    assert "测试学生甲" not in f"{entry.reason}{entry.before}{entry.after}"


def test_withdrawal_is_recorded_and_uncovers_the_purpose(world, case):
    case.lawful_basis = LawfulBasis.CONSENT
    case.save(update_fields=["lawful_basis"])
    consent = _record(case, world)
    covered = {row.purpose: row.covered for row in coverage(case)}
    assert covered == {
        ConsentPurpose.RECORD_KEEPING: True,
        ConsentPurpose.HOSPITAL_REFERRAL: False,
        ConsentPurpose.CASE_REPORT: False,
    }
    with pytest.raises(PrivacyError):
        withdraw_consent(consent, note="  ", actor=world.counsellor_a)
    withdraw_consent(consent, note="学生本人当面口头撤回，已记录", actor=world.counsellor_a)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawal_note == "学生本人当面口头撤回，已记录"
    assert consent.withdrawal_recorded_by == world.counsellor_a
    assert not any(row.covered for row in coverage(case))
    entry = AuditEntry.objects.get(action=PrivacyAction.CONSENT_WITHDRAWN)
    assert entry.object_id == str(case.pk)
    assert "撤回" not in f"{entry.reason}{entry.after}"
    with pytest.raises(PrivacyError, match="已经撤回"):
        withdraw_consent(consent, note="再次撤回", actor=world.counsellor_a)


def test_basis_change_needs_a_reason_and_is_audited(world, case):
    assert case.lawful_basis == LawfulBasis.STATUTORY_DUTY
    with pytest.raises(PrivacyError, match="理由"):
        change_lawful_basis(case, basis=LawfulBasis.CONSENT, reason=" ", actor=world.team_leader_a)
    with pytest.raises(PrivacyError, match="没有变化"):
        change_lawful_basis(case, basis=LawfulBasis.STATUTORY_DUTY, reason="核对", actor=world.team_leader_a)
    change_lawful_basis(
        case, basis=LawfulBasis.CONSENT, reason="危机已解除，后续跟踪以同意为依据", actor=world.team_leader_a
    )
    case.refresh_from_db()
    assert case.lawful_basis == LawfulBasis.CONSENT
    entry = AuditEntry.objects.get(action=PrivacyAction.BASIS_CHANGED)
    assert entry.actor == world.team_leader_a
    assert entry.object_id == str(case.pk)
    assert entry.before == {"lawful_basis": "statutory_duty"}
    assert entry.after == {"lawful_basis": "consent"}
    assert entry.reason == "危机已解除，后续跟踪以同意为依据"


def test_privacy_actions_have_chinese_labels():
    for action in PrivacyAction:
        assert action.value.startswith("xinan.privacy.")
        assert label_for(action.value) == str(action.label)
