"""Backup and restore: the demo, with real files, backed up into one archive and rebuilt in a
fresh PostgreSQL database (and a fresh SQLite one) with fresh media folders, by another process;
the rows per table and the checksum of every file come back the same."""

import hashlib
import io
import json
import os
import tarfile
from io import StringIO

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from initiatives.models import Initiative
from medias import pipeline
from medias import services as media_services
from medias.models import JobState
from observatoire import backup
from terrain.models import Consent
from tests.fresh_python import run_script
from tests.initiatives.test_demo import territories  # noqa: F401 - fixture
from tests.medias import files

pytestmark = pytest.mark.django_db

# Run in the fresh process: restore, then print what was restored, measured as the test measures.
RESTORE = """
import hashlib, json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from observatoire import backup
from initiatives.models import Initiative
try:
    call_command("restore", {archive!r}, *{options!r})
except Exception as exc:
    print("REFUSED:", exc)
    sys.exit(3)
checksums = {{}}
for label, storage, name in backup.referenced_files():
    with storage.open(name, "rb") as handle:
        checksums[label + ":" + name] = hashlib.sha256(handle.read()).hexdigest()
unindexed = (
    Initiative.objects.filter(search_vector=None).count()
    if connection.vendor == "postgresql" else 0
)
print("RESULT:" + json.dumps(
    {{"counts": backup.row_counts(), "checksums": checksums, "unindexed": unindexed}}
))
"""


@pytest.fixture
def demo(territories, settings, tmp_path, monkeypatch):  # noqa: F811
    """The demo directory, missions and fieldwork, with a processed photo and a signed form."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_PRIVATE_ROOT = tmp_path / "private-media"
    monkeypatch.setattr(media_services, "send", lambda job_id: True)
    call_command("load_demo", count=40, stdout=StringIO(), stderr=StringIO())
    initiative = Initiative.objects.published().first()
    photo = media_services.store_upload(
        SimpleUploadedFile("atelier.jpg", files.jpeg()), initiative, "image"
    )
    for job in photo.jobs.all():
        assert pipeline.run(job.pk, "test") == JobState.SUCCEEDED, job.error
    consent = Consent.objects.first()
    consent.signed_form.save("formulaire.pdf", ContentFile(files.pdf("Signé")))
    return tmp_path


def manifest_of(archive) -> dict:
    with tarfile.open(archive, "r:gz") as opened:
        return json.loads(opened.extractfile("manifest.json").read())


def checksums(manifest) -> dict:
    return {f"{entry['field']}:{entry['name']}": entry["sha256"] for entry in manifest["files"]}


@pytest.fixture
def fresh_postgresql():
    """An empty PostgreSQL database beside the test one, dropped afterwards."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    admin = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    yield f"postgres://{settings['USER']}{password}@{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore(archive, database_url, folder, *options):
    script = RESTORE.format(archive=str(archive), options=list(options))
    done = run_script(
        script,
        folder / "var",
        timeout=600,
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(folder / "media"),
        MEDIA_PRIVATE_ROOT=str(folder / "private-media"),
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT:"):
            return done, json.loads(line[len("RESULT:") :])
    return done, None


def test_the_demo_comes_back_whole_in_a_fresh_postgresql(demo, fresh_postgresql):
    archive = demo / "backup.tar.gz"
    out = StringIO()
    call_command("backup", output=str(archive), stdout=out, stderr=StringIO())
    manifest = manifest_of(archive)
    assert manifest["counts"] == backup.row_counts()
    assert manifest["counts"]["initiatives.initiative"] >= 40
    assert manifest["counts"]["terrain.segment"] and manifest["counts"]["auth.user"]
    # Both media roots are in it: the photo, its renditions, and the signed consent form.
    fields = {entry["field"] for entry in manifest["files"]}
    assert {"medias.mediafile.original", "medias.derivedfile.file"} <= fields
    assert "terrain.consent.signed_form" in fields
    assert os.stat(archive).st_mode & 0o077 == 0  # personal data: its owner only

    target = demo / "restored"
    done, restored = restore(archive, fresh_postgresql, target)
    assert restored is not None, done.stdout + done.stderr
    assert restored["counts"] == manifest["counts"]
    assert restored["checksums"] == checksums(manifest)
    assert restored["unindexed"] == 0  # search vectors made again by the triggers
    # Written where the fresh instance keeps them: every file kept is private now.
    assert any(names for _dir, _dirs, names in os.walk(target / "private-media"))

    # Into the same database again: refused, it holds data now; --force replaces it.
    done, again = restore(archive, fresh_postgresql, target)
    assert done.returncode == 3 and "--force" in done.stdout and again is None
    done, forced = restore(archive, fresh_postgresql, target, "--force")
    assert forced is not None, done.stdout + done.stderr
    assert forced["counts"] == manifest["counts"]
    assert forced["checksums"] == checksums(manifest)


def test_the_same_archive_restores_into_sqlite(demo):
    archive = demo / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=StringIO(), stderr=StringIO())
    manifest = manifest_of(archive)
    target = demo / "sqlite"
    target.mkdir()
    done, restored = restore(archive, f"sqlite:///{target / 'restored.sqlite3'}", target)
    assert restored is not None, done.stdout + done.stderr
    assert restored["counts"] == manifest["counts"]
    assert restored["checksums"] == checksums(manifest)


def test_a_damaged_archive_changes_nothing(demo):
    archive = demo / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=StringIO(), stderr=StringIO())
    damaged = demo / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name.startswith("files/terrain.consent.signed_form/"):
                content = content.replace(b"%PDF", b"%PDX")
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    before = backup.row_counts()
    with pytest.raises(CommandError, match="Somme de contrôle incorrecte"):
        call_command("restore", str(damaged), "--force", stdout=StringIO())
    assert backup.row_counts() == before
    with pytest.raises(CommandError, match="pas vide"):
        call_command("restore", str(archive), stdout=StringIO())


def test_a_backup_can_go_to_standard_output(demo, capfdbinary):
    call_command("backup", output="-", stderr=StringIO())
    written = capfdbinary.readouterr().out
    with tarfile.open(fileobj=io.BytesIO(written), mode="r:gz") as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
        dump = opened.extractfile(manifest["database"]["path"]).read()
    assert hashlib.sha256(dump).hexdigest() == manifest["database"]["sha256"]
    assert manifest["counts"] == backup.row_counts()
