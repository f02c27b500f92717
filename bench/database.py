"""The bench's own PostgreSQL database: created, migrated and filled once per dataset.

Nothing here touches another database: the name comes from the bench settings
(`observatoire_bench` by default), and a dataset is reused while its parameters are unchanged.
"""

import json
import os
import sys
import time

import psycopg

SETTINGS = "observatoire.settings.bench"


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()


def _admin_conninfo(database: dict) -> dict:
    return {
        "host": database.get("HOST") or "127.0.0.1",
        "port": database.get("PORT") or 5432,
        "user": database.get("USER") or "postgres",
        "password": database.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }


def database_settings() -> dict:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("The benchmark needs PostgreSQL (BENCH_DATABASE_URL).")
    if not database["NAME"].startswith("observatoire_bench"):
        raise SystemExit(f"Refusing to use {database['NAME']!r}: not a bench database.")
    return database


def recreate(database: dict) -> None:
    name = database["NAME"]
    with psycopg.connect(**_admin_conninfo(database)) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")


def exists(database: dict) -> bool:
    with psycopg.connect(**_admin_conninfo(database)) as admin:
        row = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
        return row.fetchone() is not None


def stored_marker() -> dict | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_dataset')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT params FROM bench_dataset")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def store_marker(params: dict) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_dataset (params text NOT NULL)")
        cursor.execute("DELETE FROM bench_dataset")
        cursor.execute("INSERT INTO bench_dataset VALUES (%s)", [json.dumps(params)])


def _collectstatic() -> None:
    """Collect (and compress) the static files only when a source is newer than the manifest."""
    from django.conf import settings
    from django.core.management import call_command

    manifest = settings.STATIC_ROOT / "staticfiles.json"
    sources = [settings.BASE_DIR / "static", settings.BASE_DIR / "package-lock.json"]
    if manifest.exists():
        built = manifest.stat().st_mtime
        newest = max(
            (p.stat().st_mtime for s in sources for p in ([s] if s.is_file() else s.rglob("*"))),
            default=0,
        )
        if newest < built:
            return
    log("collecting static files")
    call_command("collectstatic", verbosity=0, interactive=False)


def _vacuum() -> None:
    """Set the visibility map as autovacuum would on a live database, and refresh statistics.

    Rows copied in bulk leave every page "not all-visible" until a vacuum, so PostgreSQL could
    use no index-only scan (EXPLAIN: `relallvisible` 0, the profile's similar and nearby queries
    read the whole table or every row of a box). Cheap when nothing changed since the last run.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def log(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _words() -> None:
    """A dataset kept from before the words of the texts were kept (migration observatoire 0003)
    gets them, as a new dataset does."""
    from django.db import connection

    from observatoire.search import refresh_words

    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT FROM search_word)")
        if cursor.fetchone()[0]:
            return
    step = time.monotonic()
    log(f"words of the public texts: {refresh_words()} in {time.monotonic() - step:.1f} s")


def prepare(context: dict) -> None:
    """Make the bench database hold the dataset of this scale (once per run, reused across runs)."""
    if context.get("prepared"):
        return
    from django.core.management import call_command

    from . import data

    started = time.monotonic()
    database = database_settings()
    params = data.parameters(context["scale"])
    fresh = False
    if exists(database):
        call_command("migrate", verbosity=0, interactive=False)
        if stored_marker() != params:
            fresh = True
    else:
        fresh = True
    if fresh:
        from django.db import connections

        connections.close_all()
        log(f"creating {database['NAME']} for {params}")
        recreate(database)
        call_command("migrate", verbosity=0, interactive=False)
        log(f"migrated in {time.monotonic() - started:.0f} s")
        timings = data.generate(params)
        store_marker({**params})
        context["generation"] = timings
    else:
        log(f"reusing the dataset in {database['NAME']} ({params})")
        _words()
    _vacuum()
    _collectstatic()
    # The bench's own Redis database: no page or fragment of an earlier dataset survives.
    from django.core.cache import cache

    cache.clear()
    context["prepared"] = True
    context["params"] = params
    log(f"dataset ready in {time.monotonic() - started:.0f} s")
