"""Publication pages, partner-only files, the portal's tokens, the download log and its report."""

import csv
import io

import pytest
from django.urls import reverse

from publications import citation
from publications.models import ApiToken, Download
from publications.tokens import hash_key

pytestmark = pytest.mark.django_db


def file_url(publication):
    return publication.files.get().get_absolute_url()


def test_list_filters_by_kind_and_shows_partner_only_ones_as_for_partners(client, publications):
    html = client.get(reverse("publications:list")).content.decode()
    assert "Initiatives 2024" in html and "Rapport partenaires" in html
    assert "pour les partenaires" in html or "for partners" in html
    html = client.get(reverse("publications:list") + "?type=report").content.decode()
    assert "Initiatives 2024" not in html


def test_list_filters_by_territory_and_year(client, publications):
    html = client.get(reverse("publications:list") + "?territoire=region:32").content.decode()
    assert "Initiatives 2024" in html and "Rapport partenaires" not in html
    html = client.get(reverse("publications:list") + "?annee=1999").content.decode()
    assert "Initiatives 2024" not in html


def test_partner_only_files_are_404_for_the_public(client, publications):
    closed = publications["partners"]
    page = client.get(closed.get_absolute_url()).content.decode()
    assert file_url(closed) not in page
    assert client.get(file_url(closed)).status_code == 404
    assert Download.objects.count() == 0


def test_partner_downloads_a_partner_only_file_and_it_is_logged(client, partner, publications):
    client.force_login(partner)
    closed = publications["partners"]
    response = client.get(file_url(closed) + "?source=portal")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"id,name")
    download = Download.objects.get()
    assert (download.user, download.publication, download.filters) == (
        partner,
        closed,
        "source=portal",
    )


def test_embargoed_publication_is_not_public(client, publications):
    import datetime

    publications["open"].embargo_until = datetime.date.today() + datetime.timedelta(days=3)
    publications["open"].save()
    assert client.get(publications["open"].get_absolute_url()).status_code == 404


def test_citations_in_three_styles(publications):
    publication, url = publications["open"], "https://example.org/p/"
    assert citation.readable(publication, url).startswith("Dupont, Marie; Martin, Paul (2024).")
    assert "@misc{dupont2024" in citation.bibtex(publication, url)
    csl = citation.csl(publication, url)
    assert csl["type"] == "dataset"
    assert csl["author"][0] == {"family": "Dupont", "given": "Marie"}


def test_portal_is_for_partners(client, publications, django_user_model):
    assert client.get(reverse("publications:portal")).status_code == 302
    client.force_login(django_user_model.objects.create_user("someone"))
    assert client.get(reverse("publications:portal")).status_code == 403


def test_token_is_shown_once_and_stored_hashed(client, partner, publications):
    client.force_login(partner)
    response = client.post(reverse("publications:token-create"), {"name": "mon script"})
    key = response.context["new_key"]
    token = ApiToken.objects.get()
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert token.prefix == key[:12]
    assert key not in client.get(reverse("publications:portal")).content.decode()


def test_revoked_token_is_refused_at_once(client, partner, directory):
    client.force_login(partner)
    client.post(reverse("publications:token-create"), {"name": "script"})
    key = client.post(reverse("publications:token-create"), {"name": "x"}).context["new_key"]
    client.logout()
    api = reverse("api:initiative-list")
    assert client.get(api, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert ApiToken.objects.get(prefix=key[:12]).last_used_at is not None
    client.force_login(partner)
    token = ApiToken.objects.get(prefix=key[:12])
    client.post(reverse("publications:token-revoke", args=[token.pk]))
    client.logout()
    assert client.get(api, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    export = reverse("publications:export", kwargs={"name": "initiatives", "fmt": "csv"})
    assert client.get(export, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_partner_only_files_need_a_valid_partner_token_in_api_and_download(
    client, partner, publications
):
    from publications.tokens import create_token, revoke_token

    closed = publications["partners"]
    listed = client.get(reverse("api:publication-list")).json()["results"]
    # Listed to everyone, as on /publications/, but without its files.
    assert {item["slug"]: item["files"] for item in listed}[closed.slug] == []
    token, key = create_token(partner, "script")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    detail = reverse("api:publication-detail", args=[closed.slug])
    [item] = client.get(detail, **auth).json()["files"]
    assert client.get(item["url"]).status_code == 404
    response = client.get(item["url"], **auth)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"id,name")
    assert Download.objects.get().token == token
    revoke_token(token)
    assert client.get(detail, **auth).status_code == 401
    assert client.get(item["url"], **auth).status_code == 401
    assert client.get(detail).json()["files"] == []


def test_staff_see_downloads_per_partner_and_publication_and_a_csv(
    client, partner, staff, publications
):
    client.force_login(partner)
    client.get(file_url(publications["open"]))
    client.get(reverse("publications:export", kwargs={"name": "ptces", "fmt": "json"}) + "?x=1")
    client.force_login(staff)
    html = client.get(reverse("publications:downloads")).content.decode()
    assert "partenaire" in html and "Banque coopérative" in html and "Initiatives 2024" in html
    response = client.get(reverse("publications:downloads-csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["when", "user", "organisation"]
    assert len(rows) == 3
    assert client.get(reverse("publications:downloads")).status_code == 200
    client.force_login(partner)
    assert client.get(reverse("publications:downloads")).status_code == 403


def test_initiative_profile_as_pdf_is_cached_until_it_changes(client, directory):
    from django.core.cache import cache

    from publications.pdf import cache_key

    initiative = directory["initiatives"][0]
    url = reverse("publications:initiative-pdf", args=[initiative.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert cache.get(cache_key("initiative", initiative)) == response.content
    assert client.get(reverse("publications:initiative-pdf", args=["brouillon"])).status_code == 404
