"""Shared by the import tests: real communes (Pas-de-Calais and Nord, with their postcodes and
positions, loaded by the real loader once per module) and the messy files the tests write."""

import json

import pytest

from territoires.models import PostalCode, Territory
from territoires.services import load_territories
from tests.territoires.subset import write_subset

HEADER = [
    "Identifiant",
    "Nom",
    "Code postal",
    "Commune",
    "SIREN",
    "Site web",
    "Courriel",
    "Thèmes",
    "Résumé",
]
# (line in the file, cells); None is an empty line. Line 1 is the header.
MESSY_ROWS = [
    (
        2,
        [
            "A1",
            "Épicerie solidaire « Le Panier »",
            "62000",
            "Arras",
            "552 100 554",
            "epicerie-arras.fr",
            "contact@panier.fr",
            "Alimentation, économie circulaire",
            "Une épicerie où l’on paie selon ses moyens.",
        ],
    ),
    # A postcode without its commune: 62700 serves Bruay-la-Buissière only.
    (
        3,
        [
            "A2",
            "Maison des échanges",
            "62700",
            "",
            "",
            "",
            "",
            "Échange",
            "Échanger plutôt qu’acheter.",
        ],
    ),
    (4, None),
    # The same row again (a copy-paste in the spreadsheet).
    (
        5,
        [
            "A1",
            "Épicerie solidaire « Le Panier »",
            "62000",
            "Arras",
            "552 100 554",
            "epicerie-arras.fr",
            "contact@panier.fr",
            "Alimentation, économie circulaire",
            "Une épicerie où l’on paie selon ses moyens.",
        ],
    ),
    (6, ["A3", "Ressourcerie du Ternois", "62000", "Arras", "123456789", "", "", "", ""]),
    (7, ["A4", "", "62000", "Arras", "", "", "", "", '=HYPERLINK("http://evil.example")']),
    (8, ["A5", "Jardin partagé des Blancs-Monts", "62000", "", "", "", "", "", ""]),
    (9, ["A6", "Café associatif", "62000", "Paris", "", "", "", "", ""]),
]
EXPECTED_REFUSALS = {
    5: "Same entry as line 2.",
    6: "not a valid SIREN",
    7: "The name is missing.",
    8: "Ambiguous postcode 62000",
    9: "Unknown commune “Paris” for postcode 62000",
}


def messy_csv(encoding: str) -> bytes:
    """Semicolons, Windows line ends, quoted cells, an empty line, in `encoding` (a BOM with
    utf-8-sig)."""

    def cell(text):
        return f'"{text}"' if any(c in text for c in ';"\n') else text

    lines = [";".join(HEADER)]
    for _line, cells in MESSY_ROWS:
        lines.append("" if cells is None else ";".join(cell(c.replace('"', '""')) for c in cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def write(path, content) -> str:
    if isinstance(content, dict | list):
        content = json.dumps(content, ensure_ascii=False).encode()
    path.write_bytes(content)
    return str(path)


def load_communes(folder, departements=("62", "59")) -> None:
    load_territories(
        data_dir=write_subset(folder, regions={"32"}, departements=set(departements)),
        with_coordinates=True,
    )


def forget_communes() -> None:
    """Remove the communes loaded outside the tests' transactions, and what removing them wrote to
    the partners' change feed (tombstones that would otherwise outlive this module)."""
    from publications.models import Change

    PostalCode.objects.all().delete()
    Territory.objects.update(parent=None, epci=None, replaced_by=None)
    Territory.objects.all().delete()
    Change.objects.filter(kind="territory").delete()


@pytest.fixture(scope="module")
def communes(django_db_setup, django_db_blocker, tmp_path_factory):
    """Hauts-de-France's Pas-de-Calais and Nord, their postcodes and known positions, loaded
    once for the module (tests in transactions of their own) and removed afterwards."""
    with django_db_blocker.unblock():
        load_communes(tmp_path_factory.mktemp("subset") / "data")
        yield
        forget_communes()
