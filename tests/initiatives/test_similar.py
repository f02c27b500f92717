"""Similar initiatives: the indexed ranking (PostgreSQL) against the plain grouping one, and the
`theme_ids` column the trigger keeps (migration 0006)."""

import random

import pytest
from django.db import connection
from django.utils.text import slugify
from taggit.models import Tag

from initiatives import similar as ranking
from initiatives.models import Initiative
from initiatives.profile import similar
from initiatives.services import publish, withdraw
from territoires.models import Level, Territory

THEMES = ["mobilité", "coopération", "alimentation", "habitat", "énergie", "culture", "numérique"]


@pytest.fixture
def commune(db):
    return Territory.objects.create(level=Level.COMMUNE, code="62178", name="Bruay", slug="bruay")


def initiative(name, territory, themes=(), published=True):
    item = Initiative.objects.create(
        name=name, slug=slugify(name), territory=territory, summary=f"{name}: a summary."
    )
    if themes:
        item.themes.add(*themes)
    return publish(item) if published else item


def theme_ids(item) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT theme_ids FROM initiatives_initiative WHERE id = %s", [item.pk])
        return cursor.fetchone()[0]


def test_theme_ids_follow_every_theme_change(commune):
    item = initiative("Garage", commune, ["mobilité", "coopération"])
    ids = dict(Tag.objects.values_list("name", "pk"))
    assert theme_ids(item) == sorted([ids["mobilité"], ids["coopération"]])
    item.themes.remove("mobilité")
    assert theme_ids(item) == [ids["coopération"]]
    item.themes.set(["habitat", "culture", "coopération"])
    ids = dict(Tag.objects.values_list("name", "pk"))
    assert theme_ids(item) == sorted(ids[name] for name in ["habitat", "culture", "coopération"])
    item.themes.clear()
    assert theme_ids(item) == []


def test_most_shared_themes_first_then_newest(commune):
    profile = initiative("Profile", commune, ["mobilité", "coopération", "habitat"])
    older_two = initiative("Older two", commune, ["mobilité", "coopération"])
    three = initiative("Three", commune, ["mobilité", "coopération", "habitat", "culture"])
    newer_two = initiative("Newer two", commune, ["habitat", "coopération"])
    one = initiative("One", commune, ["habitat"])
    initiative("None shared", commune, ["culture"])
    initiative("Draft three", commune, ["mobilité", "coopération", "habitat"], published=False)
    withdrawn = initiative("Withdrawn", commune, ["mobilité", "coopération", "habitat"])
    withdraw(withdrawn)

    result = similar(profile)
    assert [item.pk for item in result] == [three.pk, newer_two.pk, older_two.pk, one.pk]
    assert [item.shared for item in result] == [3, 2, 2, 1]


def test_a_theme_removed_moves_an_initiative_down_at_once(commune):
    profile = initiative("Profile", commune, ["mobilité", "coopération"])
    first = initiative("First", commune, ["mobilité", "coopération"])
    second = initiative("Second", commune, ["mobilité"])
    assert [item.pk for item in similar(profile)] == [first.pk, second.pk]
    first.themes.remove("coopération", "mobilité")
    assert [item.pk for item in similar(profile)] == [second.pk]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_indexed_ranking_equals_the_grouping_one(commune, seed):
    """Random directories: every profile's list by the UNION ALL branches is the grouping's."""
    rng = random.Random(seed)
    items = []
    for index in range(80):
        themes = rng.sample(THEMES, rng.randint(1, 5))
        items.append(
            initiative(f"Initiative {seed}-{index}", commune, themes, published=rng.random() < 0.85)
        )
    for item in items:
        ids = sorted(tag.pk for tag in item.themes.all())
        for limit in (1, 6, 20):
            expected = ranking.ranked_by_grouping(item.pk, ids, limit)
            assert ranking.ranked_by_subsets(item.pk, ids, limit) == expected
            assert len(expected) == min(
                limit,
                Initiative.objects.published()
                .exclude(pk=item.pk)
                .filter(themes__id__in=ids)
                .distinct()
                .count(),
            )


def test_many_themes_use_the_grouping_and_rank_alike(commune, monkeypatch):
    names = [f"thème {index}" for index in range(ranking.MAX_INDEXED_THEMES + 2)]
    profile = initiative("Profile", commune, names)
    most = initiative("Most", commune, names[:5])
    some = initiative("Some", commune, names[:2])
    expected = [most.pk, some.pk]
    assert [item.pk for item in similar(profile)] == expected
    # The same answer with the subsets forced (2^8 - 1 predicates: slow, but still right).
    monkeypatch.setattr(ranking, "MAX_INDEXED_THEMES", 99)
    assert [item.pk for item in similar(profile)] == expected


def test_no_theme_no_similar(commune):
    profile = initiative("Profile", commune)
    initiative("Other", commune, ["mobilité"])
    assert similar(profile) == []
