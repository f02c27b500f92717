"""Possible duplicates: the same identifier, or a similar name in the commune or within 2 km."""

import pytest

from initiatives.duplicates import distance_km, find_duplicates
from initiatives.models import Initiative, Organisation

pytestmark = pytest.mark.django_db

# Arras, a neighbour whose centre is put 1.5 km from it, and Lille (40 km away).
ARRAS = (50.2910, 2.7775)


@pytest.fixture
def places(territory_factory):
    make, level = territory_factory, territory_factory.Level
    return {
        "arras": make(level.COMMUNE, "62041", "Arras", latitude=50.2910, longitude=2.7775),
        "achicourt": make(level.COMMUNE, "62004", "Achicourt", latitude=50.2800, longitude=2.7650),
        "lille": make(level.COMMUNE, "59350", "Lille", latitude=50.6292, longitude=3.0573),
    }


def names(candidates):
    return [c.obj.name for c in candidates]


def test_same_siren_or_siret_or_rna_is_found_whatever_the_name(places):
    adere = Organisation.objects.create(
        name="ADERE LAURA", slug="adere", siren="732829320", rna="W691234567"
    )
    Organisation.objects.create(name="Autre", slug="autre", siren="552100554")

    by_siren = find_duplicates(Organisation, {"name": "Réseau d’achats", "siren": "732 829 320"})
    by_siret = find_duplicates(Organisation, {"name": "X", "siret": "73282932000074"})
    by_rna = find_duplicates(Organisation, {"name": "Y", "rna": "w691234567"})

    assert [c.obj for c in by_siren] == [adere] and by_siren[0].reasons == ["même SIREN"]
    assert [c.obj for c in by_siret] == [adere] and "même SIREN" in by_siret[0].reasons
    assert [c.obj for c in by_rna] == [adere] and by_rna[0].reasons == ["même numéro RNA"]
    assert find_duplicates(Organisation, {"name": "ADERE", "siren": "552100554"}, exclude_pk=None)
    assert find_duplicates(Organisation, {"siren": "732829320"}, exclude_pk=adere.pk) == []


def test_a_similar_name_in_the_same_commune_is_found(places):
    maison = Initiative.objects.create(
        name="La Maison des Échanges", slug="maison", territory=places["arras"]
    )
    Initiative.objects.create(name="Jardin partagé", slug="jardin", territory=places["arras"])

    found = find_duplicates(
        Initiative, {"name": "Maison des echanges", "territory": places["arras"].pk}
    )

    assert [c.obj for c in found] == [maison]
    assert found[0].reasons == ["nom proche dans la même commune"]
    assert 0 < found[0].score <= 1


def test_a_similar_name_within_two_km_is_found_across_the_commune_line(places):
    # The entry is in Achicourt, 400 m from the point typed in Arras.
    near = Initiative.objects.create(
        name="Épicerie solidaire du Rietz",
        slug="epicerie",
        territory=places["achicourt"],
        latitude=50.2800,
        longitude=2.7700,
    )
    data = {
        "name": "Epicerie solidaire Rietz",
        "territory": places["arras"],
        "latitude": "50.2830",
        "longitude": "2.7720",
    }
    assert distance_km(50.2830, 2.7720, 50.2800, 2.7700) < 2

    found = find_duplicates(Initiative, data)

    assert [c.obj for c in found] == [near]
    assert found[0].reasons[0].startswith("nom proche à ")


def test_the_same_name_far_away_is_not_a_duplicate(places):
    Initiative.objects.create(
        name="Maison des échanges",
        slug="lille",
        territory=places["lille"],
        latitude=50.6292,
        longitude=3.0573,
    )
    assert distance_km(*ARRAS, 50.6292, 3.0573) > 30

    assert (
        find_duplicates(
            Initiative,
            {
                "name": "Maison des échanges",
                "territory": places["arras"],
                "latitude": ARRAS[0],
                "longitude": ARRAS[1],
            },
        )
        == []
    )


def test_a_different_name_in_the_same_commune_is_not_a_duplicate(places):
    Initiative.objects.create(name="Jardin partagé", slug="jardin", territory=places["arras"])

    assert find_duplicates(Initiative, {"name": "Repair café", "territory": places["arras"]}) == []


def test_organisations_nearby_are_compared_by_their_commune_centre(places):
    assert distance_km(*ARRAS, 50.2800, 2.7650) < 2
    scop = Organisation.objects.create(
        name="Coopérative Ouvrière d’Arras", slug="scop", territory=places["achicourt"]
    )
    found = find_duplicates(
        Organisation, {"name": "Cooperative ouvriere Arras", "territory": places["arras"]}
    )
    assert [c.obj for c in found] == [scop]


SQLITE_SCRIPT = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from initiatives.duplicates import find_duplicates
from initiatives.models import Initiative
from territoires.models import Territory
def commune(code, name, lat, lon):
    return Territory.objects.create(
        level="commune", code=code, name=name, slug=name.lower(), latitude=lat, longitude=lon
    )
arras = commune("62041", "Arras", 50.2910, 2.7775)
lille = commune("59350", "Lille", 50.6292, 3.0573)
Initiative.objects.create(name="La Maison des Échanges", slug="a", territory=arras)
Initiative.objects.create(name="Épicerie du Rietz", slug="b", territory=lille,
                          latitude=50.283, longitude=2.772)
Initiative.objects.create(name="Maison des échanges", slug="c", territory=lille)
def found(data):
    return [(c.obj.slug, c.reasons) for c in find_duplicates(Initiative, data)]
print("commune", found({"name": "Maison des echanges", "territory": arras}))
print("near", found({"name": "Epicerie du Rietz", "latitude": 50.2835, "longitude": 2.7725}))
print("far", found({"name": "Maison des échanges", "territory": arras.pk,
                    "latitude": 50.2910, "longitude": 2.7775}))
"""


def test_the_embedded_sqlite_default_finds_them_too(tmp_path):
    from tests.fresh_python import run_script

    result = run_script(SQLITE_SCRIPT, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "commune [('a', ['nom proche dans la même commune'])]" in result.stdout
    assert "near [('b', ['nom proche à 66\\xa0m'])]" in result.stdout
    # The one in Lille has the same name, 40 km away: only Arras's own is found.
    assert "far [('a', ['nom proche dans la même commune'])]" in result.stdout


def test_without_a_place_only_the_same_name_is_a_candidate(places):
    adere = Organisation.objects.create(name="ADERE Laura", slug="adere")
    Organisation.objects.create(name="ADERE Laura Bis", slug="adere-bis")

    found = find_duplicates(Organisation, {"name": "adere laura"})

    assert [(c.obj, c.reasons) for c in found] == [(adere, ["même nom"])]
