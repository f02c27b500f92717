"""The official geographic code, loaded whole into PostgreSQL: counts, hierarchy, "within"."""

import json

import pytest
from django.db import connection

from initiatives.models import Initiative
from territoires.models import Level, Territory
from territoires.services import default_data_dir, load_territories


@pytest.fixture(scope="module")
def france(django_db_setup, django_db_blocker):
    """All of France, loaded once for the module and removed afterwards."""
    with django_db_blocker.unblock():
        first = load_territories()
        yield first
        Territory.objects.update(parent=None, epci=None, replaced_by=None)
        Territory.objects.all().delete()


def _data(name):
    return json.loads((default_data_dir() / f"{name}.json").read_text())


def test_the_18_regions_and_101_departements_are_loaded(france, db):
    regions = Territory.objects.filter(level=Level.REGION)
    departements = Territory.objects.filter(level=Level.DEPARTEMENT)

    # Exactly: the overseas collectivities are neither (they have a level of their own).
    assert regions.count() == 18
    assert departements.count() == 101
    assert regions.get(code="84").name == "Auvergne-Rhône-Alpes"
    assert departements.get(code="2A").name == "Corse-du-Sud"


def test_the_overseas_collectivities_the_package_lists_are_loaded_at_their_own_level(france, db):
    listed = {r["code"]: r["nom"] for r in _data("regions") if r["zone"] == "com"}
    assert "975" in listed and "988" in listed
    loaded = dict(Territory.objects.filter(level=Level.COLLECTIVITY).values_list("code", "name"))
    assert loaded == listed
    # Neither régions nor départements, though the package lists them as both.
    assert not Territory.objects.filter(code__in=listed).exclude(level=Level.COLLECTIVITY)
    miquelon = Territory.objects.get(level=Level.COMMUNE, code="97501")
    assert miquelon.path == "o975/c97501/"
    assert Territory.objects.get(level=Level.COMMUNE, code="98735").parent.code == "987"


def test_every_epci_and_commune_is_loaded(france, db):
    communes = [c for c in _data("communes") if c["type"] == "commune-actuelle"]
    assert Territory.objects.filter(level=Level.EPCI).count() == len(_data("epci"))
    assert Territory.objects.filter(level=Level.COMMUNE).count() == len(communes)
    assert len(communes) > 34_000
    assert france.created[Level.COMMUNE] == len(communes)


def test_region_84_and_departement_84_are_different_places(france, db):
    region = Territory.objects.get(level=Level.REGION, code="84")
    departement = Territory.objects.get(level=Level.DEPARTEMENT, code="84")
    assert region.name == "Auvergne-Rhône-Alpes"
    assert departement.name == "Vaucluse"
    assert departement.parent.code == "93"


def test_a_commune_knows_its_chain_up_to_its_region(france, db, django_assert_max_num_queries):
    bruay = Territory.objects.select_related("epci").get(level=Level.COMMUNE, code="62178")
    with django_assert_max_num_queries(1):
        chain = bruay.chain()
    assert [(t.level, t.name) for t in chain] == [
        (Level.COMMUNE, "Bruay-la-Buissière"),
        (Level.EPCI, "CA de Béthune-Bruay, Artois-Lys Romane"),
        (Level.DEPARTEMENT, "Pas-de-Calais"),
        (Level.REGION, "Hauts-de-France"),
    ]
    assert bruay.population > 20_000
    assert bruay.latitude == pytest.approx(50.48, abs=0.05)


def test_an_epci_straddling_departements_holds_its_communes(france, db):
    epcis = {e["code"]: e for e in _data("epci")}
    communes = {c["code"]: c["departement"] for c in _data("communes")}
    straddling = next(
        e for e in epcis.values() if len({communes.get(m["code"]) for m in e["membres"]}) > 1
    )
    epci = Territory.objects.get(level=Level.EPCI, code=straddling["code"])
    members = Territory.objects.within(epci).filter(level=Level.COMMUNE)
    assert set(members.values_list("code", flat=True)) == {m["code"] for m in straddling["membres"]}
    assert members.values("parent").distinct().count() > 1


def _make_initiatives(communes, count):
    Initiative.objects.bulk_create(
        Initiative(name=f"Initiative {i}", slug=f"init-{i}", territory=communes[i % len(communes)])
        for i in range(count)
    )


@pytest.mark.parametrize("count", [3, 40])
def test_initiatives_in_a_region_include_its_communes_in_one_query(
    france, db, count, django_assert_num_queries
):
    region = Territory.objects.get(level=Level.REGION, code="84")
    inside = list(Territory.objects.filter(level=Level.COMMUNE, path__startswith="r84/")[:50])
    outside = list(Territory.objects.filter(level=Level.COMMUNE, path__startswith="r32/")[:5])
    _make_initiatives(inside, count)
    Initiative.objects.create(name="Elsewhere", slug="elsewhere", territory=outside[0])

    with django_assert_num_queries(1):
        found = list(Initiative.objects.in_territory(region).select_related("territory"))

    assert len(found) == count
    assert all(i.territory.path.startswith("r84/") for i in found)


def test_within_a_departement_is_an_index_scan_on_the_path(france, db):
    departement = Territory.objects.get(level=Level.DEPARTEMENT, code="62")
    sql, params = Territory.objects.within(departement).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE territoires_territory")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "territory_path_prefix" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_loading_again_changes_nothing(france, db):
    before = Territory.objects.count()
    report = load_territories()
    assert not report.changed
    assert "nothing changed" in report.lines()[-1]
    assert Territory.objects.count() == before
