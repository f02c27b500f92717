"""Specs of demo objects: pure functions from seeds, word lists and communes to what to load."""

import math
import random
from dataclasses import dataclass, field
from datetime import date

from django.utils.text import slugify

from territoires.models import Territory

from ..models import (
    LegalForm,
    MembershipRole,
    PoleStage,
    RoleKind,
    Stage,
)
from .seeds import (
    AMI_PTCE,
    SEED_AFFILIATIONS,
    SEED_INITIATIVES,
    SEED_ORGANISATIONS,
    SEED_PEOPLE,
    SEED_POLES,
)
from .words import (
    BRANDS,
    KINDS,
    ORGANISATION_FORMS,
    ORGANISATION_SUMMARIES,
    OTHER_THEMES,
    PARTNER_KINDS,
    POLE_NAMES,
    STAGES,
)

DEFAULT_COUNT = 300
DEFAULT_SEED = 2026
JITTER = 0.015  # degrees, so a generated point stays within 0.02° of its commune's centre

FICTIONAL = "Fiche de démonstration générée automatiquement : cette structure est fictive."


class DemoError(Exception):
    """Raised with one sentence saying why the demo cannot be loaded."""


def of(name: str) -> str:
    """French "de" before a place name: "de Lyon", "d'Orléans", "du Mans", "des Sables"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1].lower() in "aeiouyhéèêâîôûœ":
        return "d'" + name
    return "de " + name


@dataclass
class Commune:
    id: int
    code: str
    name: str
    latitude: float
    longitude: float
    epci_id: int | None
    weight: float


@dataclass
class Spec:
    """What one object should look like; the loader makes the database say the same."""

    slug: str
    fields: dict
    publish: bool = True
    themes: list[str] = field(default_factory=list)
    # (actor kind "org" or "person", actor slug, role kind, title)
    roles: list[tuple[str, str, str, str]] = field(default_factory=list)
    poles: list[str] = field(default_factory=list)
    # Poles only: (organisation slug, membership role); calls for interest keys (name, year).
    members: list[tuple[str, str]] = field(default_factory=list)
    calls: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class DemoSpecs:
    organisations: list[Spec] = field(default_factory=list)
    people: list[Spec] = field(default_factory=list)
    affiliations: list[tuple[str, str, str]] = field(default_factory=list)
    initiatives: list[Spec] = field(default_factory=list)
    poles: list[Spec] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Specs: seeds and generated (pure functions of their inputs)
# ---------------------------------------------------------------------------------------------


def seed_specs(territories: dict[tuple[str, str], Territory]) -> DemoSpecs:
    """The seed texts' entities, on the first of their candidate territories that exists."""

    def place(candidates):
        return next((territories[c] for c in candidates if c in territories), None)

    specs = DemoSpecs()
    for row in SEED_ORGANISATIONS:
        territory = place(row["territory"])
        specs.organisations.append(
            Spec(
                slug=row["slug"],
                fields={
                    "name": row["name"],
                    "acronym": row.get("acronym", ""),
                    "legal_form": row["legal_form"],
                    "summary": row["summary"],
                    "description": row.get("description", ""),
                    "website": row.get("website", ""),
                    "territory_id": territory.pk if territory else None,
                },
            )
        )
    for row in SEED_PEOPLE:
        specs.people.append(
            Spec(
                slug=row["slug"],
                fields={
                    "first_name": row["first_name"],
                    "last_name": row["last_name"],
                    "public_bio": row["public_bio"],
                },
                publish=row.get("publish", True),
            )
        )
    specs.affiliations = list(SEED_AFFILIATIONS)
    for row in SEED_INITIATIVES:
        territory = place(row["territory"])
        if territory is None:
            specs.skipped.append(row["name"])
            continue
        sectoral, territorial, alliances = row["levers"]
        specs.initiatives.append(
            Spec(
                slug=row["slug"],
                fields={
                    "name": row["name"],
                    "summary": row["summary"],
                    "description": row.get("description", ""),
                    "website": row.get("website", ""),
                    "address": row.get("address", ""),
                    "stage": row["stage"],
                    "start_date": row.get("start_date"),
                    "end_date": None,
                    "territory_id": territory.pk,
                    "latitude": territory.latitude if territory.longitude is not None else None,
                    "longitude": territory.longitude if territory.latitude is not None else None,
                    "sectoral_interaction": sectoral,
                    "territorial_coherence": territorial,
                    "cross_world_alliances": alliances,
                },
                themes=row["themes"],
                roles=row["roles"],
                poles=row.get("poles", []),
            )
        )
    for row in SEED_POLES:
        territory = place(row["territory"])
        if territory is None:
            specs.skipped.append(row["name"])
            continue
        specs.poles.append(
            Spec(
                slug=row["slug"],
                fields={
                    "name": row["name"],
                    "summary": row["summary"],
                    "description": row.get("description", ""),
                    "stage": row["stage"],
                    "founded_year": row.get("founded_year"),
                    "territory_id": territory.pk,
                },
                members=row["members"],
                calls=row["calls"],
            )
        )
    return specs


def _distance2(a: Commune, b: Commune) -> float:
    """Squared equirectangular distance, enough to rank neighbours."""
    dx = (a.longitude - b.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return dx * dx + (a.latitude - b.latitude) ** 2


def _nearest(origin: Commune, items: list, place, k: int) -> list:
    """The `k` items closest to `origin`, `place(item)` giving each item's commune."""
    return sorted(items, key=lambda item: _distance2(origin, place(item)))[:k]


def _slug(text: str) -> str:
    """slugify, keeping the ligatures that NFKD does not decompose ("Cœur" -> "coeur")."""
    for ligature, letters in (("œ", "oe"), ("Œ", "Oe"), ("æ", "ae"), ("Æ", "Ae")):
        text = text.replace(ligature, letters)
    return slugify(text)


def _unique_slug(text: str, taken: set[str]) -> str:
    slug = _slug(text)
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def generated_specs(communes: list[Commune], count: int, seed: int) -> DemoSpecs:
    """`count` fictional initiatives, count/2 organisations and count/25 PTCEs over France."""
    rng = random.Random(seed)
    cum_weights = []
    total = 0.0
    for commune in communes:
        total += commune.weight
        cum_weights.append(total)
    forms = [(label, form) for label, form, weight in ORGANISATION_FORMS for _ in range(weight)]
    stages = [stage for stage, weight in STAGES for _ in range(weight)]
    specs = DemoSpecs()
    taken_initiatives: set[str] = set()
    taken_organisations: set[str] = set()
    org_places: dict[str, Commune] = {}
    n_organisations = max(1, count // 2)

    initiatives = []  # (spec, commune)
    for index in range(count):
        for _attempt in range(20):
            commune = rng.choices(communes, cum_weights=cum_weights)[0]
            kind, summary, kind_themes, odds = rng.choice(KINDS)
            brand = rng.choice(BRANDS) if rng.random() < 0.4 else None
            if brand:
                name = f"{brand}, {kind[0].lower() + kind[1:]} {of(commune.name)}"
            else:
                name = f"{kind} {of(commune.name)}"
            if _slug(name) not in taken_initiatives:
                break
        slug = _unique_slug(name, taken_initiatives)
        stage = rng.choice(stages)
        start = date(rng.randint(1995, 2025), rng.randint(1, 12), rng.randint(1, 28))
        end = None
        if stage == Stage.ENDED:
            end = date(min(start.year + rng.randint(2, 12), 2025), rng.randint(1, 12), 28)
        elif stage in (Stage.IDEA, Stage.EMERGING):
            start = date(rng.randint(2021, 2025), start.month, start.day)
        themes = list(kind_themes)
        for theme in rng.sample(OTHER_THEMES, rng.randint(1, 2)):
            if theme not in themes:
                themes.append(theme)
        latitude = round(commune.latitude + rng.uniform(-JITTER, JITTER), 5)
        longitude = round(commune.longitude + rng.uniform(-JITTER, JITTER), 5)
        spec = Spec(
            slug=slug,
            fields={
                "name": name,
                "summary": summary.format(where="à " + commune.name),
                "description": FICTIONAL,
                "website": "",
                "address": "",
                "stage": stage,
                "start_date": start,
                "end_date": end,
                "territory_id": commune.id,
                "latitude": max(-90.0, min(90.0, latitude)),
                "longitude": max(-180.0, min(180.0, longitude)),
                "sectoral_interaction": rng.random() < odds[0],
                "territorial_coherence": rng.random() < odds[1],
                "cross_world_alliances": rng.random() < odds[2],
            },
            # Every tenth one stays a draft, so that `published()` visibly matters.
            publish=index % 10 != 7,
            themes=themes,
        )
        initiatives.append((spec, commune))

        if index < n_organisations:
            # The first initiatives bring their own organisation, in the same commune.
            label, form = rng.choice(forms)
            org_name = f"{label} {brand or rng.choice(BRANDS)} {of(commune.name)}"
            org_slug = _unique_slug(org_name, taken_organisations)
            specs.organisations.append(
                Spec(
                    slug=org_slug,
                    fields={
                        "name": org_name,
                        "acronym": "",
                        "legal_form": form,
                        "summary": ORGANISATION_SUMMARIES[form].format(where="à " + commune.name),
                        "description": FICTIONAL,
                        "website": "",
                        "territory_id": commune.id,
                    },
                    publish=index % 20 != 13,
                )
            )
            org_places[org_slug] = commune
            spec.roles.append(("org", org_slug, rng.choice([RoleKind.LEAD, RoleKind.FOUNDER]), ""))

    org_slugs = list(org_places)
    for spec, commune in initiatives:
        near = _nearest(commune, org_slugs, org_places.__getitem__, 8)
        if not spec.roles:
            spec.roles.append(("org", near[0], RoleKind.LEAD, ""))
        lead = spec.roles[0][1]
        others = [slug for slug in near if slug != lead]
        for slug in rng.sample(others, min(len(others), rng.choice([0, 1, 1, 2, 2, 3]))):
            spec.roles.append(("org", slug, rng.choice(PARTNER_KINDS), ""))
    specs.initiatives = [spec for spec, _commune in initiatives]

    networks = [slug for slug in org_slugs if _form_of(specs, slug) == LegalForm.NETWORK]
    n_poles = max(1, count // 25)
    taken_poles: set[str] = set()
    used_territories: set[int] = set()
    for index in range(n_poles):
        for _attempt in range(20):
            _anchor, commune = rng.choice(initiatives)
            if (commune.epci_id or commune.id) not in used_territories:
                break
        used_territories.add(commune.epci_id or commune.id)
        name = rng.choice(POLE_NAMES).format(of=of(commune.name))
        slug = _unique_slug(name, taken_poles)
        near_orgs = _nearest(commune, org_slugs, org_places.__getitem__, rng.randint(3, 7))
        n_pilots = min(len(near_orgs), rng.randint(1, 2))
        members = [(slug_, MembershipRole.PILOT) for slug_ in near_orgs[:n_pilots]]
        members += [(slug_, MembershipRole.MEMBER) for slug_ in near_orgs[n_pilots:]]
        if networks and rng.random() < 0.4:
            members.append((rng.choice(networks), MembershipRole.SUPPORT))
        stage = rng.choice([PoleStage.EMERGING, PoleStage.CONSOLIDATED])
        if stage == PoleStage.EMERGING:
            founded = rng.randint(2019, 2024)
        else:
            founded = rng.randint(2010, 2018)
        answered_ami = founded <= 2022 and rng.random() < 0.6
        pole = Spec(
            slug=slug,
            fields={
                "name": name,
                "summary": f"Des acteurs {of(commune.name)} et des environs coopèrent pour "
                "développer ensemble des activités et des emplois sur leur territoire.",
                "description": FICTIONAL,
                "stage": stage,
                "founded_year": founded,
                "territory_id": commune.epci_id or commune.id,
            },
            publish=not (n_poles >= 3 and index == n_poles - 1),
            members=members,
            calls=[(AMI_PTCE["name"], AMI_PTCE["year"])] if answered_ami else [],
        )
        specs.poles.append(pole)
        for spec, _commune in _nearest(
            commune, initiatives, lambda pair: pair[1], rng.randint(3, 6)
        ):
            spec.poles.append(slug)
    return specs


def _form_of(specs: DemoSpecs, slug: str) -> str | None:
    return next((s.fields["legal_form"] for s in specs.organisations if s.slug == slug), None)
