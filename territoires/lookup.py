"""A territory as people type it: by name, code or postcode, accents and "St-" forgiven.

`suggestions()` feeds every territory input (the JSON endpoint of suggest.py); `resolve()` reads
what was typed or picked, for the filters of the map, the agenda, the directory and the exports,
and for the forms. An internal code (`departement:62`) or a suggestion's label is exact;
otherwise the typed text leads to the best territory when one stands out ("62": the
Pas-de-Calais; "62700": Bruay-la-Buissière, whose postcode it is, not the commune whose INSEE code
is 62700), or to a few candidates to choose from when several do ("62000": Arras or Dainville).
"""

import re
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from .models import Level, PostalCode, Territory
from .names import FIVE_CHARACTER_CODE, POSTCODE, fold

LIMIT = 15
# Which level a bare code or a name means first: "84" is the Vaucluse (département) rather than
# Auvergne-Rhône-Alpes (région 84); "Paris" the département rather than the commune it covers.
PREFERENCE = [
    Level.DEPARTEMENT,
    Level.REGION,
    Level.COLLECTIVITY,
    Level.EPCI,
    Level.COMMUNE,
    Level.AREA,
]
_RANK = Case(
    *[When(level=level, then=Value(rank)) for rank, level in enumerate(PREFERENCE)],
    output_field=IntegerField(),
)
# "Bruay-la-Buissière (62178, commune)": the label of a suggestion, read back exactly.
# "Name (code, level)"; a level's label may hold its own parentheses: "intercommunalité (EPCI)".
_LABEL = re.compile(r"\((?P<code>[^,()]*), (?P<level>(?:[^()]|\([^()]*\))+)\)\s*$")
_CODE = re.compile(r"(?:\d[\dAB]\d*|\d+)", re.IGNORECASE)


def label(territory: Territory) -> str:
    return f"{territory.name} ({territory.code}, {Level(territory.level).label})"


@dataclass
class Suggestion:
    territory: Territory
    hint: str = ""  # why it is suggested when the name does not say it: a postcode

    def as_json(self) -> dict:
        territory = self.territory
        return {
            "id": territory.pk,
            "label": label(territory),
            "value": f"{territory.level}:{territory.code}",
            "hint": self.hint,
        }


@dataclass
class Resolution:
    typed: str
    territory: Territory | None = None
    candidates: list[Territory] = field(default_factory=list)  # when several fit equally
    exact: bool = False  # an internal code or a suggestion's label: nothing was guessed

    @property
    def notice(self) -> str:
        """What the page says when it read a name, code or postcode as a territory."""
        if self.territory is None or self.exact:
            return ""
        return _("“%(typed)s” was read as %(territory)s.") % {
            "typed": self.typed,
            "territory": label(self.territory),
        }


def _ranked(queryset, *first):
    """The preferred level first, then the most populous, then in French alphabetical order."""
    return queryset.annotate(level_rank=_RANK).order_by(
        *first, "level_rank", F("population").desc(nulls_last=True), "search_name", "pk"
    )


def _postcode_communes(code: str, places=None, *, prefix=False):
    lookup = {"code__startswith": code} if prefix else {"code": code}
    places = places if places is not None else Territory.objects.current()
    return places.filter(
        level=Level.COMMUNE, pk__in=PostalCode.objects.filter(**lookup).values("territory")
    )


def _by_code(code: str, places) -> list[Territory]:
    """Territories whose code this is: a five-digit number is a postcode before an INSEE code."""
    if POSTCODE.fullmatch(code):
        communes = list(_ranked(_postcode_communes(code, places))[:LIMIT])
        if communes:
            return communes
    return list(_ranked(places.filter(code=code))[:LIMIT])


def suggestions(query: str, limit: int = LIMIT) -> list[Suggestion]:
    """A few current territories for what is being typed: codes first, then names."""
    query = (query or "").strip()[:100]
    folded = fold(query)
    if len(folded.replace(" ", "")) < 2:
        return []
    found: list[Suggestion] = []
    code = query.replace(" ", "").upper()
    if _CODE.fullmatch(code):
        # Communes by postcode: "62700" Bruay-la-Buissière, "627" those of 62700, 62710...
        communes = []
        if code.isdigit():
            communes = list(
                _ranked(_postcode_communes(code, prefix=len(code) < 5)).prefetch_related(
                    "postal_codes"
                )[:limit]
            )
        # A full postcode is not also an INSEE code: 62700 is not Regnauville (INSEE 62700).
        if not (communes and POSTCODE.fullmatch(code)):
            found += [Suggestion(t) for t in _ranked(Territory.objects.current().filter(code=code))]
        for commune in communes:
            codes = sorted(p.code for p in commune.postal_codes.all() if p.code.startswith(code))
            found.append(Suggestion(commune, ", ".join(codes)))
    else:
        # The whole name, then names that start so, then names with a word that does ("omer").
        names = (
            Territory.objects.current()
            .filter(Q(search_name__startswith=folded) | Q(search_name__contains=f" {folded}"))
            .annotate(
                closeness=Case(
                    When(search_name=folded, then=Value(0)),
                    When(search_name__startswith=folded, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
        )
        found += [Suggestion(t) for t in _ranked(names, "closeness")[:limit]]
    unique, seen = [], set()
    for suggestion in found:
        if suggestion.territory.pk not in seen:
            seen.add(suggestion.territory.pk)
            unique.append(suggestion)
    return unique[:limit]


def resolve(typed: str, queryset=None) -> Resolution:
    """The territory meant by what was typed: exact, guessed (with a notice), or candidates.

    `queryset` limits where it is looked for (a form's choices); internal codes and labels also
    find territories that are no longer current, and lead to their successor when they have one.
    """
    typed = " ".join((typed or "").split())[:200]
    base = queryset if queryset is not None else Territory.objects.all()
    resolution = Resolution(typed)
    if not typed:
        return resolution
    level, sep, code = typed.partition(":")
    match = _LABEL.search(typed)
    if sep and level in Level.values:
        resolution.exact = True
        resolution.territory = _successor(base.filter(level=level, code=code).first(), base)
        return resolution
    if match:
        levels = {str(lvl.label): lvl for lvl in Level}
        resolution.exact = True
        resolution.territory = _successor(
            base.filter(
                code=match["code"].strip(),
                level=levels.get(match["level"].strip(), ""),
                name=typed[: match.start()].strip(),
            ).first(),
            base,
        )
        if resolution.territory is not None:
            return resolution
        resolution.exact = False
        typed = typed[: match.start()].strip() or typed
    return _guess(resolution, typed, base)


def _successor(territory, base):
    if territory is None or territory.is_current or territory.replaced_by_id is None:
        return territory
    return base.filter(pk=territory.replaced_by_id).first() or territory


def _guess(resolution: Resolution, typed: str, base) -> Resolution:
    code = typed.replace(" ", "").upper()
    current = base.filter(is_current=True)
    if _CODE.fullmatch(code):
        # A short code means the preferred level ("84": the département); a five-character one
        # a commune, by postcode first, and several communes share some postcodes.
        by_level = not FIVE_CHARACTER_CODE.fullmatch(code)
        return _choose(resolution, _by_code(code, current), by_level=by_level)
    folded = fold(typed)
    same = list(_ranked(current.filter(search_name=folded))[:LIMIT])
    if not same:
        same = list(_ranked(current.filter(search_name__startswith=folded))[: LIMIT + 1])
        if len(same) > 1:
            resolution.candidates = same[:LIMIT]
            return resolution
    return _choose(resolution, same, by_level=True)


def _choose(resolution: Resolution, candidates: list, *, by_level: bool) -> Resolution:
    """The one candidate, or the one of the most preferred level; several at once: ambiguous."""
    if by_level and candidates:
        top = candidates[0].level
        best = [t for t in candidates if t.level == top]
    else:
        best = candidates
    if len(best) == 1:
        resolution.territory = best[0]
    else:
        resolution.candidates = candidates
    return resolution
