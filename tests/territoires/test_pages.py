"""The public territory pages: the index with its commune finder, and a territory's page."""

import json

import pytest
from django.urls import reverse
from django.utils.text import slugify

from initiatives.models import Initiative, Pole
from initiatives.services import publish
from territoires import views
from territoires.models import Level, Territory


def place(level, code, name, parent=None, **extra):
    return Territory.objects.create(
        level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
    )


def initiative(name, territory, published=True, **extra):
    extra.setdefault("summary", f"{name}: a cooperative initiative.")
    item = Initiative.objects.create(name=name, slug=slugify(name), territory=territory, **extra)
    return publish(item) if published else item


@pytest.fixture
def hauts_de_france(db):
    """Hauts-de-France with two départements, an EPCI and three communes."""
    region = place(Level.REGION, "32", "Hauts-de-France", latitude=50.6, longitude=3.0)
    pas_de_calais = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", region)
    nord = place(Level.DEPARTEMENT, "59", "Nord", region)
    bethune = place(Level.EPCI, "200072460", "CA de Béthune-Bruay", pas_de_calais)
    bruay = place(
        Level.COMMUNE, "62178", "Bruay-la-Buissière", pas_de_calais, epci=bethune, population=21_000
    )
    bethune_town = place(Level.COMMUNE, "62119", "Béthune", pas_de_calais, epci=bethune)
    lille = place(Level.COMMUNE, "59350", "Lille", nord, population=236_000)
    return {
        "region": region,
        "pas_de_calais": pas_de_calais,
        "nord": nord,
        "bethune": bethune,
        "bruay": bruay,
        "bethune_town": bethune_town,
        "lille": lille,
    }


def detail_url(territory):
    return reverse("territoires:detail", kwargs={"level": territory.level, "code": territory.code})


def map_data(client, response):
    """The markers the page's map loads: the map's GeoJSON at the URL the page gives it."""
    html = response.content.decode()
    start = html.index('data-geojson="') + len('data-geojson="')
    url = html[start : html.index('"', start)].replace("&amp;", "&")
    collection = json.loads(client.get(url).content)
    assert collection["kind"] == "points"
    return [
        {
            "name": feature["properties"]["name"],
            "url": feature["properties"]["url"],
            "lat": feature["geometry"]["coordinates"][1],
            "lng": feature["geometry"]["coordinates"][0],
        }
        for feature in collection["features"]
    ]


# The index


def test_index_lists_regions_with_their_published_initiatives(hauts_de_france, client):
    place(Level.REGION, "84", "Auvergne-Rhône-Alpes")
    initiative("Maison des échanges", hauts_de_france["bruay"])
    initiative("Épicerie solidaire", hauts_de_france["lille"])
    initiative("Draft project", hauts_de_france["lille"], published=False)

    response = client.get(reverse("territoires:list"))

    assert response.status_code == 200
    assert response.context["regions"] == [
        (Territory.objects.get(level=Level.REGION, code="84"), 0),
        (hauts_de_france["region"], 2),
    ]
    assert "2 initiatives publiées" in response.content.decode()


def test_index_finds_a_commune_by_name_without_accents(hauts_de_france, client):
    response = client.get(reverse("territoires:list"), {"q": "bruay la buissiere"})

    assert response.status_code == 200
    assert response.context["communes"] == [hauts_de_france["bruay"]]
    assert detail_url(hauts_de_france["bruay"]) in response.content.decode()


def test_index_finds_a_commune_by_insee_code(hauts_de_france, client):
    response = client.get(reverse("territoires:list"), {"q": "59350"})
    assert response.context["communes"] == [hauts_de_france["lille"]]


def test_index_lists_only_current_communes(hauts_de_france, client):
    place(
        Level.COMMUNE, "62999", "Bruay-Ancienne", hauts_de_france["pas_de_calais"], is_current=False
    )
    response = client.get(reverse("territoires:list"), {"q": "bruay"})
    assert response.context["communes"] == [hauts_de_france["bruay"]]


def test_index_finds_only_communes(hauts_de_france, client):
    response = client.get(reverse("territoires:list"), {"q": "Nord"})
    assert response.context["communes"] == []
    assert "Aucune commune actuelle ne correspond." in response.content.decode()


def test_index_caps_the_commune_results(hauts_de_france, client, monkeypatch):
    monkeypatch.setattr(views, "COMMUNE_RESULTS", 1)
    response = client.get(reverse("territoires:list"), {"q": "b"})  # too short: an error
    assert response.status_code == 200
    assert response.context["communes"] is None
    assert response.context["form"].errors

    place(Level.COMMUNE, "62001", "Ablain-Saint-Nazaire", hauts_de_france["pas_de_calais"])
    place(Level.COMMUNE, "62002", "Ablainzevelle", hauts_de_france["pas_de_calais"])
    response = client.get(reverse("territoires:list"), {"q": "ablain"})
    assert len(response.context["communes"]) == 1
    assert response.context["more_communes"]


@pytest.mark.parametrize("query", ["x" * 5000, "%", "' or 1=1 --", "\x00"])
def test_index_survives_odd_searches(hauts_de_france, client, query):
    response = client.get(reverse("territoires:list"), {"q": query})
    assert response.status_code in (200, 400)


# A territory's page


def test_region_page_shows_initiatives_of_its_communes_and_departements_with_counts(
    hauts_de_france, client
):
    initiative("Maison des échanges", hauts_de_france["bruay"])
    initiative("Garage solidaire", hauts_de_france["bethune_town"])
    initiative("Épicerie solidaire", hauts_de_france["lille"])
    initiative("Draft project", hauts_de_france["lille"], published=False)

    response = client.get(detail_url(hauts_de_france["region"]))

    assert response.status_code == 200
    assert {i.name for i in response.context["page"]} == {
        "Épicerie solidaire",
        "Garage solidaire",
        "Maison des échanges",
    }
    [departements] = response.context["children"]
    assert departements["level"] == Level.DEPARTEMENT
    assert departements["rows"] == [
        (hauts_de_france["nord"], 1),
        (hauts_de_france["pas_de_calais"], 2),
    ]
    assert "Draft project" not in response.content.decode()


def test_departement_page_counts_its_epcis_and_communes(hauts_de_france, client):
    initiative("Maison des échanges", hauts_de_france["bruay"])
    initiative("Recyclerie", hauts_de_france["bruay"])
    initiative("Garage solidaire", hauts_de_france["bethune_town"])
    initiative("Réseau intercommunal", hauts_de_france["bethune"])
    initiative("Épicerie solidaire", hauts_de_france["lille"])

    response = client.get(detail_url(hauts_de_france["pas_de_calais"]))

    children = {group["level"]: group["rows"] for group in response.context["children"]}
    assert children == {
        Level.EPCI: [(hauts_de_france["bethune"], 4)],
        Level.COMMUNE: [(hauts_de_france["bethune_town"], 1), (hauts_de_france["bruay"], 2)],
    }
    assert response.context["page"].paginator.count == 4


def test_epci_page_lists_its_member_communes(hauts_de_france, client):
    initiative("Maison des échanges", hauts_de_france["bruay"])
    initiative("Réseau intercommunal", hauts_de_france["bethune"])

    response = client.get(detail_url(hauts_de_france["bethune"]))

    [communes] = response.context["children"]
    assert communes["rows"] == [(hauts_de_france["bruay"], 1)]
    assert response.context["page"].paginator.count == 2


def test_epci_and_region_pages_show_what_their_communes_hold(hauts_de_france, client):
    """The cards, PTCEs and events of an EPCI are those on it and on its member communes (not
    on other communes of its département); a région's, those anywhere below it. The panels'
    statements are compiled once per process (observatoire/compiled.py): a second territory of
    the same level gets its own rows, not the first one's."""
    import datetime as dt

    from django.utils import timezone

    from agenda import services as agenda
    from agenda.models import Event

    initiative("Maison des échanges", hauts_de_france["bruay"])
    initiative("Réseau intercommunal", hauts_de_france["bethune"])
    initiative("Épicerie solidaire", hauts_de_france["lille"])
    initiative("Brouillon", hauts_de_france["bruay"], published=False)
    pole = publish(
        Pole.objects.create(
            name="PTCE du Béthunois",
            slug="ptce-bethunois",
            summary="Un pôle.",
            territory=hauts_de_france["bruay"],
        )
    )
    soon = timezone.now() + dt.timedelta(days=10)
    meeting = agenda.publish(
        Event.objects.create(
            title="Rencontre à Béthune", starts_at=soon, territory=hauts_de_france["bethune_town"]
        )
    )
    agenda.publish(
        Event.objects.create(
            title="Rencontre à Lille", starts_at=soon, territory=hauts_de_france["lille"]
        )
    )

    def shown(territory):
        response = client.get(detail_url(territory))
        assert response.status_code == 200
        return (
            [card.name for card in response.context["page"]],
            [listed.name for listed in response.context["poles"]],
            [item.event.title for item in response.context["events"]],
        )

    assert shown(hauts_de_france["bethune"]) == (
        ["Maison des échanges", "Réseau intercommunal"],
        [pole.name],
        [meeting.title],
    )
    assert shown(hauts_de_france["nord"]) == (["Épicerie solidaire"], [], ["Rencontre à Lille"])
    assert shown(hauts_de_france["pas_de_calais"])[0] == [
        "Maison des échanges",
        "Réseau intercommunal",
    ]
    cards, poles, events = shown(hauts_de_france["region"])
    assert sorted(cards) == ["Maison des échanges", "Réseau intercommunal", "Épicerie solidaire"]
    assert (poles, sorted(events)) == ([pole.name], ["Rencontre à Béthune", "Rencontre à Lille"])
    # Past events are not shown (the compiled statement takes today's date at each call).
    Event.objects.filter(pk=meeting.pk).update(
        starts_at=soon - dt.timedelta(days=30), ends_at=soon - dt.timedelta(days=29)
    )
    assert shown(hauts_de_france["bethune"])[2] == []


def test_commune_page_shows_its_chain_up_to_the_region(hauts_de_france, client):
    response = client.get(detail_url(hauts_de_france["bruay"]))

    assert response.status_code == 200
    assert response.context["crumbs"] == [
        hauts_de_france["region"],
        hauts_de_france["pas_de_calais"],
        hauts_de_france["bethune"],
    ]
    html = response.content.decode()
    for crumb in response.context["crumbs"]:
        assert f'href="{detail_url(crumb)}"' in html
    assert '<li aria-current="page">Bruay-la-Buissière</li>' in html


def test_territory_page_lists_ptces_in_it_and_below(hauts_de_france, client):
    pole = Pole.objects.create(
        name="PTCE du Béthunois",
        slug="ptce-bethunois",
        summary="Un pôle.",
        territory=hauts_de_france["bethune"],
    )
    publish(pole)
    Pole.objects.create(name="Draft pole", slug="draft-pole", territory=hauts_de_france["bruay"])

    response = client.get(detail_url(hauts_de_france["pas_de_calais"]))

    assert [listed.name for listed in response.context["poles"]] == [pole.name]
    assert "Draft pole" not in response.content.decode()


def test_map_shows_published_located_initiatives_and_links_to_the_full_map(hauts_de_france, client):
    initiative("Maison des échanges", hauts_de_france["bruay"], latitude=50.48, longitude=2.55)
    initiative("Sans adresse", hauts_de_france["bruay"])
    initiative("Draft", hauts_de_france["bruay"], published=False, latitude=50.5, longitude=2.5)

    response = client.get(detail_url(hauts_de_france["region"]))

    assert map_data(client, response) == [
        {
            "name": "Maison des échanges",
            "url": "/initiatives/maison-des-echanges/",
            "lat": 50.48,
            "lng": 2.55,
        }
    ]
    html = response.content.decode()
    assert "vendor/leaflet/leaflet.js" in html
    assert 'href="/carte/?territoire=region%3A32"' in html


def test_the_page_embeds_no_marker_and_the_map_loads_them_all(hauts_de_france, client):
    # The page used to embed its 500 most recent markers; the map now asks the GeoJSON for the
    # territory's initiatives, grouped into cells when there are many.
    for number in range(3):
        initiative(f"Initiative {number}", hauts_de_france["lille"], latitude=50.6, longitude=3.0)
    initiative("Ailleurs", hauts_de_france["bruay"], latitude=50.48, longitude=2.55)

    response = client.get(detail_url(hauts_de_france["nord"]))

    assert "territory-map-data" not in response.content.decode()
    assert sorted(marker["name"] for marker in map_data(client, response)) == [
        "Initiative 0",
        "Initiative 1",
        "Initiative 2",
    ]


def test_no_map_without_located_initiatives(hauts_de_france, client):
    initiative("Sans adresse", hauts_de_france["bruay"])
    response = client.get(detail_url(hauts_de_france["bruay"]))
    assert "territory-map" not in response.content.decode()
    assert "leaflet" not in response.content.decode()


def test_territory_page_in_english(hauts_de_france, client):
    initiative("Maison des échanges", hauts_de_france["bruay"], latitude=50.48, longitude=2.55)
    response = client.get("/en" + detail_url(hauts_de_france["bruay"]))
    assert response.status_code == 200
    assert map_data(client, response)[0]["url"] == "/en/initiatives/maison-des-echanges/"
    assert 'href="/en/carte/?territoire=commune%3A62178"' in response.content.decode()


def test_merged_commune_redirects_to_the_commune_it_joined(hauts_de_france, client):
    place(
        Level.COMMUNE,
        "62999",
        "Ancienne commune",
        hauts_de_france["pas_de_calais"],
        is_current=False,
        replaced_by=hauts_de_france["bruay"],
    )
    response = client.get("/territoires/commune/62999/")
    assert response.status_code == 301
    assert response["Location"] == detail_url(hauts_de_france["bruay"])


@pytest.mark.parametrize(
    "path",
    ["/territoires/commune/00000/", "/territoires/planet/32/", "/territoires/commune/62998/"],
)
def test_unknown_or_vanished_territories_are_not_found(hauts_de_france, client, path):
    place(Level.COMMUNE, "62998", "Disparue", hauts_de_france["pas_de_calais"], is_current=False)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", "1.5", ""])
def test_bad_page_numbers_still_give_a_page(hauts_de_france, client, page):
    initiative("Maison des échanges", hauts_de_france["bruay"])
    response = client.get(detail_url(hauts_de_france["region"]), {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == 1


# Queries do not grow with the rows shown


def _france_with(count):
    """A région with `count` départements, each with a commune holding a published initiative."""
    region = place(Level.REGION, "32", "Hauts-de-France")
    for number in range(count):
        departement = place(Level.DEPARTEMENT, f"{number:02d}", f"Département {number}", region)
        commune = place(Level.COMMUNE, f"{number:02d}001", f"Commune {number}", departement)
        initiative(f"Initiative {number}", commune, latitude=50 + number / 100, longitude=2.5)
        pole = Pole.objects.create(
            name=f"PTCE {number}", slug=f"ptce-{number}", summary="Un pôle.", territory=commune
        )
        publish(pole)
    for number in range(count):
        place(Level.REGION, f"9{number:02d}", f"Région {number}")
    return region


@pytest.mark.parametrize("count", [5, 50])
def test_index_queries_do_not_grow_with_regions(db, client, django_assert_num_queries, count):
    _france_with(count)
    with django_assert_num_queries(2):
        response = client.get(reverse("territoires:list"))
    assert len(response.context["regions"]) == count + 1


@pytest.mark.parametrize("count", [5, 50])
def test_commune_search_queries_do_not_grow_with_results(
    db, client, django_assert_num_queries, count
):
    _france_with(count)
    with django_assert_num_queries(3):
        response = client.get(reverse("territoires:list"), {"q": "commune"})
    assert len(response.context["communes"]) == count


@pytest.mark.parametrize("count", [5, 50])
def test_region_page_queries_do_not_grow_with_departements(
    db, client, django_assert_num_queries, count
):
    region = _france_with(count)
    # The territory, the counts per territory, the children, a page of initiatives, the PTCEs
    # and the agenda's upcoming events: no COUNT(*) and no marker (initiatives/counts.py).
    with django_assert_num_queries(6):
        response = client.get(detail_url(region))
    assert len(response.context["children"][0]["rows"]) == count
    assert len(map_data(client, response)) == count
    assert len(response.context["poles"]) == count
