"""What the directory's pages depend on in the public cache, and what its changes touch
(observatoire.cache: versioned keys, dependencies declared by the reader). Registered in apps.py.

- A change of an initiative touches the scopes of the territories it is in, before and after a
  move (their pages list it), and, when it moves, the `published:` scope that the nearby and
  similar panels of every profile depend on (they rank every published initiative by place).
- A profile depends on its initiative (its row, its roles and themes touch it), the
  organisations, people and PTCEs it shows, the territories' and themes' names; one of those
  newly published touches the profiles of its initiatives, which did not show it before.
- The directory and its facets depend on every row they count: any initiative, role,
  organisation, PTCE or theme.
"""

from observatoire import cache as public_cache

# What the directory's list and facets show or count: any change of these refreshes them.
DIRECTORY_TAGS = (
    "initiatives.initiative",
    "initiatives.role",
    "initiatives.organisation",
    "initiatives.person",
    "initiatives.pole",
    "initiatives.polemembership",
    "taggit.tag",
    "taggit.taggeditem",
    "territoires.territory",
)
# A row newly published, or moved: the panels that pick among all of them.
PLACEMENT = "published:initiatives.initiative"


def declare_directory() -> None:
    public_cache.depends_on(*DIRECTORY_TAGS)


def declare_profile(initiative) -> None:
    """A profile: its initiative, what its roles and PTCEs show, the names of places and themes."""
    shown = [public_cache.tag(initiative), "taggit.tag", "territoires.territory"]
    for role in initiative.roles.all():  # prefetched by profile_queryset
        if role.organisation_id:
            shown.append(f"initiatives.organisation:{role.organisation_id}")
        if role.person_id:
            shown.append(f"initiatives.person:{role.person_id}")
    shown += public_cache.tags(initiative.poles.all())
    public_cache.depends_on(*shown)


def declare_related(initiative, shown) -> None:
    """The nearby and similar panels: the initiatives shown, and any newcomer or move."""
    public_cache.depends_on(
        public_cache.tag(initiative),
        *public_cache.tags(shown),
        PLACEMENT,
        "taggit.taggeditem",  # similar: shared themes
    )


def _territories_touched(initiative) -> list[str]:
    from territoires.models import Territory
    from territoires.scopes import scopes

    before = public_cache.was(initiative, "territory_id")
    ids = {initiative.territory_id, before} - {None, public_cache.UNKNOWN}
    rows = Territory.objects.filter(pk__in=ids).values_list("path", "epci__code")
    names = [name for path, epci in rows for name in scopes(path, epci)]
    moved = any(
        public_cache.was(initiative, name) != getattr(initiative, name)
        for name in ("territory_id", "latitude", "longitude")
    )
    return [*names, PLACEMENT] if moved else names


def _newly_shown_on_profiles(actor) -> list[str]:
    """An organisation, person or PTCE just published: the profiles that will show it now (they
    did not declare it while it was hidden)."""
    from .models import Pole, Role

    if actor.state != public_cache.PUBLISHED or public_cache.was(actor, "state") == actor.state:
        return []
    if isinstance(actor, Pole):
        initiatives = Pole.initiatives.through.objects.filter(pole=actor)
    else:
        initiatives = Role.objects.filter(**{actor._meta.model_name: actor})
    pks = initiatives.values_list("initiative_id", flat=True).distinct()
    return [f"initiatives.initiative:{pk}" for pk in pks]


def register() -> None:
    from .models import Initiative

    public_cache.remember(Initiative, "territory_id", "latitude", "longitude")
    public_cache.touches("initiatives.initiative", _territories_touched)
    for label in ("initiatives.organisation", "initiatives.person", "initiatives.pole"):
        public_cache.touches(label, _newly_shown_on_profiles)
