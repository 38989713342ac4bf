"""Retention with a frozen clock: due cases go (rows and files), others stay, every destruction
recorded without content."""

import datetime as dt
import io
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.management import call_command

from xinan.audit.models import AuditEntry
from xinan.cases.enums import CaseState
from xinan.cases.models import Case, FirstReport
from xinan.config.env import env_int, env_str
from xinan.crypto.files import store_encrypted
from xinan.dossier.enums import DocumentSlot
from xinan.dossier.models import Document
from xinan.retention.enums import RetentionAction
from xinan.retention.models import DestructionRecord
from xinan.retention.services.destruction import destroy_due_cases, find_due_cases
from xinan.retention.services.hold import set_legal_hold

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSED_AT = dt.datetime(2020, 7, 1, 10, 0, tzinfo=SHANGHAI)
# Kept 5 years (the default): 2020-07-01 through 2025-07-01.
ONE_DAY_SHORT = dt.datetime(2025, 6, 30, 12, 0, tzinfo=SHANGHAI)
LAST_DAY = dt.datetime(2025, 7, 1, 12, 0, tzinfo=SHANGHAI)
ONE_DAY_PAST = dt.datetime(2025, 7, 2, 12, 0, tzinfo=SHANGHAI)
FILE_BYTES = "个案档案文件内容-a1b2".encode()


def _close(case, closed_at=CLOSED_AT):
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_at=closed_at)
    case.refresh_from_db()
    return case


def _add_document(case, world) -> Document:
    stored = store_encrypted(FILE_BYTES, folder="dossier")
    return Document.objects.create(
        case=case,
        slot=DocumentSlot.LEAVE_RECORD,
        storage_name=stored.name,
        sha256=stored.sha256,
        size=stored.size,
        content_type="application/pdf",
        extension="pdf",
        original_name="测试学生甲请假条.pdf",
        uploaded_by=world.counsellor_a,
    )


@pytest.fixture
def closed_case(world, case):
    _close(case)
    return case


def test_one_day_short_of_the_period_stays(world, closed_case):
    document = _add_document(closed_case, world)
    with time_machine.travel(ONE_DAY_SHORT, tick=False):
        assert destroy_due_cases(by_job="test") == []
    with time_machine.travel(LAST_DAY, tick=False):
        assert destroy_due_cases(by_job="test") == []
    assert Case.objects.filter(pk=closed_case.pk).exists()
    assert default_storage.exists(document.storage_name)
    assert not DestructionRecord.objects.exists()


def test_one_day_past_the_period_goes_with_rows_and_files(world, closed_case):
    document = _add_document(closed_case, world)
    case_pk, storage_name = closed_case.pk, document.storage_name
    assert default_storage.exists(storage_name)
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        done = destroy_due_cases(by_job="test")
    assert len(done) == 1
    assert not Case.objects.filter(pk=case_pk).exists()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not FirstReport.objects.filter(case_id=case_pk).exists()
    assert not default_storage.exists(storage_name)
    entry = DestructionRecord.objects.get()
    assert entry.files_removed == 1
    assert entry.rows_removed >= 3  # case, first report, document at least
    assert entry.due_on == dt.date(2025, 7, 1)
    assert entry.counted_from == "closed"
    assert entry.rule_years == 5
    assert entry.school == world.school_a
    assert AuditEntry.objects.filter(action="xinan.retention.destroy", organisation=world.school_a).count() == 1


def test_destruction_record_holds_no_content(world, closed_case, student):
    _add_document(closed_case, world)
    reference = closed_case.reference
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        destroy_due_cases(by_job="test")
    entry = DestructionRecord.objects.get()
    text = repr(
        {field.name: getattr(entry, field.attname) for field in DestructionRecord._meta.concrete_fields}
    ) + " ".join(AuditEntry.objects.filter(action="xinan.retention.destroy").values_list("reason", flat=True))
    for secret in ("测试学生甲", "20240001", "测试家长甲", "收到告别短信", "联系了同学陪伴", "请假条", reference):
        assert secret not in text
    assert len(entry.reference_hash) == 64


def test_anonymise_mode_keeps_counts_only(world, closed_case, settings):
    settings.RETENTION_ACTION = "anonymise"
    _add_document(closed_case, world)
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        destroy_due_cases(by_job="test")
    assert not Case.objects.filter(pk=closed_case.pk).exists()
    entry = DestructionRecord.objects.get()
    assert entry.action == RetentionAction.ANONYMISE
    assert entry.counts["cases.case"] == 1
    assert entry.counts["dossier.document"] == 1
    assert sum(entry.counts.values()) == entry.rows_removed


def test_a_case_on_legal_hold_stays(world, closed_case):
    document = _add_document(closed_case, world)
    set_legal_hold(closed_case, by=world.team_leader_a, reason="诉讼保全")
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        assert find_due_cases() == []
        assert destroy_due_cases(by_job="test") == []
    assert Case.objects.filter(pk=closed_case.pk).exists()
    assert default_storage.exists(document.storage_name)
    assert not DestructionRecord.objects.exists()


def test_open_cases_are_never_due(world, case):
    Case.objects.filter(pk=case.pk).update(closed_at=CLOSED_AT)  # an odd row: closed_at but open
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        assert destroy_due_cases(by_job="test") == []
    assert Case.objects.filter(pk=case.pk).exists()


def test_period_counts_from_the_later_of_leaving_and_closing(world, closed_case, student):
    student.left_on = dt.date(2022, 7, 10)  # left two years after the case was closed
    student.save(update_fields=["left_on"])
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        assert find_due_cases() == []
    with time_machine.travel(dt.datetime(2027, 7, 10, 12, 0, tzinfo=SHANGHAI), tick=False):
        assert find_due_cases() == []
    with time_machine.travel(dt.datetime(2027, 7, 11, 12, 0, tzinfo=SHANGHAI), tick=False):
        (due,) = find_due_cases()
        assert due.counted_from == "left"
        assert due.due_on == dt.date(2027, 7, 10)
        destroy_due_cases(by_job="test")
    assert DestructionRecord.objects.get().counted_from_date == dt.date(2022, 7, 10)


def test_leaving_before_closing_counts_from_closing(world, closed_case, student):
    student.left_on = dt.date(2019, 1, 1)
    student.save(update_fields=["left_on"])
    with time_machine.travel(ONE_DAY_SHORT, tick=False):
        assert find_due_cases() == []
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        assert [d.counted_from for d in find_due_cases()] == ["closed"]


def test_dry_run_lists_the_due_case_and_deletes_nothing(world, closed_case, student):
    document = _add_document(closed_case, world)
    out = io.StringIO()
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        call_command("retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert closed_case.reference in text
    assert world.school_a.name in text
    assert "2020-07-01" in text
    assert "2025-07-01" in text
    assert "测试学生甲" not in text
    assert Case.objects.filter(pk=closed_case.pk).exists()
    assert default_storage.exists(document.storage_name)
    assert not DestructionRecord.objects.exists()


def test_command_without_dry_run_destroys(world, closed_case):
    out = io.StringIO()
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        call_command("retention", stdout=out)
    assert "1 case(s) destroyed" in out.getvalue()
    assert not Case.objects.filter(pk=closed_case.pk).exists()
    assert DestructionRecord.objects.get().by_job == "retention_command"


def test_daily_job_is_registered_and_runs_for_real(world, closed_case):
    from xinan.jobs.services.periodic import PERIODIC_JOBS
    from xinan.retention.tasks import task_destroy_due_cases

    (job,) = [j for j in PERIODIC_JOBS if j.name == "retention_destroy"]
    assert job.every == dt.timedelta(days=1)
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        assert task_destroy_due_cases.call() == 1
    assert DestructionRecord.objects.get().by_job == "retention_daily"


@pytest.mark.parametrize(
    ("name", "raw"),
    [("XINAN_RETENTION_CASE_YEARS", "0"), ("XINAN_RETENTION_CASE_YEARS", "five"), ("XINAN_RETENTION_ACTION", "shred")],
)
def test_bad_settings_fail_loudly(monkeypatch, name, raw):
    monkeypatch.setenv(name, raw)
    readers = {
        "XINAN_RETENTION_CASE_YEARS": lambda: env_int(name, 5, minimum=1),
        "XINAN_RETENTION_ACTION": lambda: env_str(name, "destroy", choices=("destroy", "anonymise")),
    }
    with pytest.raises(ImproperlyConfigured, match=name):
        readers[name]()


def test_settings_refuse_a_period_under_one_year(tmp_path):
    env = {**os.environ, "XINAN_RETENTION_CASE_YEARS": "0", "XINAN_DATA_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "xinan.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "XINAN_RETENTION_CASE_YEARS=0 is below the minimum 1" in result.stderr


def test_default_settings():
    from django.conf import settings

    assert settings.RETENTION_CASE_YEARS >= 1
    assert settings.RETENTION_ACTION in {"destroy", "anonymise"}


def test_consent_proofs_go_with_the_case(world, closed_case):
    import io

    from PIL import Image

    from xinan.privacy.services.consent import record_consent

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    # The fixture student was born in 2005: an adult, who consents for themselves.
    consent = record_consent(
        case=closed_case,
        purpose="record_keeping",
        given_by="student",
        giver_name="测试学生甲",
        given_on=dt.date(2020, 1, 1),
        form="written",
        actor=world.counsellor_a,
        proof=buffer.getvalue(),
    )
    assert default_storage.exists(consent.proof_storage_name)
    with time_machine.travel(ONE_DAY_PAST, tick=False):
        destroy_due_cases(by_job="test")
    assert not default_storage.exists(consent.proof_storage_name)
    assert DestructionRecord.objects.get().files_removed == 1
