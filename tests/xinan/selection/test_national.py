import io
import time

import docx
import pytest
from django.urls import reverse

from tests.xinan.selection.test_recommendation import JPEG, _pdf_text
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import Submission
from xinan.crypto.files import read_encrypted
from xinan.selection.models import Commentary
from xinan.selection.services import recommendation as service
from xinan.selection.services.anthology import Entry, build_anthology_docx, build_anthology_pdf, generate_anthology
from xinan.selection.services.errors import SelectionError
from xinan.selection.services.national import select_submission, unselect_submission, write_commentary
from xinan_reportformat import parse_text

COMMENTS = [
    "本案例体现了“生命高于一切”的原则，辅导员、心理中心与家长协同及时，安全计划书的使用值得推广。",
    "干预过程规范，转介及时，复学后的持续关注做得扎实；建议进一步总结家校沟通中的难点与对策。",
]


def recommended(world, campaign, cases):
    rec = service.open_recommendation(campaign, world.province_a, by=world.provincial_admin_a)
    for case in cases:
        service.add_to_recommendation(rec, case, by=world.provincial_admin_a)
    service.generate_summary_table(rec, by=world.provincial_admin_a)
    service.upload_sealed_scan(rec, JPEG, by=world.provincial_admin_a)
    service.submit_recommendation(rec, by=world.provincial_admin_a)
    rec.refresh_from_db()
    return rec


def test_selection_and_commentary(world, campaign, approved):
    recommended(world, campaign, approved[:2])
    chosen = select_submission(approved[0], by=world.national_admin)
    assert chosen.state == "selected"
    commentary = write_commentary(chosen, text=COMMENTS[0], by=world.national_admin)
    assert commentary.author == world.national_admin
    assert commentary.written_at
    assert AuditEntry.objects.filter(action="xinan.selection.commentary.write").count() == 1
    with pytest.raises(SelectionError, match="入选案例"):
        write_commentary(approved[1], text=COMMENTS[1], by=world.national_admin)  # recommended, not selected
    with pytest.raises(SelectionError, match="至少"):
        write_commentary(chosen, text="很好", by=world.national_admin)
    assert Commentary.objects.get().text == COMMENTS[0]


def test_only_recommended_cases_can_be_selected(world, campaign, approved):
    with pytest.raises(SelectionError, match="不能执行此操作"):
        select_submission(approved[0], by=world.national_admin)  # still only approved by the province
    assert Submission.objects.get(pk=approved[0].pk).state == "approved"


def test_unselect_needs_a_reason(world, campaign, approved):
    recommended(world, campaign, approved[:1])
    select_submission(approved[0], by=world.national_admin)
    with pytest.raises(SelectionError, match="原因"):
        unselect_submission(approved[0], by=world.national_admin, reason="")
    assert unselect_submission(approved[0], by=world.national_admin, reason="重复选题").state == "recommended"


def test_anthology_reads_back_with_titles_commentary_and_contents(world, campaign, approved):
    recommended(world, campaign, approved[:3])
    for case, text in zip(approved[:2], COMMENTS, strict=True):
        select_submission(case, by=world.national_admin)
        write_commentary(case, text=text, by=world.national_admin)
    anthology = generate_anthology(campaign, by=world.national_admin)
    assert anthology.report_count == 2

    document = docx.Document(io.BytesIO(read_encrypted(anthology.docx_name, sha256=anthology.docx_sha256)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "典型案例集" in text
    assert "目录" in text
    for case, comment in zip(approved[:2], COMMENTS, strict=True):
        assert case.title in text
        assert comment in text
    assert approved[2].title not in text  # recommended but not selected
    assert "——一例由学业挫折引发的自我伤害危机的干预报告" in text
    assert "六、专家点评" in text
    assert "艺术加工" in text
    assert 'w:eastAsia="宋体"' in document.element.xml

    pdf = read_encrypted(anthology.pdf_name, sha256=anthology.pdf_sha256)
    assert b"/FontFile2" in pdf
    pdf_text = _pdf_text(pdf)
    assert "目录" in pdf_text
    for case in approved[:2]:
        assert pdf_text.count(case.title) >= 2  # in the contents and on its own page
    assert "专家点评" in pdf_text
    assert AuditEntry.objects.filter(action="xinan.selection.anthology.generate").count() == 1


def test_anthology_refused_without_commentary(world, campaign, approved):
    recommended(world, campaign, approved[:1])
    select_submission(approved[0], by=world.national_admin)
    with pytest.raises(SelectionError, match="专家点评"):
        generate_anthology(campaign, by=world.national_admin)


def test_anthology_of_30_reports_is_generated_in_reasonable_time(campaign):
    from tests.campaign_fixtures import REPORT_TEXT

    entries = [
        Entry(
            report=parse_text(REPORT_TEXT.replace("携手同行 守护生命", f"携手同行 守护生命（{n}）", 1)),
            commentary=COMMENTS[n % 2],
            school="",
        )
        for n in range(30)
    ]
    started = time.monotonic()
    pdf = build_anthology_pdf(campaign, entries, generated_at=campaign.opens_at)
    build_anthology_docx(campaign, entries, generated_at=campaign.opens_at)
    elapsed = time.monotonic() - started
    assert b"/FontFile2" in pdf
    assert elapsed < 60


def test_anthology_is_marked_stale_once_the_selection_changes(client, world, campaign, approved):
    # Arrange
    recommended(world, campaign, approved[:2])
    select_submission(approved[0], by=world.national_admin)
    write_commentary(approved[0], text=COMMENTS[0], by=world.national_admin)
    generate_anthology(campaign, by=world.national_admin)
    client.force_login(world.national_admin)
    url = reverse("selection:national", args=[campaign.pk])
    fresh = client.get(url).content.decode()

    # Act
    select_submission(approved[1], by=world.national_admin)
    stale = client.get(url).content.decode()

    # Assert
    assert 'data-test="anthology-stale"' not in fresh
    assert 'data-test="anthology-stale"' in stale
    assert "已过期" in stale
