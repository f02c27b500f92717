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


# "Chercheuse: …", "M. Dupont: …": a speaker turn's label at the start of a line of the text.
SPEAKER_LABEL = re.compile(r"^[ \t]*([^:\n]{1,60}?)[ \t]*:", re.MULTILINE)

# What a transcript calls the people who ask: labels, never names to hide.
ROLE_WORDS = {
    "chercheur", "chercheuse", "enquêteur", "enquêtrice", "enquetrice", "enqueteur",
    "intervieweur", "intervieweuse", "interviewer", "animateur", "animatrice", "locuteur",
    "locutrice", "participant", "participante", "question", "réponse", "speaker", "orateur",
    "oratrice", "modérateur", "modératrice", "journaliste",
}  # fmt: skip


def speaker_words(text: str) -> set[str]:
    """The words of the speaker labels of a transcript's text, casefolded."""
    return {
        word.casefold() for label in SPEAKER_LABEL.findall(text) for word in WORD.findall(label)
    }


def find_names(text: str, known=(), progress: Progress = no_progress) -> dict[str, dict]:
    """{name: {"label", "source", "occurrences"[, "pseudonym"]}} for each name found.

    `known` holds (name, label) or (name, label, pseudonym) for the names the project knows
    around the file; a pseudonym there is the one the person's consent records, and it wins.
    Full names are split into words so that "Ophélie Langlais" and a later "Langlais" alone
    get the same pseudonym; the model misses surnames, the known names fill in. A person whose
    consent gives a pseudonym also keeps their full name as one entry, replaced as a whole first.
    A speaker label is never suggested as a place or an organisation (the model took
    "Chercheuse" for a place), and a role ("Chercheuse", "Enquêteur") never at all; a label
    the model reads as a person ("Marc") is a name, and accepting it renames the speaker too.
    A long text is read in chunks, each reported: the job's heartbeat, and where a cancellation
    lands.
    """
    found: dict[str, dict] = {}

    def add(words: str, label: str, source: str, pseudonym: str = "") -> None:
        # People are split into words (first name, surname); an organisation stays whole.
        pieces = [words.strip()] if label == "ORG" else WORD.findall(words)
        if pseudonym and label == "PER" and len(pieces) > 1:
            pieces.append(" ".join(pieces))
        for word in pieces:
            if len(word) < 2 or not word[0].isupper():
                continue
            entry = found.setdefault(word, {"label": label, "source": source, "occurrences": 0})
            if source == "known":
                entry["source"] = "known"
            if pseudonym:
                entry["pseudonym"] = pseudonym

    for name, label, *pseudonym in known:
        add(name, label, "known", (pseudonym[0] if pseudonym else "") or "")
    labels = speaker_words(text)
    size = max(len(text), 1)
    for start, chunk in _chunks(text):
        progress(
            30 + int(50 * start / size), gettext_noop("Looking for names of people and places")
        )
        for entity in nlp()(chunk).ents:
            if entity.label_ not in ("PER", "LOC"):  # the model's ORG guesses are too noisy
                continue
            words = {word.casefold() for word in WORD.findall(entity.text)}
            if words & ROLE_WORDS or (words & labels and entity.label_ != "PER"):
                continue
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
    """A pseudonym per name, stable for the same input: people get names, places letters.

    The pseudonym a consent records is kept as it is.
    """
    mapping, people, places = {}, 0, 0
    for word, entry in sorted(found.items(), key=lambda item: (-item[1]["occurrences"], item[0])):
        if entry.get("pseudonym"):
            mapping[word] = entry["pseudonym"]
        elif entry["label"] == "PER":
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
        {**entry, "name": word, "pseudonym": mapping[word]} for word, entry in found.items()
    ]
    return Output(metadata={"suggestions": len(suggestions)}, records={"suggestions": suggestions})
