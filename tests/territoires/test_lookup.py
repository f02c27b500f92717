"""Territories typed as people type them: by name, code or postcode, accents and "St-" forgiven.

On real data of the official package (a few départements, tests/territoires/subset.py).
"""

import pytest
from django.urls import reverse

from territoires.lookup import resolve
from territoires.models import Level, PostalCode, Territory
from tests.territoires.subset import load_subset

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def france(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loaded once for the module (a few seconds), removed afterwards."""
    with django_db_blocker.unblock():
        yield load_subset(tmp_path_factory.mktemp("subset") / "data")
        PostalCode.objects.all().delete()
        Territory.objects.update(parent=None, epci=None, replaced_by=None)
        Territory.objects.all().delete()


def suggested(client, query):
    response = client.get(reverse("territoires:suggest"), {"q": query})
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize(
    "query, first",
    [
        ("Pas-de-Calais", "departement:62"),
        ("pas de calais", "departement:62"),
        ("62", "departement:62"),
        ("62700", "commune:62178"),  # Bruay-la-Buissière's postcode
        ("st omer", "commune:62765"),
        ("ST-OMER", "commune:62765"),
        ("Saint Omer", "commune:62765"),
        ("ile de france", "region:11"),
        ("Île-de-France", "region:11"),
        ("2A", None),  # Corse-du-Sud is not loaded here: nothing, and no error
        ("miquelon", "commune:97501"),
    ],
)
def test_suggestions_by_name_code_or_postcode(client, france, query, first):
    results = suggested(client, query)
    if first is None:
        assert results == []
    else:
        assert results[0]["value"] == first, [row["label"] for row in results]


def test_a_postcode_suggests_its_commune_not_the_one_with_that_insee_code(client, france):
    results = suggested(client, "62700")
    assert results[0]["label"] == "Bruay-la-Buissière (62178, commune)"
    assert results[0]["hint"] == "62700"
    regnauville = Territory.objects.get(level=Level.COMMUNE, code="62700")
    assert regnauville.name == "Regnauville"
    assert all(row["id"] != regnauville.pk for row in results)


def test_a_departement_code_comes_before_the_communes_of_its_postcodes(client, france):
    results = suggested(client, "62")
    assert results[0]["label"] == "Pas-de-Calais (62, département)"
    communes = results[1:]
    assert communes and all(row["value"].startswith("commune:62") for row in communes)
    assert all(row["hint"].startswith("62") for row in communes)
    # The largest first: Calais (about 67,000 inhabitants) before a village.
    assert communes[0]["label"].startswith("Calais ")


def test_a_word_inside_a_name_is_suggested_after_the_names_that_start_with_it(client, france):
    labels = [row["label"] for row in suggested(client, "omer")]
    assert "Saint-Omer (62765, commune)" in labels


@pytest.mark.parametrize(
    "typed, expected, exact",
    [
        ("departement:62", ("departement", "62"), True),
        ("Pas-de-Calais (62, département)", ("departement", "62"), True),
        ("Pas-de-Calais", ("departement", "62"), False),
        ("62", ("departement", "62"), False),
        ("84", ("departement", "84"), False),  # the Vaucluse rather than région 84
        ("62700", ("commune", "62178"), False),
        ("62178", ("commune", "62178"), False),  # an INSEE code that is no postcode
        ("st-omer", ("commune", "62765"), False),
        ("Paris", ("departement", "75"), False),  # the département that is the commune too
        ("Saint-Pierre-et-Miquelon", ("collectivite", "975"), False),
    ],
)
def test_typed_values_resolve_to_the_best_territory(france, typed, expected, exact):
    resolution = resolve(typed)
    assert resolution.territory is not None, resolution.candidates
    assert (resolution.territory.level, resolution.territory.code) == expected
    assert resolution.exact is exact
    assert bool(resolution.notice) is not exact


def test_several_equally_good_territories_are_offered_not_guessed(france):
    arras = resolve("62000")
    assert arras.territory is None
    assert {t.name for t in arras.candidates} == {"Arras", "Dainville"}
    bruay = resolve("Bruay")
    assert bruay.territory is None
    assert {t.name for t in bruay.candidates} == {"Bruay-la-Buissière", "Bruay-sur-l'Escaut"}
    assert resolve("Atlantis").territory is None and not resolve("Atlantis").candidates


def test_the_territory_index_sorts_names_in_french_order(client, france):
    content = client.get(reverse("territoires:list")).content.decode()
    order = [
        "Auvergne-Rhône-Alpes",
        "Hauts-de-France",
        "Île-de-France",
        "Provence-Alpes-Côte d&#x27;Azur",
    ]
    positions = [content.index(f">{name}</a>") for name in order]
    assert positions == sorted(positions)
    assert content.index("Saint-Pierre-et-Miquelon") > positions[-1]  # a section of its own


def test_a_form_reads_a_name_a_code_or_a_postcode_and_lists_the_candidates_otherwise(france):
    from django import forms

    from territoires.fields import TerritoryField

    class Form(forms.Form):
        territory = TerritoryField(required=False)

    for typed, code in [("62700", "62178"), ("st omer", "62765"), ("Pas-de-Calais", "62")]:
        form = Form({"territory": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["territory"].code == code
    form = Form({"territory": "62000"})
    assert not form.is_valid()
    assert form.errors["territory"] == [
        "«\u00a062000\u00a0» peut désigner plusieurs territoires\u00a0: "
        "Arras (62041, commune); Dainville (62263, commune). Choisissez-en un."
    ]


def test_the_commune_finder_takes_a_postcode(client, france):
    content = client.get(reverse("territoires:list"), {"q": "62700"}).content.decode()
    assert "Bruay-la-Buissière" in content
    assert "Regnauville" not in content  # INSEE code 62700, but postcode 62140
