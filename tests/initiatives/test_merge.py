"""Two entries merged into one keep every role, theme, PTCE, finding link and photo; the merged
entry's address answers 301 with the survivor's."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from initiatives.models import Initiative, Merge, Organisation, Pole, PoleMembership, Role
from initiatives.services import MergeError, merge, publish, save_entry
from medias import services as media_services
from medias.models import MediaFile
from terrain.models import Finding, Season

pytestmark = pytest.mark.django_db

GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


@pytest.fixture
def two(territory_factory):
    commune = territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")
    staff = User.objects.create_user("staff", is_staff=True)
    adere = Organisation.objects.create(name="ADERE", slug="adere")
    ville = Organisation.objects.create(name="Ville de Bruay", slug="ville")
    pole = Pole.objects.create(name="PTCE Artois", slug="ptce-artois", territory=commune)
    survivor = save_entry(
        Initiative(territory=commune),
        {
            "name": "Maison des échanges",
            "summary": "Échanger plutôt qu’acheter.",
            "themes": ["échange", "habitat"],
        },
        by=staff,
    )
    other = save_entry(
        Initiative(territory=commune),
        {
            "name": "La Maison des Échanges de Bruay",
            "summary": "Un lieu d’échanges.",
            "website": "https://maison-echanges.example.org",
            "themes": ["habitat", "quartier"],
            "poles": [pole],
        },
        by=staff,
    )
    publish(other)
    Role.objects.create(initiative=survivor, organisation=adere, kind="lead")
    Role.objects.create(initiative=other, organisation=ville, kind="funder")
    Role.objects.create(initiative=other, organisation=adere, kind="partner", title="achats")
    season = Season.objects.create(title="Saison 2024")
    finding = Finding.objects.create(season=season, title="L’échange", slug="echange")
    finding.initiatives.add(other)
    both = Finding.objects.create(season=season, title="Le quartier", slug="quartier")
    both.initiatives.add(survivor, other)
    photo = media_services.store_upload(SimpleUploadedFile("photo.gif", GIF), other, "image")
    return locals()


def test_merged_entries_keep_every_role_theme_ptce_finding_and_photo(two, client):
    survivor, other, staff = two["survivor"], two["other"], two["staff"]
    old_url = other.get_absolute_url()

    record = merge(survivor, other, choices={"website": "other", "name": "survivor"}, by=staff)

    survivor.refresh_from_db()
    assert not Initiative.objects.filter(pk=other.pk).exists()
    assert survivor.name == "Maison des échanges"
    assert survivor.website == "https://maison-echanges.example.org"  # chosen from the other
    assert survivor.summary == "Échanger plutôt qu’acheter."
    roles = sorted(
        (r.organisation.name, r.kind, r.title) for r in Role.objects.filter(initiative=survivor)
    )
    assert roles == [
        ("ADERE", "lead", ""),
        ("ADERE", "partner", "achats"),
        ("Ville de Bruay", "funder", ""),
    ]
    assert sorted(survivor.themes.names()) == ["habitat", "quartier", "échange"]
    assert list(survivor.poles.all()) == [two["pole"]]
    assert sorted(f.slug for f in survivor.findings.all()) == ["echange", "quartier"]
    assert list(two["both"].initiatives.all()) == [survivor]  # linked once, not twice
    photo = MediaFile.objects.get(pk=two["photo"].pk)
    assert photo.owner == survivor
    # The other was published: the survivor now is.
    assert survivor.is_published
    # Both histories say it was this merge, by whom.
    how = f"merge:{record.pk}"
    latest = survivor.history.order_by("-history_id").first()
    assert latest.history_change_reason == how and latest.history_user == staff
    assert sorted(latest.theme_names) == ["habitat", "quartier", "échange"]
    gone = Initiative.history.filter(id=other.pk).order_by("-history_id").first()
    assert gone.history_type == "-" and gone.history_change_reason == how

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_an_entry_merged_into_one_merged_later_still_reaches_the_last_survivor(two, client):
    first, second = two["survivor"], two["other"]
    third = save_entry(
        Initiative(territory=first.territory),
        {"name": "Maison d’échanges", "summary": "Encore elle."},
        by=two["staff"],
    )
    publish(third)
    merge(first, second, by=two["staff"])
    merge(third, first, by=two["staff"])

    for slug in (second.slug, first.slug):
        response = client.get(f"/initiatives/{slug}/")
        assert response.status_code == 301 and response["Location"] == third.get_absolute_url()
    assert Merge.objects.filter(survivor_id=third.pk).count() == 2


def test_merged_organisations_keep_their_memberships_and_roles(two, client):
    adere, ville, pole = two["adere"], two["ville"], two["pole"]
    PoleMembership.objects.create(pole=pole, organisation=adere, role="pilot")
    PoleMembership.objects.create(pole=pole, organisation=ville, role="pilot")  # the same one
    PoleMembership.objects.create(pole=pole, organisation=ville, role="member")
    publish(adere)

    merge(adere, ville, choices={"name": "other"}, by=two["staff"])

    adere.refresh_from_db()
    assert adere.name == "Ville de Bruay"
    assert sorted(m.role for m in adere.pole_memberships.all()) == ["member", "pilot"]
    assert Role.objects.filter(organisation=adere).count() == 3
    response = client.get("/acteurs/ville/")
    assert response.status_code == 301 and response["Location"] == "/acteurs/adere/"


def test_an_entry_cannot_be_merged_with_itself_or_another_kind(two):
    with pytest.raises(MergeError):
        merge(two["survivor"], two["survivor"])
    with pytest.raises(MergeError):
        merge(two["survivor"], two["adere"])


def test_an_unknown_slug_is_still_a_404(client, two):
    assert client.get("/initiatives/nothing-here/").status_code == 404


def test_merged_ptces_and_people_keep_their_links(two, client):
    from initiatives.models import Affiliation, CallForInterest, Person

    pole = two["pole"]
    twin = Pole.objects.create(
        name="PTCE de l’Artois", slug="ptce-de-l-artois", territory=pole.territory
    )
    ami = CallForInterest.objects.create(name="AMI PTCE", year=2021)
    twin.calls_for_interest.add(ami)
    PoleMembership.objects.create(pole=twin, organisation=two["ville"], role="pilot")
    two["survivor"].poles.add(twin)

    merge(pole, twin, by=two["staff"])

    assert list(pole.calls_for_interest.all()) == [ami]
    assert [m.organisation for m in pole.memberships.all()] == [two["ville"]]
    assert set(pole.initiatives.all()) == {two["survivor"], two["other"]}
    assert client.get("/ptce/ptce-de-l-artois/")["Location"] == "/ptce/ptce-artois/"

    lea = save_entry(Person(), {"first_name": "Léa", "last_name": "Morel"}, by=two["staff"])
    lea2 = save_entry(
        Person(), {"first_name": "Lea", "last_name": "Morel", "email": "lea@example.org"}
    )
    Role.objects.create(initiative=two["other"], person=lea2, kind="lead")
    Affiliation.objects.create(person=lea2, organisation=two["adere"], title="présidente")

    merge(lea, lea2, choices={"email": "other"}, by=two["staff"])

    lea.refresh_from_db()
    assert lea.email == "lea@example.org" and lea.first_name == "Léa"
    assert lea.roles.count() == 1 and lea.affiliations.get().title == "présidente"
    assert not Person.objects.filter(pk=lea2.pk).exists()
