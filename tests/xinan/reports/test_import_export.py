"""Import into the editor (good and bad files) and export to Word and PDF."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from pdfminer.high_level import extract_text as pdf_text

from xinan.audit.models import AuditEntry
from xinan.reports.services.documents import texts_of
from xinan_reportformat import parse_text, to_docx, to_pdf

from .conftest import CLEAN_TEXTS, bad_documents, make_report


def _import(client, report, name, data):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("reports:import", args=[report.pk]), {"file": upload})


def test_import_docx_made_by_the_library_round_trips(client, world, sample_text):
    report = make_report(world.counsellor_a, world.school_a, **{k: "" for k in CLEAN_TEXTS})
    source = parse_text(sample_text)
    client.force_login(world.counsellor_a)

    response = _import(client, report, "sample.docx", to_docx(source))

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == source.title
    assert report.subtitle == "——" + source.subtitle
    for section in source.sections:
        if section.key != "commentary":
            assert getattr(report, section.key) == section.text
    assert AuditEntry.objects.filter(action="xinan.report.import", object_id=str(report.pk)).count() == 1


def test_import_text_pdf_fills_the_editor(client, world, report, sample_text):
    client.force_login(world.counsellor_a)

    response = _import(client, report, "sample.pdf", to_pdf(parse_text(sample_text)))

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "多方协同 化险为夷"
    assert "告别短信" in report.occurrence


@pytest.mark.parametrize("case", list(bad_documents()))
def test_import_bad_file_gives_chinese_message_and_keeps_content(client, world, report, case):
    name, data, phrase = bad_documents()[case]
    before = texts_of(report)
    client.force_login(world.counsellor_a)

    response = _import(client, report, name, data)

    assert response.status_code == 400
    body = response.content.decode()
    assert phrase in body
    report.refresh_from_db()
    assert texts_of(report) == before
    assert CLEAN_TEXTS["process"] in body  # the editor still shows what was there
    assert not AuditEntry.objects.filter(action="xinan.report.import").exists()


def test_import_fifty_megabytes_refused_before_reading(client, world, report):
    before = texts_of(report)
    client.force_login(world.counsellor_a)

    response = _import(client, report, "big.docx", b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))

    assert response.status_code == 400
    assert "文件太大（50.0 MB）" in response.content.decode()
    report.refresh_from_db()
    assert texts_of(report) == before


def test_import_with_nothing_chosen_is_refused(client, world, report):
    client.force_login(world.counsellor_a)

    response = client.post(reverse("reports:import", args=[report.pk]), {"text": "  "})

    assert response.status_code == 400
    assert "没有粘贴任何文字" in response.content.decode()


def test_export_docx_reads_back(client, world, report):
    client.force_login(world.counsellor_a)

    response = client.get(reverse("reports:export", args=[report.pk, "docx"]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert CLEAN_TEXTS["title"] in text
    assert CLEAN_TEXTS["result"] in text
    assert "一、当事人基本信息" in text
    entry = AuditEntry.objects.filter(action="xinan.report.export").latest("pk")
    assert entry.after == {"format": "docx", "status": "draft"}


def test_export_pdf_reads_back_with_chinese_title(client, world, report):
    client.force_login(world.counsellor_a)

    response = client.get(reverse("reports:export", args=[report.pk, "pdf"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(io.BytesIO(response.content))
    assert CLEAN_TEXTS["title"].replace(" ", "") in text.replace(" ", "")
    assert "草稿" in text  # a draft is watermarked
    assert AuditEntry.objects.filter(action="xinan.report.export", object_id=str(report.pk)).count() == 1


def test_export_unknown_format_is_404(client, world, report):
    client.force_login(world.counsellor_a)

    assert client.get(reverse("reports:export", args=[report.pk, "odt"])).status_code == 404
    assert not AuditEntry.objects.filter(action="xinan.report.export").exists()
