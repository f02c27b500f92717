"""`/initiatives/`: facets and their counts, links that reproduce a view, htmx, bad parameters."""

import datetime
import re

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils.text import slugify

from initiatives import facets
from initiatives.filters import InitiativeFilterSet
from initiatives.models import Initiative, LegalForm, Organisation, Pole, Role, RoleKind, Stage
from initiatives.services import publish
from territoires.models import Level, Territory

URL = reverse("initiatives:list")


def place(level, code, name, parent=None, **extra):
    return Territory.objects.create(
        level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
    )


def initiative(name, territory, *, themes=(), published=True, **extra):
    extra.setdefault("summary", f"{name}: a cooperative initiative.")
    item = Initiative.objects.create(name=name, slug=slugify(name), territory=territory, **extra)
    if themes:
        item.themes.add(*themes)
    return publish(item) if published else item


def organisation(name, legal_form=LegalForm.ASSOCIATION, published=True):
    item = Organisation.objects.create(name=name, slug=slugify(name), legal_form=legal_form)
    return publish(item) if published else item


@pytest.fixture
def france(db):
    """Two régions; in Hauts-de-France a département with an EPCI and communes, another without."""
    hdf = place(Level.REGION, "32", "Hauts-de-France")
    pas_de_calais = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", hdf)
    nord = place(Level.DEPARTEMENT, "59", "Nord", hdf)
    bethune = place(Level.EPCI, "200072460", "CA de Béthune-Bruay", pas_de_calais)
    ara = place(Level.REGION, "84", "Auvergne-Rhône-Alpes")
    rhone = place(Level.DEPARTEMENT, "69", "Rhône", ara)
    return {
        "hdf": hdf,
        "pas_de_calais": pas_de_calais,
        "nord": nord,
        "bethune": bethune,
        "bruay": place(Level.COMMUNE, "62178", "Bruay-la-Buissière", pas_de_calais, epci=bethune),
        "arras": place(Level.COMMUNE, "62041", "Arras", pas_de_calais),
        "lille": place(Level.COMMUNE, "59350", "Lille", nord),
        "ara": ara,
        "lyon": place(Level.COMMUNE, "69123", "Lyon", rhone),
    }


@pytest.fixture
def directory(france):
    """Five published initiatives across the tree, one draft, one published PTCE and one not."""
    scic = organisation("Coop Bruay", LegalForm.SCIC)
    hidden_scop = organisation("Hidden SCOP", LegalForm.SCOP, published=False)
    pole = publish(
        Pole.objects.create(
            name="PTCE Artois", slug="ptce-artois", summary="A PTCE.", territory=france["hdf"]
        )
    )
    Pole.objects.create(name="Draft PTCE", slug="draft-ptce", territory=france["hdf"])
    garage = initiative(
        "Garage solidaire",
        france["bruay"],
        themes=["mobilité", "coopération"],
        stage=Stage.RUNNING,
        start_date=datetime.date(2016, 3, 1),
        territorial_coherence=True,
    )
    garage.poles.add(pole)
    Role.objects.create(initiative=garage, organisation=scic, kind=RoleKind.LEAD)
    epicerie = initiative(
        "Épicerie coopérative",
        france["arras"],
        themes=["alimentation", "coopération"],
        stage=Stage.EMERGING,
        start_date=datetime.date(2019, 5, 1),
        sectoral_interaction=True,
    )
    Role.objects.create(initiative=epicerie, organisation=hidden_scop, kind=RoleKind.LEAD)
    initiative("Tiers-lieu du Nord", france["lille"], themes=["coopération"], stage=Stage.RUNNING)
    initiative(
        "Agence intercommunale", france["bethune"], themes=["mobilité"], stage=Stage.CONSOLIDATED
    )
    initiative(
        "Cantine de Lyon",
        france["lyon"],
        themes=["alimentation"],
        stage=Stage.RUNNING,
        start_date=datetime.date(2016, 9, 1),
    )
    initiative("Brouillon", france["lyon"], themes=["coopération"], published=False)
    return france


def page_names(response):
    return [item.name for item in response.context["directory"].page]


def facet(response, name):
    return next(f for f in response.context["directory"].facets if f.name == name)


def counts(response, name):
    return {value.value: value.count for value in facet(response, name).values}


def test_lists_only_published_initiatives_sorted_by_name(client, directory):
    response = client.get(URL)
    assert response.status_code == 200
    assert page_names(response) == [
        "Agence intercommunale",
        "Cantine de Lyon",
        "Épicerie coopérative",
        "Garage solidaire",
        "Tiers-lieu du Nord",
    ]
    assert "Brouillon" not in response.content.decode()


def test_a_region_includes_its_communes_and_epcis(client, directory):
    response = client.get(URL, {"territoire": "region:32"})
    assert set(page_names(response)) == {
        "Agence intercommunale",
        "Épicerie coopérative",
        "Garage solidaire",
        "Tiers-lieu du Nord",
    }


def test_an_epci_includes_its_member_communes(client, directory):
    response = client.get(URL, {"territoire": "epci:200072460"})
    assert set(page_names(response)) == {"Agence intercommunale", "Garage solidaire"}


def test_territory_facet_opens_the_tree_one_level_at_a_time(client, directory):
    top = facet(client.get(URL), "territoire")
    assert {v.label: v.count for v in top.values} == {
        "Hauts-de-France": 4,
        "Auvergne-Rhône-Alpes": 1,
    }
    region = facet(client.get(URL, {"territoire": "region:32"}), "territoire")
    assert region.current.label == "Hauts-de-France"
    assert region.total == 4
    assert {v.value: v.count for v in region.values} == {"departement:62": 3, "departement:59": 1}
    # Below a département, a commune's initiatives count under its EPCI, which one can open.
    departement = facet(client.get(URL, {"territoire": "departement:62"}), "territoire")
    assert [p.label for p in departement.path] == ["Hauts-de-France"]
    assert {v.value: v.count for v in departement.values} == {
        "epci:200072460": 2,
        "commune:62041": 1,
    }
    epci = facet(client.get(URL, {"territoire": "epci:200072460"}), "territoire")
    assert {v.value: v.count for v in epci.values} == {"commune:62178": 1}
    assert epci.total == 2


def test_territory_links_keep_the_other_filters(client, directory):
    html = client.get(URL, {"theme": "coopération", "page": "1"}).content.decode()
    assert 'href="?theme=coop%C3%A9ration&amp;territoire=region%3A32"' in html


def test_each_facet_counts_under_the_other_filters_only(client, directory):
    response = client.get(URL, {"theme": "coopération", "stade": "running"})
    assert set(page_names(response)) == {"Garage solidaire", "Tiers-lieu du Nord"}
    # Themes count under the stage only: choosing a theme does not zero the others.
    assert counts(response, "theme") == {"coopération": 2, "mobilité": 1, "alimentation": 1}
    # Stages count under the theme only.
    assert counts(response, "stade") == {
        "idea": 0,
        "emerging": 1,
        "running": 2,
        "consolidated": 0,
        "ended": 0,
    }
    assert facet(response, "stade").selected[0].value == "running"
    assert {v.label: v.count for v in facet(response, "territoire").values} == {
        "Hauts-de-France": 2
    }
    assert counts(response, "annee") == {"2016": 1}


def test_several_values_of_a_related_facet_show_and_count_each_initiative_once(client, directory):
    # The garage has both themes; the épicerie and the tiers-lieu one each.
    response = client.get(URL, {"theme": ["mobilité", "coopération"]})
    assert sorted(page_names(response)) == sorted(
        ["Agence intercommunale", "Épicerie coopérative", "Garage solidaire", "Tiers-lieu du Nord"]
    )
    assert response.context["directory"].page.paginator.count == 4
    stages = {"running": 2, "emerging": 1, "consolidated": 1, "idea": 0, "ended": 0}
    assert counts(response, "stade") == stages
    assert counts(response, "type_acteur") == {"scic": 1}
    response = client.get(URL, {"type_acteur": "scic", "ptce": "ptce-artois"})
    assert page_names(response) == ["Garage solidaire"]


def test_lever_ptce_and_year_facets(client, directory):
    response = client.get(URL)
    assert counts(response, "levier") == {
        "sectoral_interaction": 1,
        "territorial_coherence": 1,
        "cross_world_alliances": 0,
    }
    assert counts(response, "ptce") == {"ptce-artois": 1}
    assert counts(response, "annee") == {"2019": 1, "2016": 2}
    assert page_names(client.get(URL, {"levier": "sectoral_interaction"})) == [
        "Épicerie coopérative"
    ]
    assert page_names(client.get(URL, {"ptce": "ptce-artois"})) == ["Garage solidaire"]
    assert page_names(client.get(URL, {"annee": "2019"})) == ["Épicerie coopérative"]


def test_actor_type_counts_only_published_organisations(client, directory):
    response = client.get(URL)
    assert counts(response, "type_acteur") == {LegalForm.SCIC: 1}
    assert page_names(client.get(URL, {"type_acteur": "scic"})) == ["Garage solidaire"]
    # The SCOP is unpublished: it neither makes an initiative match nor shows as a facet value.
    assert page_names(client.get(URL, {"type_acteur": "scop"})) == []


def test_unpublished_ptce_is_an_unknown_value(client, directory):
    response = client.get(URL, {"ptce": "draft-ptce"})
    assert len(page_names(response)) == 5
    assert "draft-ptce" in response.content.decode()
    assert [i.value for i in response.context["directory"].ignored] == ["draft-ptce"]


def test_sort_and_pagination_keep_every_filter_in_links(client, france):
    for number in range(30):
        initiative(f"Initiative {number:02d}", france["lille"], themes=["coopération"])
    response = client.get(URL, {"theme": "coopération", "tri": "-name"})
    assert page_names(response)[0] == "Initiative 29"
    assert len(page_names(response)) == facets.PER_PAGE
    html = response.content.decode()
    assert 'href="?theme=coop%C3%A9ration&amp;tri=-name&amp;page=2"' in html
    second = client.get(URL, {"theme": "coopération", "tri": "-name", "page": "2"})
    assert page_names(second)[-1] == "Initiative 00"
    assert 'href="?theme=coop%C3%A9ration&amp;tri=-name&amp;page=1"' in second.content.decode()


def test_sort_by_start_date_puts_undated_last(client, directory):
    names = page_names(client.get(URL, {"tri": "-started"}))
    assert names[:3] == ["Épicerie coopérative", "Cantine de Lyon", "Garage solidaire"]
    names = page_names(client.get(URL, {"tri": "started"}))
    assert names[:3] == ["Garage solidaire", "Cantine de Lyon", "Épicerie coopérative"]


def test_the_form_works_without_javascript_and_with_htmx(client, directory):
    html = client.get(URL).content.decode()
    form = re.search(r"<form id=\"directory-form\"[^>]*>", html, re.S).group(0)
    assert 'method="get"' in form and f'action="{URL}"' in form
    assert f'data-hx-get="{URL}"' in form and 'data-hx-push-url="true"' in form
    assert 'id="directory-results"' in html
    assert "vendor/htmx/htmx.min.js" in html


def test_htmx_request_gets_only_the_results_fragment(client, directory):
    response = client.get(URL, {"stade": "running"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert "Garage solidaire" in html and "Épicerie coopérative" not in html
    # The facets and the status travel out of band, so their counts follow the filters.
    assert 'id="facet-fields" class="facets" data-hx-swap-oob="true"' in html
    assert 'id="directory-status" data-hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, directory):
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "ignored"),
    [
        ({"territoire": "nowhere:1"}, ["nowhere:1"]),
        ({"territoire": "commune:00000"}, ["commune:00000"]),
        ({"stade": "bogus"}, ["bogus"]),
        ({"annee": "abc"}, ["abc"]),
        ({"annee": "2016.5"}, ["2016.5"]),
        ({"tri": "bogus"}, ["bogus"]),
        ({"theme": "no-such-theme"}, ["no-such-theme"]),
        ({"theme": "nul\x00byte"}, ["nul\x00byte"]),
        ({"type_acteur": "pirate", "levier": "magic"}, ["pirate", "magic"]),
    ],
)
def test_a_bad_value_is_ignored_and_said(client, directory, query, ignored):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert len(page_names(response)) == 5
    assert sorted(i.value for i in response.context["directory"].ignored) == sorted(ignored)
    html = response.content.decode()
    assert "Some filters in this address were not understood" in html or "ignor" in html


def test_only_the_unknown_values_of_a_facet_are_dropped(client, directory):
    response = client.get(URL, {"stade": ["emerging", "bogus"], "theme": ["alimentation", "zz"]})
    assert page_names(response) == ["Épicerie coopérative"]
    assert sorted(i.value for i in response.context["directory"].ignored) == ["bogus", "zz"]
    assert "bogus" in response.content.decode()


def test_filterset_reports_dropped_values_as_errors_for_other_pages(directory):
    filterset = InitiativeFilterSet(
        _querydict("stade=running&stade=bogus"), queryset=Initiative.objects.published()
    )
    assert not filterset.is_valid()
    assert "stade" in filterset.form.errors
    assert {i.name for i in filterset.qs} == {
        "Garage solidaire",
        "Tiers-lieu du Nord",
        "Cantine de Lyon",
    }


def test_filterset_defaults_to_published_initiatives(directory):
    assert "Brouillon" not in {i.name for i in InitiativeFilterSet({}).qs}


def _querydict(query):
    return QueryDict(query)


@pytest.mark.parametrize(
    ("number", "shown", "notice"),
    [
        ("99999", 2, "Il n’y a pas de page 99999"),
        ("abc", 1, "n’est pas un numéro de page"),
        ("0", 1, "Les pages commencent à 1"),
        ("-3", 1, "Les pages commencent à 1"),
        ("1.5", 1, "n’est pas un numéro de page"),
        ("", 1, None),
    ],
)
def test_a_page_that_does_not_exist_shows_a_page_that_does(client, france, number, shown, notice):
    for index in range(facets.PER_PAGE + 1):
        initiative(f"Initiative {index:02d}", france["lille"])
    response = client.get(URL, {"page": number})
    assert response.status_code == 200
    assert response.context["directory"].page.number == shown
    html = response.content.decode()
    if notice:
        assert notice in html
    else:
        assert not response.context["directory"].notices


def _populate(france, count):
    """`count` published initiatives, each with two themes, a PTCE and two roles."""
    pole = publish(
        Pole.objects.create(name="PTCE", slug="ptce", summary="A PTCE.", territory=france["hdf"])
    )
    scic = organisation("Coop", LegalForm.SCIC)
    network = organisation("Network", LegalForm.NETWORK)
    communes = [france["bruay"], france["arras"], france["lille"], france["lyon"]]
    for index in range(count):
        item = initiative(
            f"Initiative {index:03d}",
            communes[index % 4],
            themes=[f"theme {index % 7}", "coopération"],
            start_date=datetime.date(2000 + index % 20, 1, 1),
            sectoral_interaction=bool(index % 2),
        )
        item.poles.add(pole)
        Role.objects.create(initiative=item, organisation=scic, kind=RoleKind.LEAD)
        Role.objects.create(initiative=item, organisation=network, kind=RoleKind.SUPPORT)


# Unfiltered: the facet counts kept by the triggers (tallies.py), the names of the régions, themes
# and PTCEs they count, the rows and their themes. With six filters: the one grouped pass over the
# filtered rows, then one query per filtered facet (two for the territory: grouping, then names),
# the count, the rows and their themes; a value given for territoire, theme or ptce costs the
# query that resolves it (and a territory below a région one more, for its path up).
QUERIES_UNFILTERED = 6
QUERIES_FILTERED = 13


@pytest.mark.parametrize("count", [5, 50])
def test_list_queries_do_not_grow_with_rows(client, france, count, django_assert_num_queries):
    _populate(france, count)
    client.get(URL)  # the content types of taggit are cached once per process
    with django_assert_num_queries(QUERIES_UNFILTERED):
        response = client.get(URL)
    assert len(page_names(response)) == min(count, facets.PER_PAGE)
    query = {
        "territoire": "region:32",
        "theme": "coopération",
        "ptce": "ptce",
        "type_acteur": "scic",
        "stade": "running",
        "levier": "sectoral_interaction",
        "tri": "-published",
    }
    with django_assert_num_queries(QUERIES_FILTERED):
        response = client.get(URL, query)
    assert page_names(response)
    with django_assert_num_queries(QUERIES_FILTERED):
        client.get(URL, query, headers={"HX-Request": "true"})


def test_ptce_facet_shows_the_busiest_ptces_and_finds_the_others_by_name(client, france):
    """Twelve PTCEs: the ten with the most initiatives are boxes, the others are typed."""
    poles = [
        publish(
            Pole.objects.create(
                name=f"PTCE {name}",
                slug=f"ptce-{slugify(name)}",
                summary="A PTCE.",
                territory=france["hdf"],
            )
        )
        for name in [f"Pôle {number:02d}" for number in range(10)] + ["Étang", "Vallée"]
    ]
    for index, pole in enumerate(poles):
        for number in range(2 if index < 10 else 1):
            initiative(f"Initiative {index} {number}", france["lille"]).poles.add(pole)

    response = client.get(URL)
    shown = facet(response, "ptce")
    assert [value.value for value in shown.values] == [pole.slug for pole in poles[:10]]
    assert shown.more == 2
    html = response.content.decode()
    assert 'id="f-ptce-name"' in html and "ptce-etang" not in html

    # Typed as a person would: without the accent, in lower case, part of the name.
    response = client.get(URL, {"ptce": ["", "etang"]})
    assert page_names(response) == ["Initiative 10 0"]
    assert response.context["directory"].ignored == []
    chosen = [value for value in facet(response, "ptce").values if value.selected]
    assert [(value.value, value.count) for value in chosen] == [("ptce-etang", 1)]
    # A part of several names is not a choice: it is reported and ignored.
    response = client.get(URL, {"ptce": "pole"})
    assert [item.value for item in response.context["directory"].ignored] == ["pole"]
