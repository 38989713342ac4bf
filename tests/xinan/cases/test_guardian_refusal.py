"""A guardian's refusal is part of the case record (timeline and record form); it escalates to
the team leader with a task that is due, not overdue, when it is made; only the team leader
closes that task, saying how it was dealt with."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from xinan.audit.models import AuditEntry
from xinan.cases.enums import NoticeResponse, TaskKind
from xinan.cases.models import Case, Task
from xinan.cases.services import notices_guardian, records
from xinan.cases.services.errors import CaseError
from xinan.cases.services.timeline import timeline
from xinan.dossier.enums import LetterKind
from xinan.dossier.services.documents import document_bytes
from xinan.dossier.services.generate import generate_letter

WORDS = "孩子没事，不用你们管"
NOTICE_WORDS = "我们不去医院"


def _refuse_by_phone(case, world, guardian):
    return records.add_guardian_contact(
        case,
        by=world.counsellor_a,
        at=timezone.now(),
        channel="phone",
        said="告知学生近期情况，建议就医",
        response="refused",
        guardian=guardian,
        guardian_words=WORDS,
    )


def _refuse_notice(case, world, guardian):
    notice = notices_guardian.send_notice(
        case, by=world.counsellor_a, guardian=guardian, purpose="referral_advised", text="请尽快联系学校"
    )
    notices_guardian.record_response(
        notice, by=world.counsellor_a, response=NoticeResponse.REFUSED, channel="phone", guardian_words=NOTICE_WORDS
    )
    return notice


def _escalation(case) -> Task:
    return case.tasks.filter(kind=TaskKind.ESCALATION).order_by("pk").first()


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    return "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_refusals_appear_in_the_case_timeline(world, case, student):
    # Arrange
    guardian = student.guardians.first()
    _refuse_by_phone(case, world, guardian)
    _refuse_notice(case, world, guardian)

    # Act
    events = timeline(case)

    # Assert
    texts = [(e.title, e.detail, e.colour) for e in events]
    assert any("拒绝" in title and WORDS in detail and colour == "red" for title, detail, colour in texts)
    assert any("告知书的回应：拒绝" in title and NOTICE_WORDS in detail for title, detail, _c in texts)
    assert any(title.startswith("上报组长") for title, _d, _c in texts)


def test_refusals_and_the_leaders_handling_are_in_the_record_form(world, case, student):
    # Arrange
    guardian = student.guardians.first()
    _refuse_notice(case, world, guardian)
    records.complete_task(_escalation(case), by=world.team_leader_a, note="组长约见监护人，已同意就医")

    # Act
    word, _pdf = generate_letter(case, LetterKind.INTERVENTION_RECORD, by=world.counsellor_a)
    text = _docx_text(document_bytes(word))

    # Assert
    assert f"拒绝：{NOTICE_WORDS}" in text
    assert "转介就医建议告知" in text
    assert "组长约见监护人，已同意就医" in text


@pytest.mark.parametrize(("level", "hours"), [("", 24), ("red", 2), ("blue", 24)])
def test_escalation_task_is_not_overdue_when_it_is_made(world, case, student, level, hours):
    # Arrange
    Case.objects.filter(pk=case.pk).update(risk_level=level)
    case.refresh_from_db()
    before = timezone.now()

    # Act
    _refuse_by_phone(case, world, student.guardians.first())

    # Assert
    task = _escalation(case)
    assert task.assignee == world.team_leader_a
    assert not task.is_overdue()
    assert abs((task.due_at - before).total_seconds() - hours * 3600) < 60


def test_only_the_team_leader_closes_the_escalation_and_with_a_note(client, world, case, student):
    # Arrange
    _refuse_by_phone(case, world, student.guardians.first())
    task = _escalation(case)
    url = reverse("cases:task_done", args=[case.pk, task.pk])
    client.force_login(world.counsellor_a)
    denials = AuditEntry.objects.filter(action="xinan.access.denied").count()

    # Act
    counsellor_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    counsellor_post = client.post(url, {"confirm": "on", "note": "已处理"})
    client.force_login(world.team_leader_a)
    leader_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    without_note = client.post(url, {"confirm": "on"})
    with_note = client.post(url, {"confirm": "on", "note": "组长已电话联系监护人"})

    # Assert
    assert url not in counsellor_page
    assert f'data-test="task-owner-only-{task.pk}"' in counsellor_page
    assert counsellor_post.status_code == 404
    assert AuditEntry.objects.filter(action="xinan.access.denied").count() == denials + 1
    assert url in leader_page
    assert without_note.status_code == 400
    assert "请写明处理情况" in without_note.content.decode()
    assert with_note.status_code == 302
    task.refresh_from_db()
    assert task.done_by == world.team_leader_a
    assert task.done_note == "组长已电话联系监护人"
    with pytest.raises(CaseError, match="组长"):
        records.complete_task(task, by=world.counsellor_a, note="x")
