"""SIREN, SIRET and RNA travel with the directory: its filters, the exports and the API carry them,
as people paste them (spaces, dots) or as stored."""

import csv
import io

import pytest
from django.urls import reverse

from initiatives.models import Organisation, Role, RoleKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def identified(directory):
    adere = Organisation.objects.get(slug="adere-laura")
    adere.siren, adere.siret, adere.rna = "732829320", "73282932000074", "W623001234"
    adere.save()
    maison, epicerie, _adere = directory["initiatives"]
    Role.objects.create(initiative=maison, organisation=adere, kind=RoleKind.LEAD)
    epicerie.siret = "55210055400013"
    epicerie.save()
    return {"adere": adere, "maison": maison, "epicerie": epicerie}


def export(client, name, query=""):
    url = reverse("publications:export", kwargs={"name": name, "fmt": "csv"}) + query
    response = client.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_organisation_exports_carry_and_filter_identifiers(client, identified):
    rows = export(client, "organisations", "?siren=732+829+320")
    assert [(r["siren"], r["siret"], r["rna"]) for r in rows] == [
        ("732829320", "73282932000074", "W623001234")
    ]
    assert export(client, "organisations", "?rna=W000000000") == []
    assert len(export(client, "organisations", "?siret=732.829.320.00074")) == 1


def test_initiatives_are_found_by_their_siret_or_their_organisations_siren(client, identified):
    rows = export(client, "initiatives", "?siret=552 100 554 00013")
    assert [(r["name"], r["siret"]) for r in rows] == [("Épicerie solidaire", "55210055400013")]
    rows = export(client, "initiatives", "?siren=732829320")
    assert [r["name"] for r in rows] == ["Maison des échanges"]
    page = client.get(reverse("initiatives:list"), {"siren": "552100554"}).content.decode()
    assert "Épicerie solidaire" in page and "Maison des échanges" not in page


def test_the_api_gives_and_filters_identifiers(client, identified):
    data = client.get("/api/v1/organisations/", {"siren": "732829320"}).json()
    assert [(o["siren"], o["siret"], o["rna"]) for o in data["results"]] == [
        ("732829320", "73282932000074", "W623001234")
    ]
    data = client.get("/api/v1/initiatives/", {"siret": "55210055400013"}).json()
    assert [i["siret"] for i in data["results"]] == ["55210055400013"]
    response = client.get("/api/v1/organisations/", {"siren": "<script>"})
    assert response.status_code == 400 and "siren" in response.json()
