"""Masked phones: every page that lists or shows one renders it masked; the full number comes
only from the audited reveal, for a reader allowed to see it (re-checked there)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.campaign_fixtures import campaign, right  # noqa: F401 - fixtures
from tests.factories import person
from xinan.audit.models import AuditEntry
from xinan.campaigns.services import filing
from xinan.organisations.enums import Role
from xinan.privacy.services.masking import mask_id_number, masked_value
from xinan.students.models import Guardian, SchoolClass, Student

REVEAL = "xinan.privacy.reveal"
DENIED = "xinan.access.denied"
GUARDIAN_PHONE = "13912345601"


@pytest.fixture
def guardian(world) -> Guardian:
    school_class = SchoolClass.objects.create(
        school=world.school_a, grade="2024级", name="一班", class_teacher=world.class_teacher_a
    )
    student = Student.objects.create(
        school=world.school_a,
        school_class=school_class,
        name="测试学生丙",
        student_number="S0101",
        sex="female",
        birth_date=dt.date(2010, 6, 1),
    )
    return Guardian.objects.create(
        student=student, relation="mother", name="测试家长丙", phone=GUARDIAN_PHONE, is_primary=True
    )


@pytest.fixture
def system_admin(world):
    return person(Role.SYSTEM_ADMIN, world.province_a)


@pytest.fixture
def security_admin(world):
    return person(Role.SECURITY_ADMIN, world.province_a)


def _html(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _reveal_url(key: str, pk: int) -> str:
    return reverse("privacy:reveal", args=[key, pk])


def test_masks():
    assert mask_id_number("110101200001011234") == "1101**********1234"
    assert mask_id_number("1234") == "****"


# --- every page that shows a phone ------------------------------------------------------------
def test_student_list_and_edit_form_never_carry_the_guardian_phone(client, world, guardian):
    urls = (reverse("students:list", args=[world.school_a.pk]), reverse("students:edit", args=[guardian.student.pk]))
    for url in urls:
        html = _html(client, world.counsellor_a, url)
        assert GUARDIAN_PHONE not in html
        assert "139****5601" in html
        assert _reveal_url("guardian-phone", guardian.pk) in html


def _guardian_post(guardian, phone: str) -> dict:
    student = guardian.student
    return {
        "student_number": student.student_number,
        "name": student.name,
        "sex": student.sex,
        "birth_date": "2010-06-01",
        "school_class": student.school_class_id,
        "guardians-TOTAL_FORMS": "1",
        "guardians-INITIAL_FORMS": "1",
        "guardians-MIN_NUM_FORMS": "0",
        "guardians-MAX_NUM_FORMS": "4",
        "guardians-0-id": guardian.pk,
        "guardians-0-student": student.pk,
        "guardians-0-relation": "father",
        "guardians-0-name": guardian.name,
        "guardians-0-phone": phone,
        "guardians-0-is_primary": "on",
    }


def test_edit_form_keeps_the_stored_phone_unless_a_new_one_is_typed(client, world, guardian):
    client.force_login(world.counsellor_a)
    url = reverse("students:edit", args=[guardian.student.pk])
    assert client.post(url, _guardian_post(guardian, "")).status_code == 302
    guardian.refresh_from_db()
    assert guardian.relation == "father"
    assert guardian.phone == GUARDIAN_PHONE
    assert client.post(url, _guardian_post(guardian, "13912345688")).status_code == 302
    guardian.refresh_from_db()
    assert guardian.phone == "13912345688"


@pytest.mark.parametrize(
    ("viewer", "url_name", "args"),
    [
        ("team_leader_a", "organisations:team", "school_a"),
        ("provincial_admin_a", "organisations:detail", "province_a"),
        ("counsellor_a", "accounts:security", None),
    ],
)
def test_staff_pages_mask_people_phones(client, world, viewer, url_name, args):
    url = reverse(url_name, args=[getattr(world, args).pk] if args else [])
    html = _html(client, getattr(world, viewer), url)
    for someone in (world.team_leader_a, world.counsellor_a, world.provincial_admin_a):
        assert someone.phone not in html


def test_account_administration_lists_mask_phones(client, world, system_admin, security_admin):
    html = _html(client, system_admin, reverse("accounts:admin_people"))
    assert world.counsellor_a.phone not in html
    assert world.counsellor_a.masked_phone in html
    assert _reveal_url("user-phone", world.counsellor_a.pk) in html
    html = _html(client, security_admin, reverse("accounts:admin_roles"))
    assert world.counsellor_a.phone not in html
    assert world.counsellor_a.masked_phone in html
    # The security administrator manages roles, not people: no reveal for them.
    assert _reveal_url("user-phone", world.counsellor_a.pk) not in html


def test_campaign_filer_list_and_submission_mask_phones(client, world, campaign, right):  # noqa: F811
    html = _html(client, world.provincial_admin_a, reverse("campaigns:province", args=[campaign.pk]))
    assert world.filer_a.phone not in html
    assert _reveal_url("user-phone", world.filer_a.pk) in html
    submission = filing.start_submission(campaign, filer=world.filer_a)
    submission.contact_phone = "13912345677"
    submission.save(update_fields=["contact_phone"])
    html = _html(client, world.filer_a, reverse("campaigns:submission", args=[submission.pk]))
    assert "13912345677" not in html
    assert "139****5677" in html
    assert _reveal_url("submission-phone", submission.pk) in html
    html = _html(client, world.provincial_admin_a, reverse("campaigns:submission", args=[submission.pk]))
    assert "13912345677" not in html


# --- the reveal ---------------------------------------------------------------------------------
def test_reveal_shows_the_number_and_records_object_and_field_never_the_value(client, world, guardian):
    client.force_login(world.class_teacher_a)
    response = client.get(_reveal_url("guardian-phone", guardian.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert GUARDIAN_PHONE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action=REVEAL)
    assert entry.actor == world.class_teacher_a
    assert (entry.object_type, entry.object_id) == ("students.guardian", str(guardian.pk))
    assert entry.after == {"field": "phone"}
    assert GUARDIAN_PHONE not in str(entry.after) + str(entry.before) + entry.reason


@pytest.mark.parametrize("who", ["staff_a", "counsellor_a2_school", "team_leader_b", "provincial_admin_a", "filer_a"])
def test_reveal_refused_to_readers_without_the_permission(client, world, guardian, who):
    client.force_login(getattr(world, who))
    response = client.get(_reveal_url("guardian-phone", guardian.pk))
    assert response.status_code == 404
    assert GUARDIAN_PHONE not in response.content.decode()
    assert AuditEntry.objects.filter(action=DENIED).count() == 1
    assert not AuditEntry.objects.filter(action=REVEAL).exists()


@pytest.mark.parametrize(
    ("reader", "target", "allowed"),
    [
        ("system_admin", "counsellor_a", True),
        ("system_admin", "counsellor_b", False),  # another province: outside the admin's scope
        ("provincial_admin_a", "filer_a", True),
        ("provincial_admin_b", "filer_a", False),
        ("provincial_admin_a", "counsellor_a", False),  # not a filer
        ("counsellor_a", "counsellor_a", True),  # one's own number
        ("team_leader_a", "counsellor_a", False),
    ],
)
def test_reveal_of_a_staff_phone_role_matrix(client, world, system_admin, reader, target, allowed):
    reader_user = system_admin if reader == "system_admin" else getattr(world, reader)
    target_user = getattr(world, target)
    client.force_login(reader_user)
    response = client.get(_reveal_url("user-phone", target_user.pk))
    assert response.status_code == (200 if allowed else 404)
    assert (target_user.phone in response.content.decode()) is allowed
    assert AuditEntry.objects.filter(action=REVEAL, object_id=str(target_user.pk)).count() == int(allowed)
    assert AuditEntry.objects.filter(action=DENIED).count() == int(not allowed)


def test_reveal_of_an_unknown_field_is_an_audited_404(client, world):
    client.force_login(world.counsellor_a)
    assert client.get(_reveal_url("student-secret", world.counsellor_a.pk)).status_code == 404
    assert AuditEntry.objects.filter(action=DENIED).count() == 1


def test_reveal_control_uses_htmx_and_no_inline_script(client, world, guardian):
    html = _html(client, world.counsellor_a, reverse("students:list", args=[world.school_a.pk]))
    control = re.search(r'<a [^>]*data-test="reveal"[^>]*>', html).group(0)
    assert 'hx-get="' in control
    assert "onclick" not in control
    assert "javascript:" not in control
    assert masked_value(guardian, "phone") == "139****5601"


def test_no_template_prints_a_maskable_field_directly():
    """A phone reaches a page only through {% masked %} (or as an input of a form)."""
    from pathlib import Path

    import xinan
    from xinan.privacy.services.masking import MASKABLE

    fields = "|".join(sorted({item.field for item in MASKABLE.values()}))
    printed = re.compile(r"\{\{\s*([\w.]+)\.(" + fields + r")\s*[|}]")
    form_names = {"form", "g"}
    offenders = []
    for path in Path(xinan.__file__).parent.glob("*/templates/**/*.html"):
        for match in printed.finditer(path.read_text(encoding="utf-8")):
            owner = match.group(1).split(".")[-1]
            if owner not in form_names and not owner.endswith("_form"):
                offenders.append(f"{path.name}: {match.group(0)}")
    assert offenders == []
