"""Every upload path writes a refused hostile file to the audit trail: where it was sent, the
object it was for, the reason code and its size; never its content or its file name."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.campaign_fixtures import report_files
from tests.document_fixtures import PDF_ATTACKS, docx_of
from xinan.audit.enums import AuditAction
from xinan.audit.models import AuditEntry
from xinan.audit.services.queries import search_entries
from xinan.campaigns.services import filing
from xinan.campaigns.services.campaigns import add_attachment
from xinan.campaigns.services.errors import FilingError
from xinan.privacy.enums import ConsentForm, ConsentGiver, ConsentPurpose
from xinan.privacy.services.consent import record_consent
from xinan.privacy.services.errors import PrivacyError
from xinan.reports.models import CaseReport
from xinan.reports.services.authoring import MAX_IMPORT_CHARS, import_into_report
from xinan.web import middleware
from xinan_reportformat import DocumentReadError

SCRIPTED_PDF = PDF_ATTACKS["names-tree-javascript"][0]
FILE_NAME = "张小明的请假条.pdf"  # a name that must not reach the audit trail


def _refusals() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.UPLOAD_REFUSED).order_by("pk"))


def _assert_no_content(entry: AuditEntry) -> None:
    stored = json.dumps([entry.after, entry.before, entry.reason], ensure_ascii=False)
    assert "app.alert" not in stored
    assert "张小明" not in stored


def test_refused_dossier_upload_is_audited_on_the_case(client, world, case):
    # Arrange
    client.force_login(world.counsellor_a)

    # Act
    response = client.post(
        reverse("dossier:upload", args=[case.pk]),
        {"slot": "other", "note": "", "file": SimpleUploadedFile(FILE_NAME, SCRIPTED_PDF)},
    )

    # Assert
    assert response.status_code == 400
    (entry,) = _refusals()
    assert entry.after == {"path": "dossier", "reason": "pdf.javascript"}
    assert (entry.object_type, entry.object_id) == ("cases.case", str(case.pk))
    assert entry.actor == world.counsellor_a
    assert entry.organisation_id == world.school_a.pk
    _assert_no_content(entry)


def test_refused_campaign_report_files_are_audited_on_the_submission(world, campaign, right):
    # Arrange
    submission = filing.start_submission(campaign, filer=world.filer_a)
    docx, _pdf = report_files()

    # Act
    with pytest.raises(FilingError, match="JavaScript"):
        filing.attach_report_files(submission, docx=docx, pdf=SCRIPTED_PDF, by=world.filer_a)

    # Assert
    (entry,) = _refusals()
    assert entry.after == {
        "path": "campaign.report",
        "reason": "pdf.javascript",
        "bytes": len(docx) + len(SCRIPTED_PDF),
    }
    assert (entry.object_type, entry.object_id) == ("campaigns.submission", str(submission.pk))
    _assert_no_content(entry)


def test_refused_campaign_attachment_is_audited_on_the_campaign(world, campaign):
    # Act
    with pytest.raises(FilingError, match="脚本"):
        add_attachment(campaign, name="通知", data=SCRIPTED_PDF, by=world.national_admin)

    # Assert
    (entry,) = _refusals()
    assert entry.after["path"] == "campaign.attachment"
    assert entry.after["reason"] == "pdf.javascript"
    assert (entry.object_type, entry.object_id) == ("campaigns.campaign", str(campaign.pk))


def test_refused_consent_proof_is_audited_although_the_consent_rolls_back(world, case):
    # Act
    with pytest.raises(PrivacyError, match="脚本"):
        record_consent(
            case=case,
            purpose=ConsentPurpose.RECORD_KEEPING,
            given_by=ConsentGiver.STUDENT,
            giver_name="测试学生甲",
            given_on=timezone.localdate(),
            form=ConsentForm.WRITTEN,
            actor=world.counsellor_a,
            proof=SCRIPTED_PDF,
        )

    # Assert
    (entry,) = _refusals()
    assert entry.after["path"] == "privacy.consent"
    assert entry.after["reason"] == "pdf.javascript"
    assert entry.object_id == str(case.pk)


def test_refused_report_import_is_audited_on_the_report(world):
    # Arrange
    report = CaseReport.objects.create(author=world.counsellor_a, school=world.school_a, title="原标题")

    # Act
    with pytest.raises(DocumentReadError):
        import_into_report(report, data=SCRIPTED_PDF, by=world.counsellor_a)

    # Assert
    (entry,) = _refusals()
    assert entry.after["path"] == "reports.import"
    assert entry.after["reason"] == "pdf.javascript"
    assert (entry.object_type, entry.object_id) == ("reports.casereport", str(report.pk))


def test_refused_upload_is_found_by_the_audit_viewers_refusal_filter(client, world, case):
    # Arrange
    client.force_login(world.counsellor_a)
    client.post(
        reverse("dossier:upload", args=[case.pk]),
        {"slot": "other", "note": "", "file": SimpleUploadedFile(FILE_NAME, SCRIPTED_PDF)},
    )

    # Act
    found = search_entries(AuditEntry.objects.all(), refusals_only=True)

    # Assert
    assert list(found.filter(action=AuditAction.UPLOAD_REFUSED)) == _refusals()
    assert len(_refusals()) == 1


@pytest.mark.parametrize("path", ["dossier", "campaign.attachment", "campaign.report", "reports.import"])
def test_upload_cut_off_while_streaming_is_audited(client, world, case, campaign, right, monkeypatch, path):
    # Arrange: the streaming cap lowered so that a 300 KB file passes it
    monkeypatch.setattr(middleware, "upload_limit", lambda: 64 * 1024)
    big = SimpleUploadedFile(FILE_NAME, b"%PDF-1.7\n" + b"0" * (300 * 1024))
    if path == "dossier":
        client.force_login(world.counsellor_a)
        url, data, obj = reverse("dossier:upload", args=[case.pk]), {"slot": "other", "note": "", "file": big}, case
    elif path == "campaign.attachment":
        client.force_login(world.national_admin)
        url, data, obj = (
            reverse("campaigns:attachment_add", args=[campaign.pk]),
            {"name": "通知", "file": big},
            campaign,
        )
    elif path == "campaign.report":
        obj = filing.start_submission(campaign, filer=world.filer_a)
        client.force_login(world.filer_a)
        docx, _pdf = report_files()
        url = reverse("campaigns:upload_files", args=[obj.pk])
        data = {"docx": SimpleUploadedFile("报告.docx", docx), "pdf": big}
    else:
        obj = CaseReport.objects.create(author=world.counsellor_a, school=world.school_a, title="原标题")
        client.force_login(world.counsellor_a)
        url, data = reverse("reports:import", args=[obj.pk]), {"file": big}

    # Act
    client.post(url, data)

    # Assert
    (entry,) = _refusals()
    assert entry.after["path"] == path
    assert entry.after["reason"] == "file.too_large"
    assert entry.after["bytes"] > 300 * 1024
    assert entry.object_id == str(obj.pk)
    _assert_no_content(entry)


def test_report_import_of_an_overlong_file_refused_before_parsing_and_audited(world):
    # Arrange: a Word file with more text than the paste box takes
    report = CaseReport.objects.create(author=world.counsellor_a, school=world.school_a, title="原标题")
    data = docx_of("心理危机干预。\n" * (MAX_IMPORT_CHARS // 7 + 10))

    # Act
    with pytest.raises(DocumentReadError, match="过长") as caught:
        import_into_report(report, data=data, by=world.counsellor_a)

    # Assert
    assert caught.value.code == "text.too_long"
    report.refresh_from_db()
    assert report.title == "原标题"
    (entry,) = _refusals()
    assert entry.after["reason"] == "text.too_long"
