"""Organisation pages and PTCEs: only what is published, never a person's private details."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify

from initiatives.models import (
    Affiliation,
    CallForInterest,
    Initiative,
    LegalForm,
    MembershipRole,
    Organisation,
    Person,
    Pole,
    PoleMembership,
    PoleStage,
    Role,
    RoleKind,
)
from initiatives.services import publish, withdraw
from territoires.models import Level, Territory


def place(level, code, name, parent=None, **extra):
    return Territory.objects.create(
        level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
    )


@pytest.fixture
def bruay(db):
    region = place(Level.REGION, "32", "Hauts-de-France")
    departement = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", region)
    return place(Level.COMMUNE, "62178", "Bruay-la-Buissière", departement)


def organisation(name, published=True, **extra):
    item = Organisation.objects.create(name=name, slug=slugify(name), **extra)
    return publish(item) if published else item


def initiative(name, territory, published=True):
    item = Initiative.objects.create(
        name=name, slug=slugify(name), territory=territory, summary=f"{name}, en bref."
    )
    return publish(item) if published else item


def pole(name, territory, published=True, **extra):
    item = Pole.objects.create(
        name=name, slug=slugify(name), territory=territory, summary=f"{name}, en bref.", **extra
    )
    return publish(item) if published else item


def person(first, last, published=True, **extra):
    item = Person.objects.create(
        first_name=first, last_name=last, slug=slugify(f"{first} {last}"), **extra
    )
    return publish(item) if published else item


@pytest.fixture
def staff_client(db):
    user = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


# Organisation pages


def test_organisation_page_lists_its_published_initiatives_with_its_roles(bruay, client):
    maison = organisation("Maison des échanges", legal_form=LegalForm.ASSOCIATION)
    echanges = initiative("Échanges plutôt qu'achats", bruay)
    draft = initiative("Projet en préparation", bruay, published=False)
    Role.objects.create(initiative=echanges, organisation=maison, kind=RoleKind.LEAD)
    Role.objects.create(initiative=echanges, organisation=maison, kind=RoleKind.FOUNDER)
    Role.objects.create(initiative=draft, organisation=maison, kind=RoleKind.LEAD)

    response = client.get(maison.get_absolute_url())

    assert response.status_code == 200
    assert list(response.context["page"]) == [echanges]
    html = response.content.decode()
    assert "Échanges plutôt qu&#x27;achats" in html
    assert "· a fondé" in html and "· porte" in html  # RoleKind.FOUNDER and LEAD, in French
    assert "Projet en préparation" not in html
    assert 'data-testid="unpublished-banner"' not in html


def test_organisation_page_lists_its_published_ptces_with_its_roles(bruay, client):
    maison = organisation("Maison des échanges")
    ptce = pole("PTCE de l'Artois", bruay)
    hidden = pole("PTCE en projet", bruay, published=False)
    PoleMembership.objects.create(pole=ptce, organisation=maison, role=MembershipRole.PILOT)
    PoleMembership.objects.create(pole=ptce, organisation=maison, role=MembershipRole.MEMBER)
    PoleMembership.objects.create(pole=hidden, organisation=maison)

    response = client.get(maison.get_absolute_url())

    [(listed, memberships)] = response.context["poles"]
    assert listed == ptce
    assert {m.role for m in memberships} == {MembershipRole.PILOT, MembershipRole.MEMBER}
    assert "PTCE en projet" not in response.content.decode()


def test_organisation_page_shows_published_people_without_their_contact_details(bruay, client):
    maison = organisation("Maison des échanges")
    claire = person(
        "Claire",
        "Dubois",
        public_bio="Coordinatrice depuis 2015.",
        email="claire.dubois@example.org",
        phone="+33 6 12 34 56 78",
    )
    hidden = person("Marc", "Secret", published=False, email="marc@example.org")
    Affiliation.objects.create(person=claire, organisation=maison, title="coordinatrice")
    Affiliation.objects.create(person=hidden, organisation=maison, title="président")

    html = client.get(maison.get_absolute_url()).content.decode()

    assert "Claire Dubois" in html and "coordinatrice" in html and "depuis 2015" in html
    for private in ["claire.dubois@example.org", "+33 6 12 34 56 78", "Secret", "marc@example"]:
        assert private not in html


def test_unpublished_organisation_is_not_found_by_the_public(bruay, client):
    draft = organisation("Association en création", published=False)
    withdrawn = withdraw(organisation("Association retirée"))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(withdrawn.get_absolute_url()).status_code == 404
    assert client.get("/acteurs/nobody/").status_code == 404


def test_staff_see_an_unpublished_organisation_with_a_banner(bruay, staff_client):
    draft = organisation("Association en création", published=False)
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="unpublished-banner"' in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize("page", ["abc", "99999", "-3", ""])
def test_organisation_page_survives_bad_page_numbers(bruay, client, page):
    maison = organisation("Maison des échanges")
    response = client.get(maison.get_absolute_url(), {"page": page})
    assert response.status_code == 200


# PTCEs


def test_ptce_list_shows_published_ptces_only(bruay, client):
    ami = CallForInterest.objects.create(name="AMI PTCE", year=2021)
    ptce = pole("PTCE de l'Artois", bruay, stage=PoleStage.CONSOLIDATED, founded_year=2014)
    ptce.calls_for_interest.add(ami)
    pole("PTCE en projet", bruay, published=False)

    response = client.get(reverse("initiatives:poles"))

    assert list(response.context["page"]) == [ptce]
    html = response.content.decode()
    assert "AMI PTCE (2021)" in html and "consolidé" in html and "2014" in html
    assert "PTCE en projet" not in html


@pytest.mark.parametrize("page", ["abc", "99999", "0"])
def test_ptce_list_survives_bad_page_numbers(bruay, client, page):
    pole("PTCE de l'Artois", bruay)
    assert client.get(reverse("initiatives:poles"), {"page": page}).status_code == 200


def test_ptce_page_shows_pilots_members_support_calls_territory_and_initiatives(bruay, client):
    ptce = pole("PTCE de l'Artois", bruay, stage=PoleStage.EMERGING, founded_year=2019)
    ptce.calls_for_interest.add(
        CallForInterest.objects.create(name="AMI PTCE", year=2021, issuer="État")
    )
    pilot = organisation("Maison des échanges")
    member = organisation("Scic Habitat")
    support = organisation("Le Labo de l'ESS", legal_form=LegalForm.NETWORK)
    hidden = organisation("Entreprise discrète", published=False)
    for org, role in [
        (pilot, MembershipRole.PILOT),
        (member, MembershipRole.MEMBER),
        (support, MembershipRole.SUPPORT),
        (hidden, MembershipRole.MEMBER),
    ]:
        PoleMembership.objects.create(pole=ptce, organisation=org, role=role)
    echanges = initiative("Échanges plutôt qu'achats", bruay)
    draft = initiative("Projet en préparation", bruay, published=False)
    ptce.initiatives.add(echanges, draft)

    response = client.get(ptce.get_absolute_url())

    assert response.status_code == 200
    groups = {
        g["key"]: [m.organisation for m in g["members"]] for g in response.context["member_groups"]
    }
    assert groups == {"pilots": [pilot], "members": [member], "support": [support]}
    assert list(response.context["initiatives"]) == [echanges]
    html = response.content.decode()
    assert "Collectif de pilotage" in html and "Structures d’appui nationales" in html
    assert "AMI PTCE (2021)" in html and "État" in html
    assert "Émergent" in html and "2019" in html
    for crumb in ["Bruay-la-Buissière", "Pas-de-Calais", "Hauts-de-France"]:
        assert crumb in html
    assert "Entreprise discrète" not in html and "Projet en préparation" not in html


def test_unpublished_ptce_is_not_found_by_the_public_but_staff_see_it(bruay, client, staff_client):
    draft = pole("PTCE en projet", bruay, published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert 'data-testid="unpublished-banner"' in response.content.decode()


# Queries do not grow with the rows shown


def _organisation_with(count, territory):
    org = organisation("Maison des échanges", territory=territory)
    for number in range(count):
        item = initiative(f"Initiative {number}", territory)
        Role.objects.create(initiative=item, organisation=org, kind=RoleKind.LEAD)
        Role.objects.create(initiative=item, organisation=org, kind=RoleKind.FUNDER)
        ptce = pole(f"PTCE {number}", territory)
        PoleMembership.objects.create(pole=ptce, organisation=org)
        someone = person(f"Prénom{number}", f"Nom{number}", email=f"p{number}@example.org")
        Affiliation.objects.create(person=someone, organisation=org, title="membre")
    return org


@pytest.mark.parametrize("count", [5, 50])
def test_organisation_page_queries_do_not_grow_with_rows(
    bruay, client, django_assert_num_queries, count
):
    org = _organisation_with(count, bruay)
    with django_assert_num_queries(6):
        response = client.get(org.get_absolute_url())
    assert len(response.context["page"]) == min(count, 24)
    assert len(response.context["poles"]) == count
    assert response.content.decode().count('data-testid="affiliation"') == count


def _poles_with(count, territory):
    calls = [CallForInterest.objects.create(name=f"AMI {n}", year=2020 + n) for n in range(3)]
    ptce = None
    for number in range(count):
        ptce = pole(f"PTCE {number}", territory)
        ptce.calls_for_interest.add(*calls)
        for role in MembershipRole.values:
            org = organisation(f"Organisation {number} {role}")
            PoleMembership.objects.create(pole=ptce, organisation=org, role=role)
        item = initiative(f"Initiative {number}", territory)
        item.poles.add(ptce)
    return ptce


@pytest.mark.parametrize("count", [5, 50])
def test_ptce_list_queries_do_not_grow_with_rows(bruay, client, django_assert_num_queries, count):
    _poles_with(count, bruay)
    with django_assert_num_queries(3):
        response = client.get(reverse("initiatives:poles"))
    assert len(response.context["page"]) == min(count, 24)


@pytest.mark.parametrize("count", [5, 50])
def test_ptce_page_queries_do_not_grow_with_rows(bruay, client, django_assert_num_queries, count):
    ptce = _poles_with(1, bruay)
    for number in range(count):
        org = organisation(f"Membre {number}")
        PoleMembership.objects.create(pole=ptce, organisation=org)
        item = initiative(f"Initiative liée {number}", bruay)
        item.poles.add(ptce)
        ptce.calls_for_interest.add(
            CallForInterest.objects.create(name=f"Appel {number}", year=2000)
        )
    with django_assert_num_queries(5):
        response = client.get(ptce.get_absolute_url())
    assert len(response.context["initiatives"]) == count + 1
