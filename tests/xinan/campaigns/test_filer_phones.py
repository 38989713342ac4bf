"""Adding a phone that is already recorded under another name or school: the province is told who
the phone belongs to and asked; nothing changes (name, right, draft) until it confirms."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from tests.factories import make_org
from xinan.accounts.validators import mask_phone
from xinan.campaigns.enums import SubmissionState
from xinan.campaigns.models import FilingRight, Submission
from xinan.campaigns.services import filer_import, filing, provisioning
from xinan.campaigns.services.errors import FilingError
from xinan.organisations.enums import OrgKind


def _add(world, campaign, *, name, school, confirm=False, phone=None):
    return provisioning.add_filer(
        campaign,
        province=world.province_a,
        school=school,
        name=name,
        phone=phone or world.filer_a.phone,
        by=world.provincial_admin_a,
        confirm=confirm,
    )


def test_another_name_for_a_known_phone_shows_the_owner_and_changes_nothing(world, campaign, right):
    # Arrange
    old_name = world.filer_a.name

    # Act
    with pytest.raises(provisioning.FilerConflict) as asked:
        _add(world, campaign, name="另一个名字", school=world.school_a)

    # Assert
    message = asked.value.message
    assert mask_phone(world.filer_a.phone) in message
    assert f"{old_name}（{world.school_a.name}）" in message
    assert "姓名改为“另一个名字”" in message
    assert world.filer_a.phone not in message  # masked, never the whole number
    world.filer_a.refresh_from_db()
    assert world.filer_a.name == old_name


def test_confirmed_new_name_is_saved(world, campaign, right):
    # Act
    _add(world, campaign, name="另一个名字", school=world.school_a, confirm=True)

    # Assert
    world.filer_a.refresh_from_db()
    assert world.filer_a.name == "另一个名字"
    assert FilingRight.objects.filter(campaign=campaign, filer=world.filer_a).count() == 1


def test_another_school_asks_and_then_moves_the_right_with_the_draft(world, campaign, right):
    # Arrange
    draft = filing.start_submission(campaign, filer=world.filer_a)

    # Act
    with pytest.raises(provisioning.FilerConflict, match="1 份未提交的草稿一并转过去"):
        _add(world, campaign, name=world.filer_a.name, school=world.school_a2)
    right.refresh_from_db()
    draft.refresh_from_db()
    unchanged = (right.school_id, draft.school_id)
    _add(world, campaign, name=world.filer_a.name, school=world.school_a2, confirm=True)

    # Assert
    assert unchanged == (world.school_a.pk, world.school_a.pk)
    right.refresh_from_db()
    draft.refresh_from_db()
    assert (right.school_id, draft.school_id) == (world.school_a2.pk, world.school_a2.pk)


def test_person_with_a_submitted_case_cannot_move_school(world, campaign, right):
    # Arrange
    Submission.objects.create(
        campaign=campaign, school=world.school_a, filer=world.filer_a, state=SubmissionState.SUBMITTED
    )

    # Act
    with pytest.raises(FilingError, match="已代表") as refused:
        _add(world, campaign, name=world.filer_a.name, school=world.school_a2, confirm=True)

    # Assert
    assert not isinstance(refused.value, provisioning.FilerConflict)
    right.refresh_from_db()
    assert right.school == world.school_a


def test_phone_of_someone_outside_the_province_is_not_described(world, campaign):
    # Arrange: a counsellor of province B.
    outsider = world.counsellor_b

    # Act
    with pytest.raises(FilingError) as refused:
        _add(world, campaign, name="新填报人", school=world.school_a, phone=outsider.phone, confirm=True)

    # Assert
    assert "其他单位的人员使用" in refused.value.message
    assert outsider.name not in refused.value.message
    outsider.refresh_from_db()
    assert outsider.name != "新填报人"
    assert not FilingRight.objects.filter(filer=outsider).exists()


def test_province_page_asks_and_keeps_what_was_typed(client, world, campaign, right):
    # Arrange
    client.force_login(world.provincial_admin_a)
    url = reverse("campaigns:province", args=[campaign.pk])
    typed = {"name": "另一个名字", "phone": world.filer_a.phone, "school": world.school_a.pk}

    # Act
    asked = client.post(url, typed)
    confirmed = client.post(url, typed | {"confirm": "on"})

    # Assert
    html = asked.content.decode()
    assert asked.status_code == 400
    assert "已登记为" in html
    assert 'data-test="confirm-same-person"' in html
    assert 'value="另一个名字"' in html
    assert confirmed.status_code == 302
    world.filer_a.refresh_from_db()
    assert world.filer_a.name == "另一个名字"


def test_import_lists_every_conflicting_row_and_saves_nothing_until_confirmed(world, campaign, right):
    # Arrange
    other_school = make_org(OrgKind.SCHOOL, world.province_a, name="甲省第三测试大学")
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "学校", "手机号", "职务"])
    sheet.append(["新人甲", world.school_a.name, "13600000011", ""])
    sheet.append(["另一个名字", other_school.name, world.filer_a.phone, ""])
    buffer = io.BytesIO()
    book.save(buffer)

    # Act
    first = filer_import.import_filers(campaign, world.province_a, buffer.getvalue(), by=world.provincial_admin_a)
    second = filer_import.import_filers(
        campaign, world.province_a, buffer.getvalue(), by=world.provincial_admin_a, confirm=True
    )

    # Assert
    assert first.saved == 0
    assert [error.row for error in first.errors] == [3]
    assert "已登记为" in first.errors[0].message
    assert second.saved == 2
    right.refresh_from_db()
    assert right.school == other_school


def test_reimport_says_how_many_were_added_and_how_many_updated(client, world, campaign, right):
    # Arrange: one known filer (same name and school) and one new.
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "学校", "手机号", "职务"])
    sheet.append([world.filer_a.name, world.school_a.name, world.filer_a.phone, ""])
    sheet.append(["新人乙", world.school_a.name, "13600000012", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(world.provincial_admin_a)

    # Act
    response = client.post(
        reverse("campaigns:import_filers", args=[campaign.pk]),
        {"file": SimpleUploadedFile("filers.xlsx", buffer.getvalue())},
        follow=True,
    )

    # Assert
    assert "已导入 2 名填报人员：新增 1 名，更新 1 名。" in response.content.decode()
    assert FilingRight.objects.filter(campaign=campaign).count() == 2


def test_imported_position_is_shown_on_the_province_page(client, world, campaign):
    # Arrange
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "学校", "手机号", "职务"])
    sheet.append(["新人丙", world.school_a.name, "13600000013", "专职咨询师"])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(world.provincial_admin_a)

    # Act
    client.post(
        reverse("campaigns:import_filers", args=[campaign.pk]),
        {"file": SimpleUploadedFile("filers.xlsx", buffer.getvalue())},
    )
    html = client.get(reverse("campaigns:province", args=[campaign.pk])).content.decode()

    # Assert
    assert 'data-test="filer-position">专职咨询师<' in html


def test_province_page_queries_do_not_grow_with_filers(client, world, campaign):
    # Arrange
    client.force_login(world.provincial_admin_a)
    url = reverse("campaigns:province", args=[campaign.pk])

    def count_for(filers: int) -> int:
        for index in range(FilingRight.objects.filter(campaign=campaign).count(), filers):
            _add(world, campaign, name=f"填报人{index}", school=world.school_a, phone=f"1360000010{index}")
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    # Act
    one, three = count_for(1), count_for(3)

    # Assert
    assert FilingRight.objects.filter(campaign=campaign).count() == 3
    assert one == three
