"""Published initiatives per territory, as the territory pages count them (initiatives/counts.py).

A trigger keeps the counts; whatever happens to an initiative (published, withdrawn, moved,
located, deleted, merged away, a bulk update, a TRUNCATE), the counts read are the ones a fresh
GROUP BY over the initiatives gives, and the territory pages show them at once.
"""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.text import slugify

from initiatives import counts
from initiatives.models import Initiative
from initiatives.services import edit_entry, merge, publish, withdraw
from territoires.counts import grouped_counts
from territoires.models import Level, Territory


def place(level, code, name, parent=None, **extra):
    return Territory.objects.create(
        level=level, code=code, name=name, slug=slugify(name), parent=parent, **extra
    )


@pytest.fixture
def france(db):
    region = place(Level.REGION, "32", "Hauts-de-France")
    pas_de_calais = place(Level.DEPARTEMENT, "62", "Pas-de-Calais", region)
    nord = place(Level.DEPARTEMENT, "59", "Nord", region)
    bethune = place(Level.EPCI, "200072460", "CA de Béthune-Bruay", pas_de_calais)
    bruay = place(Level.COMMUNE, "62178", "Bruay-la-Buissière", pas_de_calais, epci=bethune)
    lille = place(Level.COMMUNE, "59350", "Lille", nord)
    return {"region": region, "pdc": pas_de_calais, "epci": bethune, "bruay": bruay, "lille": lille}


def initiative(name, territory, published=True, **extra):
    item = Initiative.objects.create(
        name=name,
        slug=slugify(name),
        summary=f"{name} : une coopération.",
        territory=territory,
        **extra,
    )
    return publish(item) if published else item


def kept(territory):
    """The counts read, as {territory id: (published, located)}."""
    return {
        row.territory: (row.n, row.located) for row in counts.published_per_territory(territory)
    }


def counted(territory):
    """The same, counted afresh from the initiatives."""
    rows = (
        Initiative.objects.published()
        .in_territory(territory)
        .order_by()
        .values("territory")
        .annotate(
            n=Count("pk"),
            located=Count("pk", filter=Q(latitude__isnull=False, longitude__isnull=False)),
        )
    )
    return {row["territory"]: (row["n"], row["located"]) for row in rows}


def shown(client, territory):
    """What the territory's page shows: its total and its children's counts."""
    response = client.get(
        reverse("territoires:detail", kwargs={"level": territory.level, "code": territory.code})
    )
    children = {
        child.name: count
        for group in response.context["children"]
        for child, count in group["rows"]
    }
    return response.context["page"].paginator.count, children, response.context["located"]


def test_counts_follow_publication_withdrawal_moves_and_positions(france, client):
    maison = initiative("Maison des échanges", france["bruay"], latitude=50.48, longitude=2.55)
    epicerie = initiative("Épicerie solidaire", france["lille"])
    draft = initiative("Projet", france["lille"], published=False, latitude=50.6, longitude=3.0)
    assert (
        kept(france["region"])
        == counted(france["region"])
        == {
            france["bruay"].pk: (1, 1),
            france["lille"].pk: (1, 0),
        }
    )
    assert shown(client, france["region"]) == (2, {"Nord": 1, "Pas-de-Calais": 1}, True)

    publish(draft)
    withdraw(maison)
    assert kept(france["region"]) == counted(france["region"])
    assert shown(client, france["region"]) == (2, {"Nord": 2}, True)
    assert shown(client, france["pdc"]) == (0, {}, False)

    # Moved to another commune, then its position removed: counted where it is, as it is.
    edit_entry(epicerie, {"territory": france["bruay"], "latitude": 50.5, "longitude": 2.5})
    assert kept(france["region"]) == counted(france["region"])
    assert shown(client, france["pdc"]) == (
        1,
        {"Bruay-la-Buissière": 1, "CA de Béthune-Bruay": 1},
        True,
    )
    edit_entry(draft, {"latitude": None, "longitude": None})
    assert kept(france["region"]) == counted(france["region"])
    assert shown(client, france["region"])[2] is True  # the Épicerie still has a position

    # An edit that changes nothing counted, a bulk update, a deletion.
    edit_entry(epicerie, {"summary": "Une épicerie solidaire et coopérative."})
    Initiative.objects.filter(pk=maison.pk).update(state="published")
    assert kept(france["region"]) == counted(france["region"])
    draft.delete()
    assert kept(france["region"]) == counted(france["region"])
    assert kept(france["epci"]) == counted(france["epci"])
    assert shown(client, france["region"]) == (2, {"Pas-de-Calais": 2}, True)


def test_a_merged_initiative_is_counted_once(france):
    survivor = initiative("Maison des échanges", france["bruay"])
    other = initiative("La Maison des échanges", france["lille"], latitude=50.6, longitude=3.0)
    merge(survivor, other)
    assert kept(france["region"]) == counted(france["region"]) == {france["bruay"].pk: (1, 0)}


@pytest.mark.django_db(transaction=True)
def test_truncating_the_initiatives_empties_the_counts(france):
    initiative("Maison des échanges", france["bruay"])
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE initiatives_initiative CASCADE")
    assert kept(france["region"]) == {}


def test_recount_after_a_load_without_triggers(france):
    initiative("Maison des échanges", france["bruay"], latitude=50.48, longitude=2.55)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE initiatives_initiative SET territory_id = %s", [france["lille"].pk])
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert kept(france["region"]) != counted(france["region"])
    counts.recount()
    assert kept(france["region"]) == counted(france["region"]) == {france["lille"].pk: (1, 1)}


def test_the_counts_summed_per_child_match_a_fresh_grouping_at_every_level(france):
    """What the page reads (`rolled_up`, summed per child by PostgreSQL) against `grouped_counts`
    over the initiatives themselves, with initiatives on a commune, on an EPCI itself and on a
    département itself."""
    initiative("Maison des échanges", france["bruay"], latitude=50.48, longitude=2.55)
    initiative("Atelier vélo", france["bruay"])
    initiative("Épicerie solidaire", france["lille"])
    initiative("Réseau d’entraide", france["epci"])
    initiative("Plateforme départementale", france["pdc"], latitude=50.5, longitude=2.4)
    initiative("Projet", france["lille"], published=False, latitude=50.6, longitude=3.0)
    published = Initiative.objects.published()
    for territory in france.values():
        by_path, by_id = grouped_counts(territory, published.in_territory(territory))
        rows = counted(territory)
        assert counts.rolled_up(territory) == (
            sum(n for n, _located in rows.values()),
            any(located for _n, located in rows.values()),
            by_path,
            by_id,
        ), territory.name
    # France, for the territory index and the home page: per région, the count rows' sums.
    assert counts.per_region() == grouped_counts(None, published)[0] == {france["region"].path: 5}
    assert counts.published_totals() == (5, 4)
    assert set(counts.published_places()) == set(
        published.values_list("territory__path", "territory__epci").distinct()
    )
    # The département: its communes and EPCIs by path, its EPCI also by id (its communes' too).
    assert counts.rolled_up(france["pdc"]).by_id == {france["epci"].pk: 3}
    assert counts.rolled_up(france["epci"]).by_id == {france["bruay"].pk: 2}


def test_a_commune_moved_to_another_departement_is_counted_under_its_new_path(france):
    """The count rows keep their territory's path (migration 0020): a territory reload that
    moves a commune moves its count with it, and every level still sums what a fresh grouping
    gives."""
    initiative("Maison des échanges", france["bruay"], latitude=50.48, longitude=2.55)
    initiative("Atelier vélo", france["bruay"])
    nord = Territory.objects.get(level=Level.DEPARTEMENT, code="59")
    bruay = france["bruay"]
    bruay.parent, bruay.epci = nord, None
    bruay.save()
    assert bruay.path.startswith(nord.path)
    published = Initiative.objects.published()
    for territory in [*Territory.objects.all(), france["region"]]:
        by_path, by_id = grouped_counts(territory, published.in_territory(territory))
        assert counts.rolled_up(territory).by_path == by_path, territory.name
        assert counts.rolled_up(territory).total == sum(n for n, _ in counted(territory).values())
    assert counts.rolled_up(nord).total == 2
    assert counts.rolled_up(france["pdc"]).total == 0
