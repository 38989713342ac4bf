import io
import threading

import pytest
from django.db import connection
from openpyxl import load_workbook

from tests.document_fixtures import PDF_ATTACKS, truetype_pdf_with_js_bytes_in_a_stream
from tests.xinan.selection.conftest import make_approved
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import ProvinceQuota, Submission
from xinan.crypto.files import read_encrypted
from xinan.selection.enums import SUMMARY_COLUMNS
from xinan.selection.models import Recommendation, RecommendationItem
from xinan.selection.services import recommendation as service
from xinan.selection.services.errors import SelectionError

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


def _rec(world, campaign):
    return service.open_recommendation(campaign, world.province_a, by=world.provincial_admin_a)


def _pdf_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def _prepared(world, campaign, cases):
    rec = _rec(world, campaign)
    for case in cases:
        service.add_to_recommendation(rec, case, by=world.provincial_admin_a)
    service.generate_summary_table(rec, by=world.provincial_admin_a)
    service.upload_sealed_scan(rec, JPEG, by=world.provincial_admin_a)
    rec.refresh_from_db()
    return rec


def test_recommendation_within_quota_counts_on_the_province_row(world, campaign, approved):
    rec = _rec(world, campaign)
    for case in approved[:3]:
        result = service.add_to_recommendation(rec, case, by=world.provincial_admin_a)
        assert not result.over_quota
    quota = ProvinceQuota.objects.get(campaign=campaign, province=world.province_a)
    assert (quota.used, quota.quota) == (3, 3)
    assert list(rec.items.values_list("position", flat=True)) == [1, 2, 3]
    assert AuditEntry.objects.filter(action="xinan.selection.recommendation.add").count() == 3


def test_soft_quota_warns_above_it(world, campaign, approved):
    rec = _rec(world, campaign)
    results = [service.add_to_recommendation(rec, case, by=world.provincial_admin_a) for case in approved[:4]]
    assert [r.over_quota for r in results] == [False, False, False, True]
    assert rec.items.count() == 4


def test_hard_quota_refuses_above_it(world, campaign, approved):
    campaign.province_quota_mode = "hard"
    campaign.save()
    rec = _rec(world, campaign)
    for case in approved[:3]:
        service.add_to_recommendation(rec, case, by=world.provincial_admin_a)
    with pytest.raises(SelectionError, match="名额"):
        service.add_to_recommendation(rec, approved[3], by=world.provincial_admin_a)
    assert rec.items.count() == 3
    assert ProvinceQuota.objects.get(campaign=campaign, province=world.province_a).used == 3


def test_removing_frees_the_slot_and_renumbers(world, campaign, approved):
    campaign.province_quota_mode = "hard"
    campaign.save()
    rec = _rec(world, campaign)
    for case in approved[:3]:
        service.add_to_recommendation(rec, case, by=world.provincial_admin_a)
    service.remove_from_recommendation(rec, approved[0], by=world.provincial_admin_a)
    service.add_to_recommendation(rec, approved[3], by=world.provincial_admin_a)
    assert list(rec.items.values_list("submission_id", "position")) == [
        (approved[1].pk, 1),
        (approved[2].pk, 2),
        (approved[3].pk, 3),
    ]


def test_only_approved_cases_of_the_province_can_be_recommended(world, campaign, approved):
    rec = _rec(world, campaign)
    with pytest.raises(SelectionError, match="本省"):
        service.add_to_recommendation(rec, approved[4], by=world.provincial_admin_a)  # province B's case
    Submission.objects.filter(pk=approved[0].pk).update(state="submitted")
    with pytest.raises(SelectionError, match="审核通过"):
        service.add_to_recommendation(rec, approved[0], by=world.provincial_admin_a)
    assert not rec.items.exists()


def test_summary_table_excel_reads_back(world, campaign, approved):
    rec = _rec(world, campaign)
    for case in approved[:3]:
        service.add_to_recommendation(rec, case, by=world.provincial_admin_a)
    rec = service.generate_summary_table(rec, by=world.provincial_admin_a)
    data = read_encrypted(rec.xlsx_name, sha256=rec.xlsx_sha256)
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "甲省2026年高校学生心理危机干预案例推荐汇总表"
    assert values[2] == [str(c) for c in SUMMARY_COLUMNS]
    rows = values[3:6]
    assert [row[0] for row in rows] == ["1", "2", "3"]
    assert rows[0][1] == world.school_a.name
    assert rows[0][2].startswith(approved[0].title)
    assert "——一例由学业挫折" in rows[0][2]
    assert rows[0][3] == "测试作者（某大学心理中心、专职咨询师）"
    assert rows[0][4:7] == ["学业", "自我伤害", "干预成功"]  # the campaign's category for "学业挫折"
    assert "13712345678" in rows[0][7]
    flat = "\n".join(str(v) for row in values for v in row if v)
    assert rec.verification_code in flat
    assert len(rec.verification_code) == 14
    expected = service.set_digest([c.submission_hash for c in approved[:3]])
    assert rec.set_sha256 == expected
    assert expected in flat
    assert "推荐单位（盖章）" in flat


def test_summary_table_pdf_has_chinese_text_and_embedded_font(world, campaign, approved):
    rec = _rec(world, campaign)
    for case in approved[:3]:
        service.add_to_recommendation(rec, case, by=world.provincial_admin_a)
    rec = service.generate_summary_table(rec, by=world.provincial_admin_a)
    data = read_encrypted(rec.pdf_name, sha256=rec.pdf_sha256)
    assert b"/FontFile2" in data
    text = _pdf_text(data)
    for needle in (world.school_a.name, world.school_a2.name, approved[0].title, approved[2].title, "推荐单位（盖章）"):
        assert needle in text
    assert rec.verification_code in text
    assert "汇总表" in text


def test_sealed_scan_refuses_a_renamed_program(world, campaign, approved):
    rec = _rec(world, campaign)
    service.add_to_recommendation(rec, approved[0], by=world.provincial_admin_a)
    service.generate_summary_table(rec, by=world.provincial_admin_a)
    with pytest.raises(SelectionError, match="照片"):
        service.upload_sealed_scan(rec, b"MZ\x90\x00 not an image", by=world.provincial_admin_a)
    rec.refresh_from_db()
    assert rec.seal_name == ""


def test_sealed_scan_pdf_with_a_script_is_refused_and_audited(world, campaign, approved):
    # Arrange
    rec = _rec(world, campaign)
    service.add_to_recommendation(rec, approved[0], by=world.provincial_admin_a)
    service.generate_summary_table(rec, by=world.provincial_admin_a)

    # Act
    with pytest.raises(SelectionError, match="JavaScript") as caught:
        service.upload_sealed_scan(rec, PDF_ATTACKS["escaped-name"][0], by=world.provincial_admin_a)

    # Assert
    assert caught.value.code == "pdf.javascript"
    rec.refresh_from_db()
    assert rec.seal_name == ""
    entry = AuditEntry.objects.get(action="xinan.upload.refused")
    assert entry.after == {
        "path": "selection.seal",
        "reason": "pdf.javascript",
        "bytes": len(PDF_ATTACKS["escaped-name"][0]),
    }
    assert (entry.object_id, entry.organisation_id) == (str(rec.pk), world.province_a.pk)


def test_sealed_scan_clean_pdf_with_script_bytes_in_a_stream_is_accepted(world, campaign, approved):
    # Arrange: the bytes /JS and /JavaScript inside a compressed font are not names
    rec = _rec(world, campaign)
    service.add_to_recommendation(rec, approved[0], by=world.provincial_admin_a)
    service.generate_summary_table(rec, by=world.provincial_admin_a)

    # Act
    rec = service.upload_sealed_scan(rec, truetype_pdf_with_js_bytes_in_a_stream(), by=world.provincial_admin_a)

    # Assert
    assert rec.seal_extension == "pdf"


def test_submit_locks_and_moves_cases_to_recommended(world, campaign, approved):
    rec = _prepared(world, campaign, approved[:2])
    service.submit_recommendation(rec, by=world.provincial_admin_a)
    rec.refresh_from_db()
    assert rec.state == "submitted"
    assert rec.is_locked
    assert set(Submission.objects.filter(pk__in=[c.pk for c in approved[:2]]).values_list("state", flat=True)) == {
        "recommended"
    }
    assert AuditEntry.objects.filter(action="xinan.campaign.submission.recommend").count() == 2
    assert AuditEntry.objects.filter(action="xinan.selection.recommendation.submit").count() == 1
    for change in (
        lambda: service.add_to_recommendation(rec, approved[2], by=world.provincial_admin_a),
        lambda: service.remove_from_recommendation(rec, approved[0], by=world.provincial_admin_a),
        lambda: service.generate_summary_table(rec, by=world.provincial_admin_a),
        lambda: service.upload_sealed_scan(rec, JPEG, by=world.provincial_admin_a),
        lambda: service.submit_recommendation(rec, by=world.provincial_admin_a),
    ):
        with pytest.raises(SelectionError, match="锁定"):
            change()
    assert rec.items.count() == 2


def test_submit_needs_the_seal_of_the_current_set(world, campaign, approved):
    rec = _rec(world, campaign)
    service.add_to_recommendation(rec, approved[0], by=world.provincial_admin_a)
    service.generate_summary_table(rec, by=world.provincial_admin_a)
    with pytest.raises(SelectionError, match="盖章"):
        service.submit_recommendation(rec, by=world.provincial_admin_a)
    service.upload_sealed_scan(rec, JPEG, by=world.provincial_admin_a)
    service.add_to_recommendation(rec, approved[1], by=world.provincial_admin_a)  # the set changes
    with pytest.raises(SelectionError, match="汇总表"):
        service.submit_recommendation(rec, by=world.provincial_admin_a)
    assert Submission.objects.get(pk=approved[0].pk).state == "approved"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_recommendations_never_exceed_a_hard_quota(world, campaign):
    campaign.province_quota_mode = "hard"
    campaign.province_quota = 2
    campaign.save()
    schools = [world.school_a, world.school_a, world.school_a, world.school_a2, world.school_a2, world.school_a2]
    cases = [make_approved(world, campaign, school=s, title=f"携手同行 守护生命{i}") for i, s in enumerate(schools)]
    rec = _rec(world, campaign)
    barrier = threading.Barrier(len(cases))
    outcomes = []

    def attempt(case):
        try:
            barrier.wait()
            service.add_to_recommendation(Recommendation.objects.get(pk=rec.pk), case, by=world.provincial_admin_a)
            outcomes.append("ok")
        except SelectionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 2
    assert RecommendationItem.objects.count() == 2
    assert ProvinceQuota.objects.get(campaign=campaign, province=world.province_a).used == 2
