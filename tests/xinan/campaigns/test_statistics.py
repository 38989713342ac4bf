import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import UserFactory
from xinan.audit.models import AuditEntry
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import Submission
from xinan.campaigns.services.stats import campaign_statistics
from xinan.organisations.enums import SchoolType

S = SubmissionState
# Session, user, roles, campaign and its rule, five groupings, the audit entry and its savepoint
# (and the middleware's own): the same for 3 rows as for 9.
QUERIES = 14


def _file(campaign, school, state, *, trigger="学业", nature="自我伤害", outcome="successful", title="生成的标题"):
    return Submission.objects.create(
        campaign=campaign,
        school=school,
        filer=UserFactory(),
        state=state,
        title=title,
        trigger=trigger,
        nature=nature,
        outcome=outcome,
    )


@pytest.fixture
def filed(world, campaign):
    world.school_a2.school_type = SchoolType.MIDDLE_SCHOOL
    world.school_a2.save(update_fields=["school_type"])
    _file(campaign, world.school_a, S.SUBMITTED, trigger="学业", title="甲一")
    _file(campaign, world.school_a, S.RECOMMENDED, trigger="家庭", nature="轻生自杀", title="甲二")
    _file(campaign, world.school_a2, S.SELECTED, trigger="学业", outcome="unsuccessful", title="甲三")
    _file(campaign, world.school_b, S.APPROVED, trigger="恋爱", title="乙一")
    _file(campaign, world.school_b, S.REJECTED, trigger="学业挫折", nature="", title="乙二")
    _file(campaign, world.school_b, S.DRAFT, title="不计入")
    _file(campaign, world.school_a, S.WITHDRAWN, title="不计入")
    return campaign


def _rows(stats, key):
    breakdown = next(b for b in stats.breakdowns if b.key == key)
    return {row.label: (row.submitted, row.recommended, row.selected) for row in breakdown.rows}


def test_national_numbers(world, filed):
    stats = campaign_statistics(world.national_admin, filed)
    assert (stats.total.submitted, stats.total.recommended, stats.total.selected) == (5, 2, 1)
    assert _rows(stats, "province") == {"甲省": (3, 2, 1), "乙省": (2, 0, 0)}
    assert _rows(stats, "school_type") == {"高校": (4, 1, 0), "中学": (1, 1, 1)}
    triggers = _rows(stats, "trigger")
    # A free word written before the categories were enforced counts in the category it means:
    # "学业挫折" is 学业, never a row of its own.
    assert triggers["学业"] == (3, 1, 1)
    assert "学业挫折" not in triggers
    assert triggers["家庭"] == (1, 1, 0)
    assert triggers["经济"] == (0, 0, 0)  # a campaign category with none is shown as zero
    assert _rows(stats, "nature")["未填写"] == (1, 0, 0)
    assert _rows(stats, "outcome") == {"干预成功": (4, 1, 0), "干预未成功": (1, 1, 1)}


def test_provincial_admin_counts_own_province_only(world, filed):
    stats = campaign_statistics(world.provincial_admin_b, filed)
    assert (stats.total.submitted, stats.total.recommended) == (2, 0)
    assert _rows(stats, "province") == {"乙省": (2, 0, 0)}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("national_admin", 200),
        ("provincial_admin_a", 200),
        ("provincial_admin_b", 200),
        ("reviewer_a", 404),
        ("filer_a", 404),
        ("team_leader_a", 404),
    ],
)
def test_statistics_role_matrix(client, world, filed, who, status):
    user = getattr(world, who)
    client.force_login(user)
    for name in ("campaigns:statistics", "campaigns:statistics_export"):
        response = client.get(reverse(name, args=[filed.pk]))
        assert response.status_code == status
    if status == 404:
        assert AuditEntry.objects.filter(action="xinan.access.denied", actor=user).count() == 2
    else:
        assert AuditEntry.objects.filter(action="xinan.campaign.statistics.export", actor=user).exists()


def test_page_has_charts_tables_and_no_personal_data(client, world, filed):
    client.force_login(world.provincial_admin_a)
    page = client.get(reverse("campaigns:statistics", args=[filed.pk])).content.decode()
    assert page.count("<svg") >= 5
    assert 'data-test="table-trigger"' in page
    assert "乙省" not in page
    for title in ("甲一", "甲二", "甲三"):
        assert title not in page
    assert world.school_a.name not in page


def test_excel_reads_back(client, world, filed):
    client.force_login(world.national_admin)
    response = client.get(reverse("campaigns:statistics_export", args=[filed.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["按省份", "按学校类型", "按诱发事件", "按危机性质", "按干预结果"]
    rows = list(workbook["按省份"].iter_rows(values_only=True))
    assert rows[1] == ("省份", "申报数", "推荐数", "入选数")
    assert ("甲省", 3, 2, 1) in rows
    assert rows[-1] == ("合计", 5, 2, 1)


def test_excel_cells_never_formulas(client, world, campaign):
    campaign.triggers = ["=1+1", "学业"]
    campaign.save()
    _file(campaign, world.school_a, S.SUBMITTED, trigger="=1+1")
    client.force_login(world.national_admin)
    response = client.get(reverse("campaigns:statistics_export", args=[campaign.pk]))
    values = [row[0] for row in load_workbook(io.BytesIO(response.content))["按诱发事件"].iter_rows(values_only=True)]
    assert "'=1+1" in values
    assert "=1+1" not in values


@pytest.mark.parametrize("per_school", [1, 3])
def test_query_count_does_not_grow_with_rows(client, world, campaign, django_assert_num_queries, per_school):
    for school in (world.school_a, world.school_a2, world.school_b):
        for n in range(per_school):
            _file(campaign, school, S.RECOMMENDED if n else S.SUBMITTED, trigger=["学业", "家庭", "恋爱"][n])
    client.force_login(world.national_admin)
    client.get(reverse("campaigns:statistics", args=[campaign.pk]))  # warm caches of the session
    with django_assert_num_queries(QUERIES):
        assert client.get(reverse("campaigns:statistics", args=[campaign.pk])).status_code == 200
