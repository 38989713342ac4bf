import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.campaign_fixtures import report_files  # noqa: F401 - used by _submitted
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import FilingRight
from xinan.campaigns.services import filing
from xinan.campaigns.services.errors import FilingError
from xinan.notifications.models import Message

SHANGHAI = ZoneInfo("Asia/Shanghai")

DENIED = "xinan.access.denied"


def _xlsx(rows, headers=("姓名", "学校", "手机号", "职务")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, campaign, data, name="filers.xlsx"):
    return client.post(reverse("campaigns:import_filers", args=[campaign.pk]), {"file": SimpleUploadedFile(name, data)})


def test_province_adds_a_filer_one_by_one(client, world, campaign):
    client.force_login(world.provincial_admin_a)
    response = client.post(
        reverse("campaigns:province", args=[campaign.pk]),
        {"name": "新填报人", "phone": "13600000001", "school": world.school_a.pk},
    )
    assert response.status_code == 302
    right = FilingRight.objects.get(filer__phone="13600000001")
    assert right.school == world.school_a


def test_province_cannot_add_a_filer_for_another_provinces_school(client, world, campaign):
    client.force_login(world.provincial_admin_a)
    response = client.post(
        reverse("campaigns:province", args=[campaign.pk]),
        {"name": "新填报人", "phone": "13600000001", "school": world.school_b.pk},
    )
    assert response.status_code == 400
    assert not FilingRight.objects.exists()


def test_import_shows_every_row_error_and_saves_nothing(client, world, campaign):
    client.force_login(world.provincial_admin_a)
    data = _xlsx(
        [
            ("甲", world.school_a.name, "13600000001"),
            ("", world.school_a.name, "13600000002"),
            ("丙", "不存在的学校", "12345"),
            ("丁", world.school_b.name, "13600000001"),
        ]
    )
    response = _upload(client, campaign, data)
    html = response.content.decode()
    assert response.status_code == 400
    for text in ("姓名不能为空", "不是本省的学校", "手机号", "与第 2 行的手机号重复"):
        assert text in html
    assert not FilingRight.objects.exists()


def test_import_then_reimport_updates_without_duplicates(client, world, campaign):
    client.force_login(world.provincial_admin_a)
    rows = [("甲", world.school_a.name, "13600000001"), ("乙", world.school_a2.code, "13600000002")]
    assert _upload(client, campaign, _xlsx(rows)).status_code == 302
    rows[1] = ("乙", world.school_a.name, "13600000002")
    # A school change is never silent: asked first, saved once the province confirms.
    asked = _upload(client, campaign, _xlsx(rows))
    assert asked.status_code == 400
    assert "已登记为" in asked.content.decode()
    confirmed = client.post(
        reverse("campaigns:import_filers", args=[campaign.pk]),
        {"file": SimpleUploadedFile("filers.xlsx", _xlsx(rows)), "confirm": "on"},
    )
    assert confirmed.status_code == 302
    assert FilingRight.objects.count() == 2
    assert FilingRight.objects.get(filer__phone="13600000002").school == world.school_a


def test_import_refuses_csv_renamed_xlsx(client, world, campaign):
    client.force_login(world.provincial_admin_a)
    response = _upload(client, campaign, "姓名,学校,手机号\n甲,乙,13600000001\n".encode())
    assert response.status_code == 400
    assert "不是有效的 Excel 工作簿" in response.content.decode()


def test_import_template_downloads(client, world, campaign):
    client.force_login(world.provincial_admin_a)
    response = client.get(reverse("campaigns:import_filers", args=[campaign.pk]), {"template": "1"})
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content[:2] == b"PK"


def test_invite_sends_sms_and_shows_delivery_status(client, world, campaign, right, django_capture_on_commit_callbacks):
    client.force_login(world.provincial_admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("campaigns:invite", args=[campaign.pk]))
    message = Message.objects.get(template="campaign_invite")
    assert message.recipient == world.filer_a
    assert "填报权限" in message.body
    html = client.get(reverse("campaigns:province", args=[campaign.pk])).content.decode()
    assert 'data-test="invite-status">已发送' in html


def test_closing_a_school_stops_its_filers(client, world, campaign, right):
    client.force_login(world.provincial_admin_a)
    client.post(reverse("campaigns:toggle_school", args=[campaign.pk, world.school_a.pk]))
    with pytest.raises(FilingError, match="本校的填报权限已关闭"):
        filing.start_submission(campaign, filer=world.filer_a)


def test_province_closes_and_extends_one_filers_right(client, world, campaign, right):
    # The right's id is in its own range (tests/id_offsets.py): it must not be looked up as a campaign's.
    assert right.pk != campaign.pk
    client.force_login(world.provincial_admin_a)

    closed = client.post(reverse("campaigns:toggle_right", args=[right.pk]))
    until = (campaign.closes_at + timedelta(days=2)).astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")
    extended = client.post(reverse("campaigns:extend", args=[right.pk]), {"until": until, "reason": "因病延期提交"})

    assert closed.status_code == 302
    assert extended.status_code == 302
    right.refresh_from_db()
    assert not right.is_open
    assert right.extended_until is not None


@pytest.mark.parametrize("who", ["provincial_admin_b", "counsellor_a", "filer_a"])
def test_province_page_refused_outside_the_province(client, world, campaign, who):
    client.force_login(getattr(world, who))
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = client.post(
        reverse(
            "campaigns:toggle_right",
            args=[
                FilingRight.objects.create(
                    campaign=campaign, filer=world.filer_a, school=world.school_a, granted_by=world.provincial_admin_a
                ).pk
            ],
        )
    )
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action=DENIED).count() == before + 1
    assert FilingRight.objects.get().is_open


def test_return_for_revision_from_the_page_tells_the_filer(
    client, world, campaign, right, django_capture_on_commit_callbacks
):
    from tests.xinan.campaigns.test_filing import _ready

    submission = filing.submit(_ready(campaign, world.filer_a), by=world.filer_a)
    client.force_login(world.provincial_admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("campaigns:decide", args=[submission.pk, "return"]), {"reason": "请补充干预结果部分"})
    submission.refresh_from_db()
    assert submission.state == "returned"
    assert Message.objects.filter(template="campaign_returned", recipient=world.filer_a).exists()


def test_other_province_cannot_decide(client, world, campaign, right):
    from tests.xinan.campaigns.test_filing import _ready

    submission = filing.submit(_ready(campaign, world.filer_a), by=world.filer_a)
    client.force_login(world.provincial_admin_b)
    response = client.post(reverse("campaigns:decide", args=[submission.pk, "reject"]), {"reason": "不予通过测试"})
    assert response.status_code == 404
    submission.refresh_from_db()
    assert submission.state == "submitted"


def test_submission_page_offers_return_and_reject_to_the_province(client, world, campaign, right):
    from tests.xinan.campaigns.test_filing import _ready

    submission = filing.submit(_ready(campaign, world.filer_a), by=world.filer_a)
    client.force_login(world.provincial_admin_a)
    html = client.get(reverse("campaigns:submission", args=[submission.pk])).content.decode()
    assert 'data-test="return"' in html
    client.force_login(world.filer_a)
    html = client.get(reverse("campaigns:submission", args=[submission.pk])).content.decode()
    assert 'data-test="return"' not in html


def test_province_submissions_are_paged(client, world, campaign):
    # Arrange: more submitted reports in province A than a page holds.
    from tests.xinan.reviews.conftest import make_submission
    from xinan.campaigns.views.province import SUBMISSIONS_PER_PAGE

    made = {make_submission(campaign, world.school_a, title=f"案例{n}").pk for n in range(SUBMISSIONS_PER_PAGE + 3)}
    client.force_login(world.provincial_admin_a)
    url = reverse("campaigns:province", args=[campaign.pk])

    # Act
    first, second = client.get(url), client.get(url, {"sp": 2})

    # Assert: each report on exactly one of the two pages; the filer table's own pages are untouched.
    shown_first = {s.pk for s in first.context["submissions"]}
    shown_second = {s.pk for s in second.context["submissions"]}
    assert len(shown_first) == SUBMISSIONS_PER_PAGE
    assert shown_first | shown_second == made
    assert not shown_first & shown_second
    assert "sp=2" in first.content.decode()
