"""A partner in a real browser: signs in, downloads a dataset, creates a token, calls the API."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile

pytestmark = pytest.mark.browser

PASSWORD = "Coop-Terrain-2024"


@pytest.fixture
def partner_and_dataset(db, settings, tmp_path, territory_factory):
    from initiatives.models import Initiative, Organisation
    from initiatives.services import publish
    from publications.models import Audience, Kind, PartnerAccount, Publication, PublicationFile

    settings.MEDIA_ROOT = tmp_path / "media"
    region = territory_factory(territory_factory.Level.REGION, "32", "Hauts-de-France")
    initiative = Initiative.objects.create(
        name="Maison des échanges",
        slug="maison-des-echanges",
        summary="Échanger.",
        territory=region,
    )
    publish(initiative)
    organisation = Organisation.objects.create(name="Banque coopérative", slug="banque-coop")
    user = User.objects.create_user("partenaire", password=PASSWORD)
    user.groups.add(Group.objects.get(name="partner"))
    PartnerAccount.objects.create(user=user, organisation=organisation)
    dataset = Publication.objects.create(
        title="Jeu de données 2024", slug="jeu-2024", kind=Kind.DATASET, authors="Dupont, Marie",
        date=datetime.date(2024, 5, 2), audience=Audience.PARTNERS,
    )  # fmt: skip
    item = PublicationFile(publication=dataset, title="Initiatives (CSV)")
    item.file.save("initiatives.csv", ContentFile(b"id,name\n1,Maison\n"), save=False)
    item.save()
    publish(dataset)
    return user, dataset


def test_partner_downloads_creates_a_token_and_calls_the_api(
    page, live_server, partner_and_dataset, assert_accessible
):
    from publications.models import Download

    user, dataset = partner_and_dataset
    page.goto(f"{live_server.url}/comptes/login/?next=/espace-partenaire/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/espace-partenaire/")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Initiatives (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "initiatives.csv"
    assert Download.objects.filter(user=user, publication=dataset).count() == 1

    page.fill("input[name=name]", "mon tableau de bord")
    page.locator("form[action$='/jetons/'] button[type=submit]").click()
    key = page.get_by_test_id("new-token").inner_text().strip()
    assert key.startswith("obs_")
    assert_accessible(page)

    response = page.request.get(
        f"{live_server.url}/api/v1/publications/{dataset.slug}/",
        headers={"Authorization": f"Token {key}"},
    )
    assert response.status == 200
    assert len(response.json()["files"]) == 1
    refused = page.request.get(
        f"{live_server.url}/api/v1/initiatives/", headers={"Authorization": "Token obs_wrong"}
    )
    assert refused.status == 401
