"""Who a person picker offers, and refuses: interviewees stay in the fieldwork that met them.

The fixture's season interviewed Hélène and Joël (Joël under a pseudonym, his consent withdrawn).
Another season interviewed Inès. Marc is a published public actor; Rémi is an unpublished contact.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from initiatives.models import Organisation, Person
from observatoire import roles
from observatoire.publishing import State
from terrain import services
from terrain.models import Interview, Interviewee, Season, Visit


@pytest.fixture
def people(fieldwork):
    services.withdraw_consent(fieldwork["joel_consent"])
    other = Season.objects.create(title="Saison 2025")
    visit = Visit.objects.create(season=other, date=dt.date(2025, 4, 2))
    interview = Interview.objects.create(visit=visit, title="Entretien ailleurs")
    ines = Person.objects.create(first_name="Inès", last_name="Lemaire", slug="ines-lemaire")
    Interviewee.objects.create(interview=interview, person=ines)
    marc = Person.objects.create(
        first_name="Marc", last_name="Publié", slug="marc-publie", state=State.PUBLISHED
    )
    remi = Person.objects.create(first_name="Rémi", last_name="Contact", slug="remi-contact")
    staff = fieldwork["users"]["staff"]
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    return {**fieldwork, "ines": ines, "marc": marc, "remi": remi, "other": other}


def names(queryset):
    return {person.first_name for person in queryset}


def test_general_pickers_offer_public_actors_and_contacts_to_staff(people):
    staff = people["users"]["staff"]
    assert names(Person.objects.pickable_for(staff)) == {"Marc", "Rémi"}


def test_fieldwork_picker_offers_the_public_actors_and_the_people_of_this_season(people):
    member = people["users"]["member"]
    pickable = Person.objects.pickable_for(member, "fieldwork", season=people["season"])
    # Not Inès (another season's interviewee) nor Rémi (unpublished, not met in this season).
    assert names(pickable) == {"Marc", "Hélène", "Joël"}


def test_a_season_the_user_is_not_in_reaches_nobody_held(people):
    member = people["users"]["member"]
    pickable = Person.objects.pickable_for(member, "fieldwork", season=people["other"])
    assert names(pickable) == {"Marc"}


def test_an_interviewee_who_becomes_a_public_actor_is_offered_everywhere(people):
    people["helene"].state = State.PUBLISHED
    people["helene"].save()
    staff = people["users"]["staff"]
    assert names(Person.objects.pickable_for(staff)) == {"Marc", "Rémi", "Hélène"}


@pytest.fixture
def mission(people):
    from accompagnements.models import SupportMission

    client = Organisation.objects.create(slug="adere-laura", name="ADERE LAURA")
    return SupportMission.objects.create(title="Projet associatif", client_organisation=client)


def test_mission_form_lists_no_interviewee_and_refuses_one(client, people, mission):
    client.force_login(people["users"]["staff"])
    url = f"/missions/{mission.pk}/modifier/"
    page = client.get(url).content.decode()
    for hidden in ["Hélène", "Joël", "Paul", "Inès"]:
        assert hidden not in page
    assert "Marc Publié" in page and "Rémi Contact" in page

    response = client.post(
        url,
        {
            "title": mission.title,
            "client_organisation": mission.client_organisation_id,
            "audience": "all",
            "consultants": [people["joel"].pk, people["marc"].pk],
            "funding-TOTAL_FORMS": "0",
            "funding-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "consultants" in response.context["form"].errors
    assert not mission.consultants.exists()


def test_workshop_form_lists_no_interviewee_and_refuses_one(client, people, mission):
    client.force_login(people["users"]["staff"])
    url = f"/missions/{mission.pk}/ateliers/nouveau/"
    page = client.get(url).content.decode()
    assert "Hélène" not in page and "Joël" not in page and "Marc Publié" in page
    response = client.post(
        url,
        {
            "title": "Atelier",
            "date": "2022-06-16T14:00",
            "method": "metaplan",
            "facilitators": [people["helene"].pk],
        },
    )
    assert response.status_code == 400
    assert "facilitators" in response.context["form"].errors
    assert not mission.workshops.exists()


def test_interview_form_lists_only_what_the_researcher_may_see(client, people):
    client.force_login(people["users"]["member"])
    season, visit = people["season"], people["visit"]
    page = client.get(f"/terrain/{season.pk}/visites/{visit.pk}/entretien/").content.decode()
    assert "Hélène Brûlé" in page and "Marc Publié" in page
    assert "Inès" not in page and "Rémi" not in page


def test_researcher_cannot_attach_another_seasons_interviewee(client, people):
    client.force_login(people["users"]["member"])
    season, interview = people["season"], people["interview"]
    response = client.post(
        f"/terrain/{season.pk}/entretiens/{interview.pk}/personnes/",
        {"person-person": people["ines"].pk, "person-role": "présidente"},
        follow=True,
    )
    assert not Interviewee.objects.filter(interview=interview, person=people["ines"]).exists()
    errors = [m.message for m in response.context["messages"] if m.level_tag == "error"]
    assert errors and "choix valide" in errors[0]  # "Select a valid choice", in French


def test_researcher_cannot_create_an_interview_with_an_unpublished_contact(client, people):
    client.force_login(people["users"]["member"])
    season, visit = people["season"], people["visit"]
    before = Interview.objects.count()
    response = client.post(
        f"/terrain/{season.pk}/visites/{visit.pk}/entretien/",
        {
            "interview-title": "Entretien Rémi",
            "interview-language": "fr",
            "person-person": people["remi"].pk,
        },
    )
    assert response.status_code == 200
    assert "person" in response.context["person_form"].errors
    assert Interview.objects.count() == before
    assert not Interviewee.objects.filter(person=people["remi"]).exists()


def test_researcher_may_attach_a_person_of_the_season_and_a_public_actor(client, people):
    client.force_login(people["users"]["member"])
    season, interview = people["season"], people["interview"]
    url = f"/terrain/{season.pk}/entretiens/{interview.pk}/personnes/"
    client.post(url, {"person-person": people["marc"].pk})
    assert Interviewee.objects.filter(interview=interview, person=people["marc"]).exists()


def test_admin_autocomplete_of_consultants_offers_no_interviewee(client, people):
    client.force_login(people["users"]["staff"])
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "accompagnements",
            "model_name": "supportmission",
            "field_name": "consultants",
            "term": "",
        },
    )
    assert response.status_code == 200
    offered = {row["text"] for row in response.json()["results"]}
    assert offered == {"Marc Publié", "Rémi Contact"}
