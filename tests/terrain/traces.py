"""Where a person's name or phone number still shows: the whole database, files, the cache.

Read as a person looking for them would: the database as `pg_dump --data-only` prints it (every
column of every table, whatever its type), files with their text extracted (a DOCX is a zip, a
PDF's text is compressed and font-encoded), cache entries unpickled. Names are looked for without
accents and in any case ("ophelie" finds "Ophélie" and "entretien-ophelie.wav"), a phone number
with any separators.
"""

import io
import os
import pickle
import re
import subprocess
import unicodedata
import zipfile

from django.core.cache import caches
from django.db import connection


def flat(text: str) -> str:
    """Without accents, case folded: what a search for the name finds."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class Needles:
    def __init__(self, *names: str, phone: str = ""):
        self.names = [flat(name) for name in names]
        digits = re.sub(r"\D", "", phone).lstrip("0")
        # "06 12 34 56 78", "0612345678", "+33 6 12.34.56.78": the digits with any separators.
        self.phone = re.compile(r"\D{0,3}".join(digits)) if digits else None

    def found_in(self, text: str) -> list[str]:
        text = flat(text)
        hits = [name for name in self.names if name in text]
        if self.phone and self.phone.search(text):
            hits.append("phone")
        return hits


def database(needles: Needles) -> list[str]:
    """Lines of the test database's data-only dump that hold a needle."""
    settings = connection.settings_dict
    environment = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = ["pg_dump", "--data-only", "--no-owner", "--dbname", settings["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [option, str(settings[key])]
    dump = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    table, hits = "", []
    for line in dump.stdout.splitlines():
        if line.startswith("COPY "):
            table = line.split()[1]
        elif found := needles.found_in(line):
            hits.append(f"{table}: {found}: {line[:160]}")
    return hits


def readable(content: bytes) -> str:
    """The text a person could read out of a file's bytes."""
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() for page in reader.pages) + str(reader.metadata)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
        return re.sub(r"<[^>]+>", "", "\n".join(parts))  # DOCX text is split by XML tags
    return content.decode("utf-8", "replace")


def files(needles: Needles, *roots) -> list[str]:
    """Files under the roots whose name or readable content holds a needle."""
    hits = []
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    found = needles.found_in(path) + needles.found_in(readable(handle.read()))
                if found:
                    hits.append(f"{path}: {found}")
    return hits


def _texts(value):
    if isinstance(value, bytes):
        yield readable(value)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from _texts(item)
    else:
        yield repr(value)


def cache(needles: Needles) -> list[str]:
    """Keys of the cache (Redis) whose name or value holds a needle."""
    backend = caches["default"]
    client = backend._cache.get_client(write=False)
    hits = []
    for key in client.scan_iter(count=1000):
        raw = client.get(key)
        try:
            value = pickle.loads(raw)  # Django's Redis serializer pickles all but integers
        except Exception:
            value = raw
        found = needles.found_in(key.decode("utf-8", "replace"))
        for text in _texts(value):
            found += needles.found_in(text)
        if found:
            hits.append(f"{key!r}: {sorted(set(found))}")
    return hits
