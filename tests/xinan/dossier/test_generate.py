"""Generated letters and forms, opened and read back as a reader would."""

import io

import pytest
from django.urls import reverse
from pdfminer.high_level import extract_text

from tests.xinan.dossier.conftest import PLAN_TEXT
from xinan.audit.models import AuditEntry
from xinan.dossier.enums import LetterKind
from xinan.dossier.models import Document
from xinan.dossier.services.documents import document_bytes
from xinan.dossier.services.errors import DossierError
from xinan.dossier.services.generate import generate_letter
from xinan.dossier.services.letters import save_letter_template

SCHOOL = "甲省第一测试大学"


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return extract_text(io.BytesIO(data))


def _read_back(word, pdf) -> tuple[str, str, bytes]:
    pdf_bytes = document_bytes(pdf)
    return docx_text(document_bytes(word)), pdf_text(pdf_bytes), pdf_bytes


@pytest.mark.parametrize("kind", [LetterKind.SAFETY_PLAN_STUDENT, LetterKind.SAFETY_PLAN_SCHOOL])
def test_safety_plan_copies_carry_school_and_plan(case, world, plan, kind):
    word, pdf = generate_letter(case, kind, by=world.counsellor_a, source_id=plan.pk)
    text_docx, text_pdf, pdf_bytes = _read_back(word, pdf)
    for text in (text_docx, text_pdf):
        assert SCHOOL in text
        assert PLAN_TEXT in text.replace("\n", "")
        assert "测试学生甲" in text
        assert "第四步" in text
        assert "学生签名" in text
    assert b"FontFile2" in pdf_bytes
    assert str(kind.label) in text_docx
    assert (word.slot, pdf.slot) == ("safety_plan", "safety_plan")
    assert word.generated
    assert pdf.generated
    assert word.safety_plan == plan
    assert (word.extension, pdf.extension) == ("docx", "pdf")
    assert "测试学生甲" not in word.original_name  # file names say the case, not the person
    plan.refresh_from_db()
    assert plan.signed_at is None  # generating is not signing


def test_guardian_agreement_lists_duties_and_signature_lines(case, world, agreement):
    word, pdf = generate_letter(case, LetterKind.GUARDIAN_AGREEMENT, by=world.counsellor_a)
    text_docx, text_pdf, _ = _read_back(word, pdf)
    for text in (text_docx, text_pdf):
        flat = text.replace("\n", "")
        assert SCHOOL in flat
        assert "安全协议书（监护人）" in flat
        assert "测试家长甲" in flat
        assert "妥善保管药品" in flat
        assert "监护人签名" in flat


def test_referral_letter_names_hospital_department_and_contact(case, world, referral):
    word, pdf = generate_letter(case, LetterKind.REFERRAL_LETTER, by=world.counsellor_a)
    text_docx, text_pdf, _ = _read_back(word, pdf)
    for text in (text_docx, text_pdf):
        flat = text.replace("\n", "")
        assert "转介建议书" in flat
        assert "某市精神卫生中心儿童青少年心理科" in flat
        assert "持续情绪低落" in flat
        assert "学校联系人" in flat
    assert word.referral == referral


def test_intervention_record_gathers_the_case(case, world, plan, referral):
    word, pdf = generate_letter(case, LetterKind.INTERVENTION_RECORD, by=world.counsellor_a)
    text_docx, text_pdf, _ = _read_back(word, pdf)
    for text in (text_docx, text_pdf):
        flat = text.replace("\n", "")
        assert "危机干预记录表" in flat
        assert case.reference in flat
        assert "收到告别短信" in flat
        assert "某市精神卫生中心" in flat
        assert "组长审核" in flat


def test_missing_source_is_explained(case, world):
    with pytest.raises(DossierError, match="请先在个案中保存安全计划书"):
        generate_letter(case, LetterKind.SAFETY_PLAN_STUDENT, by=world.counsellor_a)
    assert not Document.objects.exists()


def test_school_wording_is_used(case, world, plan):
    save_letter_template(
        world.school_a,
        LetterKind.SAFETY_PLAN_STUDENT,
        text="我的安全计划\n${student}同学，这是本校自己的表述。\n${plan}\n${signatures}",
        by=world.team_leader_a,
    )
    word, pdf = generate_letter(case, LetterKind.SAFETY_PLAN_STUDENT, by=world.counsellor_a)
    text_docx, _, _ = _read_back(word, pdf)
    assert "这是本校自己的表述" in text_docx
    assert PLAN_TEXT in text_docx


def test_unknown_placeholder_refused(world):
    with pytest.raises(DossierError, match="无法识别的占位符"):
        save_letter_template(
            world.school_a, LetterKind.REFERRAL_LETTER, text="标题\n${guardian_phone}", by=world.team_leader_a
        )


def test_generate_view_files_both_formats_and_offers_them(client, case, world, plan):
    client.force_login(world.counsellor_a)
    response = client.post(
        reverse("dossier:generate", args=[case.pk]), {"kind": "safety_plan_school", "source": plan.pk}
    )
    assert response.status_code == 302
    word, pdf = Document.objects.order_by("pk")
    assert response["Location"].endswith(f"?generated={word.pk},{pdf.pk}")
    page = client.get(response["Location"]).content.decode()
    assert reverse("dossier:download", args=[word.pk]) in page
    assert reverse("dossier:download", args=[pdf.pk]) in page
    assert AuditEntry.objects.filter(action="xinan.dossier.generate").count() == 2


def test_generate_view_plan_of_another_case_falls_back_to_none(client, case, world):
    client.force_login(world.counsellor_a)
    response = client.post(reverse("dossier:generate", args=[case.pk]), {"kind": "safety_plan_student", "source": 999})
    assert response.status_code == 302
    assert not Document.objects.exists()


def test_letter_template_pages_save_and_reset(client, world):
    client.force_login(world.coordinator_a)
    url = reverse("dossier:letter_template", args=[world.school_a.pk, "referral_letter"])
    assert "${signatures}" in client.get(url).content.decode()
    response = client.post(url, {"action": "save", "text": "标题\n${nonsense}"})
    assert response.status_code == 400
    assert "无法识别的占位符" in response.content.decode()
    assert client.post(url, {"action": "save", "text": "本校转介建议书\n${student}"}).status_code == 302
    listing = client.get(reverse("dossier:letter_templates", args=[world.school_a.pk])).content.decode()
    assert "本校模板" in listing
    assert client.post(url, {"action": "reset"}).status_code == 302
    assert not world.school_a.letter_templates.exists()
    assert AuditEntry.objects.filter(action="xinan.dossier.letter_template.reset").exists()


def test_generate_while_the_storage_refuses_answers_503_with_a_message(client, case, world, plan, monkeypatch):
    # Arrange: the object store refuses every write (as S3 does when it cannot be reached)
    from botocore.exceptions import EndpointConnectionError

    from xinan.crypto import files

    class Refusing:
        def save(self, name, content, max_length=None):
            raise EndpointConnectionError(endpoint_url="http://object-store.invalid")

    monkeypatch.setattr(files, "default_storage", Refusing())
    client.force_login(world.counsellor_a)

    # Act
    response = client.post(
        reverse("dossier:generate", args=[case.pk]), {"kind": "safety_plan_student", "source": plan.pk}
    )

    # Assert: the storage page (not the generic server error), and no row naming a missing file
    assert response.status_code == 503
    assert "文件存储暂时不可用" in response.content.decode()
    assert not Document.objects.exists()
