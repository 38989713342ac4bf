"""A case whose first report named the student only in free text (not in the register):
every page of the case opens, the age is unknown and the student is treated as a minor, and
the team can link the case to a register entry later (audited), after which the guardian and
the class teacher follow."""

import datetime as dt

import pytest
from django.urls import reverse

from xinan.audit.models import AuditEntry
from xinan.cases.enums import CaseRole, ObservationCategory
from xinan.cases.forms_work import guardians_of
from xinan.cases.models import Case
from xinan.cases.services.errors import CaseError
from xinan.cases.services.records import link_student
from xinan.cases.services.reporting import file_first_report
from xinan.notifications.models import Notification
from xinan.privacy.enums import ConsentForm, ConsentGiver, ConsentPurpose
from xinan.privacy.services.consent import consent_required_from, record_consent
from xinan.privacy.services.errors import PrivacyError
from xinan.students.models import SchoolClass, Student

TYPED = "高二（3）班 某同学"

CASE_PAGES = [
    "cases:detail",
    "cases:assess",
    "cases:access_log",
    "cases:guardian_log",
    "cases:follow_up",
    "cases:consultation",
    "cases:plan",
    "cases:guardian_contact",
    "cases:referral",
    "cases:status_event",
    "cases:aftercare",
    "cases:disclosure",
    "cases:safety_plan",
    "cases:safety_plan_compare",
    "cases:guardian_agreement",
    "cases:notice_send",
    "cases:counselling_note_add",
    "cases:assign_counsellor",
    "cases:add_member",
    "cases:link_student",
    "privacy:case_consents",
    "dossier:case",
    "retention:legal_hold",
    "exports:request_dossier",
]


@pytest.fixture
def unregistered_case(world):
    """Reported with the student typed in by the reporter; nobody has linked the register yet."""
    report = file_first_report(
        school=world.school_a,
        reporter=world.staff_a,
        student_text=TYPED,
        categories=[ObservationCategory.SUICIDE_TALK],
        observed="在课间说不想活了",
    )
    case = report.case
    case.assigned_counsellor = world.counsellor_a
    case.save(update_fields=["assigned_counsellor"])
    return case


def _url(name: str, case: Case) -> str:
    key = "case_pk" if name.startswith("exports:") else "pk"
    return reverse(name, kwargs={key: case.pk})


@pytest.mark.parametrize("name", CASE_PAGES)
def test_case_page_opens_for_an_unregistered_student(client, world, unregistered_case, name):
    # Arrange
    client.force_login(world.coordinator_a)

    # Act
    response = client.get(_url(name, unregistered_case))

    # Assert
    assert response.status_code in (200, 302), (name, response.status_code)


def test_case_page_says_age_unknown_and_offers_linking(client, world, unregistered_case):
    # Arrange
    client.force_login(world.counsellor_a)

    # Act
    html = client.get(reverse("cases:detail", args=[unregistered_case.pk])).content.decode()

    # Assert
    assert 'data-test="unregistered-student"' in html
    assert "按未成年人处理" in html
    assert reverse("cases:link_student", args=[unregistered_case.pk]) in html


def test_consent_page_treats_unregistered_student_as_a_child(client, world, unregistered_case):
    # Arrange
    client.force_login(world.counsellor_a)

    # Act
    response = client.get(reverse("privacy:case_consents", args=[unregistered_case.pk]))

    # Assert
    assert response.status_code == 200
    assert "尚未关联学籍，年龄未知" in response.content.decode()
    assert consent_required_from(None, dt.date(2026, 5, 20)) == ConsentGiver.GUARDIAN


def test_consent_of_an_unregistered_student_must_come_from_the_guardian(world, unregistered_case):
    # Arrange
    values = {
        "case": unregistered_case,
        "purpose": ConsentPurpose.CASE_REPORT,
        "giver_name": "某",
        "given_on": dt.date(2026, 5, 20),
        "form": ConsentForm.WRITTEN,
        "actor": world.counsellor_a,
    }

    # Act / Assert
    with pytest.raises(PrivacyError, match="监护人"):
        record_consent(given_by=ConsentGiver.STUDENT, **values)
    consent = record_consent(given_by=ConsentGiver.GUARDIAN, giver_relation="mother", **values)
    assert consent.given_by == ConsentGiver.GUARDIAN


def test_link_student_brings_guardian_and_class_teacher_and_is_audited(
    world, unregistered_case, student, django_capture_on_commit_callbacks
):
    # Arrange
    assert not guardians_of(unregistered_case).exists()

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        link_student(unregistered_case, student, by=world.counsellor_a)

    # Assert
    case = Case.objects.get(pk=unregistered_case.pk)
    assert case.student == student
    assert case.student_text == TYPED  # what the reporter wrote stays as written
    assert case.members.filter(user=world.class_teacher_a, role=CaseRole.CLASS_TEACHER, removed_at=None).exists()
    assert list(guardians_of(case)) == list(student.guardians.all())
    entry = AuditEntry.objects.get(action="xinan.case.student.link")
    assert entry.actor == world.counsellor_a
    assert entry.after == {"student": student.pk, "class_teacher": world.class_teacher_a.pk}
    assert "测试学生甲" not in str(entry.after) + entry.reason
    assert Notification.objects.filter(user=world.class_teacher_a, url__contains=f"/{case.pk}/").exists()


def test_link_student_refuses_a_second_link_and_another_schools_student(world, unregistered_case, student):
    # Arrange
    other_class = SchoolClass.objects.create(school=world.school_b, grade="2024级", name="1班")
    stranger = Student.objects.create(school=world.school_b, school_class=other_class, name="乙校学生")

    # Act / Assert
    with pytest.raises(CaseError, match="本校"):
        link_student(unregistered_case, stranger, by=world.counsellor_a)
    link_student(unregistered_case, student, by=world.counsellor_a)
    with pytest.raises(CaseError, match="已关联"):
        link_student(unregistered_case, student, by=world.counsellor_a)
    assert AuditEntry.objects.filter(action="xinan.case.student.link").count() == 1


def test_link_student_view_searches_exactly_then_links(client, world, unregistered_case, student):
    # Arrange
    client.force_login(world.counsellor_a)
    url = reverse("cases:link_student", args=[unregistered_case.pk])

    # Act
    found = client.get(url, {"q": "20240001"}).content.decode()
    partial = client.get(url, {"q": "2024"}).content.decode()
    unconfirmed = client.post(url, {"q": "20240001", "student": student.pk})
    linked = client.post(url, {"q": "20240001", "student": student.pk, "confirm": "on"})

    # Assert
    assert "测试学生甲" in found
    assert "测试学生甲" not in partial
    assert 'data-test="no-student"' in partial
    assert unconfirmed.status_code == 400
    assert "请勾选确认" in unconfirmed.content.decode()
    assert linked.status_code == 302
    assert Case.objects.get(pk=unregistered_case.pk).student == student


def test_link_student_view_refuses_other_schools_and_class_teachers(client, world, unregistered_case, student):
    # Arrange
    url = reverse("cases:link_student", args=[unregistered_case.pk])
    denials = AuditEntry.objects.filter(action="xinan.access.denied").count()

    # Act
    statuses = []
    for outsider in (world.counsellor_b, world.counsellor_a2, world.staff_a):
        client.force_login(outsider)
        statuses.append(client.post(url, {"q": "20240001", "student": student.pk, "confirm": "on"}).status_code)

    # Assert
    assert statuses == [404, 404, 404]
    assert Case.objects.get(pk=unregistered_case.pk).student is None
    assert AuditEntry.objects.filter(action="xinan.access.denied").count() == denials + 3
