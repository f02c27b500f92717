"""The search vectors follow every kind of write: save, themes, bulk loads, renames."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from taggit.models import Tag, TaggedItem

from initiatives.models import Initiative, Organisation
from observatoire.search import reindex, search
from territoires.models import Level, Territory

pytestmark = pytest.mark.django_db


def found(query, kind="initiatives"):
    """Names matched by full-text search (not by the fallback on look-alike names)."""
    results = search(query, everywhere=True)
    if results.fuzzy:
        return set()
    group = next(g for g in results.groups if g.kind.key == kind)
    return {hit.object.name for hit in group.page.object_list}


def test_a_saved_change_of_name_is_searchable_at_once(make_initiative):
    initiative = make_initiative(name="Épicerie solidaire")
    initiative.name = "Garage solidaire"
    initiative.save()

    assert found("garage") == {"Garage solidaire"}
    assert found("épicerie") == set()


def test_publishing_keeps_the_vector(make_initiative):
    initiative = make_initiative(name="Épicerie solidaire", published=False)

    assert found("épicerie") == set()
    from initiatives.services import publish

    publish(initiative)
    assert found("épicerie") == {"Épicerie solidaire"}


def test_themes_added_removed_and_renamed_are_searchable(make_initiative):
    initiative = make_initiative(name="Tiers-lieu")
    initiative.themes.add("alimentation durable")
    assert found("alimentation") == {"Tiers-lieu"}

    Tag.objects.filter(name="alimentation durable").update(name="circuits courts")
    assert found("alimentation") == set()
    assert found("circuit") == {"Tiers-lieu"}

    initiative.themes.clear()
    assert found("circuit") == set()


def test_themes_written_in_bulk_are_searchable(make_initiative):
    """As the demo loader does: tagged items created and deleted without the initiative's save."""
    initiative = make_initiative(name="Tiers-lieu")
    tag = Tag.objects.create(name="mobilité douce", slug="mobilite-douce")
    content_type = ContentType.objects.get_for_model(Initiative)
    TaggedItem.objects.bulk_create(
        [TaggedItem(content_type=content_type, object_id=initiative.pk, tag=tag)]
    )
    assert found("mobilite") == {"Tiers-lieu"}

    TaggedItem.objects.filter(object_id=initiative.pk).delete()
    assert found("mobilite") == set()


def test_rows_made_in_bulk_are_searchable(places):
    Initiative.objects.bulk_create(
        [
            Initiative(
                name=f"Recyclerie numéro {n}",
                slug=f"recyclerie-{n}",
                summary="Réemploi.",
                territory=places["lille"],
                state="published",
            )
            for n in range(3)
        ]
    )
    assert len(found("recycleries")) == 3

    rows = list(Initiative.objects.all())
    for row in rows:
        row.description = "Une ressourcerie."
    Initiative.objects.bulk_update(rows, ["description"])
    assert len(found("ressourcerie")) == 3

    Initiative.objects.update(summary="Atelier vélo.")
    assert len(found("atelier")) == 3


def test_territories_loaded_in_bulk_are_searchable(places):
    Territory.objects.bulk_create(
        [Territory(level=Level.COMMUNE, code="59009", name="Villeneuve-d'Ascq", path="x")]
    )
    Territory.objects.filter(code="59512").update(name="Roubaix-la-Neuve")

    assert found("villeneuve d'ascq", "territoires") == {"Villeneuve-d'Ascq"}
    assert found("roubaix", "territoires") == {"Roubaix-la-Neuve"}


def test_a_territory_is_found_by_its_code(places):
    assert found("59350", "territoires") == {"Lille"}


def test_reindex_and_the_command_recompute_lost_vectors(make_organisation):
    make_organisation(name="Fédération des centres sociaux")
    with connection.cursor() as cursor:  # as after a restore made with triggers disabled
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE initiatives_organisation SET search_vector = NULL")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert found("fédération", "acteurs") == set()

    assert reindex(Organisation.objects.filter(name__startswith="Fédé")) == 1
    assert found("federation", "acteurs") == {"Fédération des centres sociaux"}

    call_command("update_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert found("centres sociaux", "acteurs") == {"Fédération des centres sociaux"}
