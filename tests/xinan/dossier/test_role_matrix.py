"""Every dossier view against every standard person: status, nothing changed when refused,
the refusal audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.xinan.dossier.conftest import make_pdf
from xinan.audit.models import AuditEntry
from xinan.dossier.models import Document
from xinan.dossier.services.documents import upload_document

DENIED = "xinan.access.denied"
PEOPLE = [
    "counsellor_a",
    "team_leader_a",
    "coordinator_a",
    "class_teacher_a",
    "counsellor_a2",
    "health_teacher_a",
    "staff_a",
    "filer_a",
    "counsellor_a2_school",
    "counsellor_b",
    "team_leader_b",
    "provincial_admin_a",
    "national_admin",
]
WORKERS = {"counsellor_a", "team_leader_a", "coordinator_a"}
EXPORTERS = {"team_leader_a", "coordinator_a"}


def _as(client, world, who, call):
    client.force_login(getattr(world, who))
    before = AuditEntry.objects.filter(action=DENIED).count()
    response = call()
    return response, AuditEntry.objects.filter(action=DENIED).count() - before


def _check_refusal(response, refusals, allowed):
    if allowed:
        assert refusals == 0
    else:
        assert response.status_code == 404
        assert refusals == 1


@pytest.mark.parametrize("who", PEOPLE)
def test_dossier_page_role_matrix(client, world, case, who):
    response, refusals = _as(client, world, who, lambda: client.get(reverse("dossier:case", args=[case.pk])))
    allowed = who in WORKERS
    _check_refusal(response, refusals, allowed)
    if allowed:
        assert response.status_code == 200
        assert AuditEntry.objects.filter(action="xinan.dossier.view", actor=getattr(world, who)).exists()


@pytest.mark.parametrize("who", PEOPLE)
def test_upload_role_matrix(client, world, case, who):
    url = reverse("dossier:upload", args=[case.pk])
    response, refusals = _as(
        client,
        world,
        who,
        lambda: client.post(url, {"slot": "other", "file": SimpleUploadedFile("a.pdf", make_pdf())}),
    )
    allowed = who in WORKERS
    _check_refusal(response, refusals, allowed)
    assert response.status_code == (302 if allowed else 404)
    assert Document.objects.filter(case=case).count() == (1 if allowed else 0)
    assert AuditEntry.objects.filter(action="xinan.dossier.upload").count() == (1 if allowed else 0)


@pytest.mark.parametrize("who", PEOPLE)
def test_upload_form_role_matrix(client, world, case, who):
    response, refusals = _as(client, world, who, lambda: client.get(reverse("dossier:upload", args=[case.pk])))
    _check_refusal(response, refusals, who in WORKERS)
    assert response.status_code == (200 if who in WORKERS else 404)


@pytest.mark.parametrize("who", PEOPLE)
def test_download_role_matrix(client, world, case, who):
    document = upload_document(case, slot="other", chunks=[make_pdf()], original_name="a.pdf", by=world.counsellor_a)
    url = reverse("dossier:download", args=[document.pk])
    response, refusals = _as(client, world, who, lambda: client.get(url))
    allowed = who in WORKERS
    _check_refusal(response, refusals, allowed)
    assert response.status_code == (200 if allowed else 404)
    assert AuditEntry.objects.filter(action="xinan.dossier.download").count() == (1 if allowed else 0)
    if not allowed:
        entry = AuditEntry.objects.filter(action=DENIED).latest("pk")
        assert entry.object_type == "dossier.document"
        assert entry.organisation_id == world.school_a.pk


@pytest.mark.parametrize("who", PEOPLE)
def test_generate_role_matrix(client, world, case, who):
    url = reverse("dossier:generate", args=[case.pk])
    response, refusals = _as(client, world, who, lambda: client.post(url, {"kind": "intervention_record"}))
    allowed = who in WORKERS
    _check_refusal(response, refusals, allowed)
    assert response.status_code == (302 if allowed else 404)
    assert Document.objects.filter(case=case, generated=True).count() == (2 if allowed else 0)


@pytest.mark.parametrize("who", PEOPLE)
def test_export_role_matrix(client, world, case, who):
    upload_document(case, slot="other", chunks=[make_pdf()], original_name="a.pdf", by=world.counsellor_a)
    url = reverse("dossier:export", args=[case.pk])
    response, refusals = _as(client, world, who, lambda: client.post(url))
    allowed = who in EXPORTERS
    _check_refusal(response, refusals, allowed)
    # No archive without a second person's approval: the overseers are sent to the request form.
    assert response.status_code == (302 if allowed else 404)
    assert not AuditEntry.objects.filter(action="xinan.dossier.export").exists()


def test_unknown_document_is_404_and_audited(client, world, case):
    response, refusals = _as(
        client, world, "counsellor_a", lambda: client.get(reverse("dossier:download", args=[99999]))
    )
    assert response.status_code == 404
    assert refusals == 1


def test_export_is_post_only(client, world, case):
    client.force_login(world.team_leader_a)
    assert client.get(reverse("dossier:export", args=[case.pk])).status_code == 405
    assert not AuditEntry.objects.filter(action="xinan.dossier.export").exists()


def test_anonymous_is_sent_to_sign_in(client, case):
    response = client.get(reverse("dossier:case", args=[case.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


LETTER_MATRIX = {"team_leader_a": 200, "coordinator_a": 200}


@pytest.mark.parametrize("who", PEOPLE)
def test_letter_templates_role_matrix(client, world, who):
    url = reverse("dossier:letter_template", args=[world.school_a.pk, "referral_letter"])
    response, refusals = _as(client, world, who, lambda: client.post(url, {"action": "save", "text": "标题\n正文"}))
    allowed = who in LETTER_MATRIX
    _check_refusal(response, refusals, allowed)
    assert response.status_code == (302 if allowed else 404)
    assert world.school_a.letter_templates.count() == (1 if allowed else 0)
