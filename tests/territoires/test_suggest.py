"""Territories are picked by typing: a small JSON endpoint feeds the input's datalist."""

import pytest
from django import forms
from django.urls import reverse

from territoires.fields import TerritoryField


@pytest.fixture
def places(territory_factory):
    Level = territory_factory.Level
    region = territory_factory(Level.REGION, "32", "Hauts-de-France")
    pas = territory_factory(Level.DEPARTEMENT, "62", "Pas-de-Calais", region)
    bruay = territory_factory(Level.COMMUNE, "62178", "Bruay-la-Buissière", pas)
    territory_factory(Level.COMMUNE, "62179", "Bruay-Sud", pas, is_current=False)
    return {"region": region, "bruay": bruay}


def test_suggestions_are_few_current_territories_with_a_label_the_field_reads(client, places):
    response = client.get(reverse("territoires:suggest"), {"q": "bru"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["id"] for row in results] == [places["bruay"].pk]  # merged communes are left out
    assert results[0]["label"].startswith("Bruay-la-Buissière (62178, ")
    assert client.get(reverse("territoires:suggest"), {"q": "b"}).json() == {"results": []}


def test_the_field_reads_a_suggestion_or_an_unambiguous_name(places):
    class Form(forms.Form):
        territory = TerritoryField(required=False)

    def read(text):
        form = Form({"territory": text})
        assert form.is_valid(), form.errors
        return form.cleaned_data["territory"]

    assert read(TerritoryField().prepare_value(places["bruay"].pk)) == places["bruay"]
    assert read("hauts-de-france") == places["region"]
    assert read("") is None
    assert not Form({"territory": "Atlantis"}).is_valid()
