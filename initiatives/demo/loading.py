"""Loading the demo specs into the database, and the demo accounts."""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, models, transaction
from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from observatoire import roles
from observatoire.publishing import State
from territoires.models import Level, Territory

from .. import services
from ..models import (
    Affiliation,
    CallForInterest,
    Initiative,
    Organisation,
    Person,
    Pole,
    PoleMembership,
    Role,
)
from .seeds import AMI_PTCE, SEED_INITIATIVES, SEED_ORGANISATIONS, SEED_POLES
from .specs import (
    DEFAULT_COUNT,
    DEFAULT_SEED,
    FICTIONAL,
    Commune,
    DemoError,
    DemoSpecs,
    Spec,
    generated_specs,
    seed_specs,
)


@dataclass
class Account:
    role: str
    username: str | None
    password: str | None


@dataclass
class DemoResult:
    counts: list[tuple[str, int, int | None]]
    accounts: list[Account]
    skipped: list[str]
    seconds: float


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------


def check_allowed() -> None:
    if not getattr(settings, "DEMO_ALLOWED", False):
        raise DemoError(
            _(
                "Demo data and accounts are refused here: DEMO_ALLOWED is false in these settings "
                "(production)."
            )
        )


def communes_with_coordinates() -> list[Commune]:
    """Current communes that can be put on a map, in a stable order (by INSEE code)."""
    try:
        loaded = Territory.objects.filter(level=Level.COMMUNE).exists()
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DemoError(
            _("The database is not ready (%(reason)s): run `python manage.py migrate` first.")
            % {"reason": reason}
        ) from exc
    if not loaded:
        raise DemoError(
            _("Territories are not loaded yet: run `python manage.py load_territories` first.")
        )
    rows = (
        Territory.objects.filter(
            level=Level.COMMUNE,
            is_current=True,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .order_by("code")
        .values_list("id", "code", "name", "latitude", "longitude", "epci_id", "population")
    )
    communes = [
        Commune(pk, code, name, lat, lng, epci, math.sqrt(population or 500))
        for pk, code, name, lat, lng, epci, population in rows
    ]
    if not communes:
        raise DemoError(
            _("No commune has coordinates: load the territories with their coordinates first.")
        )
    return communes


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _upsert(model: type[models.Model], specs: list[Spec]) -> dict[str, models.Model]:
    """Create or update `model` rows keyed by slug in a few queries; publish through services."""
    existing = model.objects.in_bulk([spec.slug for spec in specs], field_name="slug")
    to_create, to_update, changed = [], [], set()
    for spec in specs:
        obj = existing.get(spec.slug)
        if obj is None:
            to_create.append(model(slug=spec.slug, **spec.fields))
            continue
        for name, value in spec.fields.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed.add(name)
        to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if changed:
        model.objects.bulk_update(to_update, sorted(changed), batch_size=500)
    objects = model.objects.in_bulk([spec.slug for spec in specs], field_name="slug")
    for spec in specs:
        obj = objects[spec.slug]
        if spec.publish and obj.state != State.PUBLISHED:
            services.publish(obj)
    return objects


def _set_themes(initiatives: dict[str, Initiative], specs: list[Spec]) -> None:
    names = sorted({theme for spec in specs for theme in spec.themes})
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    for name in names:
        if name not in tags:
            tags[name] = Tag.objects.create(name=name)
    content_type = ContentType.objects.get_for_model(Initiative)
    ids = [obj.pk for obj in initiatives.values()]
    TaggedItem.objects.filter(content_type=content_type, object_id__in=ids).delete()
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(content_type=content_type, object_id=initiatives[spec.slug].pk, tag=tag)
            for spec in specs
            for tag in {tags[theme] for theme in spec.themes}
        ],
        batch_size=1000,
    )


def _prune(model: type[models.Model], specs: list[Spec]) -> None:
    """Delete generated rows this run no longer describes (after a run with a larger --count)."""
    model.objects.filter(description=FICTIONAL).exclude(
        slug__in=[spec.slug for spec in specs]
    ).delete()


def _apply(specs: DemoSpecs) -> None:
    for model, model_specs in (
        (Initiative, specs.initiatives),
        (Pole, specs.poles),
        (Organisation, specs.organisations),
    ):
        _prune(model, model_specs)
    organisations = _upsert(Organisation, specs.organisations)
    people = _upsert(Person, specs.people)
    initiatives = _upsert(Initiative, specs.initiatives)
    poles = _upsert(Pole, specs.poles)

    Affiliation.objects.filter(person__in=people.values()).delete()
    Affiliation.objects.bulk_create(
        Affiliation(person=people[person], organisation=organisations[org], title=title)
        for person, org, title in specs.affiliations
    )

    _set_themes(initiatives, specs.initiatives)

    actors = {"org": organisations, "person": people}
    Role.objects.filter(initiative__in=initiatives.values()).delete()
    Role.objects.bulk_create(
        [
            Role(
                initiative=initiatives[spec.slug],
                organisation=actors[actor][slug] if actor == "org" else None,
                person=actors[actor][slug] if actor == "person" else None,
                kind=kind,
                title=title,
            )
            for spec in specs.initiatives
            for actor, slug, kind, title in spec.roles
        ],
        batch_size=1000,
    )

    Through = Initiative.poles.through
    Through.objects.filter(initiative__in=initiatives.values()).delete()
    Through.objects.bulk_create(
        [
            Through(initiative=initiatives[spec.slug], pole=poles[slug])
            for spec in specs.initiatives
            for slug in dict.fromkeys(spec.poles)
            if slug in poles
        ],
        batch_size=1000,
    )

    PoleMembership.objects.filter(pole__in=poles.values()).delete()
    PoleMembership.objects.bulk_create(
        [
            PoleMembership(pole=poles[spec.slug], organisation=organisations[slug], role=role)
            for spec in specs.poles
            for slug, role in dict.fromkeys(spec.members)
        ],
        batch_size=1000,
    )

    call, _created = CallForInterest.objects.update_or_create(
        name=AMI_PTCE["name"],
        year=AMI_PTCE["year"],
        defaults={"issuer": AMI_PTCE["issuer"], "url": AMI_PTCE["url"]},
    )
    calls = {(call.name, call.year): call}
    for spec in specs.poles:
        poles[spec.slug].calls_for_interest.set([calls[key] for key in spec.calls])


def _seed_territories() -> dict[tuple[str, str], Territory]:
    wanted = {
        candidate
        for rows in (SEED_ORGANISATIONS, SEED_INITIATIVES, SEED_POLES)
        for row in rows
        for candidate in row["territory"]
    }
    lookup = Q()
    for level, code in wanted:
        lookup |= Q(level=level, code=code)
    return {(t.level, t.code): t for t in Territory.objects.filter(lookup)}


# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------

# (role and username, password, group, is_staff, is_superuser). Fixed passwords are acceptable
# only because these accounts exist solely where settings.DEMO_ALLOWED is true.
DEMO_ACCOUNTS = [
    ("partner", "demo-partner-2026", roles.PARTNER, False, False),
    ("researcher", "demo-researcher-2026", roles.RESEARCHER, False, False),
    ("researcher2", "demo-researcher2-2026", roles.RESEARCHER, False, False),
    ("staff", "demo-staff-2026", roles.STAFF, True, False),
    ("admin", "demo-admin-2026", None, True, True),
]


def create_accounts() -> list[Account]:
    """One account per role (public needs none), with its password reset to the printed one."""
    check_allowed()
    group_names = {group for _u, _p, group, _s, _su in DEMO_ACCOUNTS if group}
    if Group.objects.filter(name__in=group_names).count() != len(group_names):
        roles.sync_roles()
    groups = {group.name: group for group in Group.objects.filter(name__in=group_names)}
    User = get_user_model()
    accounts = [Account("public", None, None)]
    for username, password, group, is_staff, is_superuser in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(**{User.USERNAME_FIELD: username})
        user.email = f"{username}@example.org"
        user.is_active = True
        user.is_staff = is_staff
        user.is_superuser = is_superuser
        user.set_password(password)
        user.save()
        user.groups.set([groups[group]] if group else [])
        accounts.append(Account(username, username, password))
    return accounts


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------

COUNTED = [
    Initiative, Organisation, Person, Pole, PoleMembership, Role, Affiliation, CallForInterest,
]  # fmt: skip


def counts() -> list[tuple[str, int, int | None]]:
    """(label, total, published or None) for each directory model."""
    rows = []
    for model in COUNTED:
        total = model.objects.count()
        published = model.objects.published().count() if hasattr(model, "state") else None
        rows.append((str(model._meta.verbose_name_plural), total, published))
    return rows


# Other apps' demo content, loaded after the directory it refers to; each loader is idempotent.
APP_LOADERS = [
    "accompagnements.demo.load_demo_missions",
    "evaluations.demo.load_demo_assessments",
    "terrain.demo.load_demo_fieldwork",
    "agenda.demo.load_demo_agenda",
    "publications.demo.load_demo_publications",
]
# Once everything is loaded and committed: the words a mistyped search is corrected to (the
# hourly beat task's work, done at once so that the demo corrects typos from its first page).
AFTER_LOADING = ["observatoire.search.refresh_words"]


def load_demo(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> DemoResult:
    """Load (or refresh) the demo data and accounts; refuses where DEMO_ALLOWED is false."""
    started = time.monotonic()
    check_allowed()
    if count < 0:
        raise DemoError(_("The number of generated initiatives cannot be negative."))
    communes = communes_with_coordinates()
    with transaction.atomic():
        specs = seed_specs(_seed_territories())
        if count:
            generated = generated_specs(communes, count, seed)
            specs.organisations += generated.organisations
            specs.initiatives += generated.initiatives
            specs.poles += generated.poles
        _apply(specs)
        accounts = create_accounts()  # before the apps' content, which names the demo users
        for loader in APP_LOADERS:
            import_string(loader)()
    for step in AFTER_LOADING:
        import_string(step)()
    return DemoResult(counts(), accounts, specs.skipped, time.monotonic() - started)
