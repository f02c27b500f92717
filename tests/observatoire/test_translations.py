"""The French catalogue is complete, compiles, and is what the French pages show.

* Completeness: `makemessages` runs in a subprocess on a temporary copy of the source tree (the
  files it reads: *.py, *.html, *.txt, and *.js for the JavaScript catalogue), so the repository's
  own catalogues are never touched; every message it extracts must be in the committed French
  catalogue, translated and not fuzzy.
* Compilation: `msgfmt --check-format`, exactly as the Makefile compiles each .po into its .mo.
* Pages: French at the root, English under /en/, with the compiled catalogue.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
FR_PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
FR_JS_PO = LOCALE_DIR / "fr" / "LC_MESSAGES" / "djangojs.po"
JS_DIR = BASE_DIR / "static" / "js"

# What the Makefile's `messages` target leaves out (dot-directories are skipped by makemessages).
IGNORED_DIRS = {"node_modules", "var", "locale", "__pycache__", "vendor"}
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js"}


# --- A small .po reader (msgctxt, msgid, msgid_plural, msgstr, msgstr[n], flags) ---------------


def _unquote(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file, obsolete ones (#~) left out; the header is the entry with msgid ""."""
    entries, entry, field = [], None, None

    def flush():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and field and field.startswith("msgstr"):
                flush()
                entry, field = None, None
            entry = entry if entry is not None else {"flags": set(), "msgstr": {}}
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            starts_entry = keyword in ("msgctxt", "msgid") and (
                entry is not None and field is not None and field.startswith("msgstr")
            )
            if starts_entry:
                flush()
                entry = None
            entry = entry if entry is not None else {"flags": set(), "msgstr": {}}
            if keyword.startswith("msgstr"):
                field = f"msgstr[{index}]" if index is not None else "msgstr"
                entry["msgstr"][field] = value
            else:
                field = keyword
                entry[keyword] = value
            continue
        if line.startswith('"') and field:
            if field.startswith("msgstr"):
                entry["msgstr"][field] += _unquote(line)
            else:
                entry[field] += _unquote(line)
            continue
        raise AssertionError(f"{path}: cannot read the line {raw!r}")
    flush()
    return entries


def _key(entry: dict) -> tuple:
    return (entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural"))


def _describe(key: tuple) -> str:
    context, msgid, plural = key
    return (f"[{context}] " if context else "") + repr(msgid) + (f" / {plural!r}" if plural else "")


def _messages(path: Path) -> dict[tuple, dict]:
    return {_key(e): e for e in read_po(path) if e["msgid"] != ""}


# --- Completeness --------------------------------------------------------------------------


def _uses_javascript_catalog() -> bool:
    return any(
        re.search(r"\b(n?gettext|pgettext|npgettext|interpolate)\s*\(", p.read_text("utf-8"))
        for p in JS_DIR.glob("**/*.js")
    )


def _copy_sources(destination: Path) -> None:
    """The files makemessages reads, and nothing else (no catalogue, no virtualenv)."""
    for root, dirnames, filenames in os.walk(BASE_DIR):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in IGNORED_DIRS]
        for filename in filenames:
            source = Path(root) / filename
            if source.suffix in SOURCE_SUFFIXES and not source.is_symlink():
                target = destination / source.relative_to(BASE_DIR)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The locale directory `makemessages` fills from a copy of today's sources."""
    tree = tmp_path_factory.mktemp("sources")
    _copy_sources(tree)
    (tree / "locale").mkdir()
    domains = ["django"] + (["djangojs"] if _uses_javascript_catalog() else [])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "observatoire.settings.test"}
    for domain in domains:
        command = [sys.executable, "manage.py", "makemessages", "-d", domain, "-l", "fr"]
        command += ["--ignore=node_modules", "--ignore=.venv", "--ignore=var"]
        if domain == "djangojs":
            command += ["--ignore=static/vendor"]
        result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    return tree / "locale" / "fr" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_french_catalogue_has_every_message_of_the_code(extracted, domain):
    fresh = extracted / f"{domain}.po"
    if domain == "djangojs" and not fresh.exists():
        pytest.skip("no JavaScript file uses the JavaScript catalogue (gettext)")
    committed = LOCALE_DIR / "fr" / "LC_MESSAGES" / f"{domain}.po"
    assert committed.exists(), f"{committed} is missing: run `make messages` and translate it"
    missing = sorted(set(_messages(fresh)) - set(_messages(committed)), key=str)
    assert not missing, (
        f"{len(missing)} message(s) of the code are not in {committed.relative_to(BASE_DIR)}; "
        "run `make messages` and translate them:\n" + "\n".join(_describe(k) for k in missing)
    )


@pytest.mark.parametrize("po", [FR_PO, FR_JS_PO], ids=["django", "djangojs"])
def test_every_french_message_is_translated_and_none_is_fuzzy(po):
    if not po.exists():
        pytest.skip(f"no {po.name}")
    messages = _messages(po)
    assert messages, f"{po} has no message"
    untranslated = [k for k, e in messages.items() if not all(e["msgstr"].values())]
    fuzzy = [k for k, e in messages.items() if "fuzzy" in e["flags"]]
    assert not untranslated, "Untranslated:\n" + "\n".join(map(_describe, untranslated))
    assert not fuzzy, "Fuzzy (check, then remove the flag):\n" + "\n".join(map(_describe, fuzzy))
    for key, entry in messages.items():
        if key[2] is not None:  # French plurals: two forms, msgstr[0] and msgstr[1]
            assert set(entry["msgstr"]) == {"msgstr[0]", "msgstr[1]"}, _describe(key)


def test_the_french_header_declares_the_language_the_charset_and_the_plural_rule():
    header = next(e for e in read_po(FR_PO) if e["msgid"] == "")
    text = header["msgstr"]["msgstr"]
    assert "fuzzy" not in header["flags"]
    assert "Language: fr\n" in text
    assert "Content-Type: text/plain; charset=UTF-8\n" in text
    assert "Plural-Forms: nplurals=2; plural=(n > 1);\n" in text


# --- Compilation ---------------------------------------------------------------------------


def _msgfmt() -> str:
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        pytest.fail("msgfmt (gettext) is not installed: run `make setup`")
    return msgfmt


@pytest.mark.parametrize(
    "po", sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")), ids=lambda p: f"{p.parts[-3]}/{p.name}"
)
def test_each_catalogue_compiles_with_its_formats_checked(po, tmp_path):
    result = subprocess.run(
        [_msgfmt(), "--check-format", "-o", str(tmp_path / "out.mo"), str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


# --- Pages ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def compiled_catalogues():
    """The Makefile compiles the .mo files (`make setup`); compile those missing or stale here."""
    compiled = False
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            result = subprocess.run(
                [_msgfmt(), "--check-format", "-o", str(mo), str(po)],
                capture_output=True,
                text=True,
            )
            assert result.returncode == 0, f"{po} does not compile (run `make setup`):\n" + (
                result.stderr
            )
            compiled = True
    assert (FR_PO.with_suffix(".mo")).exists(), f"{FR_PO.with_suffix('.mo')}: run `make setup`"
    if compiled:  # catalogues this process already loaded would not see the new .mo files
        from django.test.signals import setting_changed

        setting_changed.send(
            sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
        )


def _nav(html: str) -> str:
    match = re.search(r'<ul class="nav">(.*?)</ul>', html, re.S)
    assert match, "no main navigation on the page"
    return match.group(1)


@pytest.mark.django_db
def test_the_french_home_page_speaks_french(client, compiled_catalogues):
    html = client.get("/").content.decode()
    nav = _nav(html)
    assert ">Carte</a>" in nav, "run `make setup` to compile the French catalogue"
    assert ">Rechercher</a>" in nav and ">Territoires</a>" in nav
    assert ">Map</a>" not in nav and ">Search</a>" not in nav
    assert "Aller au contenu" in html


@pytest.mark.django_db
def test_the_english_home_page_speaks_english(client, compiled_catalogues):
    html = client.get("/en/").content.decode()
    nav = _nav(html)
    assert ">Map</a>" in nav and ">Search</a>" in nav and ">Territories</a>" in nav
    assert ">Carte</a>" not in nav
    assert "Skip to content" in html
