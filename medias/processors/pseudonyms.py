"""Pseudonymisation suggestions: spaCy's French model plus the names the project already knows."""

import re
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import Output, Progress, no_progress

FIRST_NAMES = [
    "Camille", "Dominique", "Claude", "Alix", "Sacha", "Maxime", "Morgane", "Lou",
    "Noa", "Charlie", "Eden", "Andrea", "Yael", "Gael", "Ange", "Swann",
]  # fmt: skip
SURNAMES = [
    "Martin", "Bernard", "Durand", "Petit", "Robert", "Richard", "Moreau", "Laurent",
    "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
]  # fmt: skip
LABELS = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}
WORD = re.compile(r"[\w'-]+")


@lru_cache(maxsize=1)
def nlp():
    """The French model, loaded once per worker process (it takes a second or two)."""
    import spacy

    return spacy.load("fr_core_news_sm", disable=["parser", "lemmatizer"])


def find_names(
    text: str, known: list[tuple[str, str]] = (), progress: Progress = no_progress
) -> dict[str, dict]:
    """{name: {"label", "source", "occurrences"}} for each single name word found.

    Full names are split into words so that "Ophélie Langlais" and a later "Langlais" alone
    get the same pseudonym; the model misses surnames, the known names fill in. A long text is
    read in chunks, each reported: the job's heartbeat, and where a cancellation lands.
    """
    found: dict[str, dict] = {}

    def add(words: str, label: str, source: str) -> None:
        # People are split into words (first name, surname); an organisation stays whole.
        for word in [words.strip()] if label == "ORG" else WORD.findall(words):
            if len(word) < 2 or not word[0].isupper():
                continue
            entry = found.setdefault(word, {"label": label, "source": source, "occurrences": 0})
            if source == "known":
                entry["source"] = "known"

    for name, label in known:
        add(name, label, "known")
    size = max(len(text), 1)
    for start, chunk in _chunks(text):
        progress(
            30 + int(50 * start / size), gettext_noop("Looking for names of people and places")
        )
        for entity in nlp()(chunk).ents:
            if entity.label_ in ("PER", "LOC"):  # the model's ORG guesses are too noisy
                add(entity.text, LABELS[entity.label_], "model")
    for index, (word, entry) in enumerate(found.items()):
        if index % 50 == 0:
            progress(80 + int(15 * index / len(found)), gettext_noop("Counting the names found"))
        entry["occurrences"] = len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text))
    return {word: entry for word, entry in found.items() if entry["occurrences"]}


def _chunks(text: str, size: int = 20_000):
    """(offset, chunk) cut at line ends: spaCy refuses texts over a million characters, and a
    chunk takes a second or so, which keeps the progress (the heartbeat) coming."""
    start = 0
    while start < len(text):
        end = text.rfind("\n", start, start + size) if len(text) - start > size else len(text)
        end = end if end > start else start + size
        yield start, text[start:end]
        start = end


def propose(found: dict[str, dict]) -> dict[str, str]:
    """A pseudonym per name, stable for the same input: people get names, places letters."""
    mapping, people, places = {}, 0, 0
    for word, entry in sorted(found.items(), key=lambda item: (-item[1]["occurrences"], item[0])):
        if entry["label"] == "PER":
            pool = FIRST_NAMES if people % 2 == 0 else SURNAMES
            mapping[word] = pool[(people // 2) % len(pool)]
            people += 1
        else:
            template = (
                _("Place %(letter)s") if entry["label"] == "LOC" else _("Organisation %(letter)s")
            )
            mapping[word] = template % {"letter": chr(ord("A") + places % 26)}
            places += 1
    return mapping


def names_pattern(names) -> re.Pattern:
    """Any of these names as a whole word, case-insensitive, the longest first."""
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def replacer(mapping: dict[str, str]):
    """`(pattern, replace)` for `pattern.sub(replace, text)`: each name gets its pseudonym,
    whatever its case in the text ("HÉLÈNE" and "hélène" are "Hélène")."""
    by_name = {name.casefold(): pseudonym for name, pseudonym in mapping.items()}

    def replace(match: re.Match) -> str:
        found = match.group(0)
        return by_name.get(found.casefold()) or by_name.get(found.lower(), found)

    return names_pattern(mapping), replace


def apply(text: str, mapping: dict[str, str]) -> str:
    """Replace every accepted name by its pseudonym, whole words only, longest first."""
    if not mapping:
        return text
    pattern, replace = replacer(mapping)
    return pattern.sub(replace, text)


def process(path: Path, progress: Progress = no_progress, context: dict | None = None) -> Output:
    context = context or {}
    text = context.get("text")
    if text is None:
        text = Path(path).read_text("utf-8", "replace")
    progress(10, gettext_noop("Loading the French language model"))
    nlp()
    found = find_names(text, context.get("known_names", []), progress)
    mapping = propose(found)
    suggestions = [
        {"name": word, **entry, "pseudonym": mapping[word]} for word, entry in found.items()
    ]
    return Output(metadata={"suggestions": len(suggestions)}, records={"suggestions": suggestions})
