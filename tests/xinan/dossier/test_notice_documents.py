"""Guardian notices (告知书) as Word and PDF: one template per purpose, prefilled from the notice
as sent, downloaded from the notice page by the people the notice pages allow (audited), an
audited 404 for anyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.xinan.dossier.test_generate import docx_text, pdf_text
from xinan.audit.models import AuditEntry
from xinan.cases.enums import NoticePurpose
from xinan.cases.services import notices_guardian
from xinan.dossier.services.notices import compose_notice

SCHOOL = "甲省第一测试大学"
TITLES = {
    NoticePurpose.CRISIS_FOUND: "监护人告知书（心理危机告知）",
    NoticePurpose.REFERRAL_ADVISED: "监护人告知书（转介就医建议告知）",
    NoticePurpose.RETURN_CONDITIONS: "监护人告知书（复学条件告知）",
}
# A phrase from each purpose's prefilled text, and one from its receipt.
BODIES = {
    NoticePurpose.CRISIS_FOUND: ("学校已启动心理危机干预", "将依法履行监护责任"),
    NoticePurpose.REFERRAL_ADVISED: ("进行专业评估与诊治", "将尽快陪同孩子就医"),
    NoticePurpose.RETURN_CONDITIONS: ("如需返校复学", "返校后本人将继续配合学校"),
}
ALLOWED = ["counsellor_a", "team_leader_a", "coordinator_a"]
REFUSED = ["counsellor_a2", "staff_a", "class_teacher_a", "counsellor_b", "provincial_admin_a"]


def _send(case, world, purpose=NoticePurpose.CRISIS_FOUND):
    guardian = case.student.guardians.first()
    text = notices_guardian.prefill(case, purpose, guardian=guardian)
    return notices_guardian.send_notice(case, by=world.counsellor_a, guardian=guardian, purpose=purpose, text=text)


def _url(case, notice, fmt):
    return reverse("dossier:notice_document", args=[case.pk, notice.pk, fmt])


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("purpose", list(NoticePurpose))
def test_each_purpose_reads_back_in_word_and_pdf(client, world, case, purpose):
    notice = _send(case, world, purpose)
    client.force_login(world.counsellor_a)
    word = client.get(_url(case, notice, "docx"))
    pdf = client.get(_url(case, notice, "pdf"))
    assert word.status_code == 200
    assert pdf.status_code == 200
    assert word["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert pdf["Content-Type"] == "application/pdf"
    assert b"FontFile2" in pdf.content  # the Chinese font travels with the file
    body, receipt = BODIES[purpose]
    for text in (_flat(docx_text(word.content)), _flat(pdf_text(pdf.content))):
        assert SCHOOL in text
        assert TITLES[purpose] in text
        assert body in text
        assert receipt in text
        assert "测试家长甲" in text  # the notice's own salutation
        assert "测试学生甲" in text
        assert case.reference in text
        assert "监护人签名" in text
        assert "收到告别短信" not in text  # what the reporter saw stays in the case


def test_downloads_are_files_named_by_case_not_person_and_audited(client, world, case):
    notice = _send(case, world)
    client.force_login(world.team_leader_a)
    response = client.get(_url(case, notice, "pdf"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"notice-{case.pk}-{notice.pk}.pdf" in disposition
    assert "%E6%B5%8B%E8%AF%95" not in disposition  # "测试" of the student's or guardian's name
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.get(action="xinan.dossier.notice.download")
    assert entry.actor == world.team_leader_a
    assert entry.after == {"notice": notice.pk, "purpose": "crisis_found", "format": "pdf"}


def test_notice_text_as_sent_is_what_the_file_says(world, case):
    guardian = case.student.guardians.first()
    text = "测试家长甲（家长）：\n请明天上午到学校心理辅导室面谈。\n甲省第一测试大学\n2026年11月23日"
    notice = notices_guardian.send_notice(
        case, by=world.counsellor_a, guardian=guardian, purpose=NoticePurpose.CRISIS_FOUND, text=text
    )
    letter = compose_notice(notice)
    paragraphs = [block for block in letter.blocks if getattr(block, "text", "") in text.split("\n")]
    assert [p.text for p in paragraphs] == text.split("\n")
    assert [(p.indent, p.right) for p in paragraphs] == [(False, False), (True, False), (True, True), (True, True)]


@pytest.mark.parametrize("who", REFUSED)
def test_people_without_the_case_are_refused_and_it_is_audited(client, world, case, who):
    notice = _send(case, world)
    client.force_login(getattr(world, who))
    for fmt in ("pdf", "docx"):
        assert client.get(_url(case, notice, fmt)).status_code == 404
    assert AuditEntry.objects.filter(action="xinan.access.denied").count() == 2
    assert not AuditEntry.objects.filter(action="xinan.dossier.notice.download").exists()


@pytest.mark.parametrize("who", ALLOWED)
def test_people_on_the_case_may_download(client, world, case, who):
    notice = _send(case, world)
    client.force_login(getattr(world, who))
    assert client.get(_url(case, notice, "docx")).status_code == 200


def test_unknown_format_or_notice_of_another_case_is_404(client, world, case):
    from xinan.cases.services.reporting import file_first_report

    notice = _send(case, world)
    other = file_first_report(
        school=world.school_a, reporter=world.staff_a, student_text="另一名学生", categories=["self_harm"]
    ).case
    client.force_login(world.team_leader_a)
    assert client.get(_url(case, notice, "exe")).status_code == 404
    assert client.get(reverse("dossier:notice_document", args=[other.pk, notice.pk, "pdf"])).status_code == 404
    assert AuditEntry.objects.filter(action="xinan.access.denied").count() == 2


def test_signed_out_visitor_goes_to_sign_in(client, world, case):
    notice = _send(case, world)
    response = client.get(_url(case, notice, "pdf"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_notice_page_offers_both_files(client, world, case):
    notice = _send(case, world)
    client.force_login(world.counsellor_a)
    page = client.get(reverse("cases:notice_print", args=[case.pk, notice.pk])).content.decode()
    assert f'href="{_url(case, notice, "pdf")}"' in page
    assert f'href="{_url(case, notice, "docx")}"' in page
