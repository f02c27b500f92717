"""A few real départements of the official package, loaded by the real loader in a second or so.

Tests that need real names, codes and postcodes (Bruay-la-Buissière's 62700, the Regnauville
whose INSEE code is 62700, Saint-Omer, Île-de-France) load these rather than all of France.
"""

import json
from pathlib import Path

from territoires.services import default_data_dir, load_territories

# Hauts-de-France (Pas-de-Calais, Nord), Île-de-France (Paris), Auvergne-Rhône-Alpes (Rhône),
# Provence-Alpes-Côte d'Azur (Vaucluse, département 84, while région 84 is Auvergne-Rhône-Alpes)
# and an overseas collectivity, Saint-Pierre-et-Miquelon.
REGIONS = {"32", "11", "84", "93", "975"}
DEPARTEMENTS = {"62", "59", "75", "69", "84", "975"}


def write_subset(folder: Path, regions=REGIONS, departements=DEPARTEMENTS) -> Path:
    source = default_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder.parent / "package.json").write_text(json.dumps({"version": "subset"}))

    def read(name):
        return json.loads((source / f"{name}.json").read_text(encoding="utf-8"))

    communes = [c for c in read("communes") if c.get("departement") in departements]
    codes = {c["code"] for c in communes}
    epcis = []
    for epci in read("epci"):
        members = [m for m in epci.get("membres", []) if m["code"] in codes]
        if members:
            epcis.append({**epci, "membres": members})
    files = {
        "regions": [r for r in read("regions") if r["code"] in regions],
        "departements": [d for d in read("departements") if d["code"] in departements],
        "epci": epcis,
        "communes": communes,
    }
    for name, rows in files.items():
        (folder / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False))
    return folder


def load_subset(folder: Path, **chosen):
    """Load the subset (or `regions=`, `departements=` of one's own) with the real loader."""
    return load_territories(data_dir=write_subset(folder, **chosen), with_coordinates=False)
