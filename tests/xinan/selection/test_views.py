"""Every view of the app: the role matrix (status; a refusal is a 404 with exactly one
xinan.access.denied entry and changes nothing), and the refusals people meet."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import person
from tests.xinan.selection.test_national import COMMENTS
from tests.xinan.selection.test_recommendation import JPEG
from xinan.audit.models import AuditEntry
from xinan.campaigns.models import ProvinceQuota, Submission
from xinan.organisations.enums import Role
from xinan.selection.models import Anthology, Commentary, Recommendation, RecommendationItem
from xinan.selection.services import recommendation as service
from xinan.selection.services.anthology import generate_anthology
from xinan.selection.services.national import select_submission, write_commentary

DENIED = "xinan.access.denied"
ROLES = ["provincial_admin_a", "provincial_admin_b", "national_admin", "national_reviewer", "filer_a", "reviewer_a"]


def _stage(world, campaign, approved, stage):
    """Bring the world to a stage: draft (ready to submit), submitted, selected (with anthology)."""
    admin = world.provincial_admin_a
    rec = service.open_recommendation(campaign, world.province_a, by=admin)
    service.add_to_recommendation(rec, approved[0], by=admin)
    service.generate_summary_table(rec, by=admin)
    service.upload_sealed_scan(rec, JPEG, by=admin)
    anthology = None
    if stage in {"submitted", "selected"}:
        service.submit_recommendation(rec, by=admin)
    if stage == "selected":
        select_submission(approved[0], by=world.national_admin)
        write_commentary(approved[0], text=COMMENTS[0], by=world.national_admin)
        anthology = generate_anthology(campaign, by=world.national_admin)
    rec.refresh_from_db()
    return {"rec": rec, "anthology": anthology, "case": approved[0], "other": approved[1], "campaign": campaign}


def _snapshot():
    return (
        list(Recommendation.objects.order_by("pk").values()),
        list(RecommendationItem.objects.order_by("pk").values_list("recommendation_id", "submission_id", "position")),
        list(Submission.objects.order_by("pk").values_list("pk", "state")),
        list(Commentary.objects.values_list("submission_id", "text")),
        Anthology.objects.count(),
        list(ProvinceQuota.objects.values_list("pk", "used")),
    )


OK_A = {"provincial_admin_a"}
# name, method, stage, url(objects), data(objects), statuses of the roles allowed (others: 404)
MATRIX = [
    (
        "province_entry",
        "get",
        "draft",
        lambda o: reverse("selection:province_entry", args=[o["campaign"].pk]),
        None,
        {"provincial_admin_a": 302, "provincial_admin_b": 302},
    ),
    (
        "recommendation",
        "get",
        "draft",
        lambda o: reverse("selection:recommendation", args=[o["rec"].pk]),
        None,
        {"provincial_admin_a": 200},
    ),
    (
        "recommendation_submitted",
        "get",
        "submitted",
        lambda o: reverse("selection:recommendation", args=[o["rec"].pk]),
        None,
        {"provincial_admin_a": 200, "national_admin": 200},
    ),
    (
        "add",
        "post",
        "draft",
        lambda o: reverse("selection:add", args=[o["rec"].pk]),
        lambda o: {"submission": o["other"].pk},
        {"provincial_admin_a": 302},
    ),
    (
        "remove",
        "post",
        "draft",
        lambda o: reverse("selection:remove", args=[o["rec"].pk]),
        lambda o: {"submission": o["case"].pk},
        {"provincial_admin_a": 302},
    ),
    (
        "generate_table",
        "post",
        "draft",
        lambda o: reverse("selection:generate_table", args=[o["rec"].pk]),
        None,
        {"provincial_admin_a": 302},
    ),
    (
        "download_pdf",
        "get",
        "draft",
        lambda o: reverse("selection:download_pdf", args=[o["rec"].pk]),
        None,
        {"provincial_admin_a": 200},
    ),
    (
        "download_xlsx",
        "get",
        "submitted",
        lambda o: reverse("selection:download_xlsx", args=[o["rec"].pk]),
        None,
        {"provincial_admin_a": 200, "national_admin": 200},
    ),
    (
        "upload_seal",
        "post",
        "draft",
        lambda o: reverse("selection:upload_seal", args=[o["rec"].pk]),
        lambda o: {"scan": SimpleUploadedFile("盖章.jpg", JPEG)},
        {"provincial_admin_a": 302},
    ),
    (
        "download_seal",
        "get",
        "submitted",
        lambda o: reverse("selection:download_seal", args=[o["rec"].pk]),
        None,
        {"provincial_admin_a": 200, "national_admin": 200},
    ),
    (
        "submit",
        "post",
        "draft",
        lambda o: reverse("selection:submit", args=[o["rec"].pk]),
        None,
        {"provincial_admin_a": 302},
    ),
    (
        "national",
        "get",
        "submitted",
        lambda o: reverse("selection:national", args=[o["campaign"].pk]),
        None,
        {"national_admin": 200, "national_reviewer": 200},
    ),
    (
        "select",
        "post",
        "submitted",
        lambda o: reverse("selection:select", args=[o["case"].pk]),
        None,
        {"national_admin": 302},
    ),
    (
        "unselect",
        "post",
        "selected",
        lambda o: reverse("selection:unselect", args=[o["case"].pk]),
        lambda o: {"reason": "与其他案例重复"},
        {"national_admin": 302},
    ),
    (
        "commentary_get",
        "get",
        "selected",
        lambda o: reverse("selection:commentary", args=[o["case"].pk]),
        None,
        {"national_admin": 200, "national_reviewer": 200},
    ),
    (
        "commentary_post",
        "post",
        "selected",
        lambda o: reverse("selection:commentary", args=[o["case"].pk]),
        lambda o: {"text": COMMENTS[1]},
        {"national_admin": 302, "national_reviewer": 302},
    ),
    (
        "anthology_generate",
        "post",
        "selected",
        lambda o: reverse("selection:anthology_generate", args=[o["campaign"].pk]),
        None,
        {"national_admin": 302},
    ),
    (
        "anthology_pdf",
        "get",
        "selected",
        lambda o: reverse("selection:anthology_pdf", args=[o["anthology"].pk]),
        None,
        {"national_admin": 200},
    ),
    (
        "anthology_docx",
        "get",
        "selected",
        lambda o: reverse("selection:anthology_docx", args=[o["anthology"].pk]),
        None,
        {"national_admin": 200},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "stage", "url", "data", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_view_role_matrix(client, world, campaign, approved, role, name, method, stage, url, data, allowed):
    objects = _stage(world, campaign, approved, stage)
    user = person(Role.REVIEWER, world.nation) if role == "national_reviewer" else getattr(world, role)
    client.force_login(user)
    before, denied = _snapshot(), AuditEntry.objects.filter(action=DENIED).count()
    response = getattr(client, method)(url(objects), data(objects) if data else {})
    expected = allowed.get(role, 404)
    assert response.status_code == expected
    if expected == 404:
        assert AuditEntry.objects.filter(action=DENIED).count() == denied + 1
        assert _snapshot() == before
    elif response.status_code == 200 and response.get("Content-Disposition"):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_province_b_cannot_open_or_act_on_province_a(client, world, campaign, approved):
    objects = _stage(world, campaign, approved, "draft")
    client.force_login(world.provincial_admin_b)
    before = _snapshot()
    assert client.get(reverse("selection:recommendation", args=[objects["rec"].pk])).status_code == 404
    assert client.post(reverse("selection:submit", args=[objects["rec"].pk])).status_code == 404
    assert _snapshot() == before
    entry = AuditEntry.objects.filter(action=DENIED).latest("pk")
    assert entry.actor == world.provincial_admin_b


def test_bad_seal_type_refused_with_a_chinese_message(client, world, campaign, approved):
    rec = service.open_recommendation(campaign, world.province_a, by=world.provincial_admin_a)
    service.add_to_recommendation(rec, approved[0], by=world.provincial_admin_a)
    service.generate_summary_table(rec, by=world.provincial_admin_a)
    client.force_login(world.provincial_admin_a)
    response = client.post(
        reverse("selection:upload_seal", args=[rec.pk]),
        {"scan": SimpleUploadedFile("盖章.jpg", b"PK\x03\x04 a zip dressed as a photo")},
    )
    assert response.status_code == 400
    assert "盖章件只能是照片" in response.content.decode()
    rec.refresh_from_db()
    assert rec.seal_name == ""


def test_soft_quota_warns_and_hard_quota_refuses_in_the_page(client, world, campaign, approved):
    rec = service.open_recommendation(campaign, world.province_a, by=world.provincial_admin_a)
    for case in approved[:3]:
        service.add_to_recommendation(rec, case, by=world.provincial_admin_a)
    client.force_login(world.provincial_admin_a)
    url = reverse("selection:add", args=[rec.pk])
    response = client.post(url, {"submission": approved[3].pk}, follow=True)
    assert "超出名额" in response.content.decode()
    service.remove_from_recommendation(rec, approved[3], by=world.provincial_admin_a)
    campaign.province_quota_mode = "hard"
    campaign.save()
    response = client.post(url, {"submission": approved[3].pk})
    assert response.status_code == 400
    assert "名额" in response.content.decode()
    assert rec.items.count() == 3


def test_submit_page_shows_the_hash_and_locks(client, world, campaign, approved):
    objects = _stage(world, campaign, approved, "draft")
    client.force_login(world.provincial_admin_a)
    response = client.post(reverse("selection:submit", args=[objects["rec"].pk]), follow=True)
    page = response.content.decode()
    assert objects["rec"].pdf_sha256 in page
    assert objects["rec"].set_sha256 in page
    assert 'data-test="locked"' in page
    response = client.post(reverse("selection:remove", args=[objects["rec"].pk]), {"submission": objects["case"].pk})
    assert response.status_code == 400
    assert "锁定" in response.content.decode()
    assert RecommendationItem.objects.count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_national_page_queries_do_not_grow(client, world, campaign, approved, count, django_assert_max_num_queries):
    rec = service.open_recommendation(campaign, world.province_a, by=world.provincial_admin_a)
    for case in approved[:count]:
        service.add_to_recommendation(rec, case, by=world.provincial_admin_a)
    service.generate_summary_table(rec, by=world.provincial_admin_a)
    service.upload_sealed_scan(rec, JPEG, by=world.provincial_admin_a)
    service.submit_recommendation(rec, by=world.provincial_admin_a)
    client.force_login(world.national_admin)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("selection:national", args=[campaign.pk])).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_recommendation_page_queries_do_not_grow(
    client, world, campaign, approved, count, django_assert_max_num_queries
):
    rec = service.open_recommendation(campaign, world.province_a, by=world.provincial_admin_a)
    for case in approved[:count]:
        service.add_to_recommendation(rec, case, by=world.provincial_admin_a)
    client.force_login(world.provincial_admin_a)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("selection:recommendation", args=[rec.pk])).status_code == 200
