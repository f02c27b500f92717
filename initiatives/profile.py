"""The reads behind a profile: the initiative, its neighbours, its kin, its metadata.

The blocks other apps add to a profile (findings, events, the radar) are their panels
(observatoire.panels), registered in their apps.py; nearby and similar are this app's (panels.py).
"""

import json
import math

from django.db import connection
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Value, When
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from observatoire.publishing import State
from territoires.models import Level, Territory

from .filters import LEVERS, by_name
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
    return similar_initiatives(initiative, _cards(), limit)


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
