"""The directory's bulk import on real files the tests write: a messy CSV, a spreadsheet, GeoJSON,
a GoGoCarto export; exactly the rows it should import, the refused ones by line and why, and a
second import of the same file that changes nothing."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files import File
from django.urls import reverse
from django.utils import translation

from initiatives.importing import services
from initiatives.importing.models import ImportRun, Stage
from initiatives.models import Initiative, Organisation, Role
from observatoire.publishing import State
from territoires.models import Territory
from tests.initiatives.import_files import (
    EXPECTED_REFUSALS,
    communes,  # noqa: F401 - the fixture
    messy_csv,
    write,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("communes")]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("camille", is_staff=True)


def run_file(path, *, source="partenaire", stage=Stage.COMMIT, user=None, publish=False):
    with open(path, "rb") as handle:
        run = services.start(
            File(handle, name=Path(path).name), source_name=source, user=user, publish=publish
        )
    return services.run_now(run, stage)


def refusals(run, stage=Stage.COMMIT) -> dict:
    return {i.line: i.message for i in run.issues.filter(stage=stage, refused=True)}


def commune(code):
    return Territory.objects.get(level="commune", code=code)


def counts(run, stage=Stage.COMMIT):
    return {name: n for name, _label, n in run.counts_of(stage)}


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_a_messy_csv_imports_exactly_its_good_rows_and_says_why_of_the_others(
    tmp_path,
    staff,
    encoding,
):
    path = write(tmp_path / "annuaire.csv", messy_csv(encoding))

    dry = run_file(path, stage=Stage.PREVIEW, user=staff)
    assert counts(dry, Stage.PREVIEW) == {
        "created": 2,
        "updated": 0,
        "merged": 0,
        "unchanged": 0,
        "refused": 5,
    }
    assert Initiative.objects.count() == 0  # a dry run writes nothing

    run = run_file(path, user=staff)
    assert run.state == "succeeded"
    assert counts(run) == {"created": 2, "updated": 0, "merged": 0, "unchanged": 0, "refused": 5}
    found = refusals(run)
    assert sorted(found) == sorted(EXPECTED_REFUSALS)
    for line, words in EXPECTED_REFUSALS.items():
        assert words in found[line], (line, found[line])
    assert "Bruay-la-Buissière" in found[8] or "Arras" in found[8]  # the communes it serves

    epicerie = Initiative.objects.get(source="partenaire", source_id="A1")
    assert epicerie.name == "Épicerie solidaire « Le Panier »"
    assert epicerie.summary == "Une épicerie où l’on paie selon ses moyens."
    assert epicerie.territory == commune("62041")  # Arras
    assert epicerie.website == "https://epicerie-arras.fr"
    assert epicerie.contact_email == "contact@panier.fr"
    assert sorted(t.name for t in epicerie.themes.all()) == ["Alimentation", "économie circulaire"]
    assert epicerie.state == State.DRAFT  # imported rows wait as drafts
    carrier = Role.objects.get(initiative=epicerie).organisation
    assert carrier.siren == "552100554"
    maison = Initiative.objects.get(source_id="A2")
    assert maison.territory == commune("62178")  # Bruay-la-Buissière, from 62700 alone
    record = epicerie.history.latest()
    assert record.history_change_reason == f"import:{run.pk}"
    assert record.history_user == staff

    histories = Initiative.history.count() + Organisation.history.count()
    again = run_file(path, user=staff)
    assert counts(again) == {"created": 0, "updated": 0, "merged": 0, "unchanged": 2, "refused": 5}
    assert Initiative.objects.count() == 2
    assert Organisation.objects.count() == 1
    assert Role.objects.count() == 1
    assert Initiative.history.count() + Organisation.history.count() == histories


def test_the_refused_rows_download_as_a_csv_a_spreadsheet_cannot_run(
    tmp_path,
    staff,
    client,
):
    run = run_file(write(tmp_path / "annuaire.csv", messy_csv("cp1252")), stage=Stage.PREVIEW)
    client.force_login(staff)
    response = client.get(reverse("initiatives:import-issues", args=[run.pk, "preview"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["line"]) for r in rows] == sorted(EXPECTED_REFUSALS)
    no_name = next(r for r in rows if r["line"] == "7")
    assert no_name["why"] == "The name is missing."
    assert no_name["Résumé"] == '\'=HYPERLINK("http://evil.example")'  # quoted, inert


def test_a_second_file_of_the_source_updates_its_rows_and_reuses_the_mapping(
    tmp_path,
):
    first = tmp_path / "v1.csv"
    first.write_text("ref,titre,cp,ville\nX1,Atelier vélo,62000,Arras\n", encoding="utf-8")
    with open(first, "rb") as handle:
        run = services.start(File(handle, name="v1.csv"), source_name="réseau")
    assert run.mapping == {
        "ref": "source_id",
        "titre": "name",
        "cp": "postcode",
        "ville": "commune",
    }
    # The person says "cp" is to be ignored; the next file of the source follows that choice.
    services.set_mapping(run, {"ref": "source_id", "titre": "name", "ville": "commune"})
    assert counts(services.run_now(run, Stage.COMMIT))["created"] == 1
    second = tmp_path / "v2.csv"
    second.write_text(
        "ref,titre,cp,ville\nX1,Atelier vélo solidaire,62000,Arras\n", encoding="utf-8"
    )
    again = run_file(second, source="réseau")
    assert again.mapping == {"ref": "source_id", "titre": "name", "ville": "commune"}
    assert counts(again)["updated"] == 1, (counts(again), again.error, refusals(again))
    assert Initiative.objects.get(source_id="X1").name == "Atelier vélo solidaire"
    assert Initiative.objects.count() == 1


def test_a_row_without_an_id_merges_into_the_entry_staff_typed(tmp_path):
    typed = Initiative.objects.create(
        name="Atelier Vélo", slug="atelier-velo", territory=commune("62041"), summary="Réparer."
    )
    path = tmp_path / "sans-id.csv"
    path.write_text(
        "nom;ville;code postal;site\nAtelier vélo;Arras;62000;velo.example.org\n", encoding="utf-8"
    )
    run = run_file(path)
    assert counts(run)["merged"] == 1
    typed.refresh_from_db()
    assert typed.website == "https://velo.example.org"  # an empty field filled
    assert typed.name == "Atelier Vélo"  # what staff typed is kept
    assert typed.source == ""
    assert counts(run_file(path))["unchanged"] == 1
    assert Initiative.objects.count() == 1


def test_a_spreadsheet_imports_likewise(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Nom de l'initiative", "CP", "Ville", "SIRET", "Latitude", "Longitude"])
    sheet.append([101, "Recyclerie de Lille", 59000, "Lille", "73282932000074", None, None])
    sheet.append([102, "Tiers-lieu sans adresse", None, None, None, 50.2910, 2.7775])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append([103, "Fablab", 59000, "Lille", "73282932000075", None, None])
    path = tmp_path / "annuaire.xlsx"
    book.save(path)

    run = run_file(path)
    assert counts(run) == {"created": 2, "updated": 0, "merged": 0, "unchanged": 0, "refused": 1}
    assert set(refusals(run)) == {5}  # the empty row 4 is skipped, its number kept
    assert "SIRET" in refusals(run)[5]
    recyclerie = Initiative.objects.get(source_id="101")
    assert recyclerie.territory == commune("59350")  # Lille
    assert recyclerie.siret == "73282932000074"
    placed = Initiative.objects.get(source_id="102")
    assert placed.territory == commune("62041")  # the nearest commune centre: Arras
    assert (placed.latitude, placed.longitude) == (50.2910, 2.7775)
    assert counts(run_file(path))["unchanged"] == 2


def test_a_geojson_file_imports_likewise(tmp_path):
    def feature(properties, lng=None, lat=None):
        geometry = {"type": "Point", "coordinates": [lng, lat]} if lng is not None else None
        return {"type": "Feature", "properties": properties, "geometry": geometry}

    collection = {
        "type": "FeatureCollection",
        "features": [
            feature({"id": "g1", "nom": "Cuisine partagée", "code_insee": "62178"}),
            feature({"id": "g2", "nom": "Garage solidaire"}, 3.0573, 50.6292),
            feature({"id": "g3", "nom": ""}, 3.0573, 50.6292),
            feature({"id": "g4", "nom": "Nulle part"}, -40.0, 10.0),
        ],
    }
    path = write(tmp_path / "lieux.geojson", collection)
    run = run_file(path)
    assert counts(run) == {"created": 2, "updated": 0, "merged": 0, "unchanged": 0, "refused": 2}
    assert refusals(run)[3] == "The name is missing."
    assert "No commune centre is known within 30 km" in refusals(run)[4]
    assert Initiative.objects.get(source_id="g1").territory == commune("62178")
    assert Initiative.objects.get(source_id="g2").territory == commune("59350")
    assert counts(run_file(path))["unchanged"] == 2


def test_a_gogocarto_export_imports_with_its_categories(tmp_path):
    export = {
        "licence": "https://opendatacommons.org/licenses/odbl/summary/",
        "ontology": "gogofull",
        "data": [
            {
                "id": "AEW",
                "name": "AMAP des Deux Caps",
                "geo": {"latitude": 50.2886, "longitude": 2.7810},
                "sourceKey": "Colibris",
                "address": {
                    "streetAddress": "3 rue des Jardins",
                    "addressLocality": "Arras",
                    "postalCode": "62000",
                    "addressCountry": "FR",
                },
                "categories": ["Alimentation et Agriculture", "AMAP / Paniers"],
                "website": "http://amap-deux-caps.example",
                "email": "private",
                "telephone": "03 21 00 00 00",
                "description": "Des paniers chaque jeudi.",
            }
        ],
    }
    path = write(tmp_path / "gogocarto.json", export)
    run = run_file(path, source="Près de chez nous", publish=True)
    assert run.format == "gogocarto"
    assert counts(run)["created"] == 1
    amap = Initiative.objects.get(source="Près de chez nous", source_id="AEW")
    assert amap.territory == commune("62041")
    assert amap.address == "3 rue des Jardins"
    assert amap.contact_email == ""  # "private" is no address
    assert amap.contact_phone == "03 21 00 00 00"
    assert sorted(t.name for t in amap.themes.all()) == [
        "AMAP / Paniers",
        "Alimentation et Agriculture",
    ]
    # Asked to publish, but a summary is needed first: it waits as a draft, and says so.
    assert amap.state == State.DRAFT
    remark = run.issues.get(refused=False)
    assert remark.line == 1 and "summary is needed" in remark.message


def damaged_xlsx() -> bytes:
    """A real spreadsheet whose sheet's XML is cut in the middle."""
    import zipfile

    book = openpyxl.Workbook()
    book.active.append(["Nom", "Ville"])
    source, damaged = io.BytesIO(), io.BytesIO()
    book.save(source)
    with zipfile.ZipFile(source) as whole, zipfile.ZipFile(damaged, "w") as cut:
        for item in whole.infolist():
            data = whole.read(item)
            cut.writestr(item, data[: len(data) // 2] if "worksheets/" in item.filename else data)
    return damaged.getvalue()


def test_an_unreadable_file_is_refused_with_a_sentence(staff, client, tmp_path):
    client.force_login(staff)
    for name, content in [
        ("vide.csv", b""),
        ("faux.xlsx", b"PK\x03\x04not a zip at all"),
        ("cassé.json", b'{"type": "FeatureCollection", '),
        ("autre.json", b'{"hello": "world"}'),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("abîmé.xlsx", damaged_xlsx()),
        ("profond.json", b"[" * 100_000 + b"]" * 100_000),
    ]:
        path = write(tmp_path / name, content)
        with open(path, "rb") as handle:
            response = client.post(reverse("initiatives:imports"), {"file": handle, "source": "x"})
        assert response.status_code == 400, name
        assert response.context["form"].errors["file"], name
    assert ImportRun.objects.count() == 0


def test_import_pages_are_for_staff_only(client, tmp_path):
    user = get_user_model().objects.create_user("visiteur")
    client.force_login(user)
    assert client.get(reverse("initiatives:imports")).status_code == 403


def test_a_row_the_model_refuses_is_refused_alone_and_the_others_of_its_batch_go_in(tmp_path):
    email = "a" * 250 + "@ex.org"  # an address, but longer than the 254 characters kept
    path = tmp_path / "lot.csv"
    path.write_text(
        f"id;nom;commune;courriel\n1;Atelier un;Arras;un@ex.org\n2;Atelier deux;Arras;{email}\n"
        "3;Atelier trois;Arras;\n",
        encoding="utf-8",
    )
    run = run_file(path)
    assert counts(run) == {"created": 2, "updated": 0, "merged": 0, "unchanged": 0, "refused": 1}
    assert "254" in refusals(run)[3]
    assert sorted(Initiative.objects.values_list("source_id", flat=True)) == ["1", "3"]
    assert Initiative.history.filter(history_change_reason=f"import:{run.pk}").count() == 2


def test_an_oversized_file_or_a_malformed_mapping_is_a_400_with_a_sentence(
    tmp_path, staff, client, settings
):
    client.force_login(staff)
    settings.DIRECTORY_IMPORT_MAX_BYTES = 100
    path = write(tmp_path / "gros.csv", ("nom;commune\n" + "Atelier;Arras\n" * 20).encode())
    with open(path, "rb") as handle:
        response = client.post(reverse("initiatives:imports"), {"file": handle, "source": "x"})
    assert response.status_code == 400
    assert "larger than" in response.context["form"].errors["file"][0]

    settings.DIRECTORY_IMPORT_MAX_BYTES = 2**20
    with open(path, "rb") as handle:
        response = client.post(reverse("initiatives:imports"), {"file": handle, "source": "x"})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    page = client.get(run.get_absolute_url())
    assert page.status_code == 200
    assert page.context["form"]["column_0"].value() == "name"
    # A field that does not exist, then no column for the name: refused, nothing queued.
    bogus = client.post(run.get_absolute_url(), {"column_0": "password", "column_1": "commune"})
    assert bogus.status_code == 400 and bogus.context["form"].errors["column_0"]
    nameless = client.post(run.get_absolute_url(), {"column_0": "", "column_1": "commune"})
    assert nameless.status_code == 400
    assert "Choose the column that holds the name." in nameless.context["form"].non_field_errors()
    run.refresh_from_db()
    assert run.stage == Stage.MAPPING and run.state == "waiting"
    # Importing before the dry run is refused with a message, and a GET changes nothing.
    assert (
        client.get(reverse("initiatives:import-action", args=[run.pk, "import"])).status_code == 405
    )
    response = client.post(
        reverse("initiatives:import-action", args=[run.pk, "import"]), follow=True
    )
    assert "Run the dry run first" in response.content.decode()
    assert client.get(reverse("initiatives:import-state", args=[run.pk + 1])).status_code == 404
