"""Backing up an instance into one archive and rebuilding an empty instance from it.

The archive (tar.gz) holds:
- `database.jsonl`: Django's `dumpdata`, one object a line, foreign keys to content types,
  permissions and users by natural key, every row with its primary key (generic relations such
  as a file's owner or a tag's object hold primary keys as text). The same file loads
  into PostgreSQL and SQLite (an embedded demo moves to a server and back), needs no client
  binary matching the server's version, and is read line by line. `pg_dump` would copy
  PostgreSQL-only columns too, but only into PostgreSQL: here those columns (search vectors, the
  directory's facet arrays) are written again by their triggers and `update_search_index`.
  Content types, permissions and sessions are left out: `migrate` makes the first two, the
  third is nobody's to keep.
- `files/<app.model.field>/<name>`: every file a row refers to, read through its field's storage
  (public or private, local folder or object store), and written back through the storage that
  field has on the restoring instance.
- `manifest.json`, last: when and from which migrations, the rows per model, and the size and
  SHA-256 of the dump and of every file. `restore` checks every checksum before it writes
  anything, migrates, refuses a database that already holds data (unless told to replace it),
  loads, writes the files, and compares the counts.
"""

import contextlib
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
DUMP = "database.jsonl"
MANIFEST = "manifest.json"
# Made by `migrate` on the restoring side (and recreated by it): never dumped, never counted.
NOT_DUMPED = ["contenttypes", "auth.permission", "sessions"]
# Rows `migrate` itself creates (the roles' groups and their permissions): present in an empty
# instance, replaced by the archive's own (with their primary keys) when it is loaded.
MADE_BY_MIGRATE = {"auth.group", "auth.group_permissions"}


class BackupError(Exception):
    """Something a person must fix; the message says what."""


def counted_models():
    """Every table the dump fills, auto-created many-to-many tables included."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in NOT_DUMPED or meta.label_lower in NOT_DUMPED:
            continue
        yield model


def row_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in counted_models()}


def file_fields():
    """(label, model, field) of every file field, e.g. ("medias.mediafile.original", ...)."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield f"{model._meta.label_lower}.{field.name}", model, field


def referenced_files():
    """(label, storage, name) of every stored file a row refers to, once each."""
    for label, model, field in file_fields():
        names = (
            model._base_manager.exclude(**{field.name: ""})
            .exclude(**{f"{field.name}__isnull": True})
            .values_list(field.name, flat=True)
            .distinct()
        )
        for name in names.iterator():
            yield label, field.storage, name


def latest_migrations() -> dict[str, list[str]]:
    applied = MigrationLoader(connection, ignore_no_migrations=True).applied_migrations
    found: dict[str, list[str]] = {}
    for app_label, name in sorted(applied):
        found.setdefault(app_label, []).append(name)
    return found


class _Hashing(io.RawIOBase):
    """A reader that hashes what passes through it."""

    def __init__(self, handle):
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, n=-1):
        data = self.handle.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add(archive, arcname: str, handle, size: int) -> dict:
    info = tarfile.TarInfo(arcname)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o600
    reader = _Hashing(handle)
    archive.addfile(info, reader)
    return {"path": arcname, "size": reader.size, "sha256": reader.digest.hexdigest()}


@dataclass
class BackupResult:
    manifest: dict
    missing: list


def write_backup(target) -> BackupResult:
    """Write the archive to `target` (a binary stream); returns its manifest."""
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "migrations": latest_migrations(),
        "counts": row_counts(),
        "files": [],
    }
    missing = []
    with tarfile.open(fileobj=target, mode="w|gz") as archive:
        with tempfile.TemporaryDirectory(prefix="observatoire-backup-") as folder:
            dump = Path(folder) / DUMP
            call_command(
                "dumpdata",
                format="jsonl",
                # Not natural_primary: taggit's TaggedItem's natural key (its object id alone)
                # is not unique, and primary keys must stay what generic relations refer to.
                natural_foreign=True,
                use_base_manager=True,
                exclude=NOT_DUMPED,
                output=str(dump),
                verbosity=0,
            )
            with dump.open("rb") as handle:
                manifest["database"] = _add(archive, DUMP, handle, dump.stat().st_size)
        for label, storage, name in referenced_files():
            try:
                size = storage.size(name)
                handle = storage.open(name, "rb")
            except (OSError, FileNotFoundError):  # a row whose file is gone: said, not fatal
                missing.append(f"{label}: {name}")
                continue
            with handle:
                entry = _add(archive, f"files/{label}/{name}", handle, size)
            manifest["files"].append({**entry, "field": label, "name": name})
        manifest["missing"] = missing
        content = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
        _add(archive, MANIFEST, io.BytesIO(content), len(content))
    return BackupResult(manifest, missing)


def backup_to_path(path: Path) -> BackupResult:
    """Write the archive beside `path` and move it there once complete (never half an archive)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("wb") as target:
            os.chmod(partial, 0o600)  # personal data: readable by its owner only
            result = write_backup(target)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return result


# --- Restore ------------------------------------------------------------------------------------


def read_manifest(archive) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError(_("The archive has no manifest.json: it is not a backup.")) from None
    manifest = json.loads(archive.extractfile(member).read())
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("Unknown backup format: %(format)s.") % {"format": manifest.get("format")}
        )
    return manifest


def _digest(archive, path: str) -> str:
    try:
        handle = archive.extractfile(archive.getmember(path))
    except KeyError:
        raise BackupError(
            _("%(path)s is listed in the manifest but missing from the archive.") % {"path": path}
        ) from None
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(2**20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def verify(archive, manifest: dict) -> None:
    """Every checksum of the manifest against the archive's content; raises on the first wrong."""
    expected = {manifest["database"]["path"]: manifest["database"]["sha256"]}
    expected |= {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    extra = {m.name for m in archive.getmembers() if m.isfile()} - set(expected) - {MANIFEST}
    if extra:
        raise BackupError(
            _("The archive holds files its manifest does not list: %(files)s")
            % {"files": ", ".join(sorted(extra))}
        )
    for path, sha256 in expected.items():
        if _digest(archive, path) != sha256:
            raise BackupError(
                _("Checksum mismatch for %(path)s: the archive is damaged.") % {"path": path}
            )


def check_migrations(manifest: dict) -> None:
    """Refuse an archive made by code with migrations this code does not have."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            _(
                "The archive was made by a newer version (unknown migrations: %(names)s): "
                "restore it with that version."
            )
            % {"names": ", ".join(unknown[:5])}
        )


def data_rows() -> dict[str, int]:
    """The tables that hold rows, less what `migrate` itself makes."""
    return {
        label: count
        for label, count in row_counts().items()
        if count and label not in MADE_BY_MIGRATE
    }


def load_database(archive, manifest: dict) -> None:
    with tempfile.TemporaryDirectory(prefix="observatoire-restore-") as folder:
        dump = Path(folder) / DUMP
        with dump.open("wb") as target:
            source = archive.extractfile(archive.getmember(manifest["database"]["path"]))
            for chunk in iter(lambda: source.read(2**20), b""):
                target.write(chunk)
        with transaction.atomic():
            # The groups migrate made go: the archive's come back with their own primary keys.
            apps.get_model("auth", "Group")._base_manager.all().delete()
            call_command("loaddata", str(dump), verbosity=0)


def restore_files(archive, manifest: dict) -> int:
    fields = {label: field for label, _model, field in file_fields()}
    written = 0
    for entry in manifest["files"]:
        field = fields.get(entry["field"])
        if field is None:
            raise BackupError(
                _("No file field %(field)s here to restore files into.") % {"field": entry["field"]}
            )
        storage, name = field.storage, entry["name"]
        with contextlib.suppress(FileNotFoundError):
            if storage.exists(name):
                storage.delete(name)
        handle = archive.extractfile(archive.getmember(entry["path"]))
        saved = storage.save(name, File(handle, name=os.path.basename(name)))
        if saved != name:
            raise BackupError(
                _("%(name)s was stored as %(saved)s: the storage renamed it.")
                % {"name": name, "saved": saved}
            )
        written += 1
    return written


def compare_counts(manifest: dict) -> list[str]:
    """Tables whose number of rows differs from the manifest's, as sentences."""
    now = row_counts()
    return [
        _("%(table)s: %(count)s in the archive, %(now)s restored")
        % {"table": label, "count": count, "now": now.get(label)}
        for label, count in manifest["counts"].items()
        if now.get(label) != count
    ]
