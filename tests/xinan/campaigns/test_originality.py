import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.campaign_fixtures import report_files
from tests.factories import UserFactory
from xinan.audit.models import AuditEntry
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import Campaign, FilingRight, OriginalityMatch, ReportFingerprint
from xinan.campaigns.services import filing, originality
from xinan_reportformat import parse_text

FOOTNOTE = "文中所有人的身份信息以及案例情节都已进行过艺术加工，请勿对号入座，如有雷同，纯属巧合。"

# Generated texts: two different cases written in the same template.
BODY_A = [
    "小周（化名），男，二十岁，就读于某学院机械专业，来自外省农村，平时沉默寡言，很少参加集体活动。",
    "学期中段，小周连续多日缺课，宿舍同学发现他在深夜独自站在天台边缘，情绪激动，立刻拨打了值班电话。",
    "值班辅导员五分钟内赶到，保卫处同步到场，辅导员以平稳的语气与他交谈，陪他慢慢离开天台回到值班室。"
    "心理中心当晚进行了风险评估，判定为高风险，学院随即联系其父亲连夜赶来学校，共同商定就医方案。",
    "经过专科医院诊断和三个月的规律治疗，小周重新回到课堂，期末补考全部通过，与室友的关系也明显改善。",
    "夜间值班制度和多部门联动让我们抢在最危险的时刻之前赶到，这是本次干预最重要的经验。",
]
BODY_B = [
    "小吴（化名），女，十七岁，某中学高二学生，父母离异后随外婆生活，成绩中等，喜欢画画。",
    "一次月考后，班主任在批改周记时读到她写下想要消失的句子，并注意到她手腕上有新的划痕，当天报告了学校心理老师。",
    "心理老师与小吴进行了两次面谈，了解到她长期感到孤独，学校启动危机预案，通知监护人到校，签署安全计划书，"
    "并安排她信任的美术老师作为日常联系人，每周两次课后谈心。",
    "两个月后小吴的情绪明显好转，重新参加了美术社团的活动，外婆也学会了如何倾听她的烦恼。",
    "班主任对周记中细微信号的敏感，以及为学生找到一个愿意信任的成年人，是这次干预取得成效的关键。",
]
HEADINGS = ["一、当事人基本信息", "二、危机的发生", "三、干预过程", "四、干预结果", "五、经验分享"]


def _report(title: str, subtitle: str, body: list[str]) -> str:
    lines = [title, f"——{subtitle}"]
    for heading, text in zip(HEADINGS, body, strict=True):
        lines += [heading, text]
    lines.append(FOOTNOTE)
    return "\n".join(lines) + "\n"


REPORT_A = _report("守望天台的那一夜", "一例由学业挫折引发的轻生自杀危机的干预报告", BODY_A)
REPORT_B = _report("一本周记里的求救", "一例由家庭变故引发的自我伤害危机的干预报告", BODY_B)
# A near copy of A: one paragraph rewritten, the rest kept, a few words changed.
REPORT_A_COPY = _report(
    "深夜天台上的守护",
    "一例由学业挫折引发的轻生自杀危机的干预报告",
    [
        BODY_A[0].replace("机械", "电气"),
        BODY_A[1],
        BODY_A[2],
        "三个月后，小王回到了学校，和同学一起准备考试，家里人也常常给他打电话鼓励。",
        BODY_A[4],
    ],
)


def _attach(campaign, filer, school, text, granted_by):
    FilingRight.objects.get_or_create(
        campaign=campaign, filer=filer, defaults={"school": school, "granted_by": granted_by}
    )
    submission = filing.start_submission(campaign, filer=filer)
    docx, pdf = report_files(text)
    filing.attach_report_files(submission, docx=docx, pdf=pdf, by=filer)
    return submission


@pytest.fixture
def filed(world, campaign, django_capture_on_commit_callbacks):
    """Attach three reports (A, B, a near copy of A), running the on-commit checks."""

    def attach(text, school=None):
        school = school or world.school_a
        with django_capture_on_commit_callbacks(execute=True):
            return _attach(campaign, UserFactory(), school, text, world.provincial_admin_a)

    return attach


def test_body_leaves_out_title_headings_and_footnote():
    body = originality.report_body(parse_text(REPORT_A))
    assert "当事人基本信息" not in body
    assert "艺术加工" not in body
    assert "守望天台" not in body
    assert body.startswith("小周")


def test_two_different_reports_in_the_same_template_are_not_flagged(world, filed):
    filed(REPORT_A)
    filed(REPORT_B, world.school_b)
    assert ReportFingerprint.objects.count() == 2
    assert OriginalityMatch.objects.count() == 0


def test_near_duplicate_is_flagged_with_its_passages_on_attach(world, filed):
    first = filed(REPORT_A)
    filed(REPORT_B)
    second = filed(REPORT_A_COPY, world.school_b)
    match = OriginalityMatch.objects.get()
    assert (match.earlier_id, match.later_id) == (first.pk, second.pk)
    assert match.containment >= originality.CONTAINMENT_THRESHOLD
    later_passages = [p["later"] for p in match.passages]
    assert any("值班辅导员五分钟内赶到" in p for p in later_passages)
    assert all(p["earlier"] and p["chars"] >= originality.MIN_PASSAGE for p in match.passages)


def test_checking_never_changes_a_submission_state(world, filed):
    first = filed(REPORT_A)
    second = filed(REPORT_A_COPY)
    before = {s.pk: (s.state, s.updated_at) for s in (first, second)}
    originality.check_submission(second)
    originality.check_campaign(first.campaign)
    for s in (first, second):
        s.refresh_from_db()
        assert (s.state, s.updated_at) == before[s.pk]
        assert s.state == SubmissionState.DRAFT
    assert OriginalityMatch.objects.count() == 1


def test_compares_with_earlier_campaigns(world, campaign, filed, django_capture_on_commit_callbacks):
    now = timezone.now()
    earlier = Campaign.objects.create(
        title="2025年案例征集",
        notice="通知",
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=5),
        province_review_closes_at=now + dt.timedelta(days=30),
        created_by=world.national_admin,
        published_at=now - dt.timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        old = _attach(earlier, UserFactory(), world.school_b, REPORT_A, world.provincial_admin_b)
    new = filed(REPORT_A_COPY)
    match = OriginalityMatch.objects.get()
    assert {match.earlier_id, match.later_id} == {old.pk, new.pk}


def test_batch_finds_the_same_matches_and_replaces_them(world, campaign, filed):
    filed(REPORT_A)
    filed(REPORT_B)
    filed(REPORT_A_COPY)
    single = set(OriginalityMatch.objects.values_list("earlier_id", "later_id"))
    OriginalityMatch.objects.all().delete()
    assert originality.check_campaign(campaign) == 1
    assert originality.check_campaign(campaign) == 1  # a re-run replaces, never duplicates
    assert set(OriginalityMatch.objects.values_list("earlier_id", "later_id")) == single


def test_engine_scores_and_passages_without_the_database():
    a = originality.shingle_hashes(originality.normalise("".join(BODY_A))[0])
    b = originality.shingle_hashes(originality.normalise("".join(BODY_B))[0])
    assert not originality.score(frozenset(a), b).flagged
    assert originality.score(frozenset(a), a).jaccard == 1.0
    index = originality.Index()
    index.add("a", a)
    index.add("b", b)
    assert [key for key, _s in index.query(a, exclude=None)] == ["a"]
    passages = originality.matching_passages("前言。" + BODY_A[2], BODY_A[2] + "后记。")
    assert passages[0]["a"] == passages[0]["b"] == BODY_A[2].rstrip("。")


# --- Views: who sees matches ---------------------------------------------------------------
@pytest.fixture
def match(world, filed):
    filed(REPORT_A, world.school_b)
    filed(REPORT_A_COPY)
    return OriginalityMatch.objects.get()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("national_admin", 200),
        ("provincial_admin_a", 200),
        ("provincial_admin_b", 200),
        ("filer_a", 404),
        ("counsellor_a", 404),
        ("reviewer_a", 404),
    ],
)
def test_match_page_role_matrix(client, world, campaign, match, who, status):
    client.force_login(getattr(world, who))
    response = client.get(reverse("campaigns:originality_match", args=[match.pk]))
    assert response.status_code == status
    listing = client.get(reverse("campaigns:originality", args=[campaign.pk]))
    assert listing.status_code == (200 if status == 200 else 404)
    if status == 404:
        assert AuditEntry.objects.filter(action="xinan.access.denied", actor=getattr(world, who)).exists()


def test_match_page_shows_passages_side_by_side_and_hides_other_province(client, world, match):
    client.force_login(world.provincial_admin_a)
    page = client.get(reverse("campaigns:originality_match", args=[match.pk])).content.decode()
    assert "值班辅导员五分钟内赶到" in page
    assert world.school_a.name in page
    assert world.school_b.name not in page
    assert "其他省份的申报" in page
    client.force_login(world.national_admin)
    page = client.get(reverse("campaigns:originality_match", args=[match.pk])).content.decode()
    assert world.school_b.name in page


def test_province_without_a_side_in_the_match_sees_nothing(client, world, campaign, filed):
    filed(REPORT_A)
    filed(REPORT_A_COPY, world.school_a2)
    match = OriginalityMatch.objects.get()
    client.force_login(world.provincial_admin_b)
    assert client.get(reverse("campaigns:originality_match", args=[match.pk])).status_code == 404
    page = client.get(reverse("campaigns:originality", args=[campaign.pk])).content.decode()
    assert reverse("campaigns:originality_match", args=[match.pk]) not in page


def test_batch_check_only_for_national_admin(client, world, campaign, match, django_capture_on_commit_callbacks):
    url = reverse("campaigns:originality_check", args=[campaign.pk])
    client.force_login(world.provincial_admin_a)
    assert client.post(url).status_code == 404
    client.force_login(world.national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert AuditEntry.objects.filter(action="xinan.campaign.originality.check").exists()
    assert OriginalityMatch.objects.count() == 1


@pytest.mark.parametrize("pairs", [1, 3])
def test_list_query_count_does_not_grow(client, world, campaign, filed, django_assert_max_num_queries, pairs):
    for n in range(pairs):
        filed(REPORT_A + "补充说明" * n)
        filed(REPORT_A_COPY, world.school_b)
    client.force_login(world.national_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("campaigns:originality", args=[campaign.pk]))
    assert response.status_code == 200


def test_originality_list_is_paged_strongest_first(client, world, campaign):
    # Arrange: more matches than a page holds, with different strengths (made directly: the engine's
    # own tests above cover finding them).
    from tests.xinan.reviews.conftest import make_submission
    from xinan.campaigns.views.originality import MATCHES_PER_PAGE

    total = MATCHES_PER_PAGE + 7
    subs = [make_submission(campaign, world.school_a, title=f"案例{n}") for n in range(total + 1)]
    OriginalityMatch.objects.bulk_create(
        OriginalityMatch(earlier=subs[n], later=subs[n + 1], jaccard=0.3, containment=0.5 + n / (4 * total))
        for n in range(total)
    )
    client.force_login(world.national_admin)
    url = reverse("campaigns:originality", args=[campaign.pk])

    # Act
    first, second = client.get(url), client.get(url, {"page": 2})

    # Assert: a full first page with the strongest match on top, the rest on page two.
    first_matches, second_matches = first.context["matches"], second.context["matches"]
    assert len(first_matches) == MATCHES_PER_PAGE
    assert len(second_matches) == 7
    strengths = [m.containment for m in first_matches] + [m.containment for m in second_matches]
    assert strengths == sorted(strengths, reverse=True)
    assert "第 1 / 2 页" in first.content.decode()
