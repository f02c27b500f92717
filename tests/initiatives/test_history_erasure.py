"""The directory's history keeps every version, except of a person who is erased: they go."""

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models

from initiatives.models import Initiative, Person, Role
from initiatives.services import save_entry, withdraw
from observatoire.publishing import State
from observatoire.shredders import erase_person

pytestmark = pytest.mark.django_db


def _history_rows_with(text):
    """Every Historical* row, of any app, with `text` in any text column."""
    found = []
    for model in apps.get_models():
        if not model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            texty = isinstance(field, models.CharField | models.TextField)
            if texty and model.objects.filter(**{f"{field.name}__icontains": text}).exists():
                found.append(f"{model.__name__}.{field.name}")
    return found


@pytest.fixture
def directory(territory_factory):
    commune = territory_factory(territory_factory.Level.COMMUNE, "62178", "Bruay-la-Buissière")
    staff = User.objects.create_user("staff", is_staff=True)
    initiative = save_entry(
        Initiative(territory=commune),
        {"name": "Maison des échanges", "summary": "Échanger plutôt qu’acheter."},
        by=staff,
    )
    person = save_entry(
        Person(),
        {"first_name": "Hélène", "last_name": "Brûlé", "email": "helene@example.org"},
        by=staff,
    )
    save_entry(
        person, {"public_bio": "Coordinatrice depuis 2019.", "phone": "06 12 34 56 78"}, by=staff
    )
    role = save_entry(
        Role(initiative=initiative, person=person),
        {"kind": "lead", "title": "coordination"},
        by=staff,
    )
    save_entry(initiative, {"description": "Lancée par Hélène Brûlé avec les habitants."}, by=staff)
    return {"initiative": initiative, "person": person, "role": role, "staff": staff}


def test_erasing_a_person_removes_them_from_the_directory_history(directory):
    person, staff = directory["person"], directory["staff"]
    assert person.history.count() == 2
    assert "HistoricalPerson.last_name" in _history_rows_with("Brûlé")
    assert "HistoricalInitiative.description" in _history_rows_with("Hélène Brûlé")

    erase_person(person, by=staff)

    assert _history_rows_with("Brûlé") == []
    assert _history_rows_with("Hélène") == []
    assert _history_rows_with("helene@example.org") == []
    assert _history_rows_with("06 12 34 56 78") == []
    # One version is left of their row: the erased one, saying who erased it and how.
    (version,) = Person.history.filter(id=person.pk)
    assert version.last_name == "[erased]" and version.first_name == ""
    assert version.history_user == staff and version.history_change_reason == "erasure"
    # Their role's versions keep their shape, pointing at the placeholder.
    role_versions = Role.history.filter(id=directory["role"].pk)
    assert role_versions.count() == 1 and role_versions.get().person_id == person.pk
    # The initiative's versions stay, the sentence naming them rewritten.
    descriptions = [v.description for v in Initiative.history.filter(id=directory["initiative"].pk)]
    assert "Lancée par [erased] avec les habitants." in descriptions


def test_unpublishing_keeps_the_history(directory):
    initiative = directory["initiative"]
    initiative.state = State.PUBLISHED
    initiative.save()
    before = list(initiative.history.values_list("history_id", flat=True))

    withdraw(initiative, by=directory["staff"])

    after = list(initiative.history.values_list("history_id", flat=True))
    assert set(before) < set(after) and len(after) == len(before) + 1
    assert initiative.history.first().state == State.WITHDRAWN
    assert Initiative.history.filter(id=initiative.pk, name="Maison des échanges").count() == len(
        after
    )


def test_erasing_a_person_removes_the_versions_of_a_twin_merged_into_them(directory):
    from initiatives.services import merge

    person, staff = directory["person"], directory["staff"]
    twin = save_entry(Person(), {"first_name": "Helene", "last_name": "Brûlé"}, by=staff)
    merge(person, twin, by=staff)
    assert Person.history.filter(id=twin.pk).exists()

    erase_person(person, by=staff)

    assert _history_rows_with("Brûlé") == []
    assert not Person.history.filter(id=twin.pk).exists()
