"""The demo publications: open ones for everyone, a partners-only one in the partners' portal."""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from pypdf import PdfReader

from initiatives.models import Organisation
from observatoire import roles
from publications.demo import load_demo_publications
from publications.models import Audience, Publication


def test_the_demo_publications_show_to_the_public_and_to_partners(db, media, client):
    roles.sync_roles()
    Organisation.objects.create(name="Crédit Coopératif", slug="credit-cooperatif")
    partner = get_user_model().objects.create_user("partner", password="pw")
    partner.groups.add(Group.objects.get(name=roles.PARTNER))
    load_demo_publications()
    load_demo_publications()  # idempotent
    assert Publication.objects.published().count() == 3
    public = client.get("/publications/").content.decode()
    assert "Annuaire des initiatives coopératives" in public
    report = Publication.objects.get(slug="ce-qui-rend-la-cooperation-possible")
    pdf = report.files.get().file.read()
    assert "coopération" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()

    client.force_login(partner)
    portal = client.get("/espace-partenaire/").content.decode()
    only_partners = Publication.objects.get(audience=Audience.PARTNERS)
    assert only_partners.title in portal and "Crédit Coopératif" in portal
    download = client.get(only_partners.files.get().get_absolute_url())
    assert download.status_code == 200


def test_an_empty_list_says_it_is_empty_and_a_filtered_one_that_nothing_matches(db, client):
    assert "Rien n’est encore publié." in client.get("/publications/").content.decode()
    filtered = client.get("/publications/?type=report").content.decode()
    assert "Aucune publication ne correspond à ces filtres." in filtered
