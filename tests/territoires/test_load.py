"""load_territories on small generated versions of the data: what it reports when France changes."""

import json

import pytest
from django.core.management import CommandError, call_command

from initiatives.models import Initiative
from territoires.models import Level, Territory
from territoires.services import load_territories


def _write(folder, version, communes, epci_members):
    folder.mkdir(parents=True, exist_ok=True)
    (folder.parent / "package.json").write_text(json.dumps({"version": version}))
    files = {
        "regions": [{"code": "32", "nom": "Hauts-de-France", "chefLieu": "59350", "zone": "metro"}],
        "departements": [
            {"code": "62", "region": "32", "nom": "Pas-de-Calais", "zone": "metro"},
            {"code": "59", "region": "32", "nom": "Nord", "zone": "metro"},
        ],
        "epci": [
            {
                "code": "200072460",
                "nom": "CA de Béthune-Bruay",
                "populationMunicipale": 1000,
                "membres": [{"code": code} for code in epci_members],
            }
        ],
        "communes": communes,
    }
    for name, content in files.items():
        (folder / f"{name}.json").write_text(json.dumps(content, ensure_ascii=False))
    return folder


def _commune(code, name, departement="62", **extra):
    return {
        "code": code,
        "nom": name,
        "departement": departement,
        "region": "32",
        "type": "commune-actuelle",
        "population": 100,
        **extra,
    }


@pytest.fixture
def version_one(tmp_path):
    return _write(
        tmp_path / "v1" / "data",
        "1.0.0",
        [
            _commune("62178", "Bruay-la-Buissière"),
            _commune("62482", "Labuissière"),
            _commune("62119", "Béthune"),
            _commune("59350", "Lille", departement="59"),
            {"code": "62999", "nom": "Old", "type": "commune-deleguee", "departement": "62"},
        ],
        ["62178", "62482", "62119"],
    )


@pytest.fixture
def version_two(tmp_path):
    """Labuissière merged into Bruay, Béthune renamed, Lille now in the EPCI."""
    return _write(
        tmp_path / "v2" / "data",
        "2.0.0",
        [
            _commune("62178", "Bruay-la-Buissière", anciensCodes=["62482"]),
            _commune("62119", "Béthune-sur-Lawe"),
            _commune("59350", "Lille", departement="59"),
        ],
        ["62178", "62119", "59350"],
    )


def test_first_load_builds_paths_and_epci_memberships(db, version_one):
    report = load_territories(data_dir=version_one, with_coordinates=False)

    assert report.version == "1.0.0"
    assert report.created[Level.COMMUNE] == 4  # the commune déléguée is not a commune of its own
    bruay = Territory.objects.get(level=Level.COMMUNE, code="62178")
    assert bruay.path == "r32/d62/c62178/"
    assert bruay.epci.code == "200072460"
    assert bruay.epci.parent.code == "62"  # an EPCI hangs under the département of most members
    assert Territory.objects.get(level=Level.REGION, code="32").population == 400


def test_a_newer_version_reports_renamed_merged_and_moved(db, version_one, version_two):
    load_territories(data_dir=version_one, with_coordinates=False)
    labuissiere = Territory.objects.get(level=Level.COMMUNE, code="62482")
    Initiative.objects.create(name="Jardin", slug="jardin", territory=labuissiere)

    report = load_territories(data_dir=version_two, with_coordinates=False)
    text = "\n".join(report.lines())

    assert "renamed commune 62119: Béthune -> Béthune-sur-Lawe" in text
    assert "gone commune 62482 Labuissière: merged into Bruay-la-Buissière" in text
    assert "1 initiative(s) are on territories that no longer exist" in text
    labuissiere.refresh_from_db()
    assert not labuissiere.is_current
    assert labuissiere.replaced_by.code == "62178"
    assert Territory.objects.get(level=Level.COMMUNE, code="59350").epci.code == "200072460"
    assert not Territory.objects.current().filter(code="62482").exists()


def test_loading_the_same_version_twice_writes_nothing(
    db, version_one, django_assert_max_num_queries
):
    load_territories(data_dir=version_one, with_coordinates=False)
    with django_assert_max_num_queries(6):
        report = load_territories(data_dir=version_one, with_coordinates=False)
    assert not report.changed
    assert report.unchanged[Level.COMMUNE] == 4


def test_free_areas_survive_a_reload(db, version_one):
    load_territories(data_dir=version_one, with_coordinates=False)
    departement = Territory.objects.get(level=Level.DEPARTEMENT, code="62")
    basin = Territory.objects.create(
        level=Level.AREA,
        code="bassin-minier",
        name="Bassin minier",
        slug="bassin-minier",
        parent=departement,
    )
    load_territories(data_dir=version_one, with_coordinates=False)
    basin.refresh_from_db()
    assert basin.is_current and basin.path == "r32/d62/abassin-minier/"
    assert basin in Territory.objects.within(Territory.objects.get(level=Level.REGION, code="32"))


def test_missing_data_gives_one_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="regions.json is missing: run 'npm ci'"):
        call_command("load_territories", "--data-dir", str(tmp_path))


def test_a_broken_data_file_gives_one_clear_error(db, version_one):
    (version_one / "communes.json").write_text("{not json")
    with pytest.raises(CommandError, match="communes.json cannot be read"):
        call_command("load_territories", "--data-dir", str(version_one), "--no-coordinates")
