"""Consent pages follow the case's need-to-know rule; policy pages are read by all, edited by few."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.document_fixtures import handmade_pdf, page_objects
from tests.factories import person
from xinan.audit.models import AuditEntry
from xinan.cases.enums import LawfulBasis
from xinan.organisations.enums import Role
from xinan.privacy.enums import ConsentGiver, ConsentPurpose, PolicySlug, PrivacyAction
from xinan.privacy.models import Consent, PolicyPage

DENIED = "xinan.access.denied"
PROOF_PDF = handmade_pdf(page_objects())


def _denials() -> int:
    return AuditEntry.objects.filter(action=DENIED).count()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("counsellor_a", 200),
        ("counsellor_a2", 404),
        ("staff_a", 404),
        ("counsellor_b", 404),
        ("team_leader_b", 404),
        ("provincial_admin_a", 404),
    ],
)
def test_case_consents_role_matrix(client, world, case, who, status):
    client.force_login(getattr(world, who))
    before = _denials()
    response = client.get(reverse("privacy:case_consents", args=[case.pk]))
    assert response.status_code == status
    if status == 200:
        assert case.get_lawful_basis_display() in response.content.decode()
    else:
        assert _denials() == before + 1


def test_non_members_cannot_record_consent_or_change_basis(client, world, case):
    client.force_login(world.staff_a)
    before = _denials()
    add = client.post(
        reverse("privacy:consent_add", args=[case.pk]),
        {
            "purpose": "record_keeping",
            "given_by": "student",
            "giver_name": "某人",
            "given_on": "2026-01-05",
            "form": "written",
        },
    )
    basis = client.post(reverse("privacy:basis_change", args=[case.pk]), {"basis": "consent", "reason": "试图变更"})
    assert (add.status_code, basis.status_code) == (404, 404)
    assert _denials() == before + 2
    assert not Consent.objects.exists()
    case.refresh_from_db()
    assert case.lawful_basis == LawfulBasis.STATUTORY_DUTY


def test_counsellor_records_consent_with_proof_and_sees_coverage(client, world, case):
    case.lawful_basis = LawfulBasis.CONSENT
    case.save(update_fields=["lawful_basis"])  # the fixture student was born in 2005: an adult
    client.force_login(world.counsellor_a)
    proof = SimpleUploadedFile("同意书.pdf", PROOF_PDF, content_type="application/pdf")
    response = client.post(
        reverse("privacy:consent_add", args=[case.pk]),
        {
            "purpose": "hospital_referral",
            "given_by": "student",
            "giver_name": "测试学生甲",
            "given_on": "2026-01-05",
            "form": "written",
            "proof": proof,
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.purpose == ConsentPurpose.HOSPITAL_REFERRAL
    page = client.get(reverse("privacy:case_consents", args=[case.pk])).content.decode()
    assert 'data-purpose="hospital_referral" data-covered="yes"' in page
    assert 'data-purpose="record_keeping" data-covered="no"' in page
    download = client.get(reverse("privacy:consent_proof", args=[consent.pk]))
    assert download.status_code == 200
    assert download.content == PROOF_PDF
    assert AuditEntry.objects.filter(action=PrivacyAction.CONSENT_PROOF_VIEWED).exists()


def test_an_executable_proof_is_refused_in_the_page(client, world, case):
    client.force_login(world.counsellor_a)
    exe = SimpleUploadedFile("同意书.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf")
    response = client.post(
        reverse("privacy:consent_add", args=[case.pk]),
        {
            "purpose": "record_keeping",
            "given_by": "student",
            "giver_name": "测试学生甲",
            "given_on": "2026-01-05",
            "form": "written",
            "proof": exe,
        },
    )
    assert response.status_code == 400
    assert "可执行程序" in response.content.decode()
    assert not Consent.objects.exists()


def test_wrong_party_is_refused_in_the_page(client, world, case):
    student = case.student
    student.birth_date = dt.date(2013, 3, 1)
    student.save(update_fields=["birth_date"])
    client.force_login(world.counsellor_a)
    response = client.post(
        reverse("privacy:consent_add", args=[case.pk]),
        {
            "purpose": "record_keeping",
            "given_by": ConsentGiver.STUDENT,
            "giver_name": "测试学生甲",
            "given_on": "2026-01-05",
            "form": "written",
        },
    )
    assert response.status_code == 400
    assert "监护人" in response.content.decode()
    assert not Consent.objects.exists()


def test_withdraw_and_change_basis_through_the_page(client, world, case):
    client.force_login(world.counsellor_a)
    client.post(
        reverse("privacy:consent_add", args=[case.pk]),
        {
            "purpose": "case_report",
            "given_by": "student",
            "giver_name": "测试学生甲",
            "given_on": "2026-01-05",
            "form": "oral_recorded",
        },
    )
    consent = Consent.objects.get()
    assert client.post(reverse("privacy:consent_withdraw", args=[consent.pk]), {"note": "电话撤回"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    response = client.post(
        reverse("privacy:basis_change", args=[case.pk]), {"basis": "vital_interests", "reason": "学生出现自伤行为"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.lawful_basis == LawfulBasis.VITAL_INTERESTS
    assert AuditEntry.objects.filter(action=PrivacyAction.BASIS_CHANGED, actor=world.counsellor_a).exists()


@pytest.mark.parametrize("name", ["privacy:rules", "privacy:children"])
@pytest.mark.parametrize("who", ["staff_a", "filer_a", "provincial_admin_a", "counsellor_b"])
def test_policy_pages_are_readable_by_every_signed_in_user(client, world, name, who):
    client.force_login(getattr(world, who))
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "保存期限" in html or "监护人" in html
    assert "编辑本页" not in html


def test_policy_pages_need_sign_in(client, world):
    assert client.get(reverse("privacy:rules")).status_code == 302


@pytest.mark.parametrize("who", ["staff_a", "team_leader_a", "provincial_admin_a", "counsellor_a"])
def test_others_cannot_edit_policy_pages(client, world, who):
    client.force_login(getattr(world, who))
    before = _denials()
    assert client.get(reverse("privacy:rules_edit")).status_code == 404
    assert client.post(reverse("privacy:children_edit"), {"title": "改", "body": "改"}).status_code == 404
    assert _denials() == before + 2
    assert not PolicyPage.objects.exists()


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.NATIONAL_ADMIN])
def test_security_and_national_admin_edit_policy_pages(client, world, role):
    org = world.nation if role == Role.NATIONAL_ADMIN else world.school_a
    editor = person(role, org)
    client.force_login(editor)
    assert "编辑本页" in client.get(reverse("privacy:children")).content.decode()
    assert client.get(reverse("privacy:children_edit")).status_code == 200
    response = client.post(
        reverse("privacy:children_edit"), {"title": "儿童个人信息保护规则（本校）", "body": "联系人：心理辅导室"}
    )
    assert response.status_code == 302
    page = PolicyPage.objects.get(slug=PolicySlug.CHILDREN)
    assert page.updated_by == editor
    assert "联系人：心理辅导室" in client.get(reverse("privacy:children")).content.decode()
    assert AuditEntry.objects.filter(action=PrivacyAction.POLICY_UPDATED, actor=editor).exists()
