"""The search page: what a visitor types, what comes back, and what bad input does not break."""

import pytest
from django.urls import reverse

from initiatives.models import Initiative, Organisation, Pole
from observatoire.search import refresh_words

pytestmark = pytest.mark.django_db

URL = "/recherche/"


def test_a_visitor_finds_an_initiative_by_typing_its_name_without_accents(client, make_initiative):
    initiative = make_initiative(name="Épicerie coopérative des Célestins")

    response = client.get(URL, {"q": "epicerie cooperative des celestins"})

    assert response.status_code == 200
    assert initiative.get_absolute_url() in response.content.decode()


def test_the_page_has_a_labelled_search_form_that_keeps_the_query(client):
    response = client.get(URL, {"q": "jardins & <partagés>"})

    html = response.content.decode()
    assert reverse("search") == URL
    assert 'role="search"' in html
    assert '<label for="search-q">' in html
    assert 'value="jardins &amp; &lt;partagés&gt;"' in html


def test_results_are_grouped_by_kind_with_counts(client, make_initiative, make_organisation):
    for n in range(7):
        make_initiative(name=f"Coopérative {n}")
    make_organisation(name="Union des coopératives")

    response = client.get(URL, {"q": "coopérative"})

    groups = {group.kind.key: group for group in response.context["results"].groups}
    assert groups["initiatives"].count == 7
    assert len(groups["initiatives"].page.object_list) == 5
    assert groups["acteurs"].count == 1
    html = response.content.decode()
    assert "(7)" in html and "(1)" in html
    assert "type=initiatives" in html  # "see all" for the group that has more
    assert "type=acteurs" not in html


def test_see_all_pages_through_one_kind_and_keeps_the_query(client, make_initiative):
    for n in range(25):
        make_initiative(name=f"Coopérative {n:02d}")

    first = client.get(URL, {"q": "coopérative", "type": "initiatives"})
    second = client.get(URL, {"q": "coopérative", "type": "initiatives", "page": "2"})

    assert len(first.context["results"].groups) == 1
    assert len(first.context["results"].groups[0].page.object_list) == 20
    assert len(second.context["results"].groups[0].page.object_list) == 5
    assert "q=coop%C3%A9rative&amp;type=initiatives&amp;page=2" in first.content.decode()


def test_an_empty_query_shows_the_empty_page(client):
    response = client.get(URL, {"q": "   "})

    assert response.status_code == 200
    assert response.context["results"].groups == []
    assert "No results" not in response.content.decode()


def test_nothing_found_says_so(client, make_initiative):
    make_initiative(name="Coopérative")

    response = client.get(URL, {"q": "zzzzqqq"})

    assert response.status_code == 200
    assert "Aucun résultat pour «\xa0zzzzqqq\xa0»." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "&|!():*",
        'coop"',
        '"',
        "'",
        "coop & | ! ( ) : * <-> ''",
        "coop:*",
        "((((",
        "-",
        "or",
        "-coopérative",
        "\x00coop\x00",
        "\ue000coop\ue001",
        "%_\\",
        "<script>alert(1)</script>",
        "😀 coopérative",
    ],
)
def test_query_syntax_and_odd_characters_never_break_the_page(client, make_initiative, query):
    make_initiative(name="Coopérative des Moulins")

    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_a_very_long_query_is_shortened_with_a_notice(client, make_initiative):
    make_initiative(name="Coopérative des Moulins")

    response = client.get(URL, {"q": "coopérative " * 500})

    assert response.status_code == 200
    assert len(response.context["results"].query) <= 200
    assert "Votre recherche a été réduite" in response.content.decode()
    assert response.context["results"].total == 1


@pytest.mark.parametrize(
    "params", [{"type": "nope"}, {"page": "abc"}, {"page": "-3"}, {"page": "99999999999999999999"}]
)
def test_bad_parameters_still_show_the_page(client, make_initiative, params):
    make_initiative(name="Coopérative des Moulins")

    response = client.get(URL, {"q": "coopérative", **params})

    assert response.status_code == 200
    assert response.context["results"].total == 1


def test_a_place_name_is_recognised_and_narrows_the_results(client, make_initiative, places):
    make_initiative(name="Jardin partagé de Wazemmes", territory=places["lille"])
    make_initiative(name="Jardin des Moulins", territory=places["morlaix"])

    response = client.get(URL, {"q": "jardin lille"})

    results = response.context["results"]
    assert results.territory == places["lille"]
    assert results.scoped
    assert [hit.object.name for hit in results.groups[0].page.object_list] == [
        "Jardin partagé de Wazemmes"
    ]
    html = response.content.decode()
    assert places["lille"].get_absolute_url() in html
    assert "/initiatives/?territoire=commune:59350" in html
    assert "partout=1" in html

    everywhere = client.get(URL, {"q": "jardin lille", "partout": "1"})
    assert not everywhere.context["results"].scoped
    assert not everywhere.context["results"].fuzzy
    assert everywhere.context["results"].groups[0].count == 2


def test_each_place_named_narrows_to_its_own_rows(
    client, make_initiative, places, territory_factory
):
    """The overview's rankings are compiled once per kind of place (observatoire/search.py):
    one place after another, at each level and for an EPCI, gets its own rows only."""
    level = territory_factory.Level
    metropole = territory_factory(level.EPCI, "200093201", "Métropole européenne de Lille")
    for commune in (places["lille"], places["roubaix"]):
        commune.epci = metropole
        commune.save()
    make_initiative(name="Jardin partagé de Wazemmes", territory=places["lille"])
    make_initiative(name="Jardin du Pile", territory=places["roubaix"])
    make_initiative(name="Jardin des Moulins", territory=places["morlaix"])
    expected = {
        "jardin lille": ["Jardin partagé de Wazemmes"],
        "jardin morlaix": ["Jardin des Moulins"],
        "jardin roubaix": ["Jardin du Pile"],
        "jardin nord": ["Jardin du Pile", "Jardin partagé de Wazemmes"],
        "jardin bretagne": ["Jardin des Moulins"],
        "jardin metropole europeenne de lille": ["Jardin du Pile", "Jardin partagé de Wazemmes"],
    }
    for query, names in expected.items():
        results = client.get(URL, {"q": query}).context["results"]
        assert results.scoped, query
        found = sorted(hit.object.name for hit in results.groups[0].page.object_list)
        assert found == names, query
        assert results.groups[0].count == len(names), query


def test_a_place_without_matches_searches_everywhere(client, make_initiative, places):
    make_initiative(name="Jardin des Moulins", territory=places["morlaix"])

    response = client.get(URL, {"q": "jardin roubaix"})

    results = response.context["results"]
    html = response.content.decode()
    assert "Aucun résultat pour Roubaix\xa0; voici les résultats de partout." in html

    assert results.territory == places["roubaix"]
    assert not results.scoped and not results.fuzzy
    assert results.widened
    assert results.total == 1


def test_a_region_typed_without_hyphens_or_accents_is_recognised(client, places):
    results = client.get(URL, {"q": "hauts de france"}).context["results"]
    assert results.territory == places["hdf"]

    results = client.get(URL, {"q": "FINISTERE"}).context["results"]
    assert results.territory.code == "29"


def test_the_longest_then_highest_place_name_wins(client, places, territory_factory):
    territory_factory(territory_factory.Level.COMMUNE, "59999", "Nord", parent=places["nord"])

    results = client.get(URL, {"q": "nord"}).context["results"]

    assert results.territory == places["nord"]  # the département, not the commune


def test_the_page_works_in_english(client, make_initiative):
    make_initiative(name="Coopérative des Moulins")

    response = client.get("/en/recherche/", {"q": "moulins"})

    assert response.status_code == 200
    assert "Initiatives" in response.content.decode()


def test_close_spellings_are_announced(client, make_initiative):
    make_initiative(name="Ressourcerie du Pays de Morlaix")

    response = client.get(URL, {"q": "resourcery"})

    assert response.context["results"].fuzzy
    assert "proches de ce que vous avez saisi" in response.content.decode()


@pytest.fixture(params=[5, 50])
def many(request, places):
    """`n` published rows of each kind that all match "coopérative"."""
    n = request.param
    for model in (Initiative, Organisation, Pole):
        model.objects.bulk_create(
            model(
                name=f"Coopérative {model.__name__} {i}",
                slug=f"{model.__name__.lower()}-{i}",
                summary="Une coopérative.",
                description="Des coopérateurs.",
                territory=places["lille"],
                state="published",
            )
            for i in range(n)
        )
    return n


def test_the_overview_query_count_does_not_grow_with_rows(client, many, django_assert_num_queries):
    # Place-name lookup (names are folded in Python), then the ranked ids and totals of the five
    # kinds in one statement, and the rows shown of each kind that has any (three kinds).
    with django_assert_num_queries(1 + 1 + 3):
        response = client.get(URL, {"q": "coopérative"})
    assert response.context["results"].total == 3 * many


def test_one_kind_query_count_does_not_grow_with_rows(client, many, django_assert_num_queries):
    # Place name, then the page's ranked ids with the total, and the rows they show.
    with django_assert_num_queries(1 + 2):
        response = client.get(URL, {"q": "coopérative", "type": "acteurs"})
    assert len(response.context["results"].groups[0].page.object_list) == min(many, 20)


def test_a_scoped_search_query_count_does_not_grow_with_rows(
    client, many, django_assert_num_queries
):
    # Place name, then the scoped search (rows in Lille), with nothing searched twice.
    with django_assert_num_queries(1 + 1 + 3):
        response = client.get(URL, {"q": "coopérative lille"})
    assert response.context["results"].scoped


def test_the_fallback_query_count_does_not_grow_with_rows(client, many, django_assert_num_queries):
    # Place name, the five kinds' empty ranking, the words to correct (none: the words of the
    # texts were never gathered), then the transaction (savepoint, SET LOCAL, release) around
    # the names close to the query: ranked in one statement, then shown.
    with django_assert_num_queries(1 + 1 + 1 + 3 + 1 + 3):
        response = client.get(URL, {"q": "cooperativ"})
    assert response.context["results"].fuzzy


def test_a_corrected_query_count_does_not_grow_with_rows(client, many, django_assert_num_queries):
    refresh_words()
    # Place name, the five kinds' empty ranking, the words to correct, then the corrected
    # query's ranking and the rows shown of its three kinds.
    with django_assert_num_queries(1 + 1 + 1 + 1 + 3):
        response = client.get(URL, {"q": "cooperativ"})
    assert response.context["results"].corrected == "coopérative"  # as the texts write it
    assert response.context["results"].total == 3 * many


def test_results_with_one_of_the_words_are_announced(client, make_initiative):
    make_initiative(name="Épicerie solidaire")
    anges = make_initiative(name="Jardin des anges")
    refresh_words()

    html = client.get(URL, {"q": "solidaire anges"}).content.decode()

    assert (
        "Aucun résultat ne contient tous ces mots\u00a0; "
        "voici ceux qui en contiennent au moins un." in html
    )
    assert anges.get_absolute_url() in html
    english = client.get("/en" + URL, {"q": "solidaire anges"}).content.decode()
    assert "No result has all these words; showing those with one of them at least." in english


def test_a_corrected_query_is_announced_and_its_links_keep_the_typed_query(client, make_initiative):
    for n in range(6):
        make_initiative(name=f"Ressourcerie {n}")
    refresh_words()

    response = client.get(URL, {"q": "resourcerie"})

    html = response.content.decode()
    assert (
        "Aucun résultat pour «\u00a0resourcerie\u00a0»\u00a0; "
        "résultats pour «\u00a0ressourcerie\u00a0»." in html
    )
    english = client.get("/en" + URL, {"q": "resourcerie"}).content.decode()
    assert "Nothing matched “resourcerie”; showing results for “ressourcerie”." in english
    # "See all": the kind's page, for the query as typed, corrected the same way.
    more = client.get(URL, {"q": "resourcerie", "type": "initiatives"})
    assert more.context["results"].corrected == "ressourcerie"
    assert more.context["results"].groups[0].count == 6
    assert "?q=resourcerie&amp;type=initiatives" in html
