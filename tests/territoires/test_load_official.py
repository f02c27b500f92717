"""load_territories on real data of a few départements: postcodes, overseas collectivities, and
the migration of a database loaded before collectivities had a level of their own."""

import json

from territoires.lookup import resolve
from territoires.models import Level, PostalCode, Territory
from tests.territoires.subset import load_subset, write_subset


def test_postcodes_are_stored_and_a_second_load_changes_nothing(db, tmp_path):
    first = load_subset(tmp_path / "one")
    bruay = Territory.objects.get(level=Level.COMMUNE, code="62178")
    assert list(bruay.postal_codes.values_list("code", flat=True)) == ["62700"]
    assert first.postcodes["created"] == PostalCode.objects.count() > 1000
    again = load_subset(tmp_path / "two")
    assert not again.changed
    assert "  postcodes: 0 added, 0 removed" in again.lines()


def test_overseas_collectivities_are_neither_regions_nor_departements(db, tmp_path):
    load_subset(tmp_path / "data")
    miquelon = Territory.objects.get(code="975")  # one territory, not a région and a département
    assert miquelon.level == Level.COLLECTIVITY
    assert miquelon.parent is None
    commune = Territory.objects.get(level=Level.COMMUNE, code="97502")
    assert commune.parent == miquelon
    assert commune.path == "o975/c97502/"
    assert [t.name for t in commune.chain()] == ["Saint-Pierre", "Saint-Pierre-et-Miquelon"]
    assert not Territory.objects.filter(level=Level.REGION, code="975").exists()


def test_a_database_loaded_before_is_migrated_to_collectivities(db):
    """As loaded before migration territoires 0003: région 975 > département 975 > commune."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("territoires.migrations.0003_postcodes_search_name_collectivities")
    region = Territory.objects.create(level=Level.REGION, code="975", name="SPM", slug="spm")
    departement = Territory.objects.create(
        level=Level.DEPARTEMENT, code="975", name="SPM", slug="spm", parent=region
    )
    commune = Territory.objects.create(
        level=Level.COMMUNE, code="97502", name="Saint-Pierre", slug="sp", parent=departement
    )
    assert commune.path == "r975/d975/c97502/"

    migration.collectivities_apart(apps, None)

    region.refresh_from_db(), departement.refresh_from_db(), commune.refresh_from_db()
    assert (region.level, region.path) == (Level.COLLECTIVITY, "o975/")
    assert (commune.parent, commune.path) == (region, "o975/c97502/")
    assert not departement.is_current and departement.replaced_by == region
    assert resolve("departement:975").territory == region  # an old link leads to its successor


def test_write_subset_keeps_only_the_chosen_departements(tmp_path):
    folder = write_subset(tmp_path / "data", departements={"975"})
    communes = json.loads((folder / "communes.json").read_text())
    assert {c["departement"] for c in communes} == {"975"}
