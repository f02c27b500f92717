"""Querysets compiled once, run with other values (observatoire/compiled.py): each call gives
what the queryset built with its values gives, rows and instances alike."""

import datetime as dt

import pytest
from django.db.models import Q

from observatoire.compiled import Compiled
from territoires.models import Territory


@pytest.fixture
def places(territory_factory):
    Level = territory_factory.Level
    region = territory_factory(Level.REGION, "32", "Hauts-de-France")
    nord = territory_factory(Level.DEPARTEMENT, "59", "Nord", region)
    pdc = territory_factory(Level.DEPARTEMENT, "62", "Pas-de-Calais", region)
    territory_factory(Level.COMMUNE, "59350", "Lille", nord, population=236_000)
    territory_factory(Level.COMMUNE, "59009", "Villeneuve_d'Ascq", nord, population=62_000)
    territory_factory(Level.COMMUNE, "59599", "Villeneuve-la-Garenne", nord, population=24_000)
    territory_factory(Level.COMMUNE, "62178", "Bruay-la-Buissière", pdc, population=21_000)
    return {"region": region, "nord": nord, "pdc": pdc}


def below(path):
    return (
        Territory.objects.filter(path__startswith=path)
        .exclude(path=path)
        .select_related("parent")
        .order_by("name")
    )


def test_each_call_gives_what_its_queryset_gives(places):
    compiled = Compiled(below, str)
    for place in places.values():
        expected = list(below(place.path))
        found = compiled.rows(place.path)
        assert found == expected, place.name
        # The instances as the ORM builds them: every field, the related parent, no query more.
        for mine, theirs in zip(found, expected, strict=True):
            assert [getattr(mine, f.attname) for f in Territory._meta.concrete_fields] == [
                getattr(theirs, f.attname) for f in Territory._meta.concrete_fields
            ]
            assert mine.parent == theirs.parent
            assert mine._state.adding is False and mine._state.db == "default"
    assert [t.name for t in compiled.rows(places["nord"].path, limit=2, offset=1)] == [
        "Villeneuve-la-Garenne",
        "Villeneuve_d'Ascq",
    ]


def test_a_value_in_a_like_pattern_is_escaped(places):
    """`_` and `%` in a value are literal, as the ORM makes them: "Villeneuve_" is not a prefix
    of "Villeneuve-la-Garenne"."""
    compiled = Compiled(
        lambda prefix: (
            Territory.objects.filter(name__startswith=prefix)
            .order_by("name")
            .values_list("name", "population")
        ),
        str,
    )
    assert compiled.rows("Villeneuve_") == [("Villeneuve_d'Ascq", 62_000)]
    assert compiled.rows("Villeneuve") == [
        ("Villeneuve-la-Garenne", 24_000),
        ("Villeneuve_d'Ascq", 62_000),
    ]
    assert compiled.rows("100%") == []


def test_integers_and_moments_take_their_places(places, django_assert_num_queries):
    from agenda.models import Event

    nord, pdc = places["nord"], places["pdc"]
    soon = dt.datetime(2031, 5, 1, 9, tzinfo=dt.UTC)
    for title, territory, starts_at in [
        ("Forum", nord, soon),
        ("Atelier", nord, soon + dt.timedelta(days=30)),
        ("Marché", pdc, soon),
    ]:
        Event.objects.create(title=title, territory=territory, starts_at=starts_at)
    compiled = Compiled(
        lambda pk, since: (
            Event.objects.filter(Q(territory_id=pk) | Q(territory__parent_id=pk))
            .filter(starts_at__gte=since)
            .order_by("starts_at")
            .values_list("title", "starts_at")
        ),
        int,
        dt.datetime,
    )
    with django_assert_num_queries(1):
        assert compiled.rows(nord.pk, soon) == [
            ("Forum", soon),
            ("Atelier", soon + dt.timedelta(days=30)),
        ]
    assert compiled.rows(nord.pk, soon + dt.timedelta(days=1)) == [
        ("Atelier", soon + dt.timedelta(days=30))
    ]
    assert compiled.rows(pdc.pk, soon) == [("Marché", soon)]
    assert len(compiled.rows(places["region"].pk, soon)) == 3  # on its two départements


def test_what_cannot_be_compiled_is_refused(places):
    with pytest.raises(ValueError, match="sliced"):
        Compiled(lambda path: below(path)[:3], str).rows("r32/")
    with pytest.raises(ValueError, match="stand-ins missing"):
        Compiled(lambda path: Territory.objects.all(), str).rows("r32/")


def by_code(level, code):
    return Territory.objects.filter(level=level, code=code).select_related("parent").order_by()


def test_a_prepared_statement_is_planned_once_per_connection_generically(places):
    """`prepared=True`: PostgreSQL keeps the statement and its generic plan for the connection;
    each call still gives what its queryset gives."""
    from django.db import connection

    compiled = Compiled(by_code, str, str, prepared=True)
    for place in [*places.values(), *places.values()]:
        assert compiled.rows(place.level, place.code) == list(by_code(place.level, place.code))
    sql = compiled.sql("x", "y")[0].split(" WHERE ")[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE starts_with(statement, %s)",
            [sql.replace("%s", "$1").split("$1")[0]],
        )
        generic, custom = cursor.fetchone()
    assert (generic, custom) == (6, 0)


def test_a_prepared_statement_is_logged_as_any_other(places, django_assert_num_queries):
    compiled = Compiled(by_code, str, str, prepared=True)
    with django_assert_num_queries(1) as queries:
        compiled.rows("region", "32")
    # With its values in place, as Django logs its own (the benchmark replays what it logs).
    assert """"territoires_territory"."code" = '32'""" in queries.captured_queries[0]["sql"]
