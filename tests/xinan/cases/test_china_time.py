"""Every date and time shown, exported or printed is China time (Asia/Shanghai).

At 03:54 in China it is 19:54 UTC on the previous day: a date taken from the UTC value, or a
time formatted without converting it, shows the day before. Each check runs at that moment."""

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.xinan.cases.conftest import HIGH_DANGER, PLAN_SCREEN
from xinan.cases.charts import level_history
from xinan.cases.enums import ObservationCategory
from xinan.cases.services import records, safety
from xinan.cases.services.assessment import record_assessment
from xinan.cases.services.reporting import file_first_report
from xinan.cases.services.timeline import timeline
from xinan.dossier.enums import LetterKind
from xinan.dossier.services.documents import document_bytes, upload_document
from xinan.dossier.services.generate import generate_letter

EARLY_MORNING_IN_CHINA = "2026-05-19T19:54:00Z"  # 2026-05-20 03:54 in Asia/Shanghai
CHINA_DAY, UTC_DAY = "2026-05-20", "2026-05-19"
def _pdf() -> bytes:
    """A whole PDF a reader opens (the upload check parses it, as it should)."""
    from tests.xinan.dossier.conftest import make_pdf

    return make_pdf("谈话记录")


def _case_filed_now(world, student):
    report = file_first_report(
        school=world.school_a,
        reporter=world.staff_a,
        student=student,
        categories=[ObservationCategory.SUICIDE_PLAN],
        observed="深夜发来告别信息",
    )
    report.case.assigned_counsellor = world.counsellor_a
    report.case.save(update_fields=["assigned_counsellor"])
    return report.case


def _assess(case, world):
    return record_assessment(
        case,
        by=world.counsellor_a,
        ratings=HIGH_DANGER,
        screen=PLAN_SCREEN,
        level="red",
        in_crisis=True,
        override_reason="",
    )


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@freeze_time(EARLY_MORNING_IN_CHINA)
def test_level_chart_labels_the_china_date(client, world, student):
    # Arrange
    case = _case_filed_now(world, student)
    assessment = _assess(case, world)
    client.force_login(world.counsellor_a)

    # Act
    chart = level_history([assessment])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    # Assert
    assert chart["points"][0].label.startswith("05-20")
    assert chart["ticks"] == [(chart["points"][0].x, "05-20")]
    assert 'data-test="chart-date">05-20</text>' in page
    assert "05-20 " in page.split('data-test="level-chart"')[1].split("</section>")[0]


@freeze_time(EARLY_MORNING_IN_CHINA)
def test_dossier_lists_documents_with_the_china_date(client, world, student):
    # Arrange
    case = _case_filed_now(world, student)
    upload_document(case, slot="other", chunks=[_pdf()], original_name="谈话记录.pdf", by=world.counsellor_a)
    safety.create_guardian_agreement(case, by=world.counsellor_a, guardian=student.guardians.first())
    client.force_login(world.team_leader_a)

    # Act
    page = client.get(reverse("dossier:case", args=[case.pk])).content.decode()
    upload_form = client.get(reverse("dossier:upload", args=[case.pk])).content.decode()

    # Assert
    assert f"{CHINA_DAY} 03:54" in page
    assert UTC_DAY not in page
    assert f"{CHINA_DAY} 创建" in upload_form
    assert UTC_DAY not in upload_form


@freeze_time(EARLY_MORNING_IN_CHINA)
def test_exported_record_form_shows_china_dates_and_times(world, student):
    # Arrange
    case = _case_filed_now(world, student)
    _assess(case, world)
    records.add_referral(case, by=world.counsellor_a, agency="某市精神卫生中心", department="心理科", reason="评估")

    # Act
    word, _pdf = generate_letter(case, LetterKind.INTERVENTION_RECORD, by=world.counsellor_a)
    text = _docx_text(document_bytes(word))

    # Assert
    assert f"发现时间：{CHINA_DAY} 03:54" in text
    assert text.count(f"{CHINA_DAY} 03:54") >= 3  # first report, assessment, referral
    assert UTC_DAY not in text


def test_status_event_sits_in_the_timeline_at_eight_in_the_morning_china_time(world, case):
    # Arrange
    with freeze_time(EARLY_MORNING_IN_CHINA):
        records.add_status_event(
            case, by=world.counsellor_a, kind="leave", starts_on=dt.date(2026, 5, 20), ends_on=None, note=""
        )

    # Act
    events = [e for e in timeline(case) if e.kind == "status"]

    # Assert
    local = timezone.localtime(events[0].at)
    assert (local.date().isoformat(), local.hour) == (CHINA_DAY, 8)


def test_level_chart_dates_at_most_six_first_and_last_included(world, case):
    # Arrange
    start = timezone.now()
    items = [
        case.assessments.create(
            by=world.counsellor_a,
            at=start + dt.timedelta(days=day),
            ratings={},
            screen={},
            suggested_level="red",
            level="red",
            in_crisis=True,
        )
        for day in range(10)
    ]

    # Act
    chart = level_history(items)

    # Assert
    labels = [label for _x, label in chart["ticks"]]
    assert len(labels) == 6
    assert labels[0] == f"{timezone.localtime(items[0].at):%m-%d}"
    assert labels[-1] == f"{timezone.localtime(items[-1].at):%m-%d}"
