"""`actor_forms` (migration 0009): the legal forms of an initiative's published organisations,
kept by triggers whatever changes, read by the directory's actor-type facet and filter."""

import pytest
from django.db import connection

from initiatives.models import Initiative, LegalForm, Organisation, Role, RoleKind
from initiatives.services import publish, withdraw
from territoires.models import Level, Territory


@pytest.fixture
def initiative(db):
    region = Territory.objects.create(level=Level.REGION, code="32", name="Hauts", slug="hauts")
    return publish(
        Initiative.objects.create(
            name="Garage", slug="garage", summary="Repairs.", territory=region
        )
    )


def organisation(name, form, published=True):
    item = Organisation.objects.create(name=name, slug=name.lower(), legal_form=form)
    return publish(item) if published else item


def forms(item) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT actor_forms FROM initiatives_initiative WHERE id = %s", [item.pk])
        return cursor.fetchone()[0]


def test_roles_and_organisations_keep_the_forms_right(initiative):
    scic = organisation("Coop", LegalForm.SCIC)
    hidden = organisation("Hidden", LegalForm.SCOP, published=False)
    role = Role.objects.create(initiative=initiative, organisation=scic, kind=RoleKind.LEAD)
    Role.objects.create(initiative=initiative, organisation=hidden, kind=RoleKind.PARTNER)
    assert forms(initiative) == [LegalForm.SCIC]  # an unpublished organisation does not count

    publish(hidden)
    assert forms(initiative) == sorted([LegalForm.SCIC, LegalForm.SCOP])
    withdraw(hidden)
    assert forms(initiative) == [LegalForm.SCIC]

    scic.legal_form = LegalForm.ASSOCIATION
    scic.save()
    assert forms(initiative) == [LegalForm.ASSOCIATION]

    role.delete()
    assert forms(initiative) == []
    Role.objects.create(initiative=initiative, organisation=scic, kind=RoleKind.LEAD)
    assert forms(initiative) == [LegalForm.ASSOCIATION]
    scic.delete()
    assert forms(initiative) == []


def test_a_person_s_role_brings_no_form(initiative):
    from initiatives.models import Person

    person = publish(Person.objects.create(first_name="A", last_name="B", slug="a-b"))
    Role.objects.create(initiative=initiative, person=person, kind=RoleKind.PARTICIPANT)
    assert forms(initiative) == []


def test_the_facet_and_the_filter_read_the_forms(initiative, client):
    other = publish(
        Initiative.objects.create(
            name="Épicerie", slug="epicerie", summary="Food.", territory=initiative.territory
        )
    )
    Role.objects.create(
        initiative=initiative, organisation=organisation("Coop", LegalForm.SCIC), kind="lead"
    )
    Role.objects.create(
        initiative=other, organisation=organisation("Asso", LegalForm.ASSOCIATION), kind="lead"
    )
    Role.objects.create(
        initiative=other, organisation=organisation("Coop 2", LegalForm.SCIC), kind="partner"
    )
    directory = client.get("/initiatives/").context["directory"]
    facet = next(f for f in directory.facets if f.name == "type_acteur")
    assert {value.value: value.count for value in facet.values} == {
        LegalForm.SCIC: 2,
        LegalForm.ASSOCIATION: 1,
    }
    filtered = client.get("/initiatives/", {"type_acteur": LegalForm.ASSOCIATION})
    assert [item.name for item in filtered.context["directory"].page] == ["Épicerie"]
