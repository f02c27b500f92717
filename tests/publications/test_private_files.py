"""Publication files are private files: kept in the private storage under a random name, fetched
only through the view that checks audience, state and embargo, as attachments, logged.

The attack of the probe: a partner-only, draft or embargoed file fetched by anyone at its
guessable `/media/publications/<slug>/<file>` address.
"""

import datetime
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from observatoire.publishing import State
from publications.models import Download, PublicationFile

from .conftest import PASSWORD, make_publication

pytestmark = pytest.mark.django_db
CONTENT = b"id,name\n1,Maison\n"


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


def test_files_are_private_with_random_names_and_their_given_name_kept(publications, media):
    item = publications["partners"].files.get()
    assert item.original_name == "data.csv"
    path = media / item.file.name
    assert path.read_bytes() == CONTENT and path in stored_files(media)
    # Nothing says whose or what it is; a second file of the same name gets another name.
    assert "data" not in item.file.name and "rapport" not in item.file.name
    assert item.file.name.startswith("publications/")
    other = publications["open"].files.get()
    assert other.file.name != item.file.name
    # Readable by the server's user alone.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_old_guessable_address_and_the_storage_name_answer_404(client, publications, media):
    closed = publications["partners"]
    item = closed.files.get()
    for url in (f"/media/publications/{closed.slug}/data.csv", f"/media/{item.file.name}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert CONTENT not in response.content
    # The file's only address is the checking view.
    assert item.file.url == item.get_absolute_url()


def test_partner_only_file_anonymous_404_partner_attachment_nosniff_logged(
    client, partner, publications
):
    item = publications["partners"].files.get()
    url = item.get_absolute_url()
    refused = client.get(url)
    assert refused.status_code == 404 and CONTENT not in refused.content
    assert Download.objects.count() == 0

    client.force_login(partner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"] == 'attachment; filename="data.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert Download.objects.get().user == partner


@pytest.mark.parametrize("case", ["draft", "embargoed"])
def test_draft_and_embargoed_files_are_404_even_for_partners(client, partner, media, case):
    extra = {"embargo_until": timezone.localdate() + datetime.timedelta(days=30)}
    publication = make_publication(f"Rapport {case}", **(extra if case == "embargoed" else {}))
    if case == "draft":
        publication.state = State.DRAFT
        publication.save()
    url = publication.files.get().get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(partner)
    assert client.get(url).status_code == 404
    assert Download.objects.count() == 0


def test_an_html_file_is_downloaded_never_shown_in_the_sites_origin(client, publications):
    publication = publications["open"]
    item = PublicationFile(publication=publication, title="Page")
    item.file.save("page.html", ContentFile(b"<script>alert(document.cookie)</script>"))
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_edit_a_publication_in_the_admin_with_its_file_linked_to_the_view(
    client, publications
):
    staff = get_user_model().objects.create_superuser("admin", password=PASSWORD)
    client.force_login(staff)
    publication = publications["partners"]
    item = publication.files.get()
    response = client.get(reverse("admin:publications_publication_change", args=[publication.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{item.get_absolute_url()}"' in html
    assert item.file.name not in html.replace(f"/{item.pk}/", "")  # no storage name shown


def test_a_file_uploaded_in_the_admin_keeps_its_name_for_the_download(
    client, partner, publications, media
):
    staff = get_user_model().objects.create_superuser("admin", password=PASSWORD)
    client.force_login(staff)
    publication = publications["partners"]
    existing = publication.files.get()
    url = reverse("admin:publications_publication_change", args=[publication.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "initiatives": [i.pk for i in publication.initiatives.all()],
            "territories": [],
            "files-TOTAL_FORMS": "2",
            "files-INITIAL_FORMS": "1",
            "files-MIN_NUM_FORMS": "0",
            "files-MAX_NUM_FORMS": "1000",
            "files-0-id": existing.pk,
            "files-0-publication": publication.pk,
            "files-0-title": existing.title,
            "files-1-publication": publication.pk,
            "files-1-title": "Annexe",
            "files-1-file": ContentFile(b"annexe", name="annexe-2024.csv"),
        }
    )
    data = {key: value for key, value in data.items() if value != ""}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    added = publication.files.get(title="Annexe")
    assert added.original_name == "annexe-2024.csv"
    assert "annexe" not in added.file.name
    assert (media / added.file.name).read_bytes() == b"annexe"
