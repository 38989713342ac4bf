"""The structured editor: the official sample, the live analysis, flags and "mark ready"."""

import pytest
from django.urls import reverse

from xinan.audit.models import AuditEntry
from xinan.reports.enums import FlagDecisionKind, ReportStatus
from xinan.reports.models import CaseReport, FlagDecision
from xinan.reports.services import authoring
from xinan.reports.services.documents import Analysis, texts_of

from .conftest import CLEAN_TEXTS, make_report


def _post_editor(client, report, **extra):
    data = {**texts_of(report), "has_artistic_footnote": "on", **extra}
    return client.post(reverse("reports:edit", args=[report.pk]), data)


def test_official_sample_pasted_fills_every_section(client, world, report, sample_text):
    client.force_login(world.counsellor_a)

    response = client.post(reverse("reports:import", args=[report.pk]), {"text": sample_text})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "多方协同 化险为夷"
    assert report.subtitle == "——一例由抑郁症引发自杀危机的干预报告"
    for key in ("basic_info", "occurrence", "process", "result", "experience"):
        assert getattr(report, key).strip(), key
    assert report.has_artistic_footnote
    assert report.char_count == 2094
    page = client.get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert 'data-test="trigger">抑郁症<' in page
    assert 'data-test="nature">自杀<' in page
    assert "正文 2094 / 2000 字" in page
    analysis = authoring.analyse(report)
    assert not [f for f in analysis.flags if f.severity in {"high", "medium"}]
    assert [f.text for f in analysis.flags if f.severity == "low"]  # 王老师, as the template writes it


def test_editor_page_shows_count_problems_and_flags(client, world, names):
    report = make_report(world.counsellor_a, world.school_a, occurrence=f"{names[0]}同学的电话是13800138000。")
    client.force_login(world.counsellor_a)

    page = client.get(reverse("reports:edit", args=[report.pk])).content.decode()

    assert 'data-test="char-count"' in page
    assert '<mark class="flag red' in page
    assert names[0] in page
    assert 'data-test="flag-apply"' in page
    assert "学业压力" in page
    assert "自伤" in page


def test_preview_counts_what_is_typed_without_saving(client, world, report):
    client.force_login(world.counsellor_a)
    data = {**texts_of(report), "experience": "心理危机干预" * 10, "has_artistic_footnote": "on"}

    response = client.post(reverse("reports:preview", args=[report.pk]), data)

    assert response.status_code == 200
    expected = Analysis({**texts_of(report), "experience": "心理危机干预" * 10}, footnote=True).char_count
    assert f"正文 {expected} / 2000 字" in response.content.decode()
    report.refresh_from_db()
    assert report.experience == CLEAN_TEXTS["experience"]


def test_preview_highlights_a_phone_typed_live(client, world, report):
    client.force_login(world.counsellor_a)
    data = {**texts_of(report), "process": "家长电话138-0013-8000。"}

    body = client.post(reverse("reports:preview", args=[report.pk]), data).content.decode()

    assert 'data-severity="high"' in body
    assert "138-0013-8000</mark>" in body


def test_save_counts_on_the_server_and_audits_without_text(client, world, report):
    client.force_login(world.counsellor_a)

    response = _post_editor(client, report, result="危机解除。")

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.result == "危机解除。"
    assert report.char_count == Analysis(texts_of(report), footnote=True).char_count
    entry = AuditEntry.objects.filter(action="xinan.report.update").latest("pk")
    assert entry.after["fields"] == ["result"]
    assert "危机解除" not in str(entry.after)


def test_clean_report_can_be_marked_ready(client, world, report):
    client.force_login(world.counsellor_a)

    response = _post_editor(client, report, action="ready")

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert report.deidentified_at is not None
    assert AuditEntry.objects.filter(action="xinan.report.ready", object_id=str(report.pk)).count() == 1


def test_editing_a_ready_report_sends_it_back_to_draft(client, world, report):
    client.force_login(world.counsellor_a)
    _post_editor(client, report, action="ready")
    report.refresh_from_db()

    _post_editor(client, report, experience="新的体会。")

    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.ready_at is None


@pytest.fixture
def risky(world, names):
    name = names[1]
    occurrence = f"{name}同学的手机号是13912345678，室友说{name}最近很少说话。"
    return make_report(world.counsellor_a, world.school_a, occurrence=occurrence), name


def test_mark_ready_refused_until_name_and_phone_resolved(client, world, risky):
    report, name = risky
    client.force_login(world.counsellor_a)

    response = _post_editor(client, report, action="ready")

    assert response.status_code == 400
    body = response.content.decode()
    assert "报告还不能定稿" in body
    assert f"“{name}”可能暴露当事人身份" in body
    assert "“13912345678”可能暴露当事人身份" in body
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert AuditEntry.objects.filter(action="xinan.report.ready.refused").count() == 1


def _flag_index(client, report, text):
    analysis = authoring.analyse(report)
    return next(i for i, flag in enumerate(analysis.distinct_flags) if flag.text == text), analysis


def test_apply_replaces_every_occurrence_and_leaves_nothing_high_or_medium(client, world, risky):
    report, name = risky
    client.force_login(world.counsellor_a)

    for text in (name, "13912345678"):
        index, analysis = _flag_index(client, report, text)
        flag = analysis.distinct_flags[index]
        response = _post_editor(
            client,
            report,
            flag_action=f"{index}:applied",
            **{f"flag-{index}-kind": flag.kind, f"flag-{index}-text": flag.text},
        )
        assert response.status_code == 302
        report.refresh_from_db()

    assert name not in report.occurrence
    assert "13912345678" not in report.occurrence
    assert "（化名）" in report.occurrence
    assert "[已删除]" in report.occurrence
    remaining = authoring.analyse(report)
    assert not [f for f in remaining.flags if f.severity in {"high", "medium"}]
    decisions = list(FlagDecision.objects.filter(report=report).values_list("decision", "occurrences"))
    assert decisions == [(FlagDecisionKind.APPLIED, 2), (FlagDecisionKind.APPLIED, 1)]
    assert not FlagDecision.objects.filter(kept_text__isnull=False).exclude(kept_text="").exists()
    assert _post_editor(client, report, action="ready").status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.READY


def test_edit_applies_the_authors_replacement_everywhere(client, world, risky):
    report, name = risky
    client.force_login(world.counsellor_a)
    index, _analysis = _flag_index(client, report, name)

    response = _post_editor(
        client,
        report,
        flag_action=f"{index}:edited",
        **{f"flag-{index}-kind": "person_name", f"flag-{index}-text": name, f"flag-{index}-replacement": "小周"},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.occurrence.count("小周") == 2
    assert report.occurrence.count("小周（化名）") == 1
    assert FlagDecision.objects.get(report=report).decision == FlagDecisionKind.EDITED


def test_dismiss_needs_a_reason_then_unblocks(client, world, risky):
    report, name = risky
    client.force_login(world.counsellor_a)
    index, _analysis = _flag_index(client, report, "13912345678")
    fields = {f"flag-{index}-kind": "phone", f"flag-{index}-text": "13912345678"}

    refused = _post_editor(client, report, flag_action=f"{index}:dismissed", **fields)
    assert refused.status_code == 400
    assert "请写明理由" in refused.content.decode()
    assert not FlagDecision.objects.exists()

    accepted = _post_editor(
        client, report, flag_action=f"{index}:dismissed", **fields, **{f"flag-{index}-reason": "学校公开的心理热线"}
    )
    assert accepted.status_code == 302
    row = FlagDecision.objects.get()
    assert row.decision == FlagDecisionKind.DISMISSED
    assert row.kept_text == "13912345678"
    assert row.reason == "学校公开的心理热线"
    report.refresh_from_db()
    assert "13912345678" in report.occurrence
    reasons = authoring.reasons_not_ready(authoring.analyse(report))
    assert len(reasons) == 1
    assert name in reasons[0]


def test_flag_posted_for_text_that_is_not_flagged_is_refused(client, world, report):
    client.force_login(world.counsellor_a)

    response = _post_editor(
        client, report, flag_action="0:applied", **{"flag-0-kind": "person_name", "flag-0-text": "某大学"}
    )

    assert response.status_code == 400
    assert "这条隐私提示已不存在" in response.content.decode()
    assert not FlagDecision.objects.exists()


def test_format_errors_refuse_ready_with_chinese_reasons(client, world):
    report = make_report(world.counsellor_a, world.school_a, subtitle="", result="")
    client.force_login(world.counsellor_a)

    response = _post_editor(client, report, action="ready")

    assert response.status_code == 400
    body = response.content.decode()
    assert "副标题：缺少副标题" in body
    assert "干预结果：“干预结果”部分没有内容" in body
    assert CaseReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_too_long_section_is_refused_and_nothing_saved(client, world, report):
    client.force_login(world.counsellor_a)

    response = _post_editor(client, report, process="字" * 20001)

    assert response.status_code == 400
    report.refresh_from_db()
    assert report.process == CLEAN_TEXTS["process"]
