"""`manage.py import_directory` as a person runs it on a file received by mail: the counts and the
refused rows printed, exit 0 when it ran (refused rows included), 2 with one line when the file
cannot be read. It speaks the site's language, French."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from initiatives.models import Initiative
from tests.initiatives.import_files import EXPECTED_REFUSALS, load_communes, messy_csv, write

# The command runs in a process of its own: what the test writes must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def manage(*args) -> subprocess.CompletedProcess:
    """The command in its own process, on the test database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "observatoire.settings.test",
        "DATABASE_URL": url,
        "MEDIA_PRIVATE_ROOT": str(settings.MEDIA_PRIVATE_ROOT),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "import_directory", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def summary(created, updated, merged, unchanged, refused) -> str:
    return (
        f"créées\u00a0: {created}, mises à jour\u00a0: {updated}, fusionnées avec une fiche "
        f"existante\u00a0: {merged}, inchangées\u00a0: {unchanged}, refusées\u00a0: {refused}"
    )


@pytest.fixture
def communes(tmp_path):
    """The Pas-de-Calais' communes, committed (the database is emptied after each test)."""
    load_communes(tmp_path / "subset", departements=["62"])


def test_a_dry_run_prints_the_counts_and_the_refused_lines_and_exits_0(communes, tmp_path):
    path = write(tmp_path / "annuaire.csv", messy_csv("cp1252"))
    done = manage(path, "--source", "partenaire", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert summary(2, 0, 0, 0, 5) in done.stdout
    for line in EXPECTED_REFUSALS:
        assert f"ligne {line}, refusée\u00a0: " in done.stdout
    assert "ligne 5, refusée\u00a0: Même fiche qu’à la ligne 2." in done.stdout
    assert Initiative.objects.count() == 0


def test_an_import_writes_and_a_second_one_changes_nothing(communes, tmp_path):
    path = write(tmp_path / "annuaire.csv", messy_csv("utf-8-sig"))
    first = manage(path, "--source", "partenaire")
    assert first.returncode == 0, first.stderr
    assert summary(2, 0, 0, 0, 5) in first.stdout
    assert Initiative.objects.filter(source="partenaire").count() == 2
    again = manage(path, "--source", "partenaire")
    assert again.returncode == 0, again.stderr
    assert summary(0, 0, 0, 2, 5) in again.stdout
    assert Initiative.objects.count() == 2


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("absent.csv", None, "No such file"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "n’est pas du texte"),
        ("cassé.json", b'{"type": "FeatureCollection", ', "n’est pas un JSON valide"),
        ("faux.xlsx", b"PK\x03\x04 not a zip", "n’est pas un tableur lisible"),
        ("sans-nom.csv", b"a;b\n1;2\n", "aucune colonne ne contient le nom"),
    ],
)
def test_a_file_it_cannot_read_exits_2_with_one_line(tmp_path, name, content, says):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    done = manage(str(path))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert says in lines[0] and Path(path).name in lines[0]
    assert done.stdout == ""
