"""The national-scale dataset: initiatives on real communes, their actors, PTCEs and interviews.

Deterministic from a seed, written with PostgreSQL COPY. During the load the session runs with
`session_replication_role = replica`, so neither the search triggers nor the foreign-key checks
fire row by row (the theme trigger alone would otherwise update each initiative once per theme);
the search vectors are then computed once per row by `observatoire.search.reindex`, which sets them
to NULL and lets the triggers do the work in one UPDATE per table (about 4 s for 10,000
initiatives with their organisations and PTCEs). With the triggers on, each initiative's vector
would be computed once on COPY and again for each of its 2 to 5 themes.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.utils.text import slugify

from initiatives.demo.specs import of
from initiatives.demo.words import (
    BRANDS,
    KINDS,
    ORGANISATION_FORMS,
    ORGANISATION_SUMMARIES,
    OTHER_THEMES,
    PARTNER_KINDS,
    POLE_NAMES,
    STAGES,
)

from .database import log

SEED = 2026
VERSION = 1  # bump when the generator's output changes, so a stored dataset is rebuilt
SCALES = {
    "small": {"initiatives": 10_000, "segments": 50_000},
    "full": {"initiatives": 100_000, "segments": 500_000},
}
NOW = datetime(2026, 1, 1, tzinfo=UTC)
FIRST_NAMES = [
    "Camille",
    "Dominique",
    "Claude",
    "Sacha",
    "Alix",
    "Marie",
    "Jean",
    "Nadia",
    "Karim",
    "Sophie",
    "Louis",
    "Inès",
    "Hugo",
    "Léa",
    "Yanis",
    "Chloé",
    "Paul",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "Roux",
]
# Interview speech: sentences the transcripts and excerpts are made of.
SPEECH = [
    "au début on était trois autour de la table et personne n'y croyait vraiment",
    "la mairie nous a prêté le local, ça a tout changé pour nous",
    "on a monté une SCIC pour que les salariés et les usagers décident ensemble",
    "le plus dur c'est de trouver des financements qui durent plus d'un an",
    "les bénévoles viennent surtout le samedi matin pour l'atelier",
    "avec le PTCE on mutualise les achats et la comptabilité",
    "il faut du temps pour que la coopération entre les structures prenne",
    "les habitants du quartier ont proposé d'ouvrir une épicerie solidaire",
    "la communauté de communes a fini par inscrire le projet dans son plan",
    "on accompagne une vingtaine de personnes en insertion chaque année",
    "le circuit court, c'est aussi une question de logistique et de camions",
    "on a eu des tensions sur la gouvernance quand le projet a grandi",
    "je travaillais à la chambre régionale de l'économie sociale et solidaire",
    "le diagnostic partagé a permis de mettre tout le monde d'accord",
]


def parameters(scale: str) -> dict:
    counts = SCALES[scale]
    n = counts["initiatives"]
    return {
        "version": VERSION,
        "seed": SEED,
        "initiatives": n,
        "organisations": n * 2 // 5,
        "people": n // 5,
        "poles": max(n // 100, 20),
        "segments": counts["segments"],
    }


def _stamp(rng: random.Random, days: int = 3650) -> datetime:
    return NOW - timedelta(days=rng.randrange(days), seconds=rng.randrange(86400))


def _defaults(table: str, columns: list[str]) -> list[tuple[str, object]]:
    """(column, value) for the NOT NULL columns the generator does not write: the model's default
    (COPY sets none of Django's), so that a column added to a model does not break the load."""
    from django.apps import apps

    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None:
        return []
    extra = []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.null or field.primary_key:
            continue
        value = field.get_default()
        if value is not None:
            extra.append((field.column, value))
    return extra


def _copy(table: str, columns: list[str], rows) -> int:
    count = 0
    extra = _defaults(table, columns)
    names = [*columns, *(column for column, _value in extra)]
    values = tuple(value for _column, value in extra)
    sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row((*row, *values))
            count += 1
    return count


def _communes() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT id, name, path, latitude, longitude, coalesce(population, 100)
            FROM territoires_territory WHERE level = 'commune' AND is_current ORDER BY code
            """
        )
        return cursor.fetchall()


def generate(params: dict) -> dict:
    """Load territories, then the directory and the fieldwork; returns seconds per step."""
    from territoires.services import load_territories

    from .data_fieldwork import fieldwork  # it reads this module's helpers

    timings = {}
    started = time.monotonic()
    load_territories()
    timings["territories"] = time.monotonic() - started
    rng = random.Random(params["seed"])
    communes = _communes()
    weights = [population for *_rest, population in communes]
    located = [c for c in communes if c[3] is not None]
    located_weights = [c[5] for c in located]

    step = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        _directory(rng, params, communes, weights, located, located_weights)
        fieldwork(rng, params, communes)
    timings["copy"] = time.monotonic() - step
    log(f"copied the rows in {timings['copy']:.0f} s")

    step = time.monotonic()
    from initiatives import counts
    from initiatives.models import Initiative, Organisation, Pole
    from observatoire.search import reindex

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the triggers' queries are planned from these statistics

    for model in (Initiative, Organisation, Pole):
        reindex(model)
    counts.recount()  # the published initiatives per territory, which its trigger did not count
    from initiatives import tallies

    tallies.rebuild()  # the directory's facet counts, written with the triggers off too
    from observatoire.search import refresh_words

    refresh_words()  # the words of the public texts, for correcting a mistyped query
    timings["search vectors"] = time.monotonic() - step
    step = time.monotonic()
    with connection.cursor() as cursor:
        for table in _SEQUENCED:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        cursor.execute("ANALYZE")
    timings["analyze"] = time.monotonic() - step
    log("generated: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()))
    return {key: round(value, 1) for key, value in timings.items()}


_SEQUENCED = [
    "initiatives_initiative",
    "initiatives_organisation",
    "initiatives_person",
    "initiatives_role",
    "initiatives_pole",
    "initiatives_polemembership",
    "initiatives_initiative_poles",
    "taggit_tag",
    "taggit_taggeditem",
    "terrain_season",
    "terrain_visit",
    "terrain_interview",
    "terrain_transcript",
    "terrain_segment",
    "terrain_code",
    "terrain_excerpt",
    "terrain_excerpt_codes",
]


def _state(rng: random.Random) -> tuple[str, datetime | None]:
    roll = rng.random()
    if roll < 0.85:
        return "published", _stamp(rng)
    return ("draft", None) if roll < 0.95 else ("withdrawn", _stamp(rng))


def _directory(rng, params, communes, weights, located, located_weights) -> None:
    from django.contrib.contenttypes.models import ContentType

    from initiatives.models import Initiative

    n_org, n_people, n_poles, n = (
        params["organisations"],
        params["people"],
        params["poles"],
        params["initiatives"],
    )
    form_weights = [weight for *_x, weight in ORGANISATION_FORMS]

    org_places = rng.choices(communes, weights=weights, k=n_org)

    def organisations():
        for pk, commune in enumerate(org_places, start=1):
            label, legal_form, _weight = rng.choices(ORGANISATION_FORMS, form_weights)[0]
            name = f"{label} {rng.choice(BRANDS)} {of(commune[1])}"
            summary = ORGANISATION_SUMMARIES.get(legal_form, "").format(where=f"à {commune[1]}")
            state, published = _state(rng)
            created = _stamp(rng)
            yield (
                pk,
                state,
                published,
                created,
                created,
                name,
                f"{slugify(name)[:180]}-{pk}",
                "",
                legal_form,
                summary,
                "",
                "",
                f"{rng.randrange(10**8, 10**9)}",
                commune[0],
            )

    _copy(
        "initiatives_organisation",
        [
            "id",
            "state",
            "published_at",
            "created_at",
            "updated_at",
            "name",
            "slug",
            "acronym",
            "legal_form",
            "summary",
            "description",
            "website",
            "siren",
            "territory_id",
        ],
        organisations(),
    )

    def people():
        for pk in range(1, n_people + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            state, published = _state(rng)
            created = _stamp(rng)
            yield (
                pk,
                state,
                published,
                created,
                created,
                first,
                last,
                f"{slugify(f'{first} {last}')}-{pk}",
                "",
                f"p{pk}@example.org",
                "",
            )

    _copy(
        "initiatives_person",
        [
            "id",
            "state",
            "published_at",
            "created_at",
            "updated_at",
            "first_name",
            "last_name",
            "slug",
            "public_bio",
            "email",
            "phone",
        ],
        people(),
    )

    # PTCEs: one département each, chosen where people live; initiatives join those nearby.
    pole_places = rng.choices(communes, weights=weights, k=n_poles)
    poles_by_departement: dict[str, list[int]] = {}
    pole_rows = []
    for pk, commune in enumerate(pole_places, start=1):
        name = rng.choice(POLE_NAMES).format(of=of(commune[1]))
        departement = commune[2].rsplit("/", 2)[0]
        poles_by_departement.setdefault(departement, []).append(pk)
        state, published = _state(rng)
        created = _stamp(rng)
        pole_rows.append(
            (
                pk,
                state,
                published,
                created,
                created,
                name,
                f"{slugify(name)}-{pk}",
                f"Un pôle territorial de coopération économique {of(commune[1])}.",
                "",
                rng.choice(["emerging", "consolidated"]),
                rng.randrange(2010, 2026),
                "",
                commune[0],
            )
        )
    _copy(
        "initiatives_pole",
        [
            "id",
            "state",
            "published_at",
            "created_at",
            "updated_at",
            "name",
            "slug",
            "summary",
            "description",
            "stage",
            "founded_year",
            "website",
            "territory_id",
        ],
        pole_rows,
    )
    _copy(
        "initiatives_polemembership",
        ["pole_id", "organisation_id", "role"],
        (
            (pole, org, "pilot" if i == 0 else "member")
            for pole in range(1, n_poles + 1)
            for i, org in enumerate(rng.sample(range(1, n_org + 1), rng.randrange(4, 12)))
        ),
    )

    themes = sorted({t for kind in KINDS for t in kind[2]} | set(OTHER_THEMES))
    tag_ids = {name: pk for pk, name in enumerate(themes, start=1)}
    _copy(
        "taggit_tag",
        ["id", "name", "slug"],
        ((pk, name, slugify(name)) for name, pk in tag_ids.items()),
    )

    stage_names = [stage for stage, _w in STAGES]
    stage_weights = [weight for _s, weight in STAGES]
    # Four in five initiatives on a commune with a position, the others on any commune.
    places = [
        rng.choices(located, located_weights)[0] if rng.random() < 0.8 else None for _ in range(n)
    ]
    unplaced = rng.choices(communes, weights=weights, k=n)
    tagged, roles, memberships = [], [], []

    def initiatives():
        for pk in range(1, n + 1):
            commune = places[pk - 1] or unplaced[pk - 1]
            kind, summary, kind_themes, odds = rng.choice(KINDS)
            name = f"{kind} {rng.choice(BRANDS)} {of(commune[1])}"
            extra = rng.sample(OTHER_THEMES, rng.randrange(0, 3))
            for theme in dict.fromkeys(kind_themes + extra):
                tagged.append((pk, tag_ids[theme]))
            roles.append((pk, rng.randrange(1, n_org + 1), None, "lead"))
            for _ in range(rng.randrange(0, 4)):
                if rng.random() < 0.7:
                    roles.append((pk, rng.randrange(1, n_org + 1), None, rng.choice(PARTNER_KINDS)))
                else:
                    roles.append((pk, None, rng.randrange(1, n_people + 1), "participant"))
            nearby = poles_by_departement.get(commune[2].rsplit("/", 2)[0])
            if nearby and rng.random() < 0.3:
                memberships.append((pk, rng.choice(nearby)))
            state, published = _state(rng)
            created = _stamp(rng)
            lat = lng = None
            if places[pk - 1] is not None:
                lat = round(commune[3] + rng.uniform(-0.015, 0.015), 6)
                lng = round(commune[4] + rng.uniform(-0.015, 0.015), 6)
            where = f"à {commune[1]}"
            description = " ".join(s.capitalize() + "." for s in rng.sample(SPEECH, 3))
            start = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
            yield (
                pk,
                state,
                published,
                created,
                created,
                name,
                f"{slugify(name)[:180]}-{pk}",
                summary.format(where=where),
                description,
                start,
                None,
                rng.choices(stage_names, stage_weights)[0],
                "",
                "",
                lat,
                lng,
                rng.random() < odds[0],
                rng.random() < odds[1],
                rng.random() < odds[2],
                commune[0],
            )

    _copy(
        "initiatives_initiative",
        [
            "id",
            "state",
            "published_at",
            "created_at",
            "updated_at",
            "name",
            "slug",
            "summary",
            "description",
            "start_date",
            "end_date",
            "stage",
            "website",
            "address",
            "latitude",
            "longitude",
            "sectoral_interaction",
            "territorial_coherence",
            "cross_world_alliances",
            "territory_id",
        ],
        initiatives(),
    )
    content_type = ContentType.objects.get_for_model(Initiative).pk
    _copy(
        "taggit_taggeditem",
        ["object_id", "content_type_id", "tag_id"],
        ((pk, content_type, tag) for pk, tag in tagged),
    )
    _copy(
        "initiatives_role",
        ["initiative_id", "organisation_id", "person_id", "kind", "title"],
        ((i, o, p, k, "") for i, o, p, k in roles),
    )
    _copy("initiatives_initiative_poles", ["initiative_id", "pole_id"], memberships)
