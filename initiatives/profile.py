"""The reads behind a profile: the initiative, its neighbours, its kin, its metadata.

The blocks other apps add to a profile (findings, events, the radar) are their panels
(observatoire.panels), registered in their apps.py; nearby and similar are this app's (panels.py).
"""

import json
import math

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from taggit.models import Tag

from observatoire.compiled import Compiled
from observatoire.publishing import State
from territoires.models import Level, Territory

from .filters import FRENCH_COLLATION, LEVERS, by_name
from .models import Initiative, Organisation, Person, Pole, Role
from .similar import similar as similar_initiatives

RELATED_LIMIT = 6
NEARBY_NEAR = 0.1  # about 11 km: the box that "nearby" searches first
NEARBY_DEGREES = 1.0  # about 110 km north-south: the widest box it searches


def public_roles():
    """Roles whose every named actor is published: an unpublished person never shows.

    Only the public fields of a person are read, so contact details cannot reach a template.
    """
    return (
        Role.objects.select_related("organisation", "person")
        .filter(
            # Correlated: one index probe per role. `organisation__in=published()` was hashed
            # over every published organisation (a 34,000-row seq scan, 20 ms, per profile).
            Q(organisation__isnull=True)
            | Exists(Organisation.objects.published().filter(pk=OuterRef("organisation_id"))),
            Q(person__isnull=True)
            | Exists(Person.objects.published().filter(pk=OuterRef("person_id"))),
        )
        .only(
            "initiative",
            "kind",
            "title",
            "organisation__name",
            "organisation__slug",
            "person__first_name",
            "person__last_name",
        )
    )


def profile_queryset(initiatives):
    """`initiatives` decides who sees what (published, or all for staff); the rest is public."""
    # The commune's département and région too: its chain with no query of its own.
    return initiatives.select_related(
        "territory__parent__parent", "territory__epci"
    ).prefetch_related(
        "themes",
        Prefetch("poles", queryset=Pole.objects.published().order_by(by_name())),
        Prefetch("roles", queryset=public_roles().order_by("kind", "pk")),
    )


# The profile's themes, published PTCEs and public roles as JSON arrays in the initiative's own
# statement (PostgreSQL): three prefetches were three round trips, and Django's prefetch machinery
# cost more than their SQL (9.2 ms in-process for the four statements, 2.2 ms of it running them).
# The same rows, in the same order, as `profile_queryset`'s prefetches.
_THEMES = """
    SELECT coalesce(json_agg(json_build_array(tag.id, tag.name, tag.slug) ORDER BY tag.id), '[]')
    FROM taggit_tag tag JOIN taggit_taggeditem item ON item.tag_id = tag.id
    WHERE item.content_type_id = %s AND item.object_id = "initiatives_initiative"."id"
"""
_POLES = f"""
    SELECT coalesce(json_agg(json_build_array(pole.id, pole.name, pole.slug)
        ORDER BY pole.name COLLATE "{FRENCH_COLLATION}", pole.id), '[]')
    FROM initiatives_pole pole
    JOIN initiatives_initiative_poles link ON link.pole_id = pole.id
    WHERE link.initiative_id = "initiatives_initiative"."id" AND pole.state = %s
"""
# As `public_roles()`: a role shows only when each actor it names is published.
_ROLES = """
    SELECT coalesce(json_agg(json_build_array(
        role.id, role.kind, role.title, org.id, org.name, org.slug,
        person.id, person.first_name, person.last_name) ORDER BY role.kind, role.id), '[]')
    FROM initiatives_role role
    LEFT JOIN initiatives_organisation org ON org.id = role.organisation_id
    LEFT JOIN initiatives_person person ON person.id = role.person_id
    WHERE role.initiative_id = "initiatives_initiative"."id"
        AND (role.organisation_id IS NULL OR org.state = %s)
        AND (role.person_id IS NULL OR person.state = %s)
"""


def _with_blocks(initiatives, slug, content_type: int):
    return (
        initiatives.select_related("territory__parent__parent", "territory__epci")
        .annotate(
            profile_themes=RawSQL(_THEMES, (content_type,)),
            profile_poles=RawSQL(_POLES, (State.PUBLISHED,)),
            profile_roles=RawSQL(_ROLES, (State.PUBLISHED, State.PUBLISHED)),
        )
        .filter(slug=slug)
        .order_by()  # the slug is unique: no sort by name, as `first()` would add
    )


# The statement compiled once (observatoire/compiled.py) for visitors (published rows) and for
# staff (every row, to check a page before publishing it): compiling its joins and subqueries
# cost a cold profile about a millisecond, as much as running it.
_PROFILE = {
    "published": Compiled(
        lambda *values: _with_blocks(Initiative.objects.published(), *values),
        str,
        int,
        prepared=True,  # planned in 1.5 ms, run in 0.3: planned once per connection
    ),
    "all": Compiled(
        lambda *values: _with_blocks(Initiative.objects.all(), *values), str, int, prepared=True
    ),
}


def _content_type() -> int:
    return ContentType.objects.get_for_model(Initiative).pk  # cached per process


def profile_for(user, slug):
    """The profile of `slug` as `user` may see it (`Initiative.objects.visible_to`), or None."""
    if connection.vendor != "postgresql":
        return profile(Initiative.objects.visible_to(user), slug)
    compiled = _PROFILE["all" if user.is_staff else "published"]
    found = compiled.rows(slug, _content_type(), limit=1)
    return _unpacked(found[0]) if found else None


def profile(initiatives, slug):
    """The initiative of `slug` among `initiatives` with its themes, published PTCEs and public
    roles (as `profile_queryset` prefetches them), or None; in one statement on PostgreSQL."""
    if connection.vendor != "postgresql":
        return profile_queryset(initiatives).filter(slug=slug).first()
    found = _with_blocks(initiatives, slug, _content_type())[:1]
    return _unpacked(found[0]) if found else None


def _unpacked(initiative):
    """The initiative with its blocks, read as JSON arrays, as prefetched objects."""
    alias = connection.alias
    themes = [Tag.from_db(alias, _TAG_FIELDS, row) for row in _decoded(initiative.profile_themes)]
    poles = [Pole.from_db(alias, _POLE_FIELDS, row) for row in _decoded(initiative.profile_poles)]
    roles = []
    for pk, kind, title, org_pk, org_name, org_slug, person_pk, first, last in _decoded(
        initiative.profile_roles
    ):
        role = Role.from_db(
            alias, _ROLE_FIELDS, (pk, initiative.pk, org_pk, person_pk, kind, title)
        )
        role.initiative = initiative
        role.organisation = (
            Organisation.from_db(alias, _ORGANISATION_FIELDS, (org_pk, org_name, org_slug))
            if org_pk is not None
            else None
        )
        role.person = (
            Person.from_db(alias, _PERSON_FIELDS, (person_pk, first, last))
            if person_pk is not None
            else None
        )
        roles.append(role)
    del initiative.profile_themes, initiative.profile_poles, initiative.profile_roles
    initiative._prefetched_objects_cache = {
        "themes": _loaded(Tag, themes),
        "poles": _loaded(Pole, poles),
        "roles": _loaded(Role, roles),
    }
    return initiative


_TAG_FIELDS = ("id", "name", "slug")
_POLE_FIELDS = ("id", "name", "slug")
_ROLE_FIELDS = ("id", "initiative_id", "organisation_id", "person_id", "kind", "title")
_ORGANISATION_FIELDS = ("id", "name", "slug")
_PERSON_FIELDS = ("id", "first_name", "last_name")


def _decoded(value) -> list:
    return json.loads(value) if isinstance(value, str) else value


def _loaded(model, rows):
    """A queryset already holding `rows`, as a prefetch leaves it in the object's cache."""
    queryset = model._default_manager.all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def levers(initiative) -> list[str]:
    return [label for lever, label in LEVERS if getattr(initiative, lever)]


def _cards():
    """A related initiative's card: its link, name and commune; never its description's text."""
    return (
        Initiative.objects.published()
        .select_related("territory")
        .only("name", "slug", "territory", "territory__name")
    )


def nearby(initiative, limit=RELATED_LIMIT) -> list[Initiative]:
    """The closest published initiatives to the initiative, or to its commune when it has no
    coordinates of its own; by territory when neither has any.

    A bounding box on the partial index `initiative_published_position` (which on PostgreSQL also
    holds the id, migration 0005) ranks ids by squared distance (longitude shrunk by the cosine of
    the latitude: fine at the scale of a region) without reading the table; then the few cards are
    loaded, in the same statement (`_NEAREST`). Ranking full rows read every row of the box (650
    heap pages at 10,000 initiatives).
    """
    lat, lng = initiative.latitude, initiative.longitude
    if lat is None or lng is None:
        # 17% of the benchmark's initiatives: ranking by the name within the département read
        # the whole table (86 ms at 100,000 initiatives); the commune's centre is as good a place.
        lat, lng = initiative.territory.latitude, initiative.territory.longitude
    if lat is not None and lng is not None:
        found = _nearest(initiative.pk, lat, lng, limit)
        if found:
            return found
    # The territories as a list of ids, not a subquery: PostgreSQL hashed a subquery against a
    # sequential scan of every initiative; a list is a bitmap scan of the territory index.
    places = Territory.objects.filter(path__startswith=_local_path(initiative.territory))
    return list(
        _cards()
        .exclude(pk=initiative.pk)
        .filter(territory__in=list(places.values_list("pk", flat=True)))
        .annotate(here=Case(When(territory=initiative.territory_id, then=Value(0)), default=1))
        .order_by("here", by_name(), "pk")[:limit]
    )


# Nearest first within NEARBY_NEAR (where the small box is exact: inside its circle); only when
# fewer than `limit` lie there, the rest from the wide box: in a city the wide box holds thousands
# of initiatives (31 ms at 100,000), the small one a few. Under the outer LIMIT, the second branch
# runs only when the first did not fill it (as observatoire.db.first_rows). Plain SQL: built from
# querysets, the same statement took three times as long to compile as to run (12 ms a profile).
_DISTANCE = (
    "((latitude - %(lat)s) * (latitude - %(lat)s)"
    " + (longitude - %(lng)s) * (longitude - %(lng)s) * %(shrink)s)"
)
_BRANCH = f"""
    SELECT branch.id, branch.distance FROM (
        SELECT id, {_DISTANCE} AS distance FROM initiatives_initiative
        WHERE state = %(state)s AND id <> %(pk)s
            AND latitude BETWEEN %(south_{{box}})s AND %(north_{{box}})s
            AND longitude BETWEEN %(west_{{box}})s AND %(east_{{box}})s
            AND {_DISTANCE} {{test}} %(near)s
        ORDER BY distance, id LIMIT %(limit)s
    ) AS branch
"""
_NEAREST = f"""
    SELECT card.id, card.name, card.slug, card.territory_id, place.name, ranked.distance
    FROM (
        {_BRANCH.format(box="near", test="<=")}
        UNION ALL
        {_BRANCH.format(box="wide", test=">")}
        LIMIT %(limit)s
    ) AS ranked
    JOIN initiatives_initiative card ON card.id = ranked.id
    JOIN territoires_territory place ON place.id = card.territory_id
    ORDER BY ranked.distance, card.id
"""


def _nearest(pk, lat, lng, limit) -> list[Initiative]:
    """Published initiatives by squared distance (longitude shrunk by the cosine of the latitude:
    fine at the scale of a region) within NEARBY_DEGREES, as the cards `_cards()` reads."""
    shrink = max(math.cos(math.radians(lat)), 0.01)
    params = {"lat": lat, "lng": lng, "shrink": shrink * shrink, "state": State.PUBLISHED}
    params.update(pk=pk, near=NEARBY_NEAR * NEARBY_NEAR, limit=limit)
    for box, degrees in (("near", NEARBY_NEAR), ("wide", NEARBY_DEGREES)):
        params.update(
            {
                f"south_{box}": lat - degrees,
                f"north_{box}": lat + degrees,
                f"west_{box}": lng - degrees / shrink,
                f"east_{box}": lng + degrees / shrink,
            }
        )
    with connection.cursor() as cursor:
        cursor.execute(_NEAREST, params)
        rows = cursor.fetchall()
    cards = []
    for pk_, name, slug, territory_id, place, distance in rows:
        card = Initiative.from_db(
            connection.alias,
            ["id", "name", "slug", "territory_id"],
            [pk_, name, slug, territory_id],
        )
        card.territory = Territory.from_db(connection.alias, ["id", "name"], [territory_id, place])
        card.distance = distance
        cards.append(card)
    return cards


def _local_path(territory) -> str:
    """The path of the territory's département (or of the territory itself, above that level)."""
    parts = [part for part in territory.path.split("/") if part]
    for index, part in enumerate(parts):
        if part.startswith("d"):
            return "/".join(parts[: index + 1]) + "/"
    return territory.path


def similar(initiative, limit=RELATED_LIMIT) -> list[Initiative]:
    """Published initiatives sharing the most themes with this one, newest first (similar.py)."""
    return similar_initiatives(initiative, _cards, limit)


def schema_org(initiative, url: str, chain) -> dict:
    """schema.org `Project` (a kind of Organization): what search engines read of the profile."""
    places = {place.level: place for place in chain}
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    if initiative.address:
        address["streetAddress"] = initiative.address
    locality = places.get(Level.COMMUNE) or places.get(Level.EPCI)
    if locality:
        address["addressLocality"] = locality.name
    region = places.get(Level.REGION) or places.get(Level.COLLECTIVITY)
    if region:
        address["addressRegion"] = region.name
    location = {"@type": "Place", "address": address}
    if initiative.latitude is not None and initiative.longitude is not None:
        location["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": initiative.latitude,
            "longitude": initiative.longitude,
        }
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": initiative.name,
        "url": url,
        "description": initiative.summary,
        "address": address,
        "location": location,
        "keywords": [tag.name for tag in initiative.themes.all()],
        # One entry per organisation, however many roles it has.
        "member": [
            {"@type": "Organization", "name": name}
            for name in dict.fromkeys(
                role.organisation.name for role in initiative.roles.all() if role.organisation
            )
        ],
    }
    if initiative.website:
        data["sameAs"] = initiative.website
    if initiative.start_date:
        data["foundingDate"] = initiative.start_date.isoformat()
    if initiative.end_date:
        data["dissolutionDate"] = initiative.end_date.isoformat()
    return data


# What json_script escapes: nothing in the data can close the <script> element or open a comment.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict):
    """A `<script type="application/ld+json">` element; json_script cannot set that type."""
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
