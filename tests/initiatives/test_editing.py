"""Staff edit the directory from its pages: who may, what a bad identifier says, what is saved and
recorded, and "fill from the register" against a real local server (test_companies.py)."""

import pytest
from django.contrib.auth.models import Group, User
from django.shortcuts import resolve_url
from django.urls import reverse

from initiatives.models import (
    CallForInterest,
    Initiative,
    LegalForm,
    MembershipRole,
    Organisation,
    Person,
    Pole,
    PoleMembership,
    Role,
    RoleKind,
)
from observatoire import roles
from observatoire.publishing import State
from tests.initiatives.test_companies import register  # noqa: F401 - the local register fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(territory_factory):
    region = territory_factory(territory_factory.Level.REGION, "32", "Hauts-de-France")
    return territory_factory(
        territory_factory.Level.COMMUNE,
        "62178",
        "Bruay-la-Buissière",
        parent=region,
        latitude=50.4833,
        longitude=2.55,
    )


@pytest.fixture
def entries(commune):
    published = {"territory": commune, "state": State.PUBLISHED}
    return {
        "initiative": Initiative.objects.create(
            name="Maison des échanges", slug="maison", summary="Échanger.", **published
        ),
        "organisation": Organisation.objects.create(name="ADERE LAURA", slug="adere", **published),
        "pole": Pole.objects.create(name="PTCE Sud", slug="ptce-sud", summary="Pôle.", **published),
        "person": Person.objects.create(
            first_name="Anne", last_name="Martin", slug="anne-martin", state=State.PUBLISHED
        ),
    }


def member(group, **extra):
    user = User.objects.create_user(group, password="unused-Pa55word", **extra)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def staff(client):
    user = member(roles.STAFF, is_staff=True)
    client.force_login(user)
    return user


def edit_urls(entries):
    initiative = entries["initiative"]
    role = Role.objects.create(
        initiative=initiative, organisation=entries["organisation"], kind=RoleKind.LEAD
    )
    return [
        reverse("initiatives:create"),
        reverse("initiatives:edit", args=["maison"]),
        reverse("initiatives:role-create", args=["maison"]),
        reverse("initiatives:role-edit", args=["maison", role.pk]),
        reverse("initiatives:organisation-create"),
        reverse("initiatives:organisation-edit", args=["adere"]),
        reverse("initiatives:person-create"),
        reverse("initiatives:person-edit", args=["anne-martin"]),
        reverse("initiatives:pole-create"),
        reverse("initiatives:pole-edit", args=["ptce-sud"]),
        reverse("initiatives:territory-position") + "?territoire=commune:62178",
    ]


@pytest.mark.parametrize("who", [roles.PARTNER, roles.RESEARCHER])
def test_signed_in_people_who_are_not_staff_get_403(client, entries, who):
    client.force_login(member(who))
    for url in edit_urls(entries):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Hijack"}).status_code == 403, url
    assert Initiative.objects.get(slug="maison").name == "Maison des échanges"


def test_visitors_are_sent_to_sign_in(client, entries, settings):
    login = resolve_url(settings.LOGIN_URL)
    for url in edit_urls(entries):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{login}?next="), url


def test_staff_open_every_form_and_profiles_link_to_them(client, staff, entries):
    for url in edit_urls(entries)[:-1]:
        assert client.get(url).status_code == 200, url
    for obj, name in [
        (entries["initiative"], "initiatives:edit"),
        (entries["organisation"], "initiatives:organisation-edit"),
        (entries["pole"], "initiatives:pole-edit"),
    ]:
        page = client.get(obj.get_absolute_url()).content.decode()
        assert f'href="{reverse(name, args=[obj.slug])}"' in page
        assert "/admin/" not in page


def test_a_bad_siren_is_said_on_the_form_not_a_500(client, staff, entries):
    url = reverse("initiatives:organisation-edit", args=["adere"])
    response = client.post(
        url,
        {"name": "ADERE LAURA", "legal_form": "association", "siren": "732 829 321"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "n’est pas un SIREN valide" in page or "is not a valid SIREN" in page
    assert Organisation.objects.get(slug="adere").siren == ""


def test_identifiers_are_stored_without_separators_and_shown_with_the_company_page(
    client, staff, entries
):
    url = reverse("initiatives:organisation-edit", args=["adere"])
    response = client.post(
        url,
        {
            "name": "ADERE LAURA",
            "legal_form": LegalForm.SCIC,
            "siren": "732 829 320",
            "siret": "732.829.320.00074",
            "rna": "w623001234",
            "territory": "commune:62178",
            "published": "on",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="adere")
    assert (organisation.siren, organisation.siret, organisation.rna) == (
        "732829320",
        "73282932000074",
        "W623001234",
    )
    assert organisation.history.first().history_change_reason == "form"
    assert organisation.history.first().history_user == staff
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert 'href="https://annuaire-entreprises.data.gouv.fr/entreprise/732829320"' in page


def test_a_siret_of_another_siren_is_refused(client, staff, entries):
    response = client.post(
        reverse("initiatives:organisation-create"),
        {"name": "Coop", "legal_form": "scop", "siren": "552100554", "siret": "73282932000074"},
    )
    assert response.status_code == 400
    assert not Organisation.objects.filter(name="Coop").exists()


def test_a_new_initiative_takes_the_commune_s_position_when_no_pin_is_given(client, staff, commune):
    response = client.post(
        reverse("initiatives:create"),
        {
            "name": "Garage solidaire",
            "summary": "Réparer ensemble.",
            "stage": "running",
            "territory": "Bruay-la-Buissière",
            "themes": "mobilité, réemploi",
            "cross_world_alliances": "on",
            "siret": "73282932000074",
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(name="Garage solidaire")
    assert response["Location"] == initiative.get_absolute_url()
    assert (initiative.latitude, initiative.longitude) == (50.4833, 2.55)
    assert sorted(initiative.themes.names()) == ["mobilité", "réemploi"]
    assert initiative.cross_world_alliances and not initiative.sectoral_interaction
    assert initiative.state != State.PUBLISHED
    assert initiative.history.first().history_change_reason == "form"


def test_publishing_without_a_summary_is_said_and_nothing_is_saved(client, staff, commune):
    response = client.post(
        reverse("initiatives:create"),
        {
            "name": "Sans résumé",
            "stage": "running",
            "territory": "commune:62178",
            "published": "on",
        },
    )
    assert response.status_code == 400
    assert not Initiative.objects.filter(name="Sans résumé").exists()


def test_the_position_of_a_territory_for_the_pin(client, staff, commune):
    url = reverse("initiatives:territory-position")
    assert client.get(url, {"territoire": "Bruay-la-Buissière (62178, commune)"}).json() == {
        "found": True,
        "latitude": 50.4833,
        "longitude": 2.55,
    }
    assert client.get(url, {"territoire": "Nulle part"}).json() == {"found": False}


def test_a_role_is_added_with_a_public_person_and_removed(client, staff, entries):
    person, organisation = entries["person"], entries["organisation"]
    response = client.post(
        reverse("initiatives:role-create", args=["maison"]),
        {
            "person": person.pk,
            "organisation": organisation.pk,
            "kind": RoleKind.FOUNDER,
            "title": "coordinatrice",
            "start_date": "2017-11-07",
        },
    )
    assert response.status_code == 302
    role = Role.objects.get(initiative__slug="maison")
    assert (role.person, role.organisation, role.title) == (person, organisation, "coordinatrice")
    assert str(role.start_date) == "2017-11-07"
    response = client.post(reverse("initiatives:role-delete", args=["maison", role.pk]))
    assert response.status_code == 302
    assert not Role.objects.exists()
    assert Role.history.filter(history_type="-").get().history_user == staff


def test_a_role_needs_an_actor(client, staff, entries):
    response = client.post(
        reverse("initiatives:role-create", args=["maison"]), {"kind": RoleKind.LEAD}
    )
    assert response.status_code == 400
    assert not Role.objects.exists()


def test_a_ptce_is_edited_with_a_member_a_pilot_and_its_ami(client, staff, entries):
    ami = CallForInterest.objects.create(name="AMI PTCE", year=2021)
    pilot = Organisation.objects.create(name="Pilote", slug="pilote", state=State.PUBLISHED)
    response = client.post(
        reverse("initiatives:pole-edit", args=["ptce-sud"]),
        {
            "name": "PTCE Sud",
            "summary": "Pôle.",
            "territory": "commune:62178",
            "stage": "consolidated",
            "founded_year": "2014",
            "calls_for_interest": [ami.pk],
            "published": "on",
            "members-TOTAL_FORMS": "2",
            "members-INITIAL_FORMS": "0",
            "members-0-organisation": entries["organisation"].pk,
            "members-0-role": MembershipRole.MEMBER,
            "members-0-start_date": "2019-03-01",
            "members-1-organisation": pilot.pk,
            "members-1-role": MembershipRole.PILOT,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pole = Pole.objects.get(slug="ptce-sud")
    assert pole.stage == "consolidated" and pole.founded_year == 2014
    assert list(pole.calls_for_interest.all()) == [ami]
    memberships = {(m.organisation.slug, m.role) for m in pole.memberships.all()}
    assert memberships == {("adere", "member"), ("pilote", "pilot")}
    page = client.get(pole.get_absolute_url()).content.decode()
    assert "Pilote" in page and "ADERE LAURA" in page


def test_a_ptce_member_is_removed(client, staff, entries):
    pole = entries["pole"]
    membership = PoleMembership.objects.create(pole=pole, organisation=entries["organisation"])
    response = client.post(
        reverse("initiatives:pole-edit", args=["ptce-sud"]),
        {
            "name": "PTCE Sud",
            "summary": "Pôle.",
            "territory": "commune:62178",
            "stage": "emerging",
            "published": "on",
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "1",
            "members-0-id": membership.pk,
            "members-0-pole": pole.pk,
            "members-0-organisation": entries["organisation"].pk,
            "members-0-role": MembershipRole.MEMBER,
            "members-0-DELETE": "on",
        },
    )
    assert response.status_code == 302
    assert not pole.memberships.exists()


def test_a_person_is_created_without_a_public_page(client, staff):
    response = client.post(
        reverse("initiatives:person-create") + "?next=/initiatives/",
        {"first_name": "Paul", "last_name": "Durand", "email": "paul@example.org"},
    )
    assert response.status_code == 302 and response["Location"] == "/initiatives/"
    person = Person.objects.get(last_name="Durand")
    assert person.slug == "paul-durand" and not person.is_published


def test_fill_from_the_register_by_siren(client, staff, settings, register, commune):  # noqa: F811
    settings.COMPANY_SEARCH_ENABLED = True
    settings.COMPANY_SEARCH_URL = register.url
    register.busy_once = True  # the client waits as told, and the person never knows
    response = client.post(
        reverse("initiatives:organisation-create"),
        {"name": "", "legal_form": "company", "siren": "732 829 320", "fill": "1"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["name"].value() == "ADERE LAURA"
    assert form["siret"].value() == "73282932000074"
    assert form["rna"].value() == "W623001234"
    assert form["legal_form"].value() == LegalForm.ASSOCIATION
    assert "Bruay-la-Buissière (62178, commune)" in response.content.decode()
    assert not Organisation.objects.filter(name="ADERE LAURA").exists()  # nothing saved yet


def test_fill_from_the_register_says_when_it_is_off_or_the_siren_is_bad(
    client,
    staff,
    settings,
    register,  # noqa: F811
):
    settings.COMPANY_SEARCH_URL = register.url
    url = reverse("initiatives:organisation-create")
    response = client.post(
        url, {"name": "X", "legal_form": "company", "siren": "732829320", "fill": "1"}
    )
    assert response.status_code == 200
    assert "pas activée" in response.content.decode() or "not enabled" in response.content.decode()
    settings.COMPANY_SEARCH_ENABLED = True
    response = client.post(url, {"name": "X", "legal_form": "company", "siren": "12", "fill": "1"})
    assert response.status_code == 400
    assert register.requests == []


def test_a_new_call_for_interest_then_back_to_the_ptce_form(client, staff, entries):
    back = reverse("initiatives:pole-edit", args=["ptce-sud"])
    form_page = client.get(back).content.decode()
    create = reverse("initiatives:call-create")
    assert f"{create}?next=" in form_page
    response = client.post(
        f"{create}?next={back}", {"name": "AMI PTCE", "year": "2021", "issuer": "État"}
    )
    assert response.status_code == 302 and response["Location"] == back
    call = CallForInterest.objects.get(name="AMI PTCE")
    assert f'value="{call.pk}"' in client.get(back).content.decode()
    response = client.post(create, {"name": "Sans année"})
    assert response.status_code == 400


def test_public_contacts_and_siret_show_on_the_profile(client, staff, entries):
    initiative = entries["initiative"]
    response = client.post(
        reverse("initiatives:edit", args=["maison"]),
        {
            "name": initiative.name,
            "summary": initiative.summary,
            "stage": initiative.stage,
            "territory": "commune:62178",
            "contact_email": "bonjour@maison.example.org",
            "contact_phone": "03 21 00 00 00",
            "siret": "55210055400013",
            "published": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert 'href="mailto:bonjour@maison.example.org"' in page
    assert 'href="tel:0321000000"' in page
    assert "55210055400013" in page


def test_a_new_initiative_like_one_in_the_directory_asks_before_anything_is_written(
    client, staff, entries
):
    """ "Maison des Echanges" in the commune of "Maison des échanges": the candidates are shown and
    nothing is written until the person answers; "the same" opens the existing entry, "a
    different one" creates it."""
    typed = {
        "name": "Maison des Echanges",
        "summary": "Échanger.",
        "stage": "running",
        "territory": "commune:62178",
    }
    asked = client.post(reverse("initiatives:create"), typed)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'data-testid="duplicate-candidate"' in page and "Maison des échanges" in page
    assert 'value="Maison des Echanges"' in page  # what was typed stays in the form
    assert Initiative.objects.count() == 1

    existing = entries["initiative"]
    same = client.post(reverse("initiatives:create"), typed | {"duplicate_answer": existing.pk})
    assert same.status_code == 302 and same["Location"] == existing.get_absolute_url()
    assert Initiative.objects.count() == 1

    different = client.post(
        reverse("initiatives:create"), typed | {"duplicate_answer": "different"}
    )
    assert different.status_code == 302
    assert Initiative.objects.filter(name="Maison des Echanges").count() == 1
