"""Possible duplicates of a directory entry, found before anything is written.

`find_duplicates(model, data, exclude_pk=None)` returns candidates, most likely first, each with the
reasons a person reads ("same SIREN", "similar name in the same commune"). `data` holds the values
about to be written (name, territory, latitude, longitude, siren, siret, rna).
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q

from .identifiers import compact


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


def find_duplicates(model, data, *, exclude_pk=None, limit=5):
    found = {}

    def add(obj, reason, score):
        c = found.setdefault(obj.pk, Candidate(obj))
        if reason not in c.reasons:
            c.reasons.append(reason)
        c.score = max(c.score, score)

    rows = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    fields = {f.name for f in model._meta.get_fields()}
    for key, label in (("siren", "SIREN"), ("siret", "SIRET"), ("rna", "RNA")):
        value = compact(data.get(key, ""))
        if value and key in fields:
            for obj in rows.filter(**{key: value})[:limit]:
                add(obj, label, 1.0)
    name = fold(data.get("name", ""))
    territory = data.get("territory")
    if name and territory is not None:
        for obj in rows.filter(Q(territory=territory))[:500]:
            if fold(obj.name) == name:
                add(obj, "name", 0.9)
    return sorted(found.values(), key=lambda c: -c.score)[:limit]
