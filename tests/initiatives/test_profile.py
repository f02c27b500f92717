"""`/initiatives/<slug>/`: what a profile shows, to whom, its neighbours, kin and metadata."""

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from initiatives.models import (
    Initiative,
    LegalForm,
    Organisation,
    Person,
    Pole,
    Role,
    RoleKind,
    Stage,
)
from initiatives.services import publish, withdraw
from territoires.models import Level, Territory


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


@pytest.fixture
def places(db):
    region = place(Level.REGION, "32", "Hauts-de-France")
    pas_de_calais = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", region)
    epci = place(Level.EPCI, "200072460", "CA de Béthune-Bruay", pas_de_calais)
    return {
        "region": region,
        "pas_de_calais": pas_de_calais,
        "epci": epci,
        "bruay": place(Level.COMMUNE, "62178", "Bruay-la-Buissière", pas_de_calais, epci=epci),
        "arras": place(Level.COMMUNE, "62041", "Arras", pas_de_calais),
        "lille": place(
            Level.COMMUNE, "59350", "Lille", place(Level.DEPARTEMENT, "59", "Nord", region)
        ),
    }


@pytest.fixture
def garage(places):
    item = initiative(
        "Garage solidaire",
        places["bruay"],
        themes=["mobilité", "coopération"],
        description="Repairs cars.\n\nFor people who need them to work.",
        stage=Stage.RUNNING,
        start_date=datetime.date(2016, 3, 1),
        website="https://garage.example.org/",
        latitude=50.4833,
        longitude=2.55,
        territorial_coherence=True,
    )
    coop = publish(
        Organisation.objects.create(name="Coop Bruay", slug="coop-bruay", legal_form=LegalForm.SCIC)
    )
    secret = Organisation.objects.create(name="Secret Org", slug="secret-org")
    jane = publish(Person.objects.create(first_name="Jane", last_name="Doe", slug="jane-doe"))
    hidden = Person.objects.create(first_name="Hidden", last_name="Person", slug="hidden")
    Role.objects.create(initiative=item, organisation=coop, kind=RoleKind.LEAD)
    Role.objects.create(initiative=item, person=jane, organisation=coop, kind=RoleKind.FOUNDER)
    Role.objects.create(initiative=item, organisation=secret, kind=RoleKind.FUNDER)
    Role.objects.create(initiative=item, person=hidden, kind=RoleKind.PARTICIPANT)
    pole = publish(
        Pole.objects.create(
            name="PTCE Artois", slug="ptce-artois", summary="A PTCE.", territory=places["region"]
        )
    )
    draft_pole = Pole.objects.create(
        name="Draft PTCE", slug="draft-ptce", territory=places["region"]
    )
    item.poles.add(pole, draft_pole)
    return item


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    return client


def test_profile_shows_what_is_public(client, garage):
    response = client.get(garage.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "<h1>Garage solidaire</h1>",
        "Garage solidaire: a cooperative initiative.",
        "<p>For people who need them to work.</p>",
        'href="https://garage.example.org/"',
        "PTCE Artois",
        "Coop Bruay",
        "Jane Doe",
        "mobilité",
        "Cohérence territoriale",
        "2016",
    ]:
        assert text in html, text
    for hidden in ["Secret Org", "Hidden Person", "Draft PTCE"]:
        assert hidden not in html, hidden


def test_territory_chain_links_from_region_down_to_commune(client, garage, places):
    html = client.get(garage.get_absolute_url()).content.decode()
    crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', html, re.S).group(1)
    names = re.findall(r"<a href=\"[^\"]+\">([^<]+)</a>", crumbs)
    assert names == [
        "Hauts-de-France",
        "Pas-de-Calais",
        "CA de Béthune-Bruay",
        "Bruay-la-Buissière",
    ]
    assert f'href="{places["epci"].get_absolute_url()}"' in crumbs


def test_unpublished_is_not_found_for_the_public(client, garage):
    withdraw(garage)
    assert client.get(garage.get_absolute_url()).status_code == 404
    draft = initiative("Draft", garage.territory, published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_unpublished_is_not_found_for_a_user_who_is_not_staff(client, garage):
    withdraw(garage)
    client.force_login(get_user_model().objects.create_user("someone", password="x"))
    assert client.get(garage.get_absolute_url()).status_code == 404


def test_staff_see_an_unpublished_initiative_with_a_banner(staff_client, garage):
    withdraw(garage)
    response = staff_client.get(garage.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="unpublished-banner"' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-cache" in response["Cache-Control"]


def test_staff_see_no_banner_on_a_published_initiative(staff_client, garage):
    html = staff_client.get(garage.get_absolute_url()).content.decode()
    assert "unpublished-banner" not in html


def test_nearby_orders_by_distance_and_stops_at_six(client, garage, places):
    for index in range(8):
        initiative(
            f"Near {index}",
            places["arras"],
            latitude=50.4833 + 0.01 * (index + 1),
            longitude=2.55,
        )
    initiative("Far away", places["lille"], latitude=43.6, longitude=1.44)
    initiative("Near but draft", places["bruay"], latitude=50.48, longitude=2.55, published=False)
    nearby = client.get(garage.get_absolute_url()).context["nearby"]
    assert [item.name for item in nearby] == [f"Near {index}" for index in range(6)]


def test_nearby_uses_the_longitude_shrunk_by_latitude(client, garage, places):
    # At 50°N, 0.03° of longitude is about 2.1 km and 0.025° of latitude about 2.8 km.
    initiative("East", places["arras"], latitude=50.4833, longitude=2.58)
    initiative("North", places["arras"], latitude=50.5083, longitude=2.55)
    nearby = client.get(garage.get_absolute_url()).context["nearby"]
    assert [item.name for item in nearby] == ["East", "North"]


def test_nearby_without_coordinates_falls_back_to_commune_then_departement(client, places):
    lonely = initiative("Lonely", places["bruay"])
    initiative("Same département", places["arras"])
    initiative("Same commune", places["bruay"])
    initiative("Other département", places["lille"])
    nearby = client.get(lonely.get_absolute_url()).context["nearby"]
    assert [item.name for item in nearby] == ["Same commune", "Same département"]


def test_nearby_without_coordinates_measures_from_its_commune(client, places):
    bruay = places["bruay"]
    bruay.latitude, bruay.longitude = 50.4833, 2.55
    bruay.save()
    lonely = initiative("Lonely", bruay)
    initiative("Farther", places["arras"], latitude=50.55, longitude=2.55)
    initiative("Closer", places["arras"], latitude=50.50, longitude=2.55)
    initiative("Same commune, no position", bruay)
    nearby = client.get(lonely.get_absolute_url()).context["nearby"]
    # Ranked by distance to Bruay's centre; rows without coordinates are not on that scale.
    assert [item.name for item in nearby] == ["Closer", "Farther"]


def test_similar_has_the_most_shared_themes_first(client, garage, places):
    initiative("Both themes", places["lille"], themes=["mobilité", "coopération"])
    initiative("One theme", places["lille"], themes=["coopération", "alimentation"])
    initiative("No shared theme", places["lille"], themes=["alimentation"])
    initiative("Draft both", places["lille"], themes=["mobilité", "coopération"], published=False)
    for index in range(6):
        initiative(f"Also one {index}", places["lille"], themes=["mobilité"])
    similar = client.get(garage.get_absolute_url()).context["similar"]
    assert len(similar) == 6
    assert similar[0].name == "Both themes"
    assert "No shared theme" not in [item.name for item in similar]
    assert "Draft both" not in [item.name for item in similar]


def test_opengraph_and_citation(client, garage):
    response = client.get(garage.get_absolute_url())
    html = response.content.decode()
    url = "http://testserver" + garage.get_absolute_url()
    assert '<meta property="og:title" content="Garage solidaire">' in html
    assert '<meta property="og:description" content="Garage solidaire: a cooperative' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="website">' in html
    citation = re.search(r'<section aria-labelledby="cite-title".*?</section>', html, re.S).group(0)
    assert "Garage solidaire" in citation and url in citation
    assert str(datetime.date.today().year) in citation


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_schema_org_project_with_address_and_geo(client, garage):
    data = json_ld(client.get(garage.get_absolute_url()).content.decode())
    assert data["@type"] == "Project"
    assert data["name"] == "Garage solidaire"
    assert data["address"]["addressLocality"] == "Bruay-la-Buissière"
    assert data["address"]["addressRegion"] == "Hauts-de-France"
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 50.4833,
        "longitude": 2.55,
    }
    assert data["member"] == [{"@type": "Organization", "name": "Coop Bruay"}]
    assert data["sameAs"] == "https://garage.example.org/"


def test_metadata_cannot_be_used_to_inject_markup(client, places):
    evil = '</script><script>alert(1)</script><!-- "quoted" & more'
    item = initiative("Evil", places["bruay"], summary=evil)
    Initiative.objects.filter(pk=item.pk).update(name=evil)
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == evil
    assert json_ld(html)["description"] == evil


def test_small_map_only_with_coordinates(client, garage, places):
    html = client.get(garage.get_absolute_url()).content.decode()
    assert 'id="profile-map"' in html and 'data-lat="50.483300"' in html
    assert "js/profile-map.js" in html and "vendor/leaflet/leaflet.js" in html
    plain = initiative("No coordinates", places["arras"])
    html = client.get(plain.get_absolute_url()).content.decode()
    assert 'id="profile-map"' not in html and "leaflet" not in html


def _grow(initiative_, places, count):
    """`count` roles (published organisations and people), themes, PTCEs and neighbours."""
    for index in range(count):
        organisation = publish(
            Organisation.objects.create(name=f"Org {index}", slug=f"org-{index}")
        )
        person = publish(
            Person.objects.create(first_name="P", last_name=f"{index}", slug=f"p-{index}")
        )
        Role.objects.create(initiative=initiative_, organisation=organisation, kind=RoleKind.LEAD)
        Role.objects.create(initiative=initiative_, person=person, kind=RoleKind.PARTICIPANT)
        initiative_.themes.add(f"theme {index}")
        pole = publish(
            Pole.objects.create(
                name=f"PTCE {index}",
                slug=f"ptce-{index}",
                summary="A PTCE.",
                territory=places["region"],
            )
        )
        initiative_.poles.add(pole)
        initiative(
            f"Neighbour {index}",
            places["arras"],
            themes=[f"theme {index}"],
            latitude=50.4 + index * 0.001,
            longitude=2.5,
        )


# The initiative with its territory and the territory's parents up to the région (its chain,
# without a query of its own), themes, PTCEs and roles in the same statement; nearby; similar;
# one probe for the blocks most profiles lack (findings, events, radar, photos: none here, so
# none of their reads runs). Staff add their session and user.
QUERIES_PUBLIC = 4


@pytest.mark.parametrize("count", [5, 50])
def test_profile_queries_do_not_grow_with_rows(
    client, garage, places, count, django_assert_num_queries
):
    _grow(garage, places, count)
    client.get(garage.get_absolute_url())  # the content types of taggit are cached once
    with django_assert_num_queries(QUERIES_PUBLIC) as queries:
        response = client.get(garage.get_absolute_url())
    # A person's contact details are not even read from the database on a public page.
    assert not any('"email"' in query["sql"] for query in queries.captured_queries)
    assert len(response.context["similar"]) == min(count, 6)
    assert len(response.context["nearby"]) == min(count, 6)
    assert len(response.context["initiative"].roles.all()) == 2 * count + 2


@pytest.fixture
def public_cache_on(settings):
    """The production setting, on a cache of this process (the tests' Redis is shared)."""
    from django.core.cache import cache

    settings.PUBLIC_CACHE_SECONDS = 600
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def test_related_blocks_are_reused_until_public_content_changes(
    public_cache_on, staff_client, garage, places, django_assert_num_queries
):
    """A render the page cache misses (here a signed-in visitor) reuses nearby, similar, findings,
    events and the radar; a newly published neighbour shows on the very next render."""
    initiative("Near 1", places["arras"], latitude=50.49, longitude=2.55, themes=["mobilité"])
    url = garage.get_absolute_url()
    staff_client.get(url)
    # + session and user - nearby and similar (the probe runs for the photos, never cached)
    with django_assert_num_queries(QUERIES_PUBLIC + 2 - 2):
        response = staff_client.get(url)
    assert [item.name for item in response.context["nearby"]] == ["Near 1"]
    assert [item.name for item in response.context["similar"]] == ["Near 1"]
    initiative("Near 0", places["bruay"], latitude=50.485, longitude=2.55)
    response = staff_client.get(url)
    assert [item.name for item in response.context["nearby"]] == ["Near 0", "Near 1"]
