"""Draft from a closed case: de-identified before it is stored, the use and its basis recorded."""

import pytest
from django.urls import reverse

from xinan.audit.models import AuditEntry
from xinan.reports.enums import ReportStatus, ReportUseBasis
from xinan.reports.models import CaseReport, FlagDecision
from xinan.reports.services import authoring
from xinan.reports.services.documents import TEXT_FIELDS

from .conftest import GUARDIAN_PHONE

DENIED = "xinan.access.denied"


def _draft(client, user, case, **data):
    client.force_login(user)
    payload = {"basis": ReportUseBasis.STATUTORY_DUTY, "basis_note": "", "confirm": "on", **data}
    return client.post(reverse("reports:draft_from_case", args=[case.pk]), payload)


def test_draft_never_holds_the_students_name_or_the_guardians_phone(client, world, closed_case, real_student):
    response = _draft(client, world.counsellor_a, closed_case)

    assert response.status_code == 302
    report = CaseReport.objects.get()
    assert response["Location"] == reverse("reports:edit", args=[report.pk])
    everything = "\n".join(getattr(report, field) for field in TEXT_FIELDS)
    for secret in (real_student.name, "明轩", "林秀英", GUARDIAN_PHONE, "20240917", "北京大学第六医院"):
        assert secret not in everything, secret
    assert "1395555" not in everything.replace("-", "")
    assert "男，21岁" in report.basic_info or "男" in report.basic_info
    assert "告别短信" in report.occurrence
    assert "风险等级" in report.process
    assert "危机解除" in report.result
    assert report.experience == ""
    assert report.status == ReportStatus.DRAFT
    assert report.author == world.counsellor_a
    assert report.school == world.school_a


def test_draft_leaves_nothing_high_or_medium_for_the_engine(client, world, closed_case):
    _draft(client, world.counsellor_a, closed_case)

    analysis = authoring.analyse(CaseReport.objects.get())

    assert not [flag for flag in analysis.flags if flag.severity in {"high", "medium"}]


def test_draft_records_basis_confirmation_and_audit(client, world, closed_case):
    _draft(client, world.counsellor_a, closed_case, basis=ReportUseBasis.CONSENT, basis_note="监护人书面同意，存档")

    report = CaseReport.objects.get()
    assert report.source_case == closed_case
    assert report.use_basis == ReportUseBasis.CONSENT
    assert report.use_basis_note == "监护人书面同意，存档"
    assert report.deidentify_confirmed_at is not None
    entry = AuditEntry.objects.get(action="xinan.report.draft_from_case")
    assert entry.actor == world.counsellor_a
    assert entry.object_type == "cases.case"
    assert entry.object_id == str(closed_case.pk)
    assert entry.after["basis"] == "consent"
    assert entry.after["report"] == report.pk
    assert FlagDecision.objects.filter(report=report, automatic=True).count() == entry.after["replaced"]


def test_draft_consent_without_note_is_refused(client, world, closed_case):
    response = _draft(client, world.counsellor_a, closed_case, basis=ReportUseBasis.CONSENT)

    assert response.status_code == 400
    assert "以同意为依据时" in response.content.decode()
    assert not CaseReport.objects.exists()
    assert not AuditEntry.objects.filter(action="xinan.report.draft_from_case").exists()


def test_draft_without_confirmation_is_refused(client, world, closed_case):
    response = _draft(client, world.counsellor_a, closed_case, confirm="")

    assert response.status_code == 400
    assert "请确认您将对报告进行去标识化处理" in response.content.decode()
    assert not CaseReport.objects.exists()


def test_draft_form_shows_bases(client, world, closed_case):
    client.force_login(world.counsellor_a)

    response = client.get(reverse("reports:draft_from_case", args=[closed_case.pk]))

    assert response.status_code == 200
    assert "履行法定职责" in response.content.decode()


def test_draft_from_case_that_is_not_closed_is_404_and_audited(client, world, open_case):
    response = _draft(client, world.counsellor_a, open_case)

    assert response.status_code == 404
    assert not CaseReport.objects.exists()
    assert AuditEntry.objects.filter(action=DENIED, object_id=str(open_case.pk)).count() == 1


DRAFT_MATRIX = [
    ("counsellor_a", 302),  # assigned counsellor
    ("team_leader_a", 302),  # overseer of the school
    ("coordinator_a", 302),
    ("counsellor_a2", 404),  # same school, not on the case
    ("class_teacher_a", 404),
    ("staff_a", 404),  # the first reporter sees a receipt, not the case
    ("counsellor_b", 404),
    ("team_leader_b", 404),
    ("provincial_admin_a", 404),
    ("national_admin", 404),
]


@pytest.mark.parametrize(("who", "status"), DRAFT_MATRIX)
def test_draft_from_case_role_matrix(client, world, closed_case, who, status):
    before = AuditEntry.objects.filter(action=DENIED).count()

    response = _draft(client, getattr(world, who), closed_case)

    assert response.status_code == status
    refusals = AuditEntry.objects.filter(action=DENIED).count() - before
    assert refusals == (1 if status == 404 else 0)
    assert CaseReport.objects.count() == (1 if status == 302 else 0)


def test_list_offers_closed_cases_only(client, world, closed_case):
    client.force_login(world.counsellor_a)

    page = client.get(reverse("reports:list")).content.decode()

    assert reverse("reports:draft_from_case", args=[closed_case.pk]) in page
