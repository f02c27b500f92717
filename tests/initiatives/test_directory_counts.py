"""The directory's facet counts kept by PostgreSQL's triggers (initiatives/tallies.py, migration
0016) are exact at once after every way the directory changes: publishing, withdrawing, editing
an initiative's stage, themes, territory, PTCEs or an organisation's legal form, importing rows,
merging two initiatives. Each time the page's counts and total are compared with the plain
aggregates (what SQLite runs) over the same rows, for unfiltered, one-filter and two-filter pages.
"""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery
from django.core.files import File
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils.text import slugify

from initiatives import facets, tallies
from initiatives.filters import InitiativeFilterSet
from initiatives.importing import services as importing
from initiatives.importing.models import Stage as ImportStage
from initiatives.models import Initiative, LegalForm, Organisation, Pole, Role, RoleKind, Stage
from initiatives.services import create_entries, merge, publish, save_entry, withdraw
from territoires.models import Level, Territory
from tests.initiatives.import_files import communes, messy_csv, write  # noqa: F401

URL = reverse("initiatives:list")
QUERIES = [
    "",
    "page=2",
    "stade=running",
    "territoire=region:32",
    "territoire=departement:62",
    "theme=cooperation",
    "ptce=ptce-artois",
    "type_acteur=scic",
    "annee=2016",
    "levier=sectoral_interaction",
    "theme=cooperation&stade=running",
    "territoire=region:32&stade=emerging",
    "territoire=region:32&theme=habitat",
    "type_acteur=scic&levier=sectoral_interaction",
    "stade=emerging&annee=2015",
    "levier=sectoral_interaction&stade=running",
    "theme=cooperation&theme=habitat",
    "territoire=departement:62&stade=running&theme=habitat",
]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the table is PostgreSQL's (SQLite aggregates)"
)


def shown(facet_list):
    return [
        (
            facet.name,
            [(v.value, v.label, v.count, v.selected) for v in facet.values],
            getattr(facet, "total", None),
        )
        for facet in facet_list
    ]


def assert_exact(client):
    """Every query's page shows what the plain aggregates count now."""
    for query in QUERIES:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200
        directory = response.context["directory"]
        data = QueryDict(query)
        filterset = InitiativeFilterSet(data, queryset=Initiative.objects.published())
        plain = facets.facet_counts(filterset, tallied=False)
        assert shown(directory.facets) == shown(plain.facets), query
        assert directory.page.paginator.count == filterset.qs.count(), query


@pytest.fixture
def place(db):
    def make(level, code, name, parent=None, **extra):
        return Territory.objects.create(
            level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
        )

    return make


@pytest.fixture
def directory(place):
    hdf = place(Level.REGION, "32", "Hauts-de-France")
    pas_de_calais = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", hdf)
    nord = place(Level.DEPARTEMENT, "59", "Nord", hdf)
    bethune = place(Level.EPCI, "200072460", "CA de Béthune-Bruay", pas_de_calais)
    bruay = place(Level.COMMUNE, "62178", "Bruay-la-Buissière", pas_de_calais, epci=bethune)
    lille = place(Level.COMMUNE, "59350", "Lille", nord)
    ara = place(Level.REGION, "84", "Auvergne-Rhône-Alpes")
    lyon = place(Level.COMMUNE, "69123", "Lyon", place(Level.DEPARTEMENT, "69", "Rhône", ara))
    staff = get_user_model().objects.create_user("camille", is_staff=True)
    scic = publish(Organisation.objects.create(name="Coop", slug="coop", legal_form="scic"))
    network = Organisation.objects.create(name="Réseau", slug="reseau", legal_form="network")
    publish(network)
    pole = Pole.objects.create(
        name="PTCE Artois", slug="ptce-artois", summary="Pôle.", territory=bruay
    )
    publish(pole)
    made = []
    for index in range(12):
        item = save_entry(
            Initiative(territory=[bruay, lille, lyon][index % 3]),
            {
                "name": f"Initiative {index:02}",
                "summary": "Une initiative.",
                "stage": [Stage.RUNNING, Stage.EMERGING, Stage.IDEA][index % 3],
                "start_date": datetime.date(2014 + index % 4, 3, 1),
                "sectoral_interaction": bool(index % 2),
                "themes": ["coopération", "habitat"][: 1 + index % 2],
                "poles": [pole] if index % 4 == 0 else [],
            },
            by=staff,
        )
        if index % 5 != 4:
            publish(item)
        Role.objects.create(initiative=item, organisation=scic, kind=RoleKind.LEAD)
        if index % 3 == 0:
            Role.objects.create(initiative=item, organisation=network, kind=RoleKind.SUPPORT)
        made.append(item)
    return locals()


def test_counts_are_exact_from_the_start(client, directory):
    assert_exact(client)


def test_publishing_and_withdrawing_count_at_once(client, directory):
    draft = directory["made"][4]
    publish(draft)
    assert_exact(client)
    withdraw(directory["made"][0])
    withdraw(directory["made"][3])
    assert_exact(client)
    assert client.get(URL).context["directory"].page.paginator.count == 9


def test_editing_stage_themes_territory_and_ptces_counts_at_once(client, directory):
    first, second = directory["made"][0], directory["made"][1]
    save_entry(first, {"stage": Stage.CONSOLIDATED, "themes": ["habitat", "quartier"]})
    save_entry(second, {"territory": directory["lyon"], "start_date": None, "poles": []})
    save_entry(directory["made"][2], {"poles": [directory["pole"]], "sectoral_interaction": True})
    assert_exact(client)
    # A theme renamed keeps its counts under its id; a PTCE withdrawn leaves the facet.
    withdraw(directory["pole"])
    assert_exact(client)


def test_an_organisations_legal_form_and_roles_count_at_once(client, directory):
    network = directory["network"]
    network.legal_form = LegalForm.SCIC
    network.save()
    assert_exact(client)
    withdraw(directory["scic"])
    Role.objects.filter(initiative=directory["made"][5]).delete()
    assert_exact(client)


def test_merging_two_initiatives_counts_at_once(client, directory):
    survivor, other = directory["made"][1], directory["made"][0]
    merge(survivor, other, choices={"stage": "other"}, by=directory["staff"])
    assert_exact(client)


def test_a_territory_moved_to_another_region_moves_its_counts(client, directory):
    lille = directory["lille"]
    lille.parent = directory["ara"].children.get()  # Rhône: the path changes
    lille.save()
    assert Territory.objects.get(pk=lille.pk).path.startswith("r84/")
    assert_exact(client)


def test_rows_written_with_the_triggers_off_count_after_a_rebuild(client, directory):
    """The bench's COPY and a restore write with `session_replication_role = replica`."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    Initiative.objects.filter(pk=directory["made"][0].pk).update(stage=Stage.ENDED)
    directory["made"][3].poles.clear()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    tallies.rebuild()
    assert_exact(client)


# Last: the module's communes (loaded once, outside the tests' transactions) hold région 32 too.
# Before the import's test: its module-scoped communes stay in the database until the module ends.
def _updates_of_initiatives() -> int:
    """Rows of initiatives_initiative this transaction updated so far, triggers' writes included."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd FROM pg_stat_xact_user_tables"
            " WHERE relname = 'initiatives_initiative'"
        )
        return cursor.fetchone()[0]


def _arrays(initiative) -> tuple[int, list[str]]:
    """How many theme ids, and which legal forms, the triggers wrote on the initiative's row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cardinality(theme_ids), actor_forms FROM initiatives_initiative WHERE id = %s",
            [initiative.pk],
        )
        count, forms = cursor.fetchone()
    return count, sorted(forms)


def test_a_batchs_themes_and_roles_update_each_initiative_once(client, directory):
    """The import writes a batch's rows, then their themes in one INSERT and their roles in
    another: each initiative is updated once per statement (its search vector and theme ids, then
    its legal forms), not once per theme or role, so the facet counts' trigger runs once per
    statement too (with a row per theme, the 10,000-row import took minutes, not seconds)."""
    d = directory
    rows = [
        Initiative(
            name=f"Lot {n}", slug=f"lot-{n}", summary="Une initiative.", territory=d["lille"]
        )
        for n in range(20)
    ]
    before = _updates_of_initiatives()
    created = create_entries(rows, themes=[["alimentation", "mobilité"]] * len(rows))
    assert _updates_of_initiatives() - before == len(rows)
    before = _updates_of_initiatives()
    Role.objects.bulk_create(
        Role(initiative=item, organisation=organisation, kind=kind)
        for item in created
        for organisation, kind in ((d["scic"], RoleKind.LEAD), (d["network"], RoleKind.SUPPORT))
    )
    assert _updates_of_initiatives() - before == len(rows)
    first = created[0]
    assert sorted(first.themes.names()) == ["alimentation", "mobilité"]
    assert _arrays(first) == (2, ["network", "scic"])
    found = Initiative.objects.filter(
        search_vector=SearchQuery("mobilite", config="french_unaccent")
    )
    assert found.count() == len(rows)
    for item in created[:5]:
        publish(item)
    Role.objects.filter(initiative=created[0], kind=RoleKind.SUPPORT).delete()
    created[1].themes.remove("mobilité")
    assert _arrays(created[0]) == (2, ["scic"])
    assert _arrays(created[1]) == (1, ["network", "scic"])
    assert_exact(client)


@pytest.mark.usefixtures("communes")
def test_imported_rows_count_at_once(client, tmp_path, db):
    staff = get_user_model().objects.create_user("camille", is_staff=True)
    path = write(tmp_path / "partenaire.csv", messy_csv("utf-8-sig"))
    with open(path, "rb") as handle:
        run = importing.start(
            File(handle, name=Path(path).name), source_name="partenaire", user=staff, publish=True
        )
    importing.run_now(run, ImportStage.COMMIT)
    assert Initiative.objects.published().exists()
    assert_exact(client)
