"""Quality of the PostgreSQL search: accents, stemming, ranking, snippets, what is public."""

import pytest

from observatoire.search import correct, refresh_words, search
from observatoire.tasks import refresh_search_words

pytestmark = pytest.mark.django_db


def names(results, kind="initiatives"):
    group = next(g for g in results.groups if g.kind.key == kind)
    return [hit.object.name for hit in group.page.object_list]


def test_a_query_without_accents_finds_the_accented_word(make_initiative):
    make_initiative(name="Maison de la coopération")
    make_initiative(name="Réseau d'échanges de savoirs")
    make_initiative(name="Jardin partagé")

    assert names(search("cooperation")) == ["Maison de la coopération"]
    assert names(search("echanges")) == ["Réseau d'échanges de savoirs"]


def test_a_query_with_accents_finds_the_word_written_without(make_initiative):
    make_initiative(name="Ecole des communs", summary="Une ecole ouverte.")

    assert names(search("école")) == ["Ecole des communs"]


def test_another_form_of_the_word_is_found_by_its_stem(make_initiative):
    make_initiative(name="Pôle de coopération territoriale")

    assert names(search("coopératives")) == ["Pôle de coopération territoriale"]
    assert names(search("cooperatif")) == ["Pôle de coopération territoriale"]


def test_a_name_match_ranks_above_a_description_match(make_initiative):
    make_initiative(
        name="Ressourcerie du quartier",
        description="Ici la mobilité solidaire est un sujet parmi d'autres, la mobilité aussi.",
    )
    make_initiative(name="Mobilité solidaire en Flandre", description="Des trajets partagés.")

    assert names(search("mobilité")) == [
        "Mobilité solidaire en Flandre",
        "Ressourcerie du quartier",
    ]


def test_summary_and_themes_rank_between_name_and_description(make_initiative):
    make_initiative(name="C", description="Une épicerie.")
    make_initiative(name="B", themes=["épicerie solidaire"])
    make_initiative(name="A", summary="Une épicerie de village.")
    make_initiative(name="Épicerie des Moulins")

    ranked = names(search("epicerie"))
    assert ranked[0] == "Épicerie des Moulins"
    assert set(ranked[1:3]) == {"A", "B"}
    assert ranked[3] == "C"


def test_snippets_highlight_the_matching_words(make_initiative):
    make_initiative(
        name="Tiers-lieu des Moulins",
        summary="Un lieu ouvert.",
        description="Les habitants y organisent des échanges de services et une épicerie.",
    )

    hit = search("echange").groups[0].page.object_list[0]

    assert "<mark>échanges</mark>" in hit.snippet
    assert "<mark>" not in hit.title


def test_titles_highlight_the_matching_words(make_initiative):
    make_initiative(name="Coopérative des Moulins")

    hit = search("cooperative").groups[0].page.object_list[0]

    assert hit.title == "<mark>Coopérative</mark> des Moulins"


def test_snippets_escape_the_text_and_allow_only_the_marks(make_initiative):
    make_initiative(
        name="Atelier <b>vélo</b>",
        description='Un vélo <script>alert("x")</script> & 3 < 4 \ue001 entraide \ue000 vélo.',
    )

    hit = search("vélo").groups[0].page.object_list[0]

    for html in (hit.title, hit.snippet):
        without_marks = html.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in without_marks and ">" not in without_marks and '"' not in without_marks
        assert html.count("<mark>") == html.count("</mark>") >= 1
        assert "\ue000" not in html and "\ue001" not in html
    assert hit.title == "Atelier &lt;b&gt;<mark>vélo</mark>&lt;/b&gt;"
    assert "&amp;" in hit.snippet


def test_only_published_rows_are_found(make_initiative, make_organisation, make_pole):
    make_initiative(name="Coopérative publiée")
    make_initiative(name="Coopérative brouillon", published=False)
    make_organisation(name="Coopérative en projet", published=False)
    make_pole(name="Pôle coopératif caché", published=False)

    results = search("coopérative")

    assert results.total == 1
    assert names(results) == ["Coopérative publiée"]


def test_merged_territories_are_not_found(places, territory_factory):
    territory_factory(
        territory_factory.Level.COMMUNE,
        "59999",
        "Vieux-Lille",
        parent=places["nord"],
        is_current=False,
    )

    assert names(search("vieux"), "territoires") == []


def test_each_kind_is_searched_and_counted(make_initiative, make_organisation, make_pole, places):
    make_initiative(name="Recyclerie de Morlaix", territory=places["morlaix"])
    make_organisation(name="Association Morlaix Solidaire", acronym="AMS")
    make_pole(name="PTCE du Pays de Morlaix", summary="Un pôle.")

    results = search("morlaix", everywhere=True)

    counts = {group.kind.key: group.count for group in results.groups}
    assert counts == {
        "initiatives": 1,
        "acteurs": 1,
        "ptce": 1,
        "territoires": 1,
        "enseignements": 0,
    }
    assert names(search("AMS"), "acteurs") == ["Association Morlaix Solidaire"]


def test_websearch_syntax_is_understood(make_initiative):
    make_initiative(name="Jardin partagé de Wazemmes")
    make_initiative(name="Jardin de Cocagne")

    assert names(search("jardin -cocagne")) == ["Jardin partagé de Wazemmes"]
    assert names(search('"jardin de cocagne"')) == ["Jardin de Cocagne"]
    assert len(names(search("wazemmes or cocagne"))) == 2


def test_a_typo_falls_back_to_names_that_look_alike(make_initiative):
    make_initiative(name="Réseau d'échanges de savoirs")
    make_initiative(name="Ressourcerie du Pays de Morlaix")

    results = search("echnages savoir")

    assert results.fuzzy
    assert names(results) == ["Réseau d'échanges de savoirs"]
    assert names(search("resourcerie")) == ["Ressourcerie du Pays de Morlaix"]


def test_a_mistyped_word_is_searched_as_the_closest_word_of_the_published_texts(make_initiative):
    make_initiative(name="Ressourcerie du Pays de Morlaix", summary="Réemploi et insertion.")
    make_initiative(name="Jardin partagé")
    refresh_words()

    results = search("resourcerie")

    assert results.corrected == "ressourcerie"
    assert not results.fuzzy
    assert names(results) == ["Ressourcerie du Pays de Morlaix"]
    # Only the words nobody uses are replaced; the rest of the query is kept as typed.
    assert correct("Jardin resourcerie -morlaix") == "Jardin ressourcerie -morlaix"
    assert correct("jardin réemploi") == ""
    # A word of a summary counts as much as a word of a name.
    assert names(search("reemplois insertoin")) == ["Ressourcerie du Pays de Morlaix"]


def test_a_correction_is_written_as_the_texts_most_often_write_the_word(make_initiative):
    """The words are compared folded, but the correction searched and shown is the commonest
    written form: « échanges », not "echanges"."""
    make_initiative(name="Réseau d'échanges réciproques", summary="Des échanges de savoirs.")
    make_initiative(name="Maison des échanges")
    make_initiative(name="Bourse aux echanges")  # written once without its accent
    refresh_words()

    results = search("echnages")

    assert results.corrected == "échanges"
    assert sorted(names(results)) == [
        "Bourse aux echanges",
        "Maison des échanges",
        "Réseau d'échanges réciproques",
    ]
    assert correct("echnages de savoirs") == "échanges de savoirs"


def test_no_correction_offers_a_word_of_an_unpublished_text(make_initiative):
    make_initiative(name="Recyclerie des Monts d'Arrée", published=False)
    make_initiative(name="Ressourcerie du Pays de Morlaix")
    assert refresh_search_words() > 0  # the hourly task
    from django.conf import settings

    assert "observatoire.tasks.refresh_search_words" in [
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    ]

    results = search("recycleri")

    assert results.corrected == ""
    assert all(group.count == 0 for group in results.groups)


def test_the_correction_follows_what_is_published_at_the_next_refresh(make_initiative):
    from initiatives.services import publish, withdraw

    draft = make_initiative(name="Épicerie vagabonde", published=False)
    refresh_words()
    assert search("vagabonee").corrected == ""

    publish(draft)
    refresh_words()
    assert search("vagabonee").corrected == "vagabonde"

    withdraw(draft)
    assert search("vagabonee").corrected == ""  # nothing published to show: no correction
    refresh_words()
    assert correct("vagabonee") == ""


def test_words_never_found_together_find_the_rows_with_one_of_them(make_initiative):
    make_initiative(name="Épicerie solidaire", summary="Des produits locaux.")
    make_initiative(name="Jardin des anges", summary="Un jardin partagé.")
    make_initiative(name="Atelier vélo")
    refresh_words()

    results = search("solidaire anges")

    assert results.any_word
    assert not results.fuzzy and not results.corrected
    assert sorted(names(results)) == ["Jardin des anges", "Épicerie solidaire"]
    # A query with syntax of its own is not turned into alternatives.
    assert not search('"solidaire anges"').any_word
    assert not search("solidaire -velo anges").any_word


def test_the_fallback_is_not_used_when_something_matches(make_initiative):
    make_initiative(name="Ressourcerie du Pays de Morlaix")
    make_initiative(name="Une ressource commune")

    results = search("ressourcerie")

    assert not results.fuzzy
    assert names(results) == ["Ressourcerie du Pays de Morlaix"]


def test_the_rows_shown_are_read_by_a_statement_planned_once_per_connection(
    make_initiative, make_organisation, places
):
    """The rows a search shows (with their headlines) are read by primary key through a prepared
    statement: PostgreSQL keeps its generic plan for the connection, and each search still gets
    its own rows and marks. The statement is logged with its values apart (the benchmark
    replays it prepared, as the page runs it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    local = make_initiative(name="Ressourcerie du quartier", territory=places["lille"])
    make_initiative(name="Épicerie solidaire", summary="Une épicerie et sa ressourcerie.")
    make_organisation(name="Union des ressourceries")

    with CaptureQueriesContext(connection) as queries:
        first = search("ressourcerie")
    second = search("epicerie")

    assert names(first) == ["Ressourcerie du quartier", "Épicerie solidaire"]
    assert names(first, "acteurs") == ["Union des ressourceries"]
    hits = first.groups[0].page.object_list
    assert str(hits[0].title) == "<mark>Ressourcerie</mark> du quartier"
    assert hits[0].context == places["lille"].name
    assert hits[0].url == local.get_absolute_url()
    assert "<mark>ressourcerie</mark>" in str(hits[1].snippet)
    assert names(second) == ["Épicerie solidaire"]
    assert str(second.groups[0].page.object_list[0].title) == "<mark>Épicerie</mark> solidaire"
    prepared = [query["prepared"] for query in queries.captured_queries if "prepared" in query]
    shown = [(sql, params) for sql, params in prepared if "ts_headline" in sql]
    assert len(shown) == 2  # the initiatives and the organisations shown
    assert all("ressourcerie" in params for _sql, params in shown)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s AND statement LIKE %s",
            ["%ts_headline%", '%FROM "initiatives_initiative"%'],
        )
        plans = cursor.fetchall()
    assert sum(generic for generic, _custom in plans) >= 2  # both searches, a plan kept
    assert sum(custom for _generic, custom in plans) == 0
