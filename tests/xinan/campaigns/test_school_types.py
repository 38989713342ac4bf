"""A campaign's school types (参与学校类型) are honoured at every step: a campaign for 高校 only never
lists a middle school or its filers, and their filers cannot be added, invited, file, be reviewed,
recommended or selected. One rule decides: Campaign.admits_school and Campaign.admitted_schools."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import make_org, person
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import Campaign, FilingRight, Submission
from xinan.campaigns.services import filer_import, filing, provisioning
from xinan.campaigns.services.errors import FilingError
from xinan.notifications.models import Message
from xinan.organisations.enums import OrgKind, Role, SchoolType
from xinan.organisations.models import Organisation
from xinan.reviews.enums import RoundLevel
from xinan.reviews.services.assignment import open_round
from xinan.reviews.services.queries import submissions_for_round
from xinan.selection.services import recommendation
from xinan.selection.services.errors import SelectionError
from xinan.selection.services.national import select_submission
from xinan.selection.services.queries import approved_candidates

OUTSIDE = "不在征集范围内"


@pytest.fixture
def middle_school(world):
    return make_org(OrgKind.SCHOOL, world.province_a, name="甲省实验中学", school_type=SchoolType.MIDDLE_SCHOOL)


@pytest.fixture
def universities_only(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(school_types=[SchoolType.UNIVERSITY])
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def middle_filer(world, universities_only, middle_school):
    """A middle-school filer whose right was granted before the rule was enforced (an old row)."""
    filer = person(Role.FILER, middle_school, name="中学填报人")
    FilingRight.objects.create(
        campaign=universities_only, filer=filer, school=middle_school, granted_by=world.provincial_admin_a
    )
    return filer


def _case(campaign, school, state, filer=None):
    return Submission.objects.create(
        campaign=campaign,
        school=school,
        filer=filer or person(Role.FILER, school),
        state=state,
        title="测试案例",
        subtitle="——一例由学业挫折引发的自我伤害危机的干预报告",
    )


@pytest.mark.parametrize(
    "types",
    [[], [SchoolType.UNIVERSITY], [SchoolType.MIDDLE_SCHOOL], [SchoolType.UNIVERSITY, SchoolType.MIDDLE_SCHOOL]],
)
def test_predicate_and_list_filter_agree(world, campaign, middle_school, types):
    # Arrange
    campaign.school_types = types
    schools = [world.school_a, middle_school]

    # Act
    by_predicate = {school.pk for school in schools if campaign.admits_school(school)}
    by_query = set(
        Organisation.objects.filter(campaign.admitted_schools(), pk__in=[s.pk for s in schools]).values_list(
            "pk", flat=True
        )
    )

    # Assert
    assert by_predicate == by_query
    assert (middle_school.pk in by_query) == (not types or SchoolType.MIDDLE_SCHOOL in types)


def test_province_page_lists_neither_middle_schools_nor_their_filers(client, world, middle_filer, middle_school):
    # Arrange
    campaign = FilingRight.objects.get(filer=middle_filer).campaign
    client.force_login(world.provincial_admin_a)

    # Act
    response = client.get(reverse("campaigns:province", args=[campaign.pk]))

    # Assert
    html = response.content.decode()
    assert response.status_code == 200
    assert world.school_a.name in html
    assert middle_school.name not in html
    assert "中学填报人" not in html


def test_adding_a_middle_school_filer_is_refused(world, universities_only, middle_school):
    # Act
    with pytest.raises(FilingError, match=OUTSIDE) as refused:
        provisioning.add_filer(
            universities_only,
            province=world.province_a,
            school=middle_school,
            name="新填报人",
            phone="13800138000",
            by=world.provincial_admin_a,
        )

    # Assert
    assert "本次征集只面向高校" in refused.value.message
    assert not FilingRight.objects.filter(school=middle_school).exists()


def test_import_row_of_a_middle_school_is_refused(world, universities_only, middle_school):
    # Arrange
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "学校", "手机号", "职务"])
    sheet.append(["高校填报人", world.school_a.name, "13800138001", ""])
    sheet.append(["中学填报人", middle_school.name, "13800138002", ""])
    buffer = io.BytesIO()
    book.save(buffer)

    # Act
    result = filer_import.import_filers(
        universities_only, world.province_a, buffer.getvalue(), by=world.provincial_admin_a
    )

    # Assert
    assert result.saved == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, "学校")]
    assert OUTSIDE in result.errors[0].message
    assert not FilingRight.objects.filter(campaign=universities_only).exists()


def test_middle_school_filer_can_neither_start_nor_submit(world, universities_only, middle_filer, middle_school):
    # Arrange: a draft left over from before the rule.
    draft = _case(universities_only, middle_school, SubmissionState.DRAFT, filer=middle_filer)

    # Act / Assert
    with pytest.raises(FilingError, match=OUTSIDE):
        filing.start_submission(universities_only, filer=middle_filer)
    with pytest.raises(FilingError, match=OUTSIDE):
        filing.submit(draft, by=middle_filer)
    draft.refresh_from_db()
    assert draft.state == SubmissionState.DRAFT


def test_invitation_skips_middle_school_filers(world, universities_only, middle_filer, right):
    # Arrange
    rights = list(FilingRight.objects.filter(campaign=universities_only).select_related("filer", "campaign", "school"))

    # Act
    invited = provisioning.invite(rights, by=world.provincial_admin_a)

    # Assert
    assert invited.sent == 1
    assert not Message.objects.filter(recipient=middle_filer).exists()
    assert Message.objects.filter(recipient=world.filer_a, template="campaign_invite").exists()


def test_review_round_leaves_middle_school_cases_out(world, universities_only, middle_school):
    # Arrange
    kept = _case(universities_only, world.school_a, SubmissionState.SUBMITTED)
    outside = _case(universities_only, middle_school, SubmissionState.SUBMITTED)
    review_round = open_round(
        universities_only, level=RoundLevel.PROVINCE, province=world.province_a, by=world.provincial_admin_a
    )

    # Act
    pool = set(submissions_for_round(review_round).values_list("pk", flat=True))

    # Assert
    assert kept.pk in pool
    assert outside.pk not in pool


def test_middle_school_case_cannot_be_recommended(world, universities_only, middle_school):
    # Arrange
    outside = _case(universities_only, middle_school, SubmissionState.APPROVED)
    rec = recommendation.open_recommendation(universities_only, world.province_a, by=world.provincial_admin_a)

    # Act
    with pytest.raises(SelectionError, match=OUTSIDE):
        recommendation.add_to_recommendation(rec, outside, by=world.provincial_admin_a)

    # Assert
    assert not approved_candidates(rec).filter(pk=outside.pk).exists()
    assert not rec.items.exists()


def test_middle_school_case_cannot_be_selected(world, universities_only, middle_school):
    # Arrange: recommended before the rule was enforced.
    outside = _case(universities_only, middle_school, SubmissionState.RECOMMENDED)

    # Act
    with pytest.raises(SelectionError, match=OUTSIDE):
        select_submission(outside, by=world.national_admin)

    # Assert
    outside.refresh_from_db()
    assert outside.state == SubmissionState.RECOMMENDED


def test_campaign_page_tells_a_middle_school_filer_why_and_offers_no_start(client, world, middle_filer):
    # Arrange
    campaign = FilingRight.objects.get(filer=middle_filer).campaign
    client.force_login(middle_filer)

    # Act
    html = client.get(reverse("campaigns:campaign", args=[campaign.pk])).content.decode()

    # Assert
    assert "本次征集只面向高校，甲省实验中学不在征集范围内" in html
    assert 'data-test="start-submission"' not in html


def test_import_template_lists_the_provinces_schools_of_the_campaign(client, world, universities_only, middle_school):
    # Arrange
    client.force_login(world.provincial_admin_a)

    # Act
    response = client.get(reverse("campaigns:import_filers", args=[universities_only.pk]), {"template": "1"})

    # Assert
    book = load_workbook(io.BytesIO(response.content))
    schools = [row[0] for row in book["本省学校"].iter_rows(min_row=2, values_only=True)]
    assert world.school_a.name in schools
    assert world.school_b.name not in schools  # another province
    assert middle_school.name not in schools  # another school type
    validations = book["填报人员"].data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].formula1.startswith("'本省学校'!$A$2")
    assert str(validations[0].sqref).startswith("B2")
