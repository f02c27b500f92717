"""Signed consent forms: uploaded through the same checks as any kept file, kept in the private
storage under a random name, read by the season's researchers and staff only, logged.

The probe's attacks: an `.html` "consent form" uploaded and then served as text/html in the
site's origin; a form fetched by anyone at `/media/private/consents/<year>/<name>`.
"""

import datetime
import importlib
import stat

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from terrain.models import AccessLog, Consent, Season, Visit
from tests.medias.files import pdf, png

pytestmark = pytest.mark.django_db
HTML = b"<!DOCTYPE html><html><body><script>fetch('/terrain/').then(r=>r.text())</script>"


def page_url(fieldwork):
    consent = fieldwork["helene_consent"]
    return reverse("terrain:consent", args=[fieldwork["season"].pk, consent.interviewee_id])


def file_url(fieldwork):
    consent = fieldwork["helene_consent"]
    return reverse("terrain:consent-file", args=[fieldwork["season"].pk, consent.interviewee_id])


def post_form(client, fieldwork, upload):
    consent = fieldwork["helene_consent"]
    data = {
        "quoting_allowed": "on",
        "publication_allowed": "on",
        "naming": consent.naming,
        "pseudonym": consent.pseudonym,
        "signed_at": "2024-05-03",
        "signed_form": upload,
    }
    return client.post(page_url(fieldwork), data, HTTP_ACCEPT_LANGUAGE="fr")


def stored_files(settings):
    return [path for path in settings.MEDIA_PRIVATE_ROOT.rglob("*") if path.is_file()]


def test_a_researcher_uploads_a_pdf_kept_private_under_a_random_name(client, fieldwork, settings):
    client.force_login(fieldwork["users"]["member"])
    content = pdf("Consentement signé")
    response = post_form(client, fieldwork, SimpleUploadedFile("consentement-brule.pdf", content))
    assert response.status_code == 302

    consent = Consent.objects.get(pk=fieldwork["helene_consent"].pk)
    assert consent.signed_form_name == "consentement-brule.pdf"
    assert consent.signed_form_type == "application/pdf"
    [path] = stored_files(settings)
    assert path.read_bytes() == content
    assert "brule" not in consent.signed_form.name and consent.signed_form.name.startswith(
        "consents/"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not list(settings.MEDIA_ROOT.rglob("*"))  # nothing in the public folder

    # The page links the form by its name, to the checking view, never to a storage address.
    html = client.get(page_url(fieldwork)).content.decode()
    assert f'href="{file_url(fieldwork)}"' in html and "consentement-brule.pdf" in html
    assert consent.signed_form.name not in html


@pytest.mark.parametrize("name", ["formulaire.html", "formulaire.pdf", "formulaire"])
def test_an_html_consent_form_is_refused_with_a_message_and_nothing_kept(
    client, fieldwork, settings, name
):
    client.force_login(fieldwork["users"]["member"])
    response = post_form(client, fieldwork, SimpleUploadedFile(name, HTML))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le contenu de ce fichier est du text/html" in html
    assert "formulaire de consentement signé (PDF ou image)" in html
    assert not Consent.objects.get(pk=fieldwork["helene_consent"].pk).signed_form
    assert stored_files(settings) == []


def test_a_pdf_named_as_a_picture_is_refused(client, fieldwork, settings):
    client.force_login(fieldwork["users"]["member"])
    response = post_form(client, fieldwork, SimpleUploadedFile("scan.jpg", pdf()))
    assert response.status_code == 400
    assert "Le fichier a l’extension .jpg mais son contenu est du application/pdf" in (
        response.content.decode()
    )
    assert stored_files(settings) == []


def test_an_oversized_consent_form_is_refused_with_the_limit(client, fieldwork, settings):
    settings.MEDIA_LIMITS = {**settings.MEDIA_LIMITS, "consent": 2 * 1024 * 1024}
    big = SimpleUploadedFile("scan.png", png())
    big.file.seek(3 * 1024 * 1024)  # a sparse tail: 3 MB declared, a PNG header sniffed
    big.file.write(b"\0")
    big.size = big.file.tell()
    big.file.seek(0)
    client.force_login(fieldwork["users"]["member"])
    response = post_form(client, fieldwork, big)
    assert response.status_code == 400
    html = response.content.decode()
    assert "trop volumineux" in html and "2.0" in html.replace(",", ".")
    assert stored_files(settings) == []


def test_an_image_scan_is_accepted_and_replacing_it_deletes_the_old_one(
    client, fieldwork, settings, django_capture_on_commit_callbacks
):
    client.force_login(fieldwork["users"]["member"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, fieldwork, SimpleUploadedFile("scan.png", png()))
    assert response.status_code == 302
    [first] = stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, fieldwork, SimpleUploadedFile("signe.pdf", pdf()))
    assert response.status_code == 302
    [second] = stored_files(settings)
    assert second != first and not first.exists()
    assert Consent.objects.get(pk=fieldwork["helene_consent"].pk).signed_form_name == "signe.pdf"


@pytest.fixture
def signed(fieldwork):
    consent = fieldwork["helene_consent"]
    consent.signed_form_type = "application/pdf"
    consent.signed_form.save("consentement-brule.pdf", ContentFile(pdf("Signé")))
    return consent


@pytest.mark.parametrize("who", ["member", "staff"])
def test_the_seasons_researchers_and_staff_download_it_and_it_is_logged(
    client, fieldwork, signed, who
):
    client.force_login(fieldwork["users"][who])
    response = client.get(file_url(fieldwork))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="consentement-brule.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    entry = AccessLog.objects.get()
    assert (entry.user.username, entry.action, entry.target) == (who, "download", "consent")
    assert entry.interview == fieldwork["interview"] and entry.season == fieldwork["season"]


def test_anyone_else_gets_nothing_and_nothing_is_logged(client, fieldwork, signed, settings):
    url = file_url(fieldwork)
    # Anonymous: to the log-in page; the old public address and the storage name: 404.
    response = client.get(url)
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    assert client.get(f"/media/private/consents/2024/{signed.signed_form_name}").status_code == 404
    assert client.get(f"/media/{signed.signed_form.name}").status_code == 404
    # A researcher of the platform, but not of this season: 404, as if it did not exist.
    client.force_login(fieldwork["users"]["outsider"])
    assert client.get(url).status_code == 404
    # Nor through another season they do belong to.
    other = Season.objects.create(title="Autre saison", start_date=datetime.date(2025, 1, 1))
    other.researchers.add(fieldwork["users"]["outsider"])
    Visit.objects.create(season=other, date=datetime.date(2025, 1, 2))
    other_url = reverse("terrain:consent-file", args=[other.pk, signed.interviewee_id])
    assert client.get(other_url).status_code == 404
    assert AccessLog.objects.count() == 0


def test_a_form_kept_before_the_checks_is_served_as_bytes_not_as_html(client, fieldwork):
    consent = fieldwork["helene_consent"]
    consent.signed_form.save("formulaire.html", ContentFile(HTML))  # an older upload, unchecked
    client.force_login(fieldwork["users"]["member"])
    response = client.get(file_url(fieldwork))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_migration_moves_existing_forms_into_the_private_storage(fieldwork, settings):
    """An install upgraded from the public folder keeps its forms, renamed, and loses none."""
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    old_name = public.save("private/consents/2024/consentement-brule.pdf", ContentFile(pdf()))
    Consent.objects.filter(pk=fieldwork["helene_consent"].pk).update(signed_form=old_name)
    Consent.objects.filter(pk=fieldwork["joel_consent"].pk).update(
        signed_form="private/consents/2023/perdu.pdf"  # lost long ago: left as it was
    )
    migration = importlib.import_module("terrain.migrations.0004_private_files")

    migration.into_private_storage(apps, None)

    moved = Consent.objects.get(pk=fieldwork["helene_consent"].pk)
    assert moved.signed_form.name.startswith("consents/")
    assert moved.signed_form_name == "consentement-brule.pdf"
    assert moved.signed_form_type == "application/pdf"
    assert (settings.MEDIA_PRIVATE_ROOT / moved.signed_form.name).read_bytes().startswith(b"%PDF")
    assert not public.exists(old_name)
    lost = Consent.objects.get(pk=fieldwork["joel_consent"].pk)
    assert lost.signed_form.name == "private/consents/2023/perdu.pdf"

    # Backwards, for a rollback of the release: the file goes back where it was.
    migration.back_to_default_storage(apps, None)
    moved.refresh_from_db()
    assert moved.signed_form.name == "private/consents/consentement-brule.pdf"
    assert public.exists(moved.signed_form.name)


def test_the_consent_page_in_french_says_what_is_accepted(client, fieldwork):
    client.force_login(fieldwork["users"]["member"])
    with translation.override("fr"):
        html = client.get(page_url(fieldwork), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Un PDF ou une image" in html


def test_the_admin_checks_the_signed_form_too(client, fieldwork, settings):
    client.force_login(fieldwork["users"]["staff"])
    fieldwork["users"]["staff"].is_superuser = True
    fieldwork["users"]["staff"].save()
    consent = fieldwork["helene_consent"]
    url = reverse("admin:terrain_consent_change", args=[consent.pk])
    data = {
        "interviewee": consent.interviewee_id,
        "naming": consent.naming,
        "pseudonym": consent.pseudonym,
        "quoting_allowed": "on",
        "publication_allowed": "on",
        "signed_form": SimpleUploadedFile("formulaire.html", HTML),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "text/html" in response.content.decode()
    assert stored_files(settings) == []
    data["signed_form"] = SimpleUploadedFile("scan.png", png())
    assert client.post(url, data).status_code == 302
    consent.refresh_from_db()
    assert (consent.signed_form_name, consent.signed_form_type) == ("scan.png", "image/png")
    assert client.get(url).status_code == 200  # the change page links the form to its view
