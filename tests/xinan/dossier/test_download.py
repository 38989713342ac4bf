"""Downloading a dossier file: verified, never sniffed or cached, audited."""

from urllib.parse import quote

from django.core.files.storage import default_storage
from django.urls import reverse

from tests.xinan.dossier.conftest import make_pdf
from xinan.audit.models import AuditEntry
from xinan.crypto.keys import fernet
from xinan.dossier.services.documents import upload_document


def _document(case, world, *, name="转介 建议书（签字）.pdf", data=None):
    return upload_document(
        case, slot="referral_letter", chunks=[data or make_pdf()], original_name=name, by=world.counsellor_a
    )


def test_download_returns_file_as_attachment(client, case, world):
    data = make_pdf()
    document = _document(case, world, data=data)
    client.force_login(world.team_leader_a)
    response = client.get(reverse("dossier:download", args=[document.pk]))
    assert response.status_code == 200
    assert response.content == data
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('转介 建议书（签字）.pdf', safe='')}" in disposition
    assert f'filename="dossier-{case.pk}-{document.pk}.pdf"' in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="xinan.dossier.download")
    assert entry.actor == world.team_leader_a
    assert entry.after == {"document": document.pk, "slot": "referral_letter"}


def test_download_name_has_no_path_and_the_detected_extension(client, case, world):
    document = _document(case, world, name='..\\..\\etc/"pass"wd.exe')
    client.force_login(world.counsellor_a)
    disposition = client.get(reverse("dossier:download", args=[document.pk]))["Content-Disposition"]
    assert "etc" not in disposition
    assert "..%2F" not in disposition
    assert "%5C" not in disposition
    assert "filename*=UTF-8''pass_wd.pdf" in disposition


def test_download_of_altered_file_refused(client, case, world):
    document = _document(case, world)
    with default_storage.open(document.storage_name, "wb") as handle:
        handle.write(fernet().encrypt(b"%PDF-1.4 something else entirely"))
    client.force_login(world.counsellor_a)
    response = client.get(reverse("dossier:download", args=[document.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "校验值与存档时不一致" in page
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action="xinan.dossier.download").exists()


def test_download_of_corrupted_file_refused(client, case, world):
    document = _document(case, world)
    with default_storage.open(document.storage_name, "wb") as handle:
        handle.write(b"not a token at all")
    client.force_login(world.counsellor_a)
    response = client.get(reverse("dossier:download", args=[document.pk]))
    assert response.status_code == 409
    assert "无法读取" in response.content.decode()


def test_media_url_serves_nothing(client, case, world):
    document = _document(case, world)
    client.force_login(world.counsellor_a)
    from django.conf import settings

    assert client.get(settings.MEDIA_URL + document.storage_name).status_code == 404
