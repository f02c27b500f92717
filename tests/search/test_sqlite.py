"""The embedded default (SQLite) searches for real: FTS5 tables that triggers keep current.

One fresh interpreter with the `dev` settings migrates a new SQLite database, then plays every
scenario below and prints what each found; each test reads its own line.
"""

import json

import pytest

from tests.fresh_python import run_script

SCRIPT = r"""
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import connection
from django.test import Client
from taggit.models import Tag
from initiatives.models import Initiative
from initiatives.services import publish, withdraw
from observatoire import search_sqlite
from observatoire.search import search
from territoires.models import Territory

def show(label, value):
    print(label, json.dumps(value, ensure_ascii=False))

def names(query, kind="initiatives"):
    results = search(query)
    group = next(g for g in results.groups if g.kind.key == kind)
    return [hit.object.name for hit in group.page.object_list]

show("state after migrate", search_sqlite.state())
lille = Territory.objects.create(level="commune", code="59350", name="Lille", slug="lille")
morlaix = Territory.objects.create(level="commune", code="29151", name="Morlaix", slug="morlaix")
def make(name, territory=lille, themes=(), **fields):
    fields.setdefault("summary", "Neighbours working together.")
    item = Initiative.objects.create(name=name, slug=name.lower().replace(" ", "-"),
                                     territory=territory, **fields)
    item.themes.add(*themes)
    return publish(item)

garage = make("Garage solidaire", description="Réparation de voitures.")
velo = make("Atelier vélo", themes=["Réparation"])
make("Réparation solidaire")
hidden = Initiative.objects.create(name="Réparation cachée", slug="cachee", territory=lille)
show("ranked", names("reparations"))
show("every word", names("solidaire réparation"))

Tag.objects.filter(name="Réparation").update(name="Mécanique")
show("theme renamed", names("mecanique"))
velo.themes.add("Cyclisme")
show("theme added", names("cyclisme"))
Initiative.objects.filter(pk=garage.pk).update(name="Garage associatif")  # a bulk write
show("bulk update", names("associatif"))
withdraw(garage)
show("withdrawn", names("associatif"))
velo.delete()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM search_initiative WHERE rowid = %s", [velo.pk or 0])
show("deleted", names("cyclisme"))

make("Atelier <vélo>", description="x " * 200 + "On répare des VÉLO & plus.")
hit = search("vélo").groups[0].page.object_list[0]
show("marked", [str(hit.title), str(hit.snippet)])

make("Jardin partagé", territory=lille)
make("Jardin des Moulins", territory=morlaix)
results = search("jardin Lille")
show("place", [results.territory.name, results.scoped, names("jardin Lille")])
show("typo", [names("Jardn partagé"), search("Jardn partagé").corrected])
make("Maison des Échanges", territory=lille)
show("typo written", [names("echnages"), search("echnages").corrected])
show("names alike", [names("Jardinpartage"), search("Jardinpartage").fuzzy])
show("any word", [sorted(names("partagé moulins")), search("partagé moulins").any_word])
show("operators", [search(q).total for q in ['&|!():*', '%', '"', 'NEAR(a b)', 'a*', '-', 'or']])

with connection.cursor() as cursor:
    cursor.execute("DROP TRIGGER search_initiative_insert")  # as a table rebuilt by a migration
show("state without a trigger", search_sqlite.state())
call_command("migrate", verbosity=0)
show("state after the next migrate", search_sqlite.state())
with connection.cursor() as cursor:
    cursor.execute("DELETE FROM search_initiative")  # as rows written while triggers were off
call_command("update_search_index", verbosity=0)
show("after update_search_index", names("jardin"))
response = Client(HTTP_HOST="localhost").get("/recherche/", {"q": "moulins morlaix"})
show("page", [response.status_code, response.content.decode()])
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    result = run_script(SCRIPT, tmp_path_factory.mktemp("var"), timeout=180)
    assert result.returncode == 0, result.stderr
    lines = {}
    for line in result.stdout.splitlines():
        label, _sep, value = line.partition(" [")
        if _sep:
            lines[label] = json.loads("[" + value)
        elif line.startswith("state"):
            label, _sep, value = line.rpartition(" ")
            lines[label] = json.loads(value)
    return lines


def test_a_fresh_database_is_migrated_with_its_search_index(found):
    assert found["state after migrate"] == "complete"


def test_every_form_of_a_word_is_found_in_names_texts_and_themes_names_first(found):
    assert found["ranked"] == ["Réparation solidaire", "Atelier vélo", "Garage solidaire"]
    assert found["every word"] == ["Réparation solidaire", "Garage solidaire"]


def test_triggers_index_every_write_themes_and_bulk_updates_included(found):
    assert found["theme renamed"] == ["Atelier vélo"]
    assert found["theme added"] == ["Atelier vélo"]
    assert found["bulk update"] == ["Garage associatif"]
    assert found["withdrawn"] == []
    assert found["deleted"] == []


def test_matches_are_highlighted_in_escaped_text(found):
    title, snippet = found["marked"]
    assert title == "Atelier &lt;<mark>vélo</mark>&gt;"
    assert snippet.startswith("… ")
    assert "<mark>VÉLO</mark> &amp; plus." in snippet


def test_a_place_name_is_recognised(found):
    assert found["place"] == ["Lille", True, ["Jardin partagé"]]


def test_a_typo_is_corrected_to_a_word_of_the_index(found):
    # The FTS5 vocabulary holds "jardin": the query is searched as "jardin partagé".
    assert found["typo"] == [["Jardin partagé"], "jardin partagé"]
    # It holds "echanges", folded; the correction is written as the text writes it.
    assert found["typo written"] == [["Maison des Échanges"], "échanges"]


def test_words_never_found_together_find_the_rows_with_one_of_them(found):
    assert found["any word"] == [["Jardin des Moulins", "Jardin partagé"], True]


def test_a_query_no_word_corrects_finds_the_name_through_the_trigram_fallback(found):
    assert found["names alike"] == [["Jardin partagé"], True]


def test_query_syntax_typed_by_a_visitor_finds_nothing_and_breaks_nothing(found):
    assert found["operators"] == [0, 0, 0, 0, 0, 0, 0]


def test_a_migration_that_drops_triggers_gets_them_back_and_the_command_reindexes(found):
    assert found["state without a trigger"] == "broken"
    assert found["state after the next migrate"] == "complete"
    assert sorted(found["after update_search_index"]) == ["Jardin des Moulins", "Jardin partagé"]


def test_the_page_works_on_a_fresh_sqlite_database(found):
    status, content = found["page"]
    assert status == 200
    assert "<mark>Moulins</mark>" in content
    assert "/territoires/commune/29151/" in content
