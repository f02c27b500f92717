"""Without PostgreSQL (the embedded demo on SQLite) the same search works, more simply."""

import pytest

from observatoire import search as site_search
from tests.fresh_python import run_script


@pytest.fixture
def contains_search(monkeypatch, db):
    """The SQLite code path, run here on the test database: it uses only portable lookups."""
    monkeypatch.setattr(site_search, "on_postgresql", lambda: False)
    return site_search.search


def names(results, kind="initiatives"):
    group = next(g for g in results.groups if g.kind.key == kind)
    return [hit.object.name for hit in group.page.object_list]


def test_every_word_is_looked_for_in_names_texts_and_themes(contains_search, make_initiative):
    make_initiative(name="Garage solidaire", description="Réparation de voitures.")
    make_initiative(name="Atelier vélo", themes=["Réparation"])
    make_initiative(name="Réparation solidaire")
    make_initiative(name="Réparation", published=False)

    assert names(contains_search("réparation")) == [
        "Réparation solidaire",  # in the name first
        "Atelier vélo",
        "Garage solidaire",
    ]
    assert names(contains_search("solidaire réparation")) == [
        "Réparation solidaire",
        "Garage solidaire",
    ]


def test_matches_are_highlighted_in_escaped_text(contains_search, make_initiative):
    make_initiative(name="Atelier <vélo>", description="x " * 200 + "On répare des VÉLO & plus.")

    hit = contains_search("vélo").groups[0].page.object_list[0]

    assert hit.title == "Atelier &lt;<mark>vélo</mark>&gt;"
    assert hit.snippet.startswith("… ")
    assert "<mark>VÉLO</mark> &amp; plus." in hit.snippet


def test_a_place_name_is_recognised(contains_search, make_initiative, places):
    make_initiative(name="Jardin partagé", territory=places["lille"])
    make_initiative(name="Jardin des Moulins", territory=places["morlaix"])

    results = contains_search("jardin Lille")

    assert results.territory == places["lille"]
    assert results.scoped
    assert names(results) == ["Jardin partagé"]
    assert contains_search("hauts de france").territory == places["hdf"]


def test_operators_alone_find_nothing_and_break_nothing(contains_search, make_initiative):
    make_initiative(name="Jardin partagé")

    assert contains_search("&|!():*").total == 0
    assert contains_search("%").total == 0


SCRIPT = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from initiatives.models import Initiative
from initiatives.services import publish
from territoires.models import Territory
place = Territory.objects.create(level="commune", code="59350", name="Lille", slug="lille")
publish(Initiative.objects.create(
    name="Coopérative des Moulins", slug="moulins", summary="Une épicerie.", territory=place
))
call_command("update_search_index")
response = Client(HTTP_HOST="localhost").get("/recherche/", {"q": "moulins lille"})
assert response.status_code == 200, response.status_code
print(response.content.decode())
"""


def test_the_page_works_on_a_fresh_sqlite_database(tmp_path):
    result = run_script(SCRIPT, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "nothing to index" in result.stdout
    assert "<mark>Moulins</mark>" in result.stdout
    assert "/territoires/commune/59350/" in result.stdout
