"""A filer belongs to one province per campaign: another province can neither take them over
one by one nor by Excel (the import is refused as a whole, with the row named)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from xinan.campaigns.models import FilingRight
from xinan.campaigns.services.errors import FilingError
from xinan.campaigns.services.filer_import import import_filers
from xinan.campaigns.services.provisioning import add_filer

PHONE = "13600000001"


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "学校", "手机号", "职务"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def held_by_province_a(world, campaign):
    return add_filer(
        campaign, province=world.province_a, school=world.school_a, name="甲", phone=PHONE, by=world.provincial_admin_a
    )


def test_another_province_cannot_take_over_a_filer(world, campaign, held_by_province_a):
    with pytest.raises(FilingError, match="其他省份"):
        add_filer(
            campaign,
            province=world.province_b,
            school=world.school_b,
            name="乙",
            phone=PHONE,
            by=world.provincial_admin_b,
        )
    assert FilingRight.objects.get().school == world.school_a


def test_import_naming_another_provinces_filer_saves_nothing(client, world, campaign, held_by_province_a):
    client.force_login(world.provincial_admin_b)
    data = _xlsx([("乙一", world.school_b.name, "13600000002"), ("乙二", world.school_b.name, PHONE)])
    response = client.post(
        reverse("campaigns:import_filers", args=[campaign.pk]), {"file": SimpleUploadedFile("f.xlsx", data)}
    )
    assert response.status_code == 400
    assert "其他省份" in response.content.decode()
    assert list(FilingRight.objects.values_list("filer__phone", "school")) == [(PHONE, world.school_a.pk)]


def test_import_service_reports_the_row(world, campaign, held_by_province_a):
    result = import_filers(
        campaign, world.province_b, _xlsx([("乙二", world.school_b.name, PHONE)]), by=world.provincial_admin_b
    )
    assert result.saved == 0
    assert [(error.row, error.column) for error in result.errors] == [(2, "手机号")]
