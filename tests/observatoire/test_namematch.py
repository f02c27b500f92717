"""How an erasure finds a person: whatever the accents, case, separators or phone format, and
only as them (a town or another family sharing the last name is left alone)."""

import re

import pytest
from django.db import connection

from observatoire.shredders import Subject

FOUND = [
    ("Entretien avec Ophélie Langlais.", "Entretien avec [erased]."),
    ("entretien-ophelie-langlais-2024.wav", "entretien-[erased]-2024.wav"),
    ("OPHELIE_LANGLAIS.docx", "[erased].docx"),
    ("Langlais, Ophélie; Dupont, Marc", "[erased]; Dupont, Marc"),
    ("Relancer Mme Langlais puis O. Langlais", "Relancer [erased] puis [erased]"),
    ("Tél. 06 12 34 56 78, ou 06.12.34.56.78", "Tél. [erased], ou [erased]"),
    ("+33 6 12 34 56 78 / 0612345678", "[erased] / [erased]"),
    ("Écrire à Ophelie.Langlais@Example.org.", "Écrire à [erased]."),
]
LEFT_ALONE = [
    "Saint-Langlais-sur-Mer",  # a town
    "Joël Langlais, son frère",  # another person of the family
    "Ophéliette Langlaise",  # other words
    "Réf. 106123456789",  # digits inside a longer number
]


class Person:
    first_name, last_name = "Ophélie", "Langlais"
    phone, email = "06 12 34 56 78", "ophelie.langlais@example.org"


@pytest.fixture
def subject():
    return Subject.of(Person())


@pytest.mark.parametrize(("text", "erased"), FOUND)
def test_found_in_any_spelling(subject, text, erased):
    assert subject.erase(text) == erased


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_others_are_left_alone(subject, text):
    assert subject.erase(text) == text


def test_their_own_files_lose_the_first_name_and_last_name_alone_too(subject):
    assert subject.erase("Ophélie : oui. Langlais.", loose=True) == "[erased] : oui. [erased]."


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "erased"), FOUND)
def test_the_database_finds_what_python_replaces(subject, text, erased):
    """The portable expression finds the candidate rows in PostgreSQL as in Python (SQLite)."""
    assert re.search(subject.strict.database, text)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s ~ %s", [text, subject.strict.database])
        assert cursor.fetchone()[0] is True


def test_an_erased_person_finds_nothing_more():
    class Erased(Person):
        first_name, last_name, phone, email = "", "[erased]", "", ""

    erased = Subject.of(Erased())
    assert erased.strict.empty and erased.loose.empty
    assert erased.erase("[erased] a dit", loose=True) == "[erased] a dit"
