"""Possible duplicates of a directory entry, found before anything is written.

`find_duplicates(model, data, exclude_pk=None)` returns candidates, most likely first, each with the
reasons a person reads ("same SIREN", "similar name in the same commune"). `data` holds the values
about to be written (name, territory, latitude, longitude, siren, siret, rna; first_name and
last_name for a person).

Two ways to be the same: a register identifier in common (SIREN, SIRET, RNA; a SIRET's first nine
digits are its SIREN), or a similar name nearby: in the same commune, or within 2 km. On
PostgreSQL "similar" is pg_trgm's similarity of the unaccented, lower-case names (the expression
the name indexes of migration 0002_search_vectors are on); on SQLite, difflib's ratio of the folded
names, over the same commune and 2 km box.
"""

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Func, Q, TextField, Value
from django.db.models.functions import Lower
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .identifiers import compact
from .kinds import kind_of

NEAR_KM = 2.0
KM_PER_DEGREE = 111.2
TRIGRAM_THRESHOLD = 0.4  # pg_trgm similarity of the folded names
RATIO_THRESHOLD = 0.75  # difflib's ratio on SQLite, which weighs differently
SCAN_LIMIT = 500  # rows of one commune or box compared in Python at most


def fold(text: str) -> str:
    """Lower case, no accents, one space between words: "Épicerie d’Arras" -> "epicerie d arras"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.split(r"[^0-9a-z]+", plain)).strip()


@dataclass
class Candidate:
    obj: object
    reasons: list = field(default_factory=list)
    score: float = 0.0


class ImmutableUnaccent(Func):
    """The database function the name indexes are built on (observatoire migration 0001)."""

    function = "immutable_unaccent"
    output_field = TextField()


def distance_km(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance (haversine) between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _number(value):
    try:
        return float(str(value).replace(",", ".")) if value not in (None, "") else None
    except ValueError:
        return None


def _territory(model, value):
    """The Territory of `data` (given as a row or its id), or None."""
    if value in (None, ""):
        return None
    territory_model = model._meta.get_field("territory").related_model
    if isinstance(value, territory_model):
        return value
    try:
        return territory_model.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


def _position_fields(model):
    """Where a row's position is read: its own point (initiatives), else its commune's centre."""
    names = {f.name for f in model._meta.concrete_fields}
    if {"latitude", "longitude"} <= names:
        return "latitude", "longitude"
    return "territory__latitude", "territory__longitude"


def _point(model, data, territory):
    lat, lon = _number(data.get("latitude")), _number(data.get("longitude"))
    if lat is not None and lon is not None:
        return lat, lon
    if territory is not None and territory.latitude is not None:
        return territory.latitude, territory.longitude
    return None


def _box(model, point) -> Q:
    lat_field, lon_field = _position_fields(model)
    lat, lon = point
    dlat = NEAR_KM / KM_PER_DEGREE
    dlon = dlat / max(0.01, math.cos(math.radians(lat)))
    return Q(
        **{
            f"{lat_field}__gte": lat - dlat,
            f"{lat_field}__lte": lat + dlat,
            f"{lon_field}__gte": lon - dlon,
            f"{lon_field}__lte": lon + dlon,
        }
    )


def _where(model, obj):
    own = _position_fields(model)[0] == "latitude"
    if own and obj.latitude is not None and obj.longitude is not None:
        return obj.latitude, obj.longitude
    territory = getattr(obj, "territory", None)
    if territory is not None and territory.latitude is not None:
        return territory.latitude, territory.longitude
    return None


def _similar_names(model, rows, name, territory, point):
    """(row, similarity) for rows with a similar name in the commune or the 2 km box."""
    place = Q(pk__in=[])
    if territory is not None:
        place |= Q(territory=territory)
    if point is not None:
        place |= _box(model, point)
    rows = rows.filter(place).select_related("territory")
    if connection.vendor == "postgresql":
        folded = ImmutableUnaccent(Lower(Value(name, output_field=TextField())))
        rows = (
            rows.annotate(
                name_similarity=TrigramSimilarity(ImmutableUnaccent(Lower("name")), folded)
            )
            .filter(name_similarity__gte=TRIGRAM_THRESHOLD)
            .order_by("-name_similarity")
        )
        return [(obj, obj.name_similarity) for obj in rows[:SCAN_LIMIT]]
    wanted = fold(name)
    found = []
    for obj in rows[:SCAN_LIMIT]:
        ratio = difflib.SequenceMatcher(None, wanted, fold(obj.name)).ratio()
        if ratio >= RATIO_THRESHOLD:
            found.append((obj, ratio))
    return found


def _people(rows, data):
    """People: the same folded full name (a person has no place to narrow the search by)."""
    first, last = data.get("first_name", ""), data.get("last_name", "")
    wanted = fold(f"{first} {last}")
    if not fold(last):
        return []
    found = []
    for obj in rows.filter(last_name__icontains=last.strip()[:3])[:SCAN_LIMIT]:
        ratio = difflib.SequenceMatcher(None, wanted, fold(f"{obj.first_name} {obj.last_name}"))
        if ratio.ratio() >= 0.9:
            found.append((obj, ratio.ratio()))
    return found


def _distance(km: float) -> str:
    """ "450 m", "1,6 km" (the decimal separator of the active language; no-break spaces)."""
    if km < 1:
        return f"{round(km * 1000)}\u00a0m"
    return f"{number_format(km, 1)}\u00a0km"


def find_duplicates(model, data, *, exclude_pk=None, limit=5):
    found = {}

    def add(obj, reason, score):
        c = found.setdefault(obj.pk, Candidate(obj))
        if reason not in c.reasons:
            c.reasons.append(reason)
        c.score = max(c.score, score)

    rows = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    fields = {f.name for f in model._meta.get_fields()}
    siret = compact(data.get("siret", ""))
    siren = compact(data.get("siren", "")) or siret[:9]
    for key, value, reason in (
        ("siren", siren, _("same SIREN")),
        ("siret", siret, _("same SIRET")),
        ("rna", compact(data.get("rna", "")), _("same RNA number")),
    ):
        if value and key in fields:
            for obj in rows.filter(**{key: value})[:limit]:
                add(obj, reason, 1.0)
    if siren and "siren" not in fields and "siret" in fields:  # an initiative's own site
        for obj in rows.filter(siret__startswith=siren)[:limit]:
            add(obj, _("same SIREN"), 0.95)

    if "first_name" in fields:
        for obj, ratio in _people(rows, data):
            add(obj, _("same name"), ratio)
        return sorted(found.values(), key=lambda c: -c.score)[:limit]

    name = data.get("name", "") or ""
    if fold(name) and "territory" in fields:
        territory = _territory(model, data.get("territory"))
        point = _point(model, data, territory)
        if territory is None and point is None:
            # Nowhere to look around (an organisation without a commune): the same name only.
            for obj in rows.filter(name__iexact=name.strip())[:limit]:
                add(obj, _("same name"), 0.8)
        for obj, similarity in _similar_names(model, rows, name, territory, point):
            if territory is not None and obj.territory_id == territory.pk:
                add(obj, _("similar name in the same commune"), similarity)
                continue
            where = _where(model, obj)
            if point is None or where is None:
                continue
            km = distance_km(*point, *where)
            if km <= NEAR_KM:
                add(
                    obj,
                    _("similar name %(distance)s away") % {"distance": _distance(km)},
                    similarity * 0.95,
                )
    return sorted(found.values(), key=lambda c: -c.score)[:limit]


# --- The "possible duplicates" step of a form --------------------------------------------------
# A creation form (staff, import preview, contribution) finds the candidates before writing, shows
# them with `initiatives/_duplicates.html` inside its own <form>, and reads the answer back:
#   step = duplicate_step(Initiative, form.cleaned_data, request.POST)
#   if step.needs_answer: re-render the form with {"duplicates": step} (nothing written)
#   elif step.same_as: it is that entry (edit or merge it: step.merge_url(new_entry) once saved)
#   else: a different one, create it.
ANSWER = "duplicate_answer"
DIFFERENT = "different"


@dataclass
class DuplicateStep:
    kind: str
    candidates: list
    answer: str = ""  # "", "different", or a candidate's id
    field_name: str = ANSWER

    @property
    def needs_answer(self) -> bool:
        return bool(self.candidates) and not self.answer

    @property
    def same_as(self):
        for candidate in self.candidates:
            if str(candidate.obj.pk) == self.answer:
                return candidate.obj
        return None

    def merge_url(self, entry) -> str:
        """The staff merge page comparing `entry` with the candidate it is the same as."""
        from urllib.parse import urlencode

        from django.urls import reverse

        query = urlencode({"kind": self.kind, "a": self.same_as.pk, "b": entry.pk})
        return f"{reverse('initiatives:merge')}?{query}"


def duplicate_step(model, data, posted=None, *, exclude_pk=None, kind=None) -> DuplicateStep:
    """The candidates for `data`, and the person's answer if `posted` (request.POST) holds one.

    An answer naming an entry that is no longer a candidate counts as no answer: asked again.
    """
    candidates = find_duplicates(model, data, exclude_pk=exclude_pk)
    answer = (posted or {}).get(ANSWER, "")
    known = {str(c.obj.pk) for c in candidates} | {DIFFERENT}
    return DuplicateStep(
        kind=kind or kind_of(model),
        candidates=candidates,
        answer=answer if answer in known else "",
    )
